package sqlstore

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/stakhanov/stakhanov"
)

// Reads of the rolling state, and its builds.

// Fulfilment answers from the state: period totals where the window is
// made of whole periods, shift states otherwise. Rows are in period order,
// then by good.
func (db *DB) Fulfilment(ctx context.Context, fq stakhanov.FulfilmentQuery) (*stakhanov.Fulfilment, error) {
	if err := fq.Validate(); err != nil {
		return nil, err
	}
	q := db.reader()
	rows, err := stateFulfilmentRows(ctx, q, fq)
	if err != nil {
		return nil, err
	}
	return &stakhanov.Fulfilment{Subject: fq.Subject, Period: fq.Period, From: fq.From, To: fq.To, Rows: rows}, nil
}

// wholePeriods reports whether from and to bound whole periods (or are
// open).
func wholePeriods(period string, from, to stakhanov.Date) bool {
	if !from.IsZero() {
		if _, start, _, _ := stakhanov.PeriodOf(period, from, 1); start != from {
			return false
		}
	}
	if !to.IsZero() {
		if _, _, end, _ := stakhanov.PeriodOf(period, to, 1); end != to {
			return false
		}
	}
	return true
}

func stateFulfilmentRows(ctx context.Context, q querier, fq stakhanov.FulfilmentQuery) ([]stakhanov.FulfilmentRow, error) {
	out := []stakhanov.FulfilmentRow{}
	if slices.Contains(stakhanov.StatePeriods, fq.Period) && !fq.VerifiedOnly && wholePeriods(fq.Period, fq.From, fq.To) {
		w := &where{}
		w.add("subject_kind = ? AND subject_id = ? AND period = ?", fq.Subject.Kind, fq.Subject.ID, fq.Period)
		if fq.GoodID != 0 {
			w.add("good_id = ?", fq.GoodID)
		}
		if !fq.From.IsZero() {
			w.add("start >= ?", fq.From)
		}
		if !fq.To.IsZero() {
			w.add("start <= ?", fq.To)
		}
		rows, err := q.query(ctx, `SELECT good_id, start, shifts, shifts_without_norm, produced, accepted, held, norm, normed_accepted, late
			FROM fulfilment_periods`+w.String()+` ORDER BY start, good_id`, w.args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var good int64
			var start stakhanov.Date
			var t stakhanov.PeriodTotals
			if err := rows.Scan(&good, &start, &t.Shifts, &t.ShiftsWithoutNorm, &t.Produced, &t.Accepted, &t.Held, &t.Norm, &t.NormedAccepted, &t.Late); err != nil {
				return nil, err
			}
			out = append(out, t.Row(fq.Period, start, good))
		}
		return out, rows.Err()
	}
	w := &where{}
	w.add("subject_kind = ? AND subject_id = ? AND scope = ?", fq.Subject.Kind, fq.Subject.ID, stateScope(fq.Subject))
	if fq.GoodID != 0 {
		w.add("good_id = ?", fq.GoodID)
	}
	states, err := readStates(ctx, q, w, fq.From, fq.To, nil)
	if err != nil {
		return nil, err
	}
	if fq.Period == stakhanov.PeriodShift {
		for _, s := range states {
			if row, ok := s.Row(fq.VerifiedOnly); ok {
				out = append(out, row)
			}
		}
		return out, nil
	}
	type key struct {
		start stakhanov.Date
		good  int64
	}
	totals := map[key]stakhanov.PeriodTotals{}
	var order []key
	for _, s := range states {
		t := s.Totals(fq.VerifiedOnly)
		if t.IsZero() {
			continue
		}
		_, start, _, _ := stakhanov.PeriodOf(fq.Period, s.Date, 1)
		k := key{start, s.GoodID}
		if _, seen := totals[k]; !seen {
			order = append(order, k)
		}
		totals[k] = totals[k].Plus(t)
	}
	slices.SortFunc(order, func(a, b key) int { return cmp.Or(a.start.Compare(b.start), cmp.Compare(a.good, b.good)) })
	for _, k := range order {
		out = append(out, totals[k].Row(fq.Period, k.start, k.good))
	}
	return out, nil
}

