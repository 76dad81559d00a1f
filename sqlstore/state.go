package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// The rolling fulfilment state (stakhanov.ShiftState and state.go in the
// root package). A write that changes a figure gathers what it touched in
// a stateRun and calls run.apply in its own transaction:
//
//  1. each touched subject's own shift states, on the touched dates, are
//     computed again from its credits (a few reports) under a lock on the
//     subject (fulfilment_subjects), and the difference each makes is
//     gathered for the units above it;
//  2. the units' tree states take those differences, each month row of
//     them locked, read and changed (lockTree), so that concurrent writes
//     under one unit take turns on it;
//  3. period totals take the difference each changed shift state makes;
//  4. the candidacy of every subject touched is evaluated again for each
//     award whose rule reads the good.

const (
	scopeOwn  = "own"
	scopeTree = "tree"
)

// stateScope is the scope fulfilment reads: a person's own, a unit's tree.
func stateScope(s stakhanov.Subject) string {
	if s.Kind == stakhanov.SubjectUnit {
		return scopeTree
	}
	return scopeOwn
}

// unitInfo is what the state needs of a unit: the units from the root down
// to it, and its enterprise (the distribution key).
type unitInfo struct {
	path       []int64
	enterprise int64
}

type subjectGoodDate struct {
	stakhanov.SubjectGood
	date stakhanov.Date
}

type unitGood struct{ unit, good int64 }

// shiftDay is a date (days since 1970) and shift, a small map key.
type shiftDay struct{ day, shift int32 }

func shiftDayOf(d stakhanov.Date, shift int) shiftDay {
	return shiftDay{int32(d.Time().Unix() / 86400), int32(shift)}
}

func (s shiftDay) date() stakhanov.Date {
	return stakhanov.DateOf(time.Unix(int64(s.day)*86400, 0).UTC())
}

type treeKey struct {
	unit  int64
	good  int64
	date  stakhanov.Date
	shift int
}

type periodKey struct {
	subject stakhanov.Subject
	good    int64
	period  string
	start   stakhanov.Date
}

// monthTotalsKey names a subject's month totals of a good.
type monthTotalsKey struct {
	subject stakhanov.Subject
	good    int64
	month   stakhanov.Date
}

// stateRun gathers what one write touched and brings the state up to date.
type stateRun struct {
	db  *DB
	q   querier
	ctx context.Context

	// days are the subjects' own figures to compute again: the dates
	// touched, or every date from a norm's effective date (from).
	days map[stakhanov.SubjectGood]map[stakhanov.Date]bool
	from map[stakhanov.SubjectGood]stakhanov.Date
	// unitNorms are units whose norm changed, from the date given.
	unitNorms map[stakhanov.SubjectGood]stakhanov.Date

	units  map[int64]unitInfo
	people map[int64]int64 // person → unit
	norms  map[stakhanov.SubjectGood]*stakhanov.NormIndex
	// tree are the differences to the units' tree states, by the unit of
	// the subject whose own state changed, then by shift: small maps, a
	// million changes of an import each one step.
	tree map[unitGood]map[shiftDay]stakhanov.StateDelta
	// periods are the differences to period totals, by month: the year's
	// are added up from them (applyPeriods).
	periods map[monthTotalsKey]*stakhanov.PeriodTotals
	// lastPeriod is the totals addPeriods changed last.
	lastPeriodKey monthTotalsKey
	lastPeriod    *stakhanov.PeriodTotals
	evaluate      map[stakhanov.SubjectGood]*evaluation
	// lastEvaluate is the evaluation markEvaluate marked last.
	lastEvaluateKey stakhanov.SubjectGood
	lastEvaluate    *evaluation
	// added are credits to add to subjects' own states as they are,
	// without reading any report (an import's new reports); they are
	// added before any day is computed again.
	added  map[stakhanov.SubjectGood][]addedCredit
	locked map[stakhanov.SubjectGood]bool
	// skipCandidacy leaves candidacy to the caller (a rebuild).
	skipCandidacy bool
	// awards are the awards with a candidacy rule, once read
	// (candidacyAwards).
	awards     []awardRule
	awardsRead bool
	// warm, if not nil, holds what earlier transactions of the group
	// committer read (warmState).
	warm *warmState

	// months are the month rows of shift states read or written, written
	// back at the end (writeMonths); ownMonths the months of a subject's
	// own rows held.
	months    map[monthKey]*monthRow
	ownMonths map[stakhanov.SubjectGood][]stakhanov.Date
	// allFrom are subjects whose own rows of every good were read from a
	// month on (loadSubject); goods are the goods of a subject's rows held.
	allFrom map[stakhanov.Subject]stakhanov.Date
	goods   map[stakhanov.Subject][]int64
	// postpone, if not nil, names subjects whose candidacy the run leaves
	// in evaluate for later.
	postpone map[stakhanov.SubjectGood]bool
	// block holds shift states not yet used (newState).
	block []stakhanov.ShiftState
	// hasNorm tells, for subjects whose every norm was read, whether they
	// have one.
	hasNorm map[stakhanov.Subject]bool
	// standing are candidacy rows to write (storeCandidacy), stored their
	// places in it.
	standing []any
	stored   map[candidacyKey]int
}

func (db *DB) newStateRun(ctx context.Context, q querier) *stateRun {
	return &stateRun{db: db, q: q, ctx: ctx,
		days: map[stakhanov.SubjectGood]map[stakhanov.Date]bool{}, from: map[stakhanov.SubjectGood]stakhanov.Date{},
		unitNorms: map[stakhanov.SubjectGood]stakhanov.Date{},
		units:     map[int64]unitInfo{}, people: map[int64]int64{}, norms: map[stakhanov.SubjectGood]*stakhanov.NormIndex{},
		tree: map[unitGood]map[shiftDay]stakhanov.StateDelta{}, periods: map[monthTotalsKey]*stakhanov.PeriodTotals{},
		evaluate: map[stakhanov.SubjectGood]*evaluation{}, locked: map[stakhanov.SubjectGood]bool{},
		months:    map[monthKey]*monthRow{},
		ownMonths: map[stakhanov.SubjectGood][]stakhanov.Date{},
		allFrom:   map[stakhanov.Subject]stakhanov.Date{}, goods: map[stakhanov.Subject][]int64{}, hasNorm: map[stakhanov.Subject]bool{}}
}

// touch marks a subject's own figures for a good on a date to compute again.
func (r *stateRun) touch(s stakhanov.Subject, good int64, d stakhanov.Date) {
	k := stakhanov.SubjectGood{Subject: s, GoodID: good}
	if r.days[k] == nil {
		r.days[k] = map[stakhanov.Date]bool{}
	}
	r.days[k][d] = true
}

