package sqlstore

import (
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// The shift states are kept a month to a row (fulfilment_months): one row
// per subject, scope, good and month holds that month's shift states,
// encoded in its shifts column. A row per shift made every imported report
// a second row to write: 5.2 s of SQLite's own time for a million rows,
// more than the fifth of an import that the state may cost. A month holds
// at most a few dozen shifts of one subject, read and written together.

// monthKey names one row of fulfilment_months.
type monthKey struct {
	subject stakhanov.Subject
	tree    bool
	good    int64
	month   stakhanov.Date // its first day
}

func monthOf(d stakhanov.Date) stakhanov.Date {
	if d.IsZero() {
		return stakhanov.NewDate(1, time.January, 1)
	}
	return d.FirstOfMonth()
}

func compareMonthKeys(a, b monthKey) int {
	return cmp.Or(cmp.Compare(a.subject.Kind, b.subject.Kind), cmp.Compare(a.subject.ID, b.subject.ID), boolCompare(a.tree, b.tree),
		cmp.Compare(a.good, b.good), a.month.Compare(b.month))
}

func boolCompare(a, b bool) int { return cmp.Compare(boolInt(a), boolInt(b)) }

func scopeOf(tree bool) string {
	if tree {
		return scopeTree
	}
	return scopeOwn
}

// monthRow is one month's shift states of a subject, as a run holds it.
type monthRow struct {
	unit, enterprise int64
	// states are in date and shift order.
	states []*stakhanov.ShiftState
	// stored: the table has the row; dirty: the run changed it.
	stored, dirty bool
}

// find returns the index of the state of a date and shift, or where it
// would go.
func (m *monthRow) find(d stakhanov.Date, shift int) (int, bool) {
	return slices.BinarySearchFunc(m.states, dayShift{d, shift}, func(s *stakhanov.ShiftState, t dayShift) int {
		return cmp.Or(s.Date.Compare(t.date), cmp.Compare(s.Shift, t.shift))
	})
}

func (m *monthRow) get(d stakhanov.Date, shift int) *stakhanov.ShiftState {
	if i, ok := m.find(d, shift); ok {
		return m.states[i]
	}
	return nil
}

// put replaces the state of s's date and shift with s.
func (m *monthRow) put(s *stakhanov.ShiftState) {
	i, ok := m.find(s.Date, s.Shift)
	if ok {
		m.states[i] = s
	} else {
		m.states = slices.Insert(m.states, i, s)
	}
	m.dirty = true
}

func (m *monthRow) remove(d stakhanov.Date, shift int) {
	if i, ok := m.find(d, shift); ok {
		m.states = slices.Delete(m.states, i, i+1)
		m.dirty = true
	}
}

// The encoding of a month's states: a version byte, then per state its
// day of the month, shift and a byte saying which of the figures that are
// often zero follow the ones always there. Version 1 wrote every figure
// as its 8 bytes; version 2 writes one that is a whole number of
// thousandths (most: 41.7 t, a norm of 12.5) as that number, in 1 to 4
// bytes, and any other as a marker and its 8 bytes (appendFigure). A
// shift of a unit's tree in the single-report benchmark took 38 bytes, 18 after.
const (
	monthEncodingRaw = 1
	monthEncoding    = 2

	hasOwnNorm = 1 << iota
	hasHeld
	hasMembers
	// sameOwnNorm: the own norm is the state before's (most months have
	// one norm), not written again.
	sameOwnNorm
	// hasLate: credits from late reports; rare, and older rows never
	// have them.
	hasLate
)

func encodeMonth(states []*stakhanov.ShiftState) []byte {
	b := make([]byte, 1, 1+len(states)*32)
	b[0] = monthEncoding
	f64 := func(v float64) { b = appendFigure(b, v) }
	var norm *float64
	for _, s := range states {
		var flags byte
		if s.OwnNorm != nil {
			flags |= hasOwnNorm
			if norm != nil && math.Float64bits(*norm) == math.Float64bits(*s.OwnNorm) {
				flags |= sameOwnNorm
			}
		}
		norm = s.OwnNorm
		if s.HeldProduced != 0 || s.HeldAccepted != 0 || s.HeldCredits != 0 {
			flags |= hasHeld
		}
		if s.MemberNorm != 0 || s.MemberNormed != 0 || s.VMemberNorm != 0 || s.VMemberNormed != 0 {
			flags |= hasMembers
		}
		if s.LateCredits != 0 || s.LateHeldCredits != 0 {
			flags |= hasLate
		}
		b = append(b, byte(s.Date.Time().Day()))
		b = binary.AppendUvarint(b, uint64(s.Shift))
		b = append(b, flags)
		f64(s.Produced)
		f64(s.Accepted)
		b = binary.AppendVarint(b, int64(s.Credits))
		if flags&hasHeld != 0 {
			f64(s.HeldProduced)
			f64(s.HeldAccepted)
			b = binary.AppendVarint(b, int64(s.HeldCredits))
		}
		if flags&(hasOwnNorm|sameOwnNorm) == hasOwnNorm {
			f64(*s.OwnNorm)
		}
		if flags&hasMembers != 0 {
			f64(s.MemberNorm)
			b = binary.AppendVarint(b, int64(s.MemberNormed))
			f64(s.VMemberNorm)
			b = binary.AppendVarint(b, int64(s.VMemberNormed))
		}
		if flags&hasLate != 0 {
			b = binary.AppendVarint(b, int64(s.LateCredits))
			b = binary.AppendVarint(b, int64(s.LateHeldCredits))
		}
	}
	return b
}

// appendFigure appends v: a whole number n of thousandths as the uvarint
// of n zigzagged and shifted left (low bit 0), when n/1000 gives v back to
// the bit; any other figure (-0, 0.1 + 0.2, 1e-320) as the uvarint 1 and
// its 8 bytes.
func appendFigure(b []byte, v float64) []byte {
	if n := math.Round(v * 1000); math.Abs(n) < 1<<52 {
		i := int64(n)
		if math.Float64bits(float64(i)/1000) == math.Float64bits(v) {
			z := uint64(i<<1) ^ uint64(i>>63)
			return binary.AppendUvarint(b, z<<1)
		}
	}
	b = append(b, 1)
	return binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
}

// figure reads a figure appendFigure wrote and how many bytes it took
// (0 or less: none there).
func figure(b []byte) (float64, int) {
	u, n := binary.Uvarint(b)
	if n <= 0 {
		return 0, n
	}
	if u&1 == 0 {
		z := u >> 1
		i := int64(z>>1) ^ -int64(z&1)
		return float64(i) / 1000, n
	}
	if u != 1 || len(b) < n+8 {
		return 0, 0
	}
	return math.Float64frombits(binary.LittleEndian.Uint64(b[n:])), n + 8
}

// decodeMonth reads the states of the month row k.
func decodeMonth(k monthKey, b []byte) ([]*stakhanov.ShiftState, error) {
	bad := func(what string) error {
		return fmt.Errorf("fulfilment_months %s:%d %s %d %s: %s", k.subject.Kind, k.subject.ID, scopeOf(k.tree), k.good, k.month, what)
	}
	if len(b) == 0 || (b[0] != monthEncoding && b[0] != monthEncodingRaw) {
		return nil, bad("unknown encoding")
	}
	raw := b[0] == monthEncodingRaw
	b = b[1:]
	var failed bool
	f64 := func() float64 {
		if raw {
			if len(b) < 8 {
				failed = true
				return 0
			}
			v := math.Float64frombits(binary.LittleEndian.Uint64(b))
			b = b[8:]
			return v
		}
		v, n := figure(b)
		if n <= 0 {
			failed = true
			return 0
		}
		b = b[n:]
		return v
	}
	varint := func() int {
		v, n := binary.Varint(b)
		if n <= 0 {
			failed = true
			return 0
		}
		b = b[n:]
		return int(v)
	}
	// One allocation for the month's states.
	var out []*stakhanov.ShiftState
	var block []stakhanov.ShiftState
	for len(b) > 0 {
		day := int(b[0])
		shift, n := binary.Uvarint(b[1:])
		if n <= 0 || len(b) < 2+n || day < 1 || day > 31 {
			return nil, bad("truncated")
		}
		flags := b[1+n]
		b = b[2+n:]
		if len(block) == 0 {
			block = make([]stakhanov.ShiftState, 32)
		}
		s := &block[0]
		block = block[1:]
		*s = stakhanov.ShiftState{Subject: k.subject, Tree: k.tree, GoodID: k.good, Date: k.month.AddDays(day - 1), Shift: int(shift)}
		s.Produced, s.Accepted, s.Credits = f64(), f64(), varint()
		if flags&hasHeld != 0 {
			s.HeldProduced, s.HeldAccepted, s.HeldCredits = f64(), f64(), varint()
		}
		switch {
		case flags&sameOwnNorm != 0 && (len(out) == 0 || out[len(out)-1].OwnNorm == nil):
			return nil, bad("a norm the same as none")
		case flags&sameOwnNorm != 0:
			s.OwnNorm = out[len(out)-1].OwnNorm
		case flags&hasOwnNorm != 0:
			v := f64()
			s.OwnNorm = &v
		}
		if flags&hasMembers != 0 {
			s.MemberNorm, s.MemberNormed, s.VMemberNorm, s.VMemberNormed = f64(), varint(), f64(), varint()
		}
		if flags&hasLate != 0 {
			s.LateCredits, s.LateHeldCredits = varint(), varint()
		}
		if failed {
			return nil, bad("truncated")
		}
		out = append(out, s)
	}
	return out, nil
}

// monthColumns are the columns a month row is read with (scanMonth).
const monthColumns = `subject_kind, subject_id, scope, good_id, CAST(month AS TEXT), unit_id, enterprise_id, shifts`

func scanMonth(row interface{ Scan(...any) error }) (monthKey, *monthRow, error) {
	var k monthKey
	var scope, month string
	var shifts []byte
	m := &monthRow{stored: true}
	if err := row.Scan(&k.subject.Kind, &k.subject.ID, &scope, &k.good, &month, &m.unit, &m.enterprise, &shifts); err != nil {
		return k, nil, err
	}
	k.tree = scope == scopeTree
	var err error
	if k.month, err = parseStoredDate(month); err != nil {
		return k, nil, err
	}
	m.states, err = decodeMonth(k, shifts)
	return k, m, err
}

// queryMonths reads month rows.
func queryMonths(ctx context.Context, q querier, query string, args []any, fn func(monthKey, *monthRow) (more bool, err error)) error {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		k, m, err := scanMonth(rows)
		if err != nil {
			return err
		}
		more, err := fn(k, m)
		if err != nil || !more {
			return err
		}
	}
	return rows.Err()
}