// Leaderboard ranks the people of a unit's subtree from their period
// totals when the window is one whole week, month or year, and from their
// shift states otherwise.
func (db *DB) Leaderboard(ctx context.Context, lq stakhanov.LeaderboardQuery) (*stakhanov.Leaderboard, error) {
	if lq.From.IsZero() || lq.To.IsZero() {
		return nil, stakhanov.FieldErrorf("from", "give from and to")
	}
	if lq.To.Before(lq.From) {
		return nil, stakhanov.FieldErrorf("to", "to is before from")
	}
	unit, err := db.FindUnitByID(ctx, lq.UnitID)
	if err != nil {
		return nil, err
	}
	if _, err := db.FindGoodByID(ctx, lq.GoodID); err != nil {
		return nil, err
	}
	who := stakhanov.UserFromContext(ctx)
	if unit.HidesRanks && !who.SeesHiddenRanks() && (who == nil || who.PersonID == 0) {
		return nil, stakhanov.ErrRanksHidden(unit)
	}
	q := db.reader()
	// The units first, then their people's figures by the units' index:
	// given the units as a subquery, SQLite read every person's totals.
	// With whether each hides ranks: the people on the board are of these
	// units, and asking unit by unit took most of a whole tree's board.
	hides := map[int64]bool{}
	var units []int64
	rows, err := q.query(ctx, `SELECT id, `+hidesRanksColumn+` FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%' ORDER BY id`, lq.UnitID)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var h bool
		if err := rows.Scan(&id, &h); err != nil {
			rows.Close()
			return nil, err
		}
		units, hides[id] = append(units, id), h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	period := ""
	for _, p := range stakhanov.StatePeriods {
		if _, start, end, _ := stakhanov.PeriodOf(p, lq.From, 1); start == lq.From && end == lq.To {
			period = p
			break
		}
	}
	var entries []stakhanov.LeaderboardEntry
	var ids []int64
	for len(units) > 0 {
		chunk := units[:min(500, len(units))]
		units = units[len(chunk):]
		in := "unit_id IN (" + marks(len(chunk)) + ")"
		args := int64sToArgs(chunk)
		if period != "" {
			rows, err := q.query(ctx, `SELECT subject_id, shifts, accepted, norm, normed_accepted, late FROM fulfilment_periods
				WHERE subject_kind = 'person' AND `+in+` AND good_id = ? AND period = ? AND start = ? AND norm > 0`,
				append(args, lq.GoodID, period, lq.From)...)
			if err != nil {
				return nil, err
			}
			for rows.Next() {
				var e stakhanov.LeaderboardEntry
				var id int64
				var normed float64
				if err := rows.Scan(&id, &e.Shifts, &e.Accepted, &e.Norm, &normed, &e.Late); err != nil {
					rows.Close()
					return nil, err
				}
				e.Person = &stakhanov.Person{ID: id}
				e.Percent = normed / e.Norm * 100
				entries = append(entries, e)
				ids = append(ids, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
			continue
		}
		// Any other window: the people's own shift states in it.
		w := &where{}
		w.add("subject_kind = 'person' AND scope = 'own' AND "+in+" AND good_id = ?", append(args, lq.GoodID)...)
		states, err := readStates(ctx, q, w, lq.From, lq.To, nil)
		if err != nil {
			return nil, err
		}
		type sums struct {
			e      stakhanov.LeaderboardEntry
			normed float64
		}
		by := map[int64]*sums{}
		var order []int64
		for _, s := range states {
			t := by[s.Subject.ID]
			if t == nil {
				t = &sums{}
				by[s.Subject.ID] = t
				order = append(order, s.Subject.ID)
			}
			t.e.Shifts++
			t.e.Accepted += s.Accepted
			t.e.Late += s.LateCredits
			if s.OwnNorm != nil {
				t.e.Norm += *s.OwnNorm
				t.normed += s.Accepted
			}
		}
		for _, id := range order {
			t := by[id]
			if t.e.Norm <= 0 {
				continue
			}
			t.e.Person = &stakhanov.Person{ID: id}
			t.e.Percent = t.normed / t.e.Norm * 100
			entries = append(entries, t.e)
			ids = append(ids, id)
		}
	}
	people, err := peopleByID(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	for i := range entries {
		if p := people[entries[i].Person.ID]; p != nil {
			entries[i].Person = p
		}
	}
	stakhanov.RankLeaderboard(entries)
	board := &stakhanov.Leaderboard{Entries: entries, RanksHidden: unit.HidesRanks}
	for _, e := range entries {
		h, ok := hides[e.Person.UnitID]
		if !ok {
			// Every person on the board is of a unit read above; one that
			// is not is asked for rather than taken to show ranks.
			u, err := db.FindUnitByID(ctx, e.Person.UnitID)
			if err != nil {
				return nil, err
			}
			h, hides[e.Person.UnitID] = u.HidesRanks, u.HidesRanks
		}
		board.RanksHidden = board.RanksHidden || h
	}
	if !board.RanksHidden || who.SeesHiddenRanks() {
		return board, nil
	}
	if who == nil || who.PersonID == 0 {
		return nil, stakhanov.ErrRanksHidden(unit)
	}
	mine := []stakhanov.LeaderboardEntry{}
	for _, e := range entries {
		if e.Person.ID == who.PersonID {
			e.Rank = 0
			mine = append(mine, e)
		}
	}
	board.Entries = mine
	return board, nil
}

// peopleByID reads people by id, a chunk at a time.
func peopleByID(ctx context.Context, q querier, ids []int64) (map[int64]*stakhanov.Person, error) {
	out := make(map[int64]*stakhanov.Person, len(ids))
	for len(ids) > 0 {
		chunk := ids[:min(500, len(ids))]
		ids = ids[len(chunk):]
		rows, err := q.query(ctx, "SELECT "+personColumns+" FROM people p WHERE p.id IN ("+marks(len(chunk))+")", int64sToArgs(chunk)...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			p, err := scanPerson(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[p.ID] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

const (
	buildBuilding = "building"
	buildReady    = "ready"
)

func errBuilding(a *stakhanov.Award, done, total int) error {
	return stakhanov.Errorf(stakhanov.ECONFLICT, "the candidate list of %s is still being built (%d of %d subjects): try again in a moment, or run stakhanov state rebuild -award %d",
		a.Name, done, total, a.ID)
}

// candidacyWhere selects an award's standing rows in force today: for a
// period rule, each subject's latest complete period with figures.
func candidacyWhere(a *stakhanov.Award, today stakhanov.Date) (*where, error) {
	rule := a.Rules.Candidacy
	w := &where{}
	w.add("c.award_id = ?", a.ID)
	if rule.Kind != stakhanov.RulePeriodTotal {
		w.add("c.period = ''")
		return w, nil
	}
	current, _, _, err := stakhanov.PeriodOf(rule.Period, today, 1)
	if err != nil {
		return nil, err
	}
	w.add(`c.period <> '' AND c.period < ? AND NOT EXISTS (SELECT 1 FROM candidacy_state l WHERE l.award_id = c.award_id
		AND l.subject_kind = c.subject_kind AND l.subject_id = c.subject_id AND l.period > c.period AND l.period < ?)`, current, current)
	return w, nil
}

// awardBuild reads an award and the state of its candidacy build in one
// query: each round trip was a tenth of a candidate list on PostgreSQL.
func awardBuild(ctx context.Context, q querier, id int64) (a *stakhanov.Award, state string, done, total int, err error) {
	row := q.queryRow(ctx, "SELECT "+awardColumns+`, COALESCE(b.state, ''), COALESCE(b.done, 0), COALESCE(b.total, 0)
		FROM awards LEFT JOIN candidacy_builds b ON b.award_id = awards.id WHERE awards.id = ?`, id)
	a, err = scanAward(scanAlso{row, []any{&state, &done, &total}})
	if err != nil {
		return nil, "", 0, 0, notFound("award", id, err)
	}
	return a, state, done, total, nil
}

// scanAlso scans a row into the destinations given, then into more.
type scanAlso struct {
	row  interface{ Scan(...any) error }
	more []any
}

func (s scanAlso) Scan(dest ...any) error { return s.row.Scan(append(dest, s.more...)...) }

func (db *DB) Candidates(ctx context.Context, awardID int64, today stakhanov.Date, p stakhanov.Page) ([]stakhanov.Candidate, int, error) {
	q := db.reader()
	a, state, done, total, err := awardBuild(ctx, q, awardID)
	if err != nil {
		return nil, 0, err
	}
	if a.Rules.Candidacy == nil {
		return []stakhanov.Candidate{}, 0, nil
	}
	if state != buildReady {
		return nil, 0, errBuilding(a, done, total)
	}
	w, err := candidacyWhere(a, today)
	if err != nil {
		return nil, 0, err
	}
	w.add("c.qualifies = 1")
	return db.readCandidates(ctx, q, a, w, p)
}

func (db *DB) readCandidates(ctx context.Context, q querier, a *stakhanov.Award, w *where, p stakhanov.Page) ([]stakhanov.Candidate, int, error) {
	p = p.Normalize()
	// The page with its names and, in each row, the count (a subquery of
	// its own, run once): on PostgreSQL each more round trip was a tenth
	// of the request. (COUNT(*) OVER () made SQLite carry every
	// candidate's evidence.)
	count := "SELECT COUNT(*) FROM candidacy_state c" + w.String()
	total := -1
	args := append(append(append([]any{}, w.args...), w.args...), p.Limit, p.Offset)
	rows, err := q.query(ctx, `SELECT c.subject_kind, c.subject_id, c.met, c.considered, c.evidence, COALESCE(pp.name, uu.name, ''), (`+count+`)
		FROM candidacy_state c
		LEFT JOIN people pp ON c.subject_kind = 'person' AND pp.id = c.subject_id
		LEFT JOIN units uu ON c.subject_kind = 'unit' AND uu.id = c.subject_id`+w.String()+`
		ORDER BY c.subject_kind, c.subject_id LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []stakhanov.Candidate{}
	for rows.Next() {
		c := stakhanov.Candidate{AwardID: a.ID, Rule: *a.Rules.Candidacy}
		// Into bytes, as they are written out: a page is most of a
		// megabyte of evidence, and each copy of it costs.
		if err := rows.Scan(&c.Subject.Kind, &c.Subject.ID, &c.Met, &c.Considered, &c.ShiftsJSON, &c.Name, &total); err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if total < 0 {
		// An empty page: the count alone.
		if err := q.queryRow(ctx, count, w.args...).Scan(&total); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// Candidacy returns one subject's standing under an award's rule today;
// ok tells whether it qualifies. A subject the state has nothing for
// stands at 0 of 0.
func (db *DB) Candidacy(ctx context.Context, awardID int64, s stakhanov.Subject, today stakhanov.Date) (*stakhanov.Candidate, bool, error) {
	return db.candidacy(ctx, db.reader(), awardID, s, today)
}

func (db *DB) candidacy(ctx context.Context, q querier, awardID int64, s stakhanov.Subject, today stakhanov.Date) (*stakhanov.Candidate, bool, error) {
	a, state, done, total, err := awardBuild(ctx, q, awardID)
	if err != nil {
		return nil, false, err
	}
	if a.Rules.Candidacy == nil {
		return nil, false, stakhanov.FieldErrorf("award_id", "%s has no candidacy rule", a.Name)
	}
	if state != buildReady {
		return nil, false, errBuilding(a, done, total)
	}
	w, err := candidacyWhere(a, today)
	if err != nil {
		return nil, false, err
	}
	w.add("c.subject_kind = ? AND c.subject_id = ?", s.Kind, s.ID)
	cs, _, err := db.readCandidates(ctx, q, a, w, stakhanov.Page{Limit: 1})
	if err != nil {
		return nil, false, err
	}
	if len(cs) == 0 {
		return &stakhanov.Candidate{Subject: s, AwardID: a.ID, Rule: *a.Rules.Candidacy, Shifts: []stakhanov.FulfilmentRow{}}, false, nil
	}
	var qualifies int
	if err := q.queryRow(ctx, "SELECT c.qualifies FROM candidacy_state c"+w.String()+" ORDER BY c.period DESC LIMIT 1", w.args...).Scan(&qualifies); err != nil {
		return nil, false, err
	}
	c := &cs[0]
	if err := c.DecodeShifts(); err != nil {
		return nil, false, err
	}
	return c, qualifies == 1, nil
}

// buildBatch is how many subjects one transaction of a build takes: small
// enough that writes waiting behind it wait a moment only.
const buildBatch = 500

// BuildCandidacy evaluates every subject with a norm for an award's rule
// in batches of buildBatch, each its own transaction, and marks the
// award's state ready. Writes between batches keep the subjects they touch
// up to date themselves.
func (db *DB) BuildCandidacy(ctx context.Context, awardID int64, progress func(done, total int)) error {
	a, err := findAward(ctx, db.reader(), awardID)
	if err != nil {
		return err
	}
	rule := a.Rules.Candidacy
	if rule == nil {
		return stakhanov.FieldErrorf("award", "%s has no candidacy rule", a.Name)
	}
	w := &where{}
	w.add("subject_kind = ?", rule.Subject)
	if rule.GoodID != 0 {
		w.add("good_id = ?", rule.GoodID)
	}
	var total int
	if err := db.reader().queryRow(ctx, "SELECT COUNT(DISTINCT subject_id) FROM norms"+w.String(), w.args...).Scan(&total); err != nil {
		return err
	}
	if err := db.inTx(ctx, func(q querier) error {
		if _, err := q.exec(ctx, `DELETE FROM candidacy_state WHERE award_id = ?`, a.ID); err != nil {
			return err
		}
		return setBuild(ctx, q, a.ID, buildBuilding, 0, total, db.now())
	}); err != nil {
		return err
	}
	ar := awardRule{id: a.ID, name: a.Name, rule: *rule}
	done := 0
	var after int64
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var n int
		err := db.inTx(ctx, func(q querier) error {
			args := append(append([]any{}, w.args...), after, buildBatch)
			ids, err := ids(ctx, q, "SELECT DISTINCT subject_id FROM norms"+w.String()+" AND subject_id > ? ORDER BY subject_id LIMIT ?", args...)
			if err != nil {
				return err
			}
			n = len(ids)
			run := db.newStateRun(ctx, q)
			for _, id := range ids {
				k := stakhanov.SubjectGood{Subject: stakhanov.Subject{Kind: rule.Subject, ID: id}, GoodID: rule.GoodID}
				if err := run.evaluateOne(ar, k, nil); err != nil {
					return err
				}
				after = id
			}
			if err := run.flushCandidacy(); err != nil {
				return err
			}
			state := buildBuilding
			if n < buildBatch {
				state = buildReady
			}
			return setBuild(ctx, q, a.ID, state, min(done+n, total), total, db.now())
		})
		if err != nil {
			return err
		}
		done += n
		if progress != nil {
			progress(min(done, total), total)
		}
		if n < buildBatch {
			return nil
		}
	}
}

func setBuild(ctx context.Context, q querier, award int64, state string, done, total int, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO candidacy_builds (award_id, state, done, total, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (award_id) DO UPDATE SET state = excluded.state, done = excluded.done, total = excluded.total, updated_at = excluded.updated_at`,
		award, state, done, total, now.UTC())
	return err
}

// RebuildState throws the state away and computes it again from the
// reports: each subject's own figures (and from them the units' trees and
// the periods) in batches of buildBatch subjects, then every award's
// candidacy.
func (db *DB) RebuildState(ctx context.Context, progress func(stage string, done, total int)) error {
	if err := db.inTx(ctx, func(q querier) error {
		for _, t := range []string{"fulfilment_months", "fulfilment_periods", "candidacy_state", "fulfilment_subjects"} {
			if _, err := q.exec(ctx, "DELETE FROM "+t); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	const credited = `SELECT subject_kind, subject_id, good_id FROM reports
		UNION SELECT 'person', h.person_id, r.good_id FROM report_helpers h JOIN reports r ON r.id = h.report_id`
	var total int
	if err := db.reader().queryRow(ctx, "SELECT COUNT(*) FROM ("+credited+") s").Scan(&total); err != nil {
		return err
	}
	done := 0
	after := stakhanov.SubjectGood{}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var n int
		err := db.inTx(ctx, func(q querier) error {
			keys, err := subjectGoods(ctx, q, "SELECT subject_kind, subject_id, good_id FROM ("+credited+") s", after, buildBatch)
			if err != nil {
				return err
			}
			n = len(keys)
			run := db.newStateRun(ctx, q)
			for _, k := range keys {
				run.from[k] = stakhanov.Date{}
				after = k
			}
			// Candidacy is built award by award below.
			return run.applyWithoutCandidacy()
		})
		if err != nil {
			return err
		}
		done += n
		if progress != nil {
			progress("figures", min(done, total), total)
		}
		if n < buildBatch {
			break
		}
	}
	awards, err := candidacyAwards(ctx, db.reader())
	if err != nil {
		return err
	}
	for _, a := range awards {
		err := db.BuildCandidacy(ctx, a.id, func(done, total int) {
			if progress != nil {
				progress(a.name, done, total)
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// subjectGoods pages through (subject kind, id, good) triples of a query
// in their order, after the given one.
func subjectGoods(ctx context.Context, q querier, query string, after stakhanov.SubjectGood, limit int) ([]stakhanov.SubjectGood, error) {
	rows, err := q.query(ctx, `SELECT subject_kind, subject_id, good_id FROM (`+query+`) x
		WHERE subject_kind > ? OR (subject_kind = ? AND (subject_id > ? OR (subject_id = ? AND good_id > ?)))
		ORDER BY subject_kind, subject_id, good_id LIMIT ?`,
		after.Subject.Kind, after.Subject.Kind, after.Subject.ID, after.Subject.ID, after.GoodID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stakhanov.SubjectGood
	for rows.Next() {
		var k stakhanov.SubjectGood
		if err := rows.Scan(&k.Subject.Kind, &k.Subject.ID, &k.GoodID); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// StateSubjects lists the subjects and goods that the reports credit or
// the state holds, every unit above them included.
func (db *DB) StateSubjects(ctx context.Context, after stakhanov.SubjectGood, limit int) ([]stakhanov.SubjectGood, error) {
	return subjectGoods(ctx, db.reader(), `SELECT subject_kind, subject_id, good_id FROM reports
		UNION SELECT 'person', h.person_id, r.good_id FROM report_helpers h JOIN reports r ON r.id = h.report_id
		UNION SELECT 'unit', u.id, r.good_id FROM reports r JOIN units s ON s.id = r.unit_id JOIN units u ON s.path LIKE u.path || '%'
		UNION SELECT 'unit', u.id, r.good_id FROM report_helpers h JOIN reports r ON r.id = h.report_id JOIN people p ON p.id = h.person_id
			JOIN units s ON s.id = p.unit_id JOIN units u ON s.path LIKE u.path || '%'
		UNION SELECT subject_kind, subject_id, good_id FROM fulfilment_months`, after, limit)
}

// EnsureState builds the state of a database that has none yet (one
// written before the state existed) and the candidacy of any award with a
// rule but no build; serve and every command call it at open.
func (db *DB) EnsureState(ctx context.Context) error {
	q := db.reader()
	hasReports, err := exists(ctx, q, "reports")
	if err != nil {
		return err
	}
	hasState, err := exists(ctx, q, "fulfilment_subjects")
	if err != nil {
		return err
	}
	if hasReports && !hasState {
		return db.RebuildState(ctx, nil)
	}
	rows, err := q.query(ctx, `SELECT id, rules FROM awards a WHERE NOT EXISTS (SELECT 1 FROM candidacy_builds b WHERE b.award_id = a.id)`)
	if err != nil {
		return err
	}
	var missing []int64
	for rows.Next() {
		var id int64
		var rules string
		if err := rows.Scan(&id, &rules); err != nil {
			rows.Close()
			return err
		}
		var rs stakhanov.AwardRules
		if json.Unmarshal([]byte(rules), &rs) == nil && rs.Candidacy != nil {
			missing = append(missing, id)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range missing {
		if err := db.BuildCandidacy(ctx, id, nil); err != nil {
			return err
		}
	}
	return nil
}
