package sqlstore

import (
	"context"
	"database/sql"
	"slices"

	"github.com/stakhanov/stakhanov"
)

// A warm state keeps, between the group committer's transactions, what
// their state runs read: month rows, norms, awards' rules.
// Reading them again was most of what the state added to a shift report
// on SQLite (the month rows alone a third: CPU profile of
// BenchmarkSingleReportIngest). SQLite has one writer connection, so what
// a run read and wrote is what the next one would read, unless another
// connection has committed since (PRAGMA data_version tells) or another
// write on this connection changed rows (total_changes() tells, counting
// changes undone too). Either drops it all, as does any failed
// transaction of the committer. PostgreSQL has many writers and keeps
// none.
type warmState struct {
	// changes and version are total_changes() and data_version as the
	// committer's last transaction left them.
	changes, version int64
	known            bool

	months map[monthKey]*monthRow
	// from says a subject's own rows of every good are all held from that
	// month on; own lists the own rows held of each subject.
	from    map[stakhanov.Subject]stakhanov.Date
	own     map[stakhanov.Subject][]monthKey
	norms   map[stakhanov.SubjectGood]*stakhanov.NormIndex
	hasNorm map[stakhanov.Subject]bool
	locked  map[stakhanov.SubjectGood]bool
	awards  []awardRule
	// awardsRead: awards holds the awards with a candidacy rule.
	awardsRead bool
	// states counts the shift states held, to bound them (warmStates).
	states int
}

// warmStates bounds the shift states a warm state holds (some 150 bytes
// each); past it, it starts again empty.
const warmStates = 200_000

func newWarmState() *warmState {
	w := &warmState{}
	w.empty()
	return w
}

// empty drops everything held.
func (w *warmState) empty() {
	w.months = map[monthKey]*monthRow{}
	w.from = map[stakhanov.Subject]stakhanov.Date{}
	w.own = map[stakhanov.Subject][]monthKey{}
	w.norms = map[stakhanov.SubjectGood]*stakhanov.NormIndex{}
	w.hasNorm = map[stakhanov.Subject]bool{}
	w.locked = map[stakhanov.SubjectGood]bool{}
	w.awards, w.awardsRead, w.states = nil, false, 0
}

// forget drops everything held and what it was valid for.
func (w *warmState) forget() {
	w.empty()
	w.known = false
}

const writerCounters = `SELECT total_changes(), data_version FROM pragma_data_version`

// begin checks, at the start of a committer's transaction, that nothing
// changed the database since the last one committed; it reports whether
// the warm state may be used.
func (w *warmState) begin(ctx context.Context, tx *sql.Tx) bool {
	var changes, version int64
	if err := tx.QueryRowContext(ctx, writerCounters).Scan(&changes, &version); err != nil {
		w.forget()
		return false
	}
	if !w.known || changes != w.changes || version != w.version {
		w.empty()
	}
	w.version, w.known = version, true
	return true
}

// end records, before the commit, the changes the transaction leaves.
func (w *warmState) end(ctx context.Context, tx *sql.Tx) {
	if err := tx.QueryRowContext(ctx, writerCounters).Scan(&w.changes, &w.version); err != nil {
		w.forget()
	}
}

// keep takes, after its commit, what a run read and wrote.
func (w *warmState) keep(r *stateRun) {
	if !w.known {
		return
	}
	for k, m := range r.months {
		if m.dirty {
			// Not written: the table does not hold what the run holds.
			w.forget()
			return
		}
		old, held := w.months[k]
		if held {
			w.states -= len(old.states)
		} else if !k.tree {
			w.own[k.subject] = append(w.own[k.subject], k)
		}
		w.states += len(m.states)
		w.months[k] = m
	}
	for s, f := range r.allFrom {
		if g, ok := w.from[s]; !ok || f.Before(g) {
			w.from[s] = f
		}
	}
	for k, idx := range r.norms {
		w.norms[k] = idx
	}
	for s, has := range r.hasNorm {
		w.hasNorm[s] = has
	}
	for k := range r.locked {
		w.locked[k] = true
	}
	if r.awardsRead {
		w.awards, w.awardsRead = r.awards, true
	}
	if w.states > warmStates {
		w.empty()
	}
}

// holdOwn brings into a run a subject's own rows of every good from the
// month holding from on, if the warm state holds them all.
func (r *stateRun) holdOwn(s stakhanov.Subject, from stakhanov.Date) bool {
	if r.warm == nil {
		return false
	}
	all, ok := r.warm.from[s]
	from = monthOf(from)
	if !ok || from.Before(all) {
		return false
	}
	for _, k := range r.warm.own[s] {
		if !k.month.Before(from) {
			r.hold(k, r.warm.months[k])
		}
	}
	if held, ok := r.allFrom[s]; !ok || from.Before(held) {
		r.allFrom[s] = from
	}
	return true
}

// warmNorms brings a subject's norms of a good into a run, if the warm
// state holds them.
func (r *stateRun) warmNorms(k stakhanov.SubjectGood) bool {
	if r.warm == nil {
		return false
	}
	idx, ok := r.warm.norms[k]
	if ok {
		r.norms[k] = idx
	}
	return ok
}

// warmSubject brings into a run what prefetchChunk reads of one subject
// and good: its norms, those of the units above (when asked), whether
// it has any, and its own rows from a month on. It reports false, and
// brings nothing, unless the warm state holds all of it.
func (r *stateRun) warmSubject(k stakhanov.SubjectGood, above []stakhanov.SubjectGood, from stakhanov.Date) bool {
	w := r.warm
	if w == nil {
		return false
	}
	if _, ok := w.norms[k]; !ok {
		return false
	}
	if _, ok := w.hasNorm[k.Subject]; !ok {
		return false
	}
	for _, sg := range above {
		if _, ok := w.norms[sg]; !ok {
			return false
		}
	}
	if !r.holdOwn(k.Subject, from) {
		return false
	}
	for _, sg := range slices.Concat([]stakhanov.SubjectGood{k}, above) {
		r.warmNorms(sg)
	}
	r.hasNorm[k.Subject] = w.hasNorm[k.Subject]
	return true
}

// warmLocked tells whether the warm state knows a subject's row in
// fulfilment_subjects to be there; with one writer, that row is all that
// lock is for.
func (r *stateRun) warmLocked(k stakhanov.SubjectGood) bool {
	if r.warm == nil || !r.warm.locked[k] {
		return false
	}
	r.locked[k] = true
	return true
}