// monthRange adds to w the months holding from to to (either open).
func monthRange(w *where, from, to stakhanov.Date) {
	if !from.IsZero() {
		w.add("month >= ?", monthOf(from))
	}
	if !to.IsZero() {
		w.add("month <= ?", monthOf(to))
	}
}

// readStates returns the shift states of the month rows w selects, from
// from to to (either open), in date, shift and good order; keep, if not
// nil, chooses among them.
func readStates(ctx context.Context, q querier, w *where, from, to stakhanov.Date, keep func(*stakhanov.ShiftState) bool) ([]*stakhanov.ShiftState, error) {
	monthRange(w, from, to)
	var out []*stakhanov.ShiftState
	err := queryMonths(ctx, q, "SELECT "+monthColumns+" FROM fulfilment_months"+w.String(), w.args, func(_ monthKey, m *monthRow) (bool, error) {
		for _, s := range m.states {
			if inDates(s.Date, from, to) && (keep == nil || keep(s)) {
				out = append(out, s)
			}
		}
		return true, nil
	})
	slices.SortFunc(out, compareStates)
	return out, err
}

func compareStates(a, b *stakhanov.ShiftState) int {
	return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Shift, b.Shift), cmp.Compare(a.GoodID, b.GoodID))
}

func inDates(d, from, to stakhanov.Date) bool {
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

// ownMonth returns the run's own month row of a subject holding d, which
// loadSubject must have read (or found absent).
func (r *stateRun) ownMonth(k stakhanov.SubjectGood, d stakhanov.Date) (*monthRow, error) {
	mk := monthKey{subject: k.Subject, good: k.GoodID, month: monthOf(d)}
	if m := r.months[mk]; m != nil {
		return m, nil
	}
	if all, ok := r.allFrom[k.Subject]; !ok || d.Before(all) {
		// Writing a row not read would lose the one in the table.
		return nil, fmt.Errorf("state of %s:%d, good %d: month %s written before it was read", k.Subject.Kind, k.Subject.ID, k.GoodID, mk.month)
	}
	m := &monthRow{}
	r.hold(mk, m)
	return m, nil
}

// hold keeps an own month row read (or new) in the run, unless it holds
// that row already.
func (r *stateRun) hold(mk monthKey, m *monthRow) {
	if _, held := r.months[mk]; held {
		return
	}
	r.months[mk] = m
	k := stakhanov.SubjectGood{Subject: mk.subject, GoodID: mk.good}
	if len(r.ownMonths[k]) == 0 {
		r.goods[mk.subject] = append(r.goods[mk.subject], mk.good)
	}
	r.ownMonths[k] = append(r.ownMonths[k], mk.month)
}

// loadSubject brings a subject's own month rows of every good, from the
// month holding from on (zero: all), into the run, unless it holds them
// already: the rows a write changes, and enough for candidacy to be read
// from the run (heldShifts) when those months hold enough shifts. They
// need no lock of their own: the subject's (stateRun.lock) is held.
func (r *stateRun) loadSubject(s stakhanov.Subject, from stakhanov.Date) error {
	if all, ok := r.allFrom[s]; ok && !from.Before(all) {
		return nil
	}
	if r.holdOwn(s, from) {
		return nil
	}
	from = monthOf(from)
	w := &where{}
	w.add("subject_kind = ? AND subject_id = ? AND scope = 'own'", s.Kind, s.ID)
	monthRange(w, from, stakhanov.Date{})
	err := queryMonths(r.ctx, r.q, "SELECT "+monthColumns+" FROM fulfilment_months"+w.String(), w.args, func(mk monthKey, m *monthRow) (bool, error) {
		r.hold(mk, m)
		return true, nil
	})
	if err == nil {
		r.allFrom[s] = from
	}
	return err
}

// heldShifts answers verifiedShifts from the month rows the run holds, if
// it can: ok is false when it may not hold them all.
func (r *stateRun) heldShifts(s stakhanov.Subject, good int64, from, to stakhanov.Date, last int) (rows []stakhanov.FulfilmentRow, ok bool) {
	all, whole := r.allFrom[s]
	if !whole || stateScope(s) != scopeOwn || (last == 0 && (from.IsZero() || from.Before(all))) {
		return nil, false
	}
	var goods []int64
	var months []stakhanov.Date
	for _, g := range r.goods[s] {
		if good != 0 && g != good {
			continue
		}
		goods = append(goods, g)
		for _, month := range r.ownMonths[stakhanov.SubjectGood{Subject: s, GoodID: g}] {
			if !month.Before(all) {
				months = append(months, month)
			}
		}
	}
	// Newest first: the last shifts are in the last months, and every
	// good of a month is taken before stopping. A month's states are in
	// order (sorted when of several goods); the months' are put in order
	// after.
	slices.SortFunc(months, func(a, b stakhanov.Date) int { return b.Compare(a) })
	months = slices.Compact(months)
	var newestFirst [][]*stakhanov.ShiftState
	n := 0
	for _, month := range months {
		if last > 0 && n >= last {
			break
		}
		var of []*stakhanov.ShiftState
		several := false
		for _, g := range goods {
			m := r.months[monthKey{subject: s, good: g, month: month}]
			if m == nil {
				continue
			}
			several = several || len(of) > 0
			for _, st := range m.states {
				if inDates(st.Date, from, to) && verifiedNormed(st) {
					of = append(of, st)
				}
			}
		}
		if several {
			slices.SortFunc(of, compareStates)
		}
		newestFirst = append(newestFirst, of)
		n += len(of)
	}
	states := make([]*stakhanov.ShiftState, 0, n)
	for i := len(newestFirst) - 1; i >= 0; i-- {
		states = append(states, newestFirst[i]...)
	}
	if last > 0 {
		if len(states) < last && !all.IsZero() && (from.IsZero() || from.Before(all)) {
			// Older months may hold more.
			return nil, false
		}
		states = states[max(0, len(states)-last):]
	}
	return stateRows(states), true
}

func stateRows(states []*stakhanov.ShiftState) []stakhanov.FulfilmentRow {
	out := make([]stakhanov.FulfilmentRow, 0, len(states))
	for _, st := range states {
		if row, ok := st.Row(true); ok {
			out = append(out, row)
		}
	}
	return out
}

// lockTree takes the tree month rows keys name (those the run does not
// hold yet) and reads them: an upsert that writes an empty row where there
// is none, so that two writes under one unit take turns on the row even
// when neither finds it, and each reads what the other wrote.
func (r *stateRun) lockTree(keys []monthKey) error {
	var want []monthKey
	seen := map[monthKey]bool{}
	for _, k := range keys {
		if _, ok := r.months[k]; ok || seen[k] {
			continue
		}
		if r.warm != nil {
			if m, ok := r.warm.months[k]; ok {
				r.months[k] = m
				continue
			}
		}
		seen[k] = true
		want = append(want, k)
	}
	slices.SortFunc(want, compareMonthKeys)
	empty := encodeMonth(nil)
	for len(want) > 0 {
		chunk := want[:min(monthRowsPerStatement, len(want))]
		want = want[len(chunk):]
		args := make([]any, 0, 6*len(chunk))
		for _, k := range chunk {
			info, err := r.unit(k.subject.ID)
			if err != nil {
				return err
			}
			args = append(args, k.subject.ID, k.good, k.month, info.enterprise, k.subject.ID, empty)
		}
		query := `INSERT INTO fulfilment_months (subject_kind, subject_id, scope, good_id, month, enterprise_id, unit_id, shifts) VALUES ` +
			strings.TrimSuffix(strings.Repeat("('unit', ?, 'tree', ?, ?, ?, ?, ?), ", len(chunk)), ", ") + `
			ON CONFLICT (subject_kind, subject_id, scope, good_id, month, enterprise_id) DO UPDATE SET unit_id = excluded.unit_id
			RETURNING ` + monthColumns
		err := queryMonths(r.ctx, r.q, query, args, func(k monthKey, m *monthRow) (bool, error) {
			// An empty row written here is removed at the end if it stays so.
			m.dirty = len(m.states) == 0
			r.months[k] = m
			return true, nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// monthRowsPerStatement is how many month rows one statement reads or
// writes.
const monthRowsPerStatement = 200

// writeMonths writes the month rows the run changed: many to a statement,
// in key order; a row left with no state is deleted.
func (r *stateRun) writeMonths() error {
	var keys []monthKey
	for k, m := range r.months {
		if m.dirty {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, compareMonthKeys)
	var put, gone []any
	flush := func() error {
		if len(put) > 0 {
			n := len(put) / 8
			if _, err := r.q.exec(r.ctx, `INSERT INTO fulfilment_months (subject_kind, subject_id, scope, good_id, month, enterprise_id, unit_id, shifts) VALUES `+
				strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?), ", n), ", ")+`
				ON CONFLICT (subject_kind, subject_id, scope, good_id, month, enterprise_id) DO UPDATE SET unit_id = excluded.unit_id, shifts = excluded.shifts`,
				put...); err != nil {
				return err
			}
			put = put[:0]
		}
		// Few rows are left empty: one statement each.
		for len(gone) > 0 {
			if _, err := r.q.exec(r.ctx, `DELETE FROM fulfilment_months WHERE subject_kind = ? AND subject_id = ? AND scope = ? AND good_id = ?
				AND month = ? AND enterprise_id = ?`, gone[:6]...); err != nil {
				return err
			}
			gone = gone[6:]
		}
		return nil
	}
	for _, k := range keys {
		m := r.months[k]
		if len(m.states) == 0 {
			if m.stored {
				gone = append(gone, k.subject.Kind, k.subject.ID, scopeOf(k.tree), k.good, k.month, m.enterprise)
			}
		} else {
			put = append(put, k.subject.Kind, k.subject.ID, scopeOf(k.tree), k.good, k.month, m.enterprise, m.unit, encodeMonth(m.states))
		}
		m.stored, m.dirty = len(m.states) > 0, false
		if len(put)/8 == monthRowsPerStatement {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// prefetchRows is how many subjects one prefetching query names.
const prefetchRows = 500

// prefetchUnitsFor is up to how many subjects a prefetch reads the norms
// of the units above them too: a few reports' worth, where a statement
// fewer counts; an import reads them a good at a time (loadUnitNorms).
const prefetchUnitsFor = 16

// prefetch reads, for the subjects of a run, what refreshOwn would read
// one subject at a time: their units and their locks (taken in key order,
// as refreshOwn takes them), and for those given credits (an import) their
// norms and their own months from the first date credited on; given from,
// those of every subject, their months from that date on. Ten thousand
// subjects were forty thousand queries.
func (r *stateRun) prefetch(keys []stakhanov.SubjectGood, from stakhanov.Date) error {
	var people []int64
	for _, k := range keys {
		if _, ok := r.people[k.Subject.ID]; k.Subject.Kind == stakhanov.SubjectPerson && !ok {
			people = append(people, k.Subject.ID)
		}
	}
	people = slices.Compact(people)
	for len(people) > 0 {
		chunk := people[:min(prefetchRows, len(people))]
		people = people[len(chunk):]
		rows, err := r.q.query(r.ctx, "SELECT id, unit_id FROM people WHERE id IN ("+marks(len(chunk))+")", int64sToArgs(chunk)...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, unit int64
			if err := rows.Scan(&id, &unit); err != nil {
				rows.Close()
				return err
			}
			r.people[id] = unit
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	if err := r.lockAll(keys); err != nil {
		return err
	}
	for _, kind := range []string{stakhanov.SubjectPerson, stakhanov.SubjectUnit} {
		var of []stakhanov.SubjectGood
		for _, k := range keys {
			if k.Subject.Kind == kind && (len(r.added[k]) > 0 || !from.IsZero()) {
				of = append(of, k)
			}
		}
		for len(of) > 0 {
			chunk := of[:min(prefetchRows, len(of))]
			of = of[len(chunk):]
			if err := r.prefetchChunk(kind, chunk, from); err != nil {
				return err
			}
		}
	}
	return nil
}

// lockAll is lock for many subjects, many to a statement, in key order.
func (r *stateRun) lockAll(keys []stakhanov.SubjectGood) error {
	var args []any
	var taken []stakhanov.SubjectGood
	flush := func() error {
		if len(taken) == 0 {
			return nil
		}
		if _, err := r.q.exec(r.ctx, `INSERT INTO fulfilment_subjects (subject_kind, subject_id, good_id, enterprise_id, writes) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, 1), ", len(taken)), ", ")+`
			ON CONFLICT (subject_kind, subject_id, good_id, enterprise_id) DO UPDATE SET writes = fulfilment_subjects.writes + 1`, args...); err != nil {
			return err
		}
		for _, k := range taken {
			r.locked[k] = true
		}
		args, taken = args[:0], taken[:0]
		return nil
	}
	for _, k := range keys {
		if r.locked[k] || r.warmLocked(k) {
			continue
		}
		_, info, err := r.subjectUnit(k.Subject)
		if err != nil {
			return err
		}
		args = append(args, k.Subject.Kind, k.Subject.ID, k.GoodID, info.enterprise)
		taken = append(taken, k)
		if len(taken) == monthRowsPerStatement {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// prefetchChunk reads the norms and own months of subjects of one kind.
func (r *stateRun) prefetchChunk(kind string, keys []stakhanov.SubjectGood, from stakhanov.Date) error {
	for _, k := range keys {
		for _, c := range r.added[k] {
			if from.IsZero() || c.date.Before(from) {
				from = c.date
			}
		}
	}
	back, err := r.candidacyLookback(kind)
	if err != nil {
		return err
	}
	from = monthOf(from)
	from = stakhanov.NewDate(from.Year(), from.Month()-time.Month(back), 1)
	if r.warm != nil {
		// Subjects the warm state holds whole need no query.
		var rest []stakhanov.SubjectGood
		for _, k := range keys {
			above, err := r.unitsAbove(k)
			if err != nil {
				return err
			}
			if !r.warmSubject(k, above, from) {
				rest = append(rest, k)
			}
		}
		if keys = rest; len(keys) == 0 {
			return nil
		}
	}
	ids := make([]int64, 0, len(keys))
	for _, k := range keys {
		ids = append(ids, k.Subject.ID)
	}
	ids = slices.Compact(ids)
	args := append([]any{kind}, int64sToArgs(ids)...)
	in := "subject_kind = ? AND subject_id IN (" + marks(len(ids)) + ")"
	// With the norms of the units above them, which their tree states
	// take (loadUnitNorms): one query instead of two, for a lone report.
	var above []stakhanov.SubjectGood
	if len(keys) <= prefetchUnitsFor {
		seen := map[stakhanov.SubjectGood]bool{}
		for _, k := range keys {
			units, err := r.unitsAbove(k)
			if err != nil {
				return err
			}
			for _, sg := range units {
				if !seen[sg] {
					seen[sg] = true
					above = append(above, sg)
				}
			}
		}
	}
	normsOf := "SELECT " + normColumns + " FROM norms WHERE " + in
	normArgs := args
	if len(above) > 0 {
		units := make([]int64, 0, len(above))
		for _, sg := range above {
			units = append(units, sg.Subject.ID)
		}
		slices.Sort(units)
		units = slices.Compact(units)
		normsOf += " OR (subject_kind = 'unit' AND subject_id IN (" + marks(len(units)) + "))"
		normArgs = append(slices.Clip(args), int64sToArgs(units)...)
	}
	rows, err := r.q.query(r.ctx, normsOf, normArgs...)
	if err != nil {
		return err
	}
	found := map[stakhanov.SubjectGood][]*stakhanov.Norm{}
	for rows.Next() {
		n, err := scanNorm(rows)
		if err != nil {
			rows.Close()
			return err
		}
		k := stakhanov.SubjectGood{Subject: n.Subject, GoodID: n.GoodID}
		found[k] = append(found[k], n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, k := range slices.Concat(keys, above) {
		if _, ok := r.norms[k]; !ok {
			r.norms[k] = stakhanov.NewNormIndex(found[k])
		}
	}
	for _, id := range ids {
		r.hasNorm[stakhanov.Subject{Kind: kind, ID: id}] = false
	}
	for k := range found {
		if k.Subject.Kind == kind {
			r.hasNorm[k.Subject] = true
		}
	}
	w := &where{}
	w.add("scope = 'own' AND "+in, args...)
	monthRange(w, from, stakhanov.Date{})
	err = queryMonths(r.ctx, r.q, "SELECT "+monthColumns+" FROM fulfilment_months"+w.String(), w.args, func(mk monthKey, m *monthRow) (bool, error) {
		r.hold(mk, m)
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		s := stakhanov.Subject{Kind: kind, ID: id}
		if all, ok := r.allFrom[s]; !ok || from.Before(all) {
			r.allFrom[s] = from
		}
	}
	return nil
}

// unitsAbove are the units on a subject's path whose norms of its good
// the run does not hold.
func (r *stateRun) unitsAbove(k stakhanov.SubjectGood) ([]stakhanov.SubjectGood, error) {
	_, info, err := r.subjectUnit(k.Subject)
	if err != nil {
		return nil, err
	}
	var out []stakhanov.SubjectGood
	for _, u := range info.path {
		sg := stakhanov.SubjectGood{Subject: stakhanov.UnitSubject(u), GoodID: k.GoodID}
		if _, ok := r.norms[sg]; !ok {
			out = append(out, sg)
		}
	}
	return out, nil
}