// merge takes what another run of the same transaction touched, for one
// apply of both.
func (r *stateRun) merge(o *stateRun) {
	for k, days := range o.days {
		for d := range days {
			r.touch(k.Subject, k.GoodID, d)
		}
	}
	for k, f := range o.from {
		if g, ok := r.from[k]; !ok || f.Before(g) {
			r.from[k] = f
		}
	}
	for k, f := range o.unitNorms {
		if g, ok := r.unitNorms[k]; !ok || f.Before(g) {
			r.unitNorms[k] = f
		}
	}
	for k, cs := range o.added {
		if r.added == nil {
			r.added = map[stakhanov.SubjectGood][]addedCredit{}
		}
		r.added[k] = append(r.added[k], cs...)
	}
	for k, e := range o.evaluate {
		evaluationOf(r.evaluate, k).join(e)
	}
	for p, u := range o.people {
		r.people[p] = u
	}
}

// touchReport marks everything a report's credits reach: its subject and
// its helpers, on its date.
func (r *stateRun) touchReport(rep *stakhanov.Report) {
	r.touch(rep.Subject, rep.GoodID, rep.Date)
	for _, h := range rep.Helpers {
		r.touch(stakhanov.PersonSubject(h.PersonID), rep.GoodID, rep.Date)
	}
}

// touchReportID is touchReport for a report known by its id.
func (r *stateRun) touchReportID(id int64) error {
	var kind string
	var subject, good int64
	var d stakhanov.Date
	if err := r.q.queryRow(r.ctx, `SELECT subject_kind, subject_id, good_id, date FROM reports WHERE id = ?`, id).Scan(&kind, &subject, &good, &d); err != nil {
		return notFound("report", id, err)
	}
	r.touch(stakhanov.Subject{Kind: kind, ID: subject}, good, d)
	rows, err := r.q.query(r.ctx, `SELECT person_id FROM report_helpers WHERE report_id = ?`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p int64
		if err := rows.Scan(&p); err != nil {
			return err
		}
		r.touch(stakhanov.PersonSubject(p), good, d)
	}
	return rows.Err()
}

// touchNorm marks what a new norm version changes: the subject's figures
// from its effective date on.
func (r *stateRun) touchNorm(n *stakhanov.Norm) {
	k := stakhanov.SubjectGood{Subject: n.Subject, GoodID: n.GoodID}
	if f, ok := r.from[k]; !ok || n.EffectiveFrom.Before(f) {
		r.from[k] = n.EffectiveFrom
	}
	if n.Subject.Kind == stakhanov.SubjectUnit {
		if f, ok := r.unitNorms[k]; !ok || n.EffectiveFrom.Before(f) {
			r.unitNorms[k] = n.EffectiveFrom
		}
	}
	// A subject with a norm may now be a candidate, even with no figures
	// changed.
	r.markEvaluate(k, stakhanov.Date{})
}

// evaluation is what a run evaluates a subject's candidacy on: for a
// period rule, the periods from one date to another, or every period.
type evaluation struct {
	from, to stakhanov.Date
	all      bool
}

// mark widens the evaluation to take in the period holding d (zero:
// every period).
func (e *evaluation) mark(d stakhanov.Date) {
	switch {
	case d.IsZero():
		e.all = true
	case e.from.IsZero() || d.Before(e.from):
		e.from = d
	case d.After(e.to):
		e.to = d
	}
	if e.to.Before(e.from) {
		e.to = e.from
	}
}

// join widens the evaluation to take in o.
func (e *evaluation) join(o *evaluation) {
	if o.all {
		e.mark(stakhanov.Date{})
	}
	if !o.from.IsZero() {
		e.mark(o.from)
		e.mark(o.to)
	}
}

// evaluationOf returns k's evaluation in m, adding an empty one.
func evaluationOf(m map[stakhanov.SubjectGood]*evaluation, k stakhanov.SubjectGood) *evaluation {
	e := m[k]
	if e == nil {
		e = &evaluation{}
		m[k] = e
	}
	return e
}

// markEvaluate marks a subject's candidacy to evaluate again, for a
// period rule on the period holding d (zero: every period).
func (r *stateRun) markEvaluate(k stakhanov.SubjectGood, d stakhanov.Date) {
	// Marks come a subject after another.
	if r.lastEvaluate == nil || r.lastEvaluateKey != k {
		r.lastEvaluateKey, r.lastEvaluate = k, evaluationOf(r.evaluate, k)
	}
	r.lastEvaluate.mark(d)
}

func (r *stateRun) unit(id int64) (unitInfo, error) {
	if u, ok := r.units[id]; ok {
		return u, nil
	}
	// A unit's path and kind never change once it is written, and it is
	// written in a transaction of its own (CreateUnit): what any write read
	// of it holds for the store's life.
	if v, ok := r.db.unitInfos.Load(id); ok {
		u := v.(unitInfo)
		r.units[id] = u
		return u, nil
	}
	var path string
	if err := r.q.queryRow(r.ctx, `SELECT path FROM units WHERE id = ?`, id).Scan(&path); err != nil {
		return unitInfo{}, notFound("unit", id, err)
	}
	u := unitInfo{path: pathIDs(path)}
	if len(u.path) == 0 {
		return unitInfo{}, fmt.Errorf("unit %d: bad path %q", id, path)
	}
	var err error
	if u.enterprise, err = reportEnterprise(r.ctx, r.q, path); err != nil {
		return unitInfo{}, err
	}
	r.units[id] = u
	r.db.unitInfos.Store(id, u)
	return u, nil
}

func int64sToArgs(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// subjectUnit returns the unit a subject's figures belong to: a person's
// unit, or the unit itself.
func (r *stateRun) subjectUnit(s stakhanov.Subject) (int64, unitInfo, error) {
	id := s.ID
	if s.Kind == stakhanov.SubjectPerson {
		u, ok := r.people[s.ID]
		if !ok {
			if err := r.q.queryRow(r.ctx, `SELECT unit_id FROM people WHERE id = ?`, s.ID).Scan(&u); err != nil {
				return 0, unitInfo{}, notFound("person", s.ID, err)
			}
			r.people[s.ID] = u
		}
		id = u
	}
	info, err := r.unit(id)
	return id, info, err
}

func (r *stateRun) normIndex(k stakhanov.SubjectGood) (*stakhanov.NormIndex, error) {
	if _, ok := r.norms[k]; ok || r.warmNorms(k) {
		return r.norms[k], nil
	}
	rows, err := r.q.query(r.ctx, "SELECT "+normColumns+" FROM norms WHERE subject_kind = ? AND subject_id = ? AND good_id = ?",
		k.Subject.Kind, k.Subject.ID, k.GoodID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ns []*stakhanov.Norm
	for rows.Next() {
		n, err := scanNorm(rows)
		if err != nil {
			return nil, err
		}
		ns = append(ns, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	idx := stakhanov.NewNormIndex(ns)
	r.norms[k] = idx
	return idx, nil
}

func ownNorm(idx *stakhanov.NormIndex, k stakhanov.SubjectGood, d stakhanov.Date) *float64 {
	if n := idx.InForce(k.Subject, k.GoodID, d); n != nil {
		v := n.Amount
		return &v
	}
	return nil
}

// lock takes the subject's row in fulfilment_subjects for the rest of the
// transaction: concurrent writes of one subject take turns, so each reads
// the other's figures when it computes the subject's state.
func (r *stateRun) lock(k stakhanov.SubjectGood, enterprise int64) error {
	if r.locked[k] || r.warmLocked(k) {
		return nil
	}
	_, err := r.q.exec(r.ctx, `INSERT INTO fulfilment_subjects (subject_kind, subject_id, good_id, enterprise_id, writes) VALUES (?, ?, ?, ?, 1)
		ON CONFLICT (subject_kind, subject_id, good_id, enterprise_id) DO UPDATE SET writes = fulfilment_subjects.writes + 1`,
		k.Subject.Kind, k.Subject.ID, k.GoodID, enterprise)
	if err == nil {
		r.locked[k] = true
	}
	return err
}

// apply brings the state up to date with everything touched.
func (r *stateRun) apply() error {
	seen := map[stakhanov.SubjectGood]bool{}
	var keys []stakhanov.SubjectGood
	for _, m := range []map[stakhanov.SubjectGood]bool{keysOf(r.days), keysOf(r.from), keysOf(r.added)} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	// One order for every write, so that two writes never wait on each
	// other's locks in a circle.
	slices.SortFunc(keys, compareSubjectGood)
	if len(r.added) > 0 {
		if err := r.prefetch(keys, stakhanov.Date{}); err != nil {
			return err
		}
	}
	for _, k := range keys {
		if err := r.refreshOwn(k); err != nil {
			return err
		}
	}
	if err := r.applyTree(); err != nil {
		return err
	}
	units := make([]stakhanov.SubjectGood, 0, len(r.unitNorms))
	for k := range r.unitNorms {
		units = append(units, k)
	}
	slices.SortFunc(units, compareSubjectGood)
	for _, k := range units {
		if err := r.refreshTreeNorms(k, r.unitNorms[k]); err != nil {
			return err
		}
	}
	if err := r.writeMonths(); err != nil {
		return err
	}
	if err := r.applyPeriods(); err != nil {
		return err
	}
	return r.evaluateCandidacy()
}

// applyWithoutCandidacy is apply for a rebuild, which builds candidacy
// award by award afterwards.
func (r *stateRun) applyWithoutCandidacy() error {
	r.skipCandidacy = true
	return r.apply()
}

func keysOf[V any](m map[stakhanov.SubjectGood]V) map[stakhanov.SubjectGood]bool {
	out := make(map[stakhanov.SubjectGood]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

func compareSubjectGood(a, b stakhanov.SubjectGood) int {
	return cmp.Or(cmp.Compare(a.Subject.Kind, b.Subject.Kind), cmp.Compare(a.Subject.ID, b.Subject.ID), cmp.Compare(a.GoodID, b.GoodID))
}

type dayShift struct {
	date  stakhanov.Date
	shift int
}

// refreshOwn computes a subject's own shift states for one good again from
// its credits, on the dates touched (or from a date on), and gathers the
// differences for the units above it and the periods.
func (r *stateRun) refreshOwn(k stakhanov.SubjectGood) error {
	unitID, info, err := r.subjectUnit(k.Subject)
	if err != nil {
		return err
	}
	if err := r.lock(k, info.enterprise); err != nil {
		return err
	}
	idx, err := r.normIndex(k)
	if err != nil {
		return err
	}
	if err := r.addCredits(k, unitID, info, idx); err != nil {
		return err
	}
	dates := r.days[k]
	wholeFrom, whole := r.from[k]
	var from, to stakhanov.Date
	widen := func(a, b stakhanov.Date) {
		if from.IsZero() || a.Before(from) {
			from = a
		}
		if to.IsZero() || b.After(to) {
			to = b
		}
	}
	for d := range dates {
		widen(d, d)
	}
	if whole {
		// From the norm's date on, with no end.
		if from.IsZero() || wholeFrom.Before(from) {
			from = wholeFrom
		}
		to = stakhanov.Date{}
	}
	wanted := func(d stakhanov.Date) bool {
		return (whole && !d.Before(wholeFrom)) || dates[d]
	}
	if len(dates) == 0 && !whole {
		return nil
	}
	cs, err := credits(r.ctx, r.q, stakhanov.CreditFilter{Subject: k.Subject, GoodID: k.GoodID, From: from, To: to})
	if err != nil {
		return err
	}
	fresh := map[dayShift]*stakhanov.ShiftState{}
	for _, c := range cs {
		if !wanted(c.Date) {
			continue
		}
		sk := dayShift{c.Date, c.Shift}
		s := fresh[sk]
		if s == nil {
			s = &stakhanov.ShiftState{Subject: k.Subject, GoodID: k.GoodID, Date: c.Date, Shift: c.Shift, OwnNorm: ownNorm(idx, k, c.Date)}
			fresh[sk] = s
		}
		s.Produced += c.Produced * c.Share
		s.Accepted += c.Accepted * c.Share
		s.Credits++
		if c.Held {
			s.HeldProduced += c.Produced * c.Share
			s.HeldAccepted += c.Accepted * c.Share
			s.HeldCredits++
		}
		if c.Late {
			s.LateCredits++
			if c.Held {
				s.LateHeldCredits++
			}
		}
	}
	if err := r.loadSubject(k.Subject, from); err != nil {
		return err
	}
	old := map[dayShift]*stakhanov.ShiftState{}
	for _, month := range r.ownMonths[k] {
		if (!from.IsZero() && month.Before(monthOf(from))) || (!to.IsZero() && month.After(to)) {
			continue
		}
		for _, s := range r.months[monthKey{subject: k.Subject, good: k.GoodID, month: month}].states {
			if wanted(s.Date) {
				old[dayShift{s.Date, s.Shift}] = s
			}
		}
	}
	// Units above: a person's unit and its ancestors; a collective's own
	// reports count in its own tree and its ancestors'.
	for sk, s := range fresh {
		if err := r.changeOwn(k, unitID, info, nil, old[sk], s); err != nil {
			return err
		}
	}
	for sk, s := range old {
		if fresh[sk] == nil {
			if err := r.changeOwn(k, unitID, info, nil, s, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// addedCredit is a credit added to a subject's own state as it is: its
// report's figures times the subject's share.
type addedCredit struct {
	date stakhanov.Date
	// shift is int32 so that late fits beside it: an import holds
	// millions of these, 32 bytes each.
	shift              int32
	late               bool
	produced, accepted float64
}

// addCredits adds the credits the run was given for a subject to its own
// states.
func (r *stateRun) addCredits(k stakhanov.SubjectGood, unitID int64, info unitInfo, idx *stakhanov.NormIndex) error {
	cs := r.added[k]
	if len(cs) == 0 {
		return nil
	}
	from := cs[0].date
	for _, c := range cs {
		from = minDate(from, c.date)
	}
	// Every good and every month on: what candidacy reads afterwards.
	if err := r.loadSubject(k.Subject, from); err != nil {
		return err
	}
	var m *monthRow
	for i, c := range cs {
		// An import's credits of a subject come mostly in date order.
		if i == 0 || !sameMonth(c.date, cs[i-1].date) {
			var err error
			if m, err = r.ownMonth(k, c.date); err != nil {
				return err
			}
		}
		old := m.get(c.date, int(c.shift))
		s := r.newState()
		if old != nil {
			*s = *old
		} else {
			*s = stakhanov.ShiftState{Subject: k.Subject, GoodID: k.GoodID, Date: c.date, Shift: int(c.shift), OwnNorm: ownNorm(idx, k, c.date)}
		}
		s.Produced += c.produced
		s.Accepted += c.accepted
		s.Credits++
		if c.late {
			s.LateCredits++
		}
		if err := r.changeOwn(k, unitID, info, m, old, s); err != nil {
			return err
		}
	}
	return nil
}

// newState returns a new shift state, from a block of them: an import
// makes a million, and the collector has fewer objects to follow.
func (r *stateRun) newState() *stakhanov.ShiftState {
	if len(r.block) == 0 {
		r.block = make([]stakhanov.ShiftState, 256)
	}
	s := &r.block[0]
	r.block = r.block[1:]
	return s
}

// changeOwn writes one own shift state (nil: none) in place of old, in
// its month row m (nil: the run finds it), and gathers what the change
// does above it.
func (r *stateRun) changeOwn(k stakhanov.SubjectGood, unitID int64, info unitInfo, m *monthRow, old, s *stakhanov.ShiftState) error {
	if sameShiftState(old, s) {
		return nil
	}
	cur := s
	if cur == nil {
		cur = old
	}
	if m == nil {
		var err error
		if m, err = r.ownMonth(k, cur.Date); err != nil {
			return err
		}
	}
	m.unit, m.enterprise = unitID, info.enterprise
	if s == nil {
		m.remove(old.Date, old.Shift)
	} else {
		m.put(s)
	}
	// The units above take the difference in applyTree: gathered here by
	// the subject's unit, each shift once however many units are above.
	if delta := stakhanov.Contribution(s).Minus(stakhanov.Contribution(old)); !delta.IsZero() {
		ug := unitGood{unitID, k.GoodID}
		shifts := r.tree[ug]
		if shifts == nil {
			shifts = map[shiftDay]stakhanov.StateDelta{}
			r.tree[ug] = shifts
		}
		sd := shiftDayOf(cur.Date, cur.Shift)
		shifts[sd] = shifts[sd].Plus(delta)
	}
	if k.Subject.Kind == stakhanov.SubjectPerson {
		r.addPeriods(k, cur.Date, stakhanov.Totals(s).Minus(stakhanov.Totals(old)))
		r.markEvaluate(k, cur.Date)
	}
	return nil
}

func sameShiftState(a, b *stakhanov.ShiftState) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	if (x.OwnNorm == nil) != (y.OwnNorm == nil) || x.OwnNorm != nil && *x.OwnNorm != *y.OwnNorm {
		return false
	}
	x.OwnNorm, y.OwnNorm = nil, nil
	return x == y
}

func sameMonth(a, b stakhanov.Date) bool { return a == b || a.FirstOfMonth() == b.FirstOfMonth() }

func (r *stateRun) addPeriods(k stakhanov.SubjectGood, d stakhanov.Date, t stakhanov.PeriodTotals) {
	if t.IsZero() {
		return
	}
	// A subject's changes come one after another, mostly in one month.
	if r.lastPeriod == nil || r.lastPeriodKey.subject != k.Subject || r.lastPeriodKey.good != k.GoodID || !sameMonth(r.lastPeriodKey.month, d) {
		mk := monthTotalsKey{k.Subject, k.GoodID, monthOf(d)}
		p := r.periods[mk]
		if p == nil {
			p = &stakhanov.PeriodTotals{}
			r.periods[mk] = p
		}
		r.lastPeriodKey, r.lastPeriod = mk, p
	}
	*r.lastPeriod = r.lastPeriod.Plus(t)
}

// applyTree adds the gathered differences to the units' tree states, in
// the month rows lockTree takes.
func (r *stateRun) applyTree() error {
	// From the subjects' units to every unit above them.
	tree := map[unitGood]map[shiftDay]stakhanov.StateDelta{}
	for ug, shifts := range r.tree {
		info, err := r.unit(ug.unit)
		if err != nil {
			return err
		}
		for _, u := range info.path {
			above := tree[unitGood{u, ug.good}]
			if above == nil {
				above = map[shiftDay]stakhanov.StateDelta{}
				tree[unitGood{u, ug.good}] = above
			}
			for sd, d := range shifts {
				above[sd] = above[sd].Plus(d)
			}
		}
	}
	type treeDelta struct {
		k treeKey
		d stakhanov.StateDelta
	}
	var changes []treeDelta
	for ug, shifts := range tree {
		for sd, d := range shifts {
			if !d.IsZero() {
				changes = append(changes, treeDelta{treeKey{ug.unit, ug.good, sd.date(), int(sd.shift)}, d})
			}
		}
	}
	slices.SortFunc(changes, func(x, y treeDelta) int {
		a, b := x.k, y.k
		return cmp.Or(cmp.Compare(a.unit, b.unit), cmp.Compare(a.good, b.good), a.date.Compare(b.date), cmp.Compare(a.shift, b.shift))
	})
	keys := make([]treeKey, len(changes))
	for i, c := range changes {
		keys[i] = c.k
	}
	if err := r.loadUnitNorms(keys); err != nil {
		return err
	}
	rows := make([]monthKey, 0, len(keys))
	for _, k := range keys {
		mk := treeMonth(k.unit, k.good, k.date)
		if len(rows) == 0 || rows[len(rows)-1] != mk {
			rows = append(rows, mk)
		}
	}
	if err := r.lockTree(rows); err != nil {
		return err
	}
	for _, c := range changes {
		k, d := c.k, c.d
		sg := stakhanov.SubjectGood{Subject: stakhanov.UnitSubject(k.unit), GoodID: k.good}
		idx, err := r.normIndex(sg)
		if err != nil {
			return err
		}
		m := r.months[treeMonth(k.unit, k.good, k.date)]
		var prev *stakhanov.ShiftState
		now := m.get(k.date, k.shift)
		if now == nil {
			now = &stakhanov.ShiftState{Subject: sg.Subject, Tree: true, GoodID: k.good, Date: k.date, Shift: k.shift, OwnNorm: ownNorm(idx, sg, k.date)}
		} else {
			before := *now
			prev = &before
		}
		now.Add(d)
		if now.Credits <= 0 {
			m.remove(k.date, k.shift)
			now = nil
		} else {
			m.put(now)
		}
		r.addPeriods(sg, k.date, stakhanov.Totals(now).Minus(stakhanov.Totals(prev)))
		if idx.Any() {
			r.markEvaluate(sg, k.date)
		}
	}
	return nil
}

func treeMonth(unit, good int64, d stakhanov.Date) monthKey {
	return monthKey{subject: stakhanov.UnitSubject(unit), tree: true, good: good, month: monthOf(d)}
}

// loadUnitNorms reads the norms of the units the tree states touch, one
// query a good, rather than one a unit.
func (r *stateRun) loadUnitNorms(keys []treeKey) error {
	byGood := map[int64][]int64{}
	seen := map[stakhanov.SubjectGood]bool{}
	for _, k := range keys {
		sg := stakhanov.SubjectGood{Subject: stakhanov.UnitSubject(k.unit), GoodID: k.good}
		if _, ok := r.norms[sg]; ok || seen[sg] || r.warmNorms(sg) {
			continue
		}
		seen[sg] = true
		byGood[k.good] = append(byGood[k.good], k.unit)
	}
	for good, units := range byGood {
		for len(units) > 0 {
			chunk := units[:min(500, len(units))]
			units = units[len(chunk):]
			args := append([]any{good}, int64sToArgs(chunk)...)
			rows, err := r.q.query(r.ctx, "SELECT "+normColumns+" FROM norms WHERE subject_kind = 'unit' AND good_id = ? AND subject_id IN ("+marks(len(chunk))+")", args...)
			if err != nil {
				return err
			}
			found := map[int64][]*stakhanov.Norm{}
			for rows.Next() {
				n, err := scanNorm(rows)
				if err != nil {
					rows.Close()
					return err
				}
				found[n.Subject.ID] = append(found[n.Subject.ID], n)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			for _, u := range chunk {
				r.norms[stakhanov.SubjectGood{Subject: stakhanov.UnitSubject(u), GoodID: good}] = stakhanov.NewNormIndex(found[u])
			}
		}
	}
	return nil
}

// refreshTreeNorms writes a unit's own norm into its tree states from a
// date on, after a new norm version.
func (r *stateRun) refreshTreeNorms(k stakhanov.SubjectGood, from stakhanov.Date) error {
	idx, err := r.normIndex(k)
	if err != nil {
		return err
	}
	rows, err := r.q.query(r.ctx, `SELECT CAST(month AS TEXT) FROM fulfilment_months
		WHERE subject_kind = 'unit' AND subject_id = ? AND scope = 'tree' AND good_id = ? AND month >= ?`, k.Subject.ID, k.GoodID, monthOf(from))
	if err != nil {
		return err
	}
	var months []monthKey
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		d, err := parseStoredDate(v)
		if err != nil {
			rows.Close()
			return err
		}
		months = append(months, treeMonth(k.Subject.ID, k.GoodID, d))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := r.lockTree(months); err != nil {
		return err
	}
	for _, mk := range months {
		m := r.months[mk]
		for _, s := range m.states {
			if s.Date.Before(from) {
				continue
			}
			n := ownNorm(idx, k, s.Date)
			if (n == nil) == (s.OwnNorm == nil) && (n == nil || *n == *s.OwnNorm) {
				continue
			}
			before := *s
			s.OwnNorm = n
			m.dirty = true
			r.addPeriods(k, s.Date, stakhanov.Totals(s).Minus(stakhanov.Totals(&before)))
			r.markEvaluate(k, s.Date)
		}
	}
	return nil
}

// applyPeriods adds the gathered differences to the period totals, many
// to a statement, and removes totals left with no shift.
func (r *stateRun) applyPeriods() error {
	totals := map[periodKey]stakhanov.PeriodTotals{}
	for mk, t := range r.periods {
		for _, p := range stakhanov.StatePeriods {
			pk := periodKey{mk.subject, mk.good, p, stakhanov.PeriodStart(p, mk.month)}
			totals[pk] = totals[pk].Plus(*t)
		}
	}
	keys := make([]periodKey, 0, len(totals))
	for k, t := range totals {
		if !t.IsZero() {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b periodKey) int {
		return cmp.Or(cmp.Compare(a.subject.Kind, b.subject.Kind), cmp.Compare(a.subject.ID, b.subject.ID), cmp.Compare(a.good, b.good),
			cmp.Compare(a.period, b.period), a.start.Compare(b.start))
	})
	const width = 15
	var args []any
	var fewer []periodKey
	flush := func() error {
		if len(args) == 0 {
			return nil
		}
		_, err := r.q.exec(r.ctx, `INSERT INTO fulfilment_periods (subject_kind, subject_id, good_id, period, start, enterprise_id, unit_id,
			shifts, shifts_without_norm, produced, accepted, held, norm, normed_accepted, late) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(args)/width), ", ")+`
			ON CONFLICT (subject_kind, subject_id, good_id, period, start, enterprise_id) DO UPDATE SET
			shifts = fulfilment_periods.shifts + excluded.shifts, shifts_without_norm = fulfilment_periods.shifts_without_norm + excluded.shifts_without_norm,
			produced = fulfilment_periods.produced + excluded.produced, accepted = fulfilment_periods.accepted + excluded.accepted,
			held = fulfilment_periods.held + excluded.held, norm = fulfilment_periods.norm + excluded.norm,
			normed_accepted = fulfilment_periods.normed_accepted + excluded.normed_accepted, late = fulfilment_periods.late + excluded.late`, args...)
		args = args[:0]
		return err
	}
	for _, k := range keys {
		t := totals[k]
		unitID, info, err := r.subjectUnit(k.subject)
		if err != nil {
			return err
		}
		args = append(args, k.subject.Kind, k.subject.ID, k.good, k.period, k.start, info.enterprise, unitID,
			t.Shifts, t.ShiftsWithoutNorm, t.Produced, t.Accepted, t.Held, t.Norm, t.NormedAccepted, t.Late)
		if len(args)/width == monthRowsPerStatement {
			if err := flush(); err != nil {
				return err
			}
		}
		if t.Shifts < 0 {
			fewer = append(fewer, k)
		}
	}
	if err := flush(); err != nil {
		return err
	}
	// Only totals that lost a shift can be left with none.
	for _, k := range fewer {
		_, info, err := r.subjectUnit(k.subject)
		if err != nil {
			return err
		}
		if _, err := r.q.exec(r.ctx, `DELETE FROM fulfilment_periods WHERE subject_kind = ? AND subject_id = ? AND good_id = ? AND period = ?
			AND start = ? AND enterprise_id = ? AND shifts <= 0`, k.subject.Kind, k.subject.ID, k.good, k.period, k.start, info.enterprise); err != nil {
			return err
		}
	}
	return nil
}

// awardRule is an award with a candidacy rule.
type awardRule struct {
	id   int64
	name string
	rule stakhanov.CandidacyRule
}

// candidacyAwards lists the awards with a candidacy rule.
func candidacyAwards(ctx context.Context, q querier) ([]awardRule, error) {
	rows, err := q.query(ctx, `SELECT a.id, a.name, a.rules FROM awards a JOIN candidacy_builds b ON b.award_id = a.id ORDER BY a.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []awardRule
	for rows.Next() {
		var a awardRule
		var rules string
		if err := rows.Scan(&a.id, &a.name, &rules); err != nil {
			return nil, err
		}
		var rs stakhanov.AwardRules
		if err := json.Unmarshal([]byte(rules), &rs); err != nil {
			return nil, fmt.Errorf("award %d rules: %w", a.id, err)
		}
		if rs.Candidacy == nil {
			continue
		}
		a.rule = *rs.Candidacy
		out = append(out, a)
	}
	return out, rows.Err()
}

// candidacyAwards is candidacyAwards, read once a run.
func (r *stateRun) candidacyAwards() ([]awardRule, error) {
	if !r.awardsRead && r.warm != nil && r.warm.awardsRead {
		r.awards, r.awardsRead = r.warm.awards, true
	}
	if !r.awardsRead {
		var err error
		if r.awards, err = candidacyAwards(r.ctx, r.q); err != nil {
			return nil, err
		}
		r.awardsRead = true
	}
	return r.awards, nil
}

// candidacyLookback is how many months before the first it changes a run
// reads of a subject's own months, so that the rules over the last shifts
// read them from the run rather than ask again (heldShifts): enough for
// 20 shifts a month. A subject with fewer is read again when evaluated.
func (r *stateRun) candidacyLookback(kind string) (int, error) {
	if r.skipCandidacy {
		return 0, nil
	}
	awards, err := r.candidacyAwards()
	if err != nil {
		return 0, err
	}
	months := 0
	for _, a := range awards {
		if a.rule.Subject == kind && a.rule.Kind != stakhanov.RulePeriodTotal {
			months = max(months, (a.rule.Window()+19)/20)
		}
	}
	return months, nil
}

// reads reports whether a rule reads a good's figures.
func reads(rule stakhanov.CandidacyRule, good int64) bool {
	return rule.GoodID == 0 || rule.GoodID == good
}

func (r *stateRun) evaluateCandidacy() error {
	if len(r.evaluate) == 0 || r.skipCandidacy {
		return nil
	}
	// Evaluated subjects leave the map: markEvaluate must look again.
	r.lastEvaluate = nil
	awards, err := r.candidacyAwards()
	if err != nil || len(awards) == 0 {
		return err
	}
	keys := make([]stakhanov.SubjectGood, 0, len(r.evaluate))
	for k := range r.evaluate {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareSubjectGood)
	if len(r.added) == 0 && len(keys) > 1 {
		// A run that only evaluates (the last of a large import's, for
		// the subjects of its earlier parts): many subjects to a query
		// instead of four queries a subject, their months from this
		// month back as far as the rules over the last shifts read.
		if err := r.prefetch(keys, r.db.today()); err != nil {
			return err
		}
	}
	for _, k := range keys {
		if r.postpone[k] {
			continue
		}
		for _, a := range awards {
			if a.rule.Subject != k.Subject.Kind || !reads(a.rule, k.GoodID) {
				continue
			}
			if err := r.evaluateOne(a, k, r.evaluate[k]); err != nil {
				return err
			}
		}
		delete(r.evaluate, k)
	}
	return r.flushCandidacy()
}

// evaluateOne evaluates a subject under an award's rule and stores the
// outcome: for a rule over the last shifts, one row; for a period rule,
// one row per period e spans, or every period when e is nil or says all.
func (r *stateRun) evaluateOne(a awardRule, k stakhanov.SubjectGood, e *evaluation) error {
	s := k.Subject
	_, info, err := r.subjectUnit(s)
	if err != nil {
		return err
	}
	if err := r.lock(k, info.enterprise); err != nil {
		return err
	}
	// The subjects considered are those with a norm for the rule's good,
	// as RecomputeCandidates considers them.
	var eligible bool
	if a.rule.GoodID != 0 {
		// The norms the run read for the subject's own figures.
		idx, err := r.normIndex(stakhanov.SubjectGood{Subject: s, GoodID: a.rule.GoodID})
		if err != nil {
			return err
		}
		eligible = idx.Any()
	} else if has, known := r.hasNorm[s]; known {
		// Every norm of the subject was read (prefetch).
		eligible = has
	} else if eligible, err = exists(r.ctx, r.q, "norms WHERE subject_kind = ? AND subject_id = ?", s.Kind, s.ID); err != nil {
		return err
	}
	today := r.db.today()
	if a.rule.Kind != stakhanov.RulePeriodTotal {
		if !eligible {
			return r.deleteCandidacy(a.id, s, "")
		}
		rows, err := r.verifiedShifts(s, a.rule.GoodID, stakhanov.Date{}, today, a.rule.Window())
		if err != nil {
			return err
		}
		met, considered, evidence, ok := a.rule.EvaluateState(rows)
		return r.storeCandidacy(a.id, s, info.enterprise, "", met, considered, evidence, ok)
	}
	var periods []stakhanov.Date
	if e == nil || e.all {
		// Every period the subject has figures in.
		rows, err := r.verifiedShifts(s, a.rule.GoodID, stakhanov.Date{}, stakhanov.Date{}, 0)
		if err != nil {
			return err
		}
		if err := r.flushCandidacy(); err != nil {
			return err
		}
		if _, err := r.q.exec(r.ctx, `DELETE FROM candidacy_state WHERE award_id = ? AND subject_kind = ? AND subject_id = ?`, a.id, s.Kind, s.ID); err != nil {
			return err
		}
		for _, row := range rows {
			periods = append(periods, row.From)
		}
	} else {
		for d := e.from; !d.After(e.to); {
			_, _, end, err := stakhanov.PeriodOf(a.rule.Period, d, 1)
			if err != nil {
				return err
			}
			periods = append(periods, d)
			d = end.AddDays(1)
		}
	}
	done := map[string]bool{}
	for _, d := range periods {
		label, from, to, err := stakhanov.PeriodOf(a.rule.Period, d, 1)
		if err != nil {
			return err
		}
		if done[label] {
			continue
		}
		done[label] = true
		if !eligible {
			if err := r.deleteCandidacy(a.id, s, label); err != nil {
				return err
			}
			continue
		}
		rows, err := r.verifiedShifts(s, a.rule.GoodID, from, to, 0)
		if err != nil {
			return err
		}
		met, considered, evidence, ok := a.rule.EvaluateState(rows)
		if considered == 0 {
			if err := r.deleteCandidacy(a.id, s, label); err != nil {
				return err
			}
			continue
		}
		if err := r.storeCandidacy(a.id, s, info.enterprise, label, met, considered, evidence, ok); err != nil {
			return err
		}
	}
	return nil
}

func (r *stateRun) deleteCandidacy(award int64, s stakhanov.Subject, period string) error {
	// A row stored before in this run must not come back after.
	if err := r.flushCandidacy(); err != nil {
		return err
	}
	_, err := r.q.exec(r.ctx, `DELETE FROM candidacy_state WHERE award_id = ? AND subject_kind = ? AND subject_id = ? AND period = ?`, award, s.Kind, s.ID, period)
	return err
}

// candidacyKey names a row of candidacy_state.
type candidacyKey struct {
	award   int64
	subject stakhanov.Subject
	period  string
}

// storeCandidacy keeps a subject's standing under an award, written with
// the others of the run many to a statement (flushCandidacy).
func (r *stateRun) storeCandidacy(award int64, s stakhanov.Subject, enterprise int64, period string, met, considered int, evidence []stakhanov.FulfilmentRow, ok bool) error {
	ev := "[]"
	if ok {
		ev = string(stakhanov.EvidenceJSON(evidence))
	}
	row := []any{award, s.Kind, s.ID, period, enterprise, boolInt(ok), met, considered, ev, r.db.now().UTC()}
	k := candidacyKey{award, s, period}
	if i, ok := r.stored[k]; ok {
		// One statement may not change a row twice.
		copy(r.standing[i*candidacyWidth:], row)
		return nil
	}
	if r.stored == nil {
		r.stored = map[candidacyKey]int{}
	}
	r.stored[k] = len(r.standing) / candidacyWidth
	r.standing = append(r.standing, row...)
	if len(r.stored) == monthRowsPerStatement {
		return r.flushCandidacy()
	}
	return nil
}

const candidacyWidth = 10

// flushCandidacy writes the standings storeCandidacy kept.
func (r *stateRun) flushCandidacy() error {
	if len(r.standing) == 0 {
		return nil
	}
	_, err := r.q.exec(r.ctx, `INSERT INTO candidacy_state (award_id, subject_kind, subject_id, period, enterprise_id, qualifies, met, considered, evidence, updated_at)
		VALUES `+strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?), ", len(r.standing)/candidacyWidth), ", ")+`
		ON CONFLICT (award_id, subject_kind, subject_id, period, enterprise_id) DO UPDATE SET
		qualifies = excluded.qualifies, met = excluded.met, considered = excluded.considered, evidence = excluded.evidence, updated_at = excluded.updated_at`,
		r.standing...)
	r.standing, r.stored = r.standing[:0], nil
	return err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// verifiedNormed chooses the shift states candidacy reads: a credit not
// held, and a norm.
func verifiedNormed(s *stakhanov.ShiftState) bool {
	return s.Credits > s.HeldCredits && (s.OwnNorm != nil || (s.Tree && s.VMemberNormed > 0))
}

// verifiedShifts returns a subject's shifts with a norm in the verified
// view, in date order: from from to to, and only the last last of them if
// last > 0. good 0 reads every good.
func verifiedShifts(ctx context.Context, q querier, s stakhanov.Subject, good int64, from, to stakhanov.Date, last int) ([]stakhanov.FulfilmentRow, error) {
	w := &where{}
	w.add("subject_kind = ? AND subject_id = ? AND scope = ?", s.Kind, s.ID, stateScope(s))
	if good != 0 {
		w.add("good_id = ?", good)
	}
	var states []*stakhanov.ShiftState
	if last > 0 {
		// The months from the last back, until they hold enough shifts.
		monthRange(w, from, to)
		var month stakhanov.Date
		enough := false
		err := queryMonths(ctx, q, "SELECT "+monthColumns+" FROM fulfilment_months"+w.String()+" ORDER BY month DESC", w.args,
			func(k monthKey, m *monthRow) (bool, error) {
				if k.month != month && enough {
					return false, nil
				}
				month = k.month
				for _, st := range m.states {
					if inDates(st.Date, from, to) && verifiedNormed(st) {
						states = append(states, st)
					}
				}
				// Every good of the month is read before stopping.
				enough = len(states) >= last
				return true, nil
			})
		if err != nil {
			return nil, err
		}
		slices.SortFunc(states, compareStates)
		states = states[max(0, len(states)-last):]
	} else {
		var err error
		if states, err = readStates(ctx, q, w, from, to, verifiedNormed); err != nil {
			return nil, err
		}
	}
	return stateRows(states), nil
}

// verifiedShifts is verifiedShifts from what the run holds, if it can.
func (r *stateRun) verifiedShifts(s stakhanov.Subject, good int64, from, to stakhanov.Date, last int) ([]stakhanov.FulfilmentRow, error) {
	if rows, ok := r.heldShifts(s, good, from, to, last); ok {
		return rows, nil
	}
	return verifiedShifts(r.ctx, r.q, s, good, from, to, last)
}

// importStateBatch is how many subjects one state run of an import
// takes: what it holds of their months stays bounded.
const importStateBatch = 20000

// importEvaluateBatch is how many subjects a run that only evaluates
// candidacy takes: it holds their last months (prefetched), some
// eighty shifts a subject.
const importEvaluateBatch = 5000

// importCredits are the credits of the reports an import writes, gathered
// as it writes them, so that its state is added from them rather than
// computed again from reports read back (three seconds for a million
// reports on SQLite, more than the import may spend on its state).
type importCredits struct {
	by map[creditKey][]addedCredit
	n  int
	// again are reports whose subjects' days are computed again from the
	// reports: corrections and the reports they correct.
	again []int64
	// evaluate gathers the candidacy to evaluate once the state is whole.
	evaluate map[stakhanov.SubjectGood]*evaluation
}

func newImportCredits() *importCredits {
	return &importCredits{by: map[creditKey][]addedCredit{}, evaluate: map[stakhanov.SubjectGood]*evaluation{}}
}

// add gathers a report's credits. A correction takes away from what
// another report credited: its days are computed again instead.
func (c *importCredits) add(r *stakhanov.Report) {
	if r.Corrects != 0 {
		c.again = append(c.again, r.ID, r.Corrects)
		return
	}
	eachCredit(r, func(k stakhanov.SubjectGood, a addedCredit) {
		ck := creditKeyOf(k)
		c.by[ck] = append(c.by[ck], a)
		c.n++
	})
}

// creditKey is a subject and good as importCredits keys them: hashing the
// kind's string was most of gathering a million credits.
type creditKey struct {
	unit     bool // else a person
	id, good int64
}

// creditKeyOf takes a subject of a report, a person or a unit (Subject
// validates it).
func creditKeyOf(k stakhanov.SubjectGood) creditKey {
	return creditKey{unit: k.Subject.Kind == stakhanov.SubjectUnit, id: k.Subject.ID, good: k.GoodID}
}

func (k creditKey) subjectGood() stakhanov.SubjectGood {
	s := stakhanov.PersonSubject(k.id)
	if k.unit {
		s = stakhanov.UnitSubject(k.id)
	}
	return stakhanov.SubjectGood{Subject: s, GoodID: k.good}
}

// eachCredit calls fn with each credit of a new report: its subject's
// share and its helpers'.
func eachCredit(r *stakhanov.Report, fn func(stakhanov.SubjectGood, addedCredit)) {
	credit := func(s stakhanov.Subject, share float64) {
		fn(stakhanov.SubjectGood{Subject: s, GoodID: r.GoodID}, addedCredit{date: r.Date, shift: int32(r.Shift), late: r.Late, produced: r.Produced * share, accepted: r.Accepted * share})
	}
	credit(r.Subject, r.SubjectShare)
	for _, h := range r.Helpers {
		credit(stakhanov.PersonSubject(h.PersonID), *h.Share)
	}
}

// addReport gives the run a new report's credits to add as they are: a
// report that corrects none and that no rule holds adds exactly its
// figures, so its subjects' credits need not be read again.
func (r *stateRun) addReport(rep *stakhanov.Report) {
	if r.added == nil {
		r.added = map[stakhanov.SubjectGood][]addedCredit{}
	}
	eachCredit(rep, func(k stakhanov.SubjectGood, a addedCredit) { r.added[k] = append(r.added[k], a) })
}

// addImportCredits adds the credits gathered to the state, a batch of
// subjects to a run. A part of an import leaves candidacy for the end; the
// last part (final) evaluates it in each run, from the months the run
// holds, but for the subjects in postpone, which importState computes
// again first.
func (db *DB) addImportCredits(ctx context.Context, q querier, c *importCredits, final bool, postpone map[stakhanov.SubjectGood]bool) error {
	q, done := q.cached()
	defer done()
	// A run holds the months of every shift its credits touch (about 150
	// bytes a shift): a quarter of what the import gathers at most.
	perRun := max(1, db.importStateEvery/4)
	by := make(map[stakhanov.SubjectGood][]addedCredit, len(c.by))
	for k, cs := range c.by {
		by[k.subjectGood()] = cs
	}
	for _, chunk := range subjectBatches(by, importStateBatch, func(a []addedCredit) int { return len(a) }, perRun) {
		run := db.newStateRun(ctx, q)
		run.skipCandidacy, run.postpone = !final, postpone
		run.added = make(map[stakhanov.SubjectGood][]addedCredit, len(chunk))
		for _, k := range chunk {
			run.added[k] = by[k]
			if e := c.evaluate[k]; e != nil && final {
				// What earlier parts left, evaluated with the rest.
				evaluationOf(run.evaluate, k).join(e)
				delete(c.evaluate, k)
			}
		}
		if err := run.apply(); err != nil {
			return err
		}
		// What the run did not evaluate.
		c.keepEvaluate(run)
	}
	c.by, c.n = map[creditKey][]addedCredit{}, 0
	return nil
}

// subjectBatches returns the subjects of a map in order, at most most to
// a batch and, when weight is given, at most limit of
// their weights (but one subject at least).
func subjectBatches[V any](m map[stakhanov.SubjectGood]V, most int, weight func(V) int, limit int) [][]stakhanov.SubjectGood {
	keys := make([]stakhanov.SubjectGood, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compareSubjectGood)
	var out [][]stakhanov.SubjectGood
	for len(keys) > 0 {
		n, w := 0, 0
		for n < len(keys) && n < most && (n == 0 || weight == nil || w+weight(m[keys[n]]) <= limit) {
			if weight != nil {
				w += weight(m[keys[n]])
			}
			n++
		}
		out = append(out, keys[:n:n])
		keys = keys[n:]
	}
	return out
}

func (c *importCredits) keepEvaluate(run *stateRun) {
	for k, e := range run.evaluate {
		evaluationOf(c.evaluate, k).join(e)
	}
}

// importState brings the state up to date with the reports an import
// wrote (ids j.minID to j.maxID), after it judged them: it adds the
// credits gathered, computes again the days of the reports it corrected or
// flagged, then evaluates the candidacy of every subject touched.
func (db *DB) importState(ctx context.Context, q querier, j *importJudge) error {
	if j.maxID == 0 || db.stateOff {
		return nil
	}
	c := j.credits
	if c == nil {
		return errors.New("import state: no credits gathered")
	}
	q, done := q.cached()
	defer done()
	// The credits are added as not held: the reports the judge flagged
	// are computed again afterwards, with corrections and the reports they
	// correct, and the candidacy of their subjects evaluated after that.
	flagged, err := ids(ctx, q, `SELECT DISTINCT report_id FROM report_flags WHERE report_id >= ? AND report_id <= ?`, j.minID, j.maxID)
	if err != nil {
		return err
	}
	again := slices.Concat(c.again, flagged, j.flaggedBefore)
	postpone := map[stakhanov.SubjectGood]bool{}
	touched := db.newStateRun(ctx, q)
	for _, id := range again {
		if err := touched.touchReportID(id); err != nil {
			return err
		}
	}
	for k := range touched.days {
		postpone[k] = true
	}
	if err := db.addImportCredits(ctx, q, c, true, postpone); err != nil {
		return err
	}
	for len(again) > 0 {
		chunk := again[:min(importStateBatch, len(again))]
		again = again[len(chunk):]
		run := db.newStateRun(ctx, q)
		run.skipCandidacy = true
		for _, id := range chunk {
			if err := run.touchReportID(id); err != nil {
				return err
			}
		}
		if err := run.apply(); err != nil {
			return err
		}
		c.keepEvaluate(run)
	}
	for _, chunk := range subjectBatches(c.evaluate, importEvaluateBatch, nil, 0) {
		run := db.newStateRun(ctx, q)
		for _, k := range chunk {
			run.evaluate[k] = c.evaluate[k]
		}
		if err := run.apply(); err != nil {
			return err
		}
	}
	return nil
}

// parseStoredDate reads a DATE column read back as text (MIN and MAX lose
// the column's type on SQLite) or a time.
func parseStoredDate(v string) (stakhanov.Date, error) {
	if len(v) > 10 {
		v = v[:10]
	}
	return stakhanov.ParseDate(v)
}

func minDate(a, b stakhanov.Date) stakhanov.Date {
	if b.Before(a) {
		return b
	}
	return a
}

// shiftNumber reads the shift number of a shift row's label ("2026-11-03/2").
func shiftNumber(r stakhanov.FulfilmentRow) int {
	_, n, _ := strings.Cut(r.Period, "/")
	v, _ := strconv.Atoi(n)
	return v
}
