package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"iter"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// reportBatchRows is how many reports one INSERT writes. Each costs 13
// bind parameters (SQLite allows 32,766); 512 rows were a little quicker
// than 256, and the lines checked ahead are handed over in chunks of as
// many.
const reportBatchRows = 512

// reportBatch writes an import's reports to SQLite many rows per INSERT:
// a prepared statement for a full batch and one for the remainder.
//
// The statement is INSERT OR IGNORE, on a connection whose foreign keys
// are off, so that it cannot abort half-way: a multi-row statement that
// could (a NOT NULL or foreign key check) makes SQLite copy every page it
// touches to a statement journal first, which made the import three times
// slower than one row per statement. Every value is checked before, so
// what is ignored is what ON CONFLICT DO NOTHING would skip: a row for a
// shift that has a current report (reports_shift).
//
// Which rows were written, and their ids, is learnt without RETURNING
// (which costs SQLite a statement journal per row): the store has one
// writer, and SQLite gives a new row of an INTEGER PRIMARY KEY table the
// largest id plus one, so the rows one INSERT writes get consecutive ids in
// the order of its VALUES, the last being last_insert_rowid. When changes
// equals the batch's size, every row was written. When it does not, one
// SELECT of the current reports of the batch's shifts tells the rest: a
// report of those ids was written by the first line for its shift; a
// report this import wrote before is a shift on two lines of the file; any
// other is compared with the line (one query for the batch).
//
// Keys, which few files give, are looked up in report_keys per batch (only
// when a line of it has one) and written there with their reports. A
// correction is written in a batch of its own, after taking the report it
// corrects out of the current ones.
type reportBatch struct {
	ctx      context.Context
	q        querier
	tx       *sql.Tx
	bad      *lineErrors
	judge    *importJudge
	reporter any
	now      time.Time

	stmts   map[int]*sql.Stmt
	rows    []pendingReport
	args    []any
	created int
	exist   int
	// lines are the lines of the reports this import wrote, by id.
	lines idLines
}

type pendingReport struct {
	line       int
	r          *stakhanov.Report
	unit       int64
	enterprise int64
}

func (p *pendingReport) shift() shiftKey {
	return shiftKey{p.r.Subject, p.r.GoodID, p.r.Date, p.r.Shift, p.enterprise}
}

// shiftKey is the natural key of a report (reports_shift).
type shiftKey struct {
	subject    stakhanov.Subject
	good       int64
	date       stakhanov.Date
	shift      int
	enterprise int64
}

// idLines maps the ids of the reports an import wrote to their lines, as
// runs of consecutive ids on consecutive lines (a good file is one run).
type idLines struct{ runs []idRun }

type idRun struct {
	id   int64
	line int
	n    int
}

func (l *idLines) add(id int64, line int) {
	if n := len(l.runs); n > 0 {
		last := &l.runs[n-1]
		if last.id+int64(last.n) == id && last.line+last.n == line {
			last.n++
			return
		}
	}
	l.runs = append(l.runs, idRun{id, line, 1})
}

// line returns the line that wrote report id, or 0.
func (l *idLines) line(id int64) int {
	i := sort.Search(len(l.runs), func(i int) bool { return l.runs[i].id+int64(l.runs[i].n) > id })
	if i < len(l.runs) && l.runs[i].id <= id {
		return l.runs[i].line + int(id-l.runs[i].id)
	}
	return 0
}

// importReportsBatched is ImportReports on an engine without a bulk loader
// (SQLite): one transaction, reports written reportBatchRows at a time.
// Once a line is bad, later lines are still checked (a shift or key held
// with other figures is named) but nothing more is written, and the
// transaction is rolled back.
func (db *DB) importReportsBatched(ctx context.Context, chk *reportChecker, rows iter.Seq[stakhanov.ImportRow[stakhanov.Report]]) (stakhanov.ImportResult, error) {
	var res stakhanov.ImportResult
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	// Foreign keys are checked by the import itself (a correction's report
	// must exist; helpers, witnesses and flags name reports it just
	// wrote). Left on, they would make every multi-row INSERT keep a
	// statement journal (see reportBatch). The setting is per connection
	// and cannot change inside a transaction: it is turned off before
	// BEGIN and back on after the end; a connection that cannot turn it
	// back on is discarded.
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return res, err
	}
	defer func() {
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	b := &reportBatch{ctx: ctx, q: querier{q: tx, d: db.dialect}, tx: tx, bad: &lineErrors{}, judge: &importJudge{},
		reporter: nullID(chk.who.ID), now: db.now().UTC(), stmts: map[int]*sql.Stmt{}}
	if err := chk.loadCloses(ctx, db, b.q); err != nil {
		return res, err
	}
	if !db.stateOff {
		b.judge.credits = newImportCredits()
	}
	// fail notes a problem with a line. Before the first, the lines read
	// so far are written, so that their shifts are checked as they would
	// be row by row.
	fail := func(e stakhanov.LineError) error {
		if !b.bad.bad() {
			if err := b.flush(); err != nil {
				return err
			}
		}
		b.bad.note(e)
		return nil
	}
	lines, stop := checkAhead(rows, chk)
	defer stop()
	for chunk := range lines {
		for _, c := range chunk {
			res.Lines++
			row := c.row
			if len(row.Errors) > 0 || row.Value == nil {
				for _, e := range row.Errors {
					if err := fail(e); err != nil {
						return stakhanov.ImportResult{}, err
					}
				}
				continue
			}
			r, err := row.Value, c.err
			if err == nil && r.Corrects != 0 {
				// The report corrected may be on a line before: write those.
				if err := b.flush(); err != nil {
					return stakhanov.ImportResult{}, err
				}
				var n int
				if err := b.q.queryRow(ctx, `SELECT COUNT(*) FROM reports WHERE id = ?`, r.Corrects).Scan(&n); err != nil {
					return stakhanov.ImportResult{}, err
				}
				if n == 0 {
					err = stakhanov.FieldErrorf("corrects", "report %d not found", r.Corrects)
				}
			}
			var e *stakhanov.Error
			if errors.As(err, &e) {
				if err := fail(stakhanov.LineError{Line: row.Line, Field: e.Field, Message: e.Message}); err != nil {
					return stakhanov.ImportResult{}, err
				}
				continue
			} else if err != nil {
				return stakhanov.ImportResult{}, fmt.Errorf("line %d: %w", row.Line, err)
			}
			b.rows = append(b.rows, pendingReport{row.Line, r, c.unit, chk.dir.enterprise[c.unit]})
			if len(b.rows) == reportBatchRows || r.Corrects != 0 {
				if err := b.flush(); err != nil {
					return stakhanov.ImportResult{}, err
				}
			}
			if c := b.judge.credits; c != nil && c.n >= db.importStateEvery {
				// Bounded memory: what is gathered so far goes into the
				// state now (the judge's flags are applied at the end).
				if err := db.addImportCredits(ctx, b.q, c, false, nil); err != nil {
					return stakhanov.ImportResult{}, err
				}
			}
		}
	}
	stop()
	if err := b.flush(); err != nil {
		return stakhanov.ImportResult{}, err
	}
	if err := ctx.Err(); err != nil {
		return stakhanov.ImportResult{}, err
	}
	if b.bad.bad() {
		return stakhanov.ImportResult{}, b.bad.err()
	}
	if err := db.judgeImported(ctx, b.q, b.judge); err != nil {
		return stakhanov.ImportResult{}, err
	}
	if err := db.importState(ctx, b.q, b.judge); err != nil {
		return stakhanov.ImportResult{}, err
	}
	res.Created, res.Existing = b.created, b.exist
	return res, tx.Commit()
}

// reportValues are the columns written per row, in the order of the
// statement's parameters after the first two (?1 reporter_id, ?2
// created_at, the same for every row).
const reportValues = 14

// insertStatement returns the prepared INSERT of n rows.
func (b *reportBatch) insertStatement(n int) (*sql.Stmt, error) {
	if s := b.stmts[n]; s != nil {
		return s, nil
	}
	var q strings.Builder
	q.Grow(200 + n*80)
	q.WriteString(`INSERT OR IGNORE INTO reports (subject_kind, subject_id, unit_id, enterprise_id, good_id, date, shift, minutes,
		produced, accepted, subject_share, note, idem_key, corrects_id, reporter_id, created_at) VALUES `)
	p := 3
	for i := range n {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for range reportValues {
			q.WriteByte('?')
			q.WriteString(strconv.Itoa(p))
			q.WriteString(", ")
			p++
		}
		q.WriteString("?1, ?2)")
	}
	s, err := b.tx.PrepareContext(b.ctx, q.String())
	if err != nil {
		return nil, err
	}
	b.stmts[n] = s
	return s, nil
}

// flush writes the lines held, or, once a line is bad, only compares them
// with the reports holding their shifts and keys.
func (b *reportBatch) flush() error {
	rows := b.rows
	if len(rows) == 0 {
		return nil
	}
	b.rows = b.rows[:0]
	rows, err := b.heldKeys(rows)
	if err != nil || len(rows) == 0 {
		return err
	}
	if b.bad.bad() {
		return b.compare(rows)
	}
	var correction *pendingReport
	if rows[0].r.Corrects != 0 {
		// A correction is alone in its batch.
		correction = &rows[0]
		if ok, err := b.takeCorrected(correction); err != nil || !ok {
			return err
		}
	}
	n := len(rows)
	stmt, err := b.insertStatement(n)
	if err != nil {
		return err
	}
	args := append(b.args[:0], b.reporter, b.now)
	for _, p := range rows {
		r := p.r
		args = append(args, r.Subject.Kind, r.Subject.ID, p.unit, p.enterprise, r.GoodID, r.Date.String(), r.Shift, r.Minutes,
			r.Produced, r.Accepted, r.SubjectShare, r.Note, nullString(r.Key), nullID(r.Corrects))
	}
	b.args = args
	res, err := stmt.ExecContext(b.ctx, args...)
	if err != nil {
		return err
	}
	changes, err := res.RowsAffected()
	if err != nil {
		return err
	}
	var last int64
	if changes > 0 {
		if last, err = res.LastInsertId(); err != nil {
			return err
		}
	}
	written := rows
	if int(changes) != n {
		if written, err = b.sortOut(rows, last-changes+1, last, correction != nil); err != nil {
			return err
		}
	} else {
		for i := range rows {
			rows[i].r.ID = last - int64(n) + 1 + int64(i)
		}
	}
	if correction != nil && len(written) == 1 {
		if _, err := b.q.exec(b.ctx, `UPDATE reports SET superseded_by = ? WHERE id = ?`, correction.r.ID, correction.r.Corrects); err != nil {
			return err
		}
	}
	if err := b.insertTeams(written); err != nil {
		return err
	}
	if err := b.insertKeys(written); err != nil {
		return err
	}
	for _, p := range written {
		b.judge.add(p.r, p.unit)
		b.lines.add(p.r.ID, p.line)
	}
	b.created += len(written)
	return nil
}

// takeCorrected takes the report a correction line corrects out of the
// current ones, pointing at itself until the correction is written. If it
// is no longer current, the line is a replay (the shift's current report
// has its figures: counted as existing) or an error; ok is then false.
func (b *reportBatch) takeCorrected(p *pendingReport) (ok bool, err error) {
	res, err := b.q.exec(b.ctx, `UPDATE reports SET superseded_by = id WHERE id = ? AND superseded_by IS NULL`, p.r.Corrects)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return n == 1, err
	}
	cur, err := b.currentOf([]pendingReport{*p})
	if err != nil {
		return false, err
	}
	if o := cur[p.shift()]; o != nil && p.r.Key == "" && p.r.SameAs(o) {
		b.exist++
		return false, nil
	}
	var by, correction int64
	if err := b.q.queryRow(b.ctx, `SELECT r.superseded_by, `+correctedBy+` FROM reports r WHERE r.id = ?`, p.r.Corrects).Scan(&by, &correction); err != nil {
		return false, err
	}
	b.bad.noteErr(p.line, alreadySuperseded(p.r.Corrects, by, correction != 0))
	return false, nil
}

// sortOut tells, after an INSERT of rows that wrote fewer than all, which
// were written (their ids between first and last); the others are
// compared with the current reports of their shifts. A correction not
// written is an error whatever it finds (its report was taken out of the
// current ones for it).
func (b *reportBatch) sortOut(rows []pendingReport, first, last int64, correction bool) (written []pendingReport, err error) {
	cur, err := b.currentOf(rows)
	if err != nil {
		return nil, err
	}
	taken := map[int64]int{}
	var held []pendingReport
	for _, p := range rows {
		o := cur[p.shift()]
		switch {
		case o == nil:
			return nil, fmt.Errorf("line %d was not written, and its shift has no current report", p.line)
		case o.ID >= first && o.ID <= last && taken[o.ID] == 0:
			taken[o.ID] = p.line
			p.r.ID = o.ID
			written = append(written, p)
		case taken[o.ID] != 0:
			b.bad.note(shiftTwice(p.line, taken[o.ID]))
		case b.lines.line(o.ID) != 0:
			b.bad.note(shiftTwice(p.line, b.lines.line(o.ID)))
		case correction:
			b.bad.note(shiftConflict(p.line, o))
		default:
			held = append(held, p)
		}
	}
	return written, b.compareWith(held, cur, true)
}

// currentOf returns the current reports of the shifts of rows, by shift,
// with their teams.
func (b *reportBatch) currentOf(rows []pendingReport) (map[shiftKey]*stakhanov.Report, error) {
	args := make([]any, 0, 6*len(rows))
	for _, p := range rows {
		args = append(args, p.r.Subject.Kind, p.r.Subject.ID, p.r.GoodID, p.r.Date.String(), p.r.Shift, p.enterprise)
	}
	tuples := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?), ", len(rows)), ", ")
	res, err := b.q.query(b.ctx, "SELECT r.enterprise_id, "+reportColumns+` FROM reports r
		WHERE (r.subject_kind, r.subject_id, r.good_id, r.date, r.shift, r.enterprise_id) IN (VALUES `+tuples+`)
		AND r.superseded_by IS NULL`, args...)
	if err != nil {
		return nil, err
	}
	cur := map[shiftKey]*stakhanov.Report{}
	var list []*stakhanov.Report
	for res.Next() {
		var ent int64
		r, err := scanReport(scanAfter(res, &ent))
		if err != nil {
			res.Close()
			return nil, err
		}
		cur[shiftKey{r.Subject, r.GoodID, r.Date, r.Shift, ent}] = r
		list = append(list, r)
	}
	res.Close()
	if err := res.Err(); err != nil {
		return nil, err
	}
	return cur, loadTeams(b.ctx, b.q, list)
}

// compare checks lines, once a line is bad, against the current reports of
// their shifts: other figures are an error.
func (b *reportBatch) compare(rows []pendingReport) error {
	cur, err := b.currentOf(rows)
	if err != nil {
		return err
	}
	return b.compareWith(rows, cur, false)
}

// compareWith compares lines with the current reports of their shifts:
// the same figures are an existing report (counted when written is set:
// the lines are being written), other figures an error, a report this
// import wrote a shift on two lines. A shift no report holds is fine.
func (b *reportBatch) compareWith(rows []pendingReport, cur map[shiftKey]*stakhanov.Report, written bool) error {
	for _, p := range rows {
		o := cur[p.shift()]
		switch {
		case o == nil:
		case b.lines.line(o.ID) != 0:
			b.bad.note(shiftTwice(p.line, b.lines.line(o.ID)))
		case p.r.Key != "" || !p.r.SameAs(o):
			// A key the shift's report was not written with is another
			// report, not a replay.
			b.bad.note(shiftConflict(p.line, o))
		case written:
			b.exist++
		}
	}
	return nil
}

// heldKeys sorts out the lines whose key a report holds: the same figures
// are an existing report (counted once writing), other figures an error.
// It returns the other lines.
func (b *reportBatch) heldKeys(rows []pendingReport) ([]pendingReport, error) {
	var args []any
	for _, p := range rows {
		if p.r.Key != "" {
			args = append(args, p.r.Key)
		}
	}
	if len(args) == 0 {
		return rows, nil
	}
	res, err := b.q.query(b.ctx, "SELECT "+reportColumns+` FROM report_keys k JOIN reports r ON r.id = k.report_id
		WHERE k.idem_key IN (`+marks(len(args))+")", args...)
	if err != nil {
		return nil, err
	}
	prev := map[string]*stakhanov.Report{}
	var prevs []*stakhanov.Report
	for res.Next() {
		r, err := scanReport(res)
		if err != nil {
			res.Close()
			return nil, err
		}
		prev[r.Key] = r
		prevs = append(prevs, r)
	}
	res.Close()
	if err := res.Err(); err != nil {
		return nil, err
	}
	if err := loadTeams(b.ctx, b.q, prevs); err != nil {
		return nil, err
	}
	free := rows[:0:0]
	for _, p := range rows {
		o := prev[p.r.Key]
		switch {
		case p.r.Key == "" || o == nil:
			free = append(free, p)
		case !p.r.SameAs(o):
			b.bad.note(keyConflict(p.line, p.r, o))
		case !b.bad.bad():
			b.exist++
		}
	}
	return free, nil
}

// insertKeys records the keys of reports just written.
func (b *reportBatch) insertKeys(rows []pendingReport) error {
	var keys []any
	for _, p := range rows {
		if p.r.Key != "" {
			keys = append(keys, p.r.Key, p.r.ID, p.enterprise)
		}
	}
	return b.insertMany(`INSERT INTO report_keys (idem_key, report_id, enterprise_id) VALUES `, "(?, ?, ?)", 3, keys)
}

// teamRows is how many helpers or witnesses one INSERT writes.
const teamRows = 300

// insertTeams writes the helpers and witnesses of reports just written,
// many rows per INSERT.
func (b *reportBatch) insertTeams(rows []pendingReport) error {
	var helpers, witnesses []any
	for _, p := range rows {
		for _, h := range p.r.Helpers {
			helpers = append(helpers, p.r.ID, h.PersonID, *h.Share)
		}
		for _, w := range p.r.Witnesses {
			witnesses = append(witnesses, p.r.ID, w)
		}
	}
	if err := b.insertMany(`INSERT INTO report_helpers (report_id, person_id, share) VALUES `, "(?, ?, ?)", 3, helpers); err != nil {
		return err
	}
	return b.insertMany(`INSERT INTO report_witnesses (report_id, person_id) VALUES `, "(?, ?)", 2, witnesses)
}

func (b *reportBatch) insertMany(insert, tuple string, width int, args []any) error {
	for len(args) > 0 {
		n := min(teamRows, len(args)/width)
		query := insert + strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
		if _, err := b.q.exec(b.ctx, query, args[:n*width]...); err != nil {
			return err
		}
		args = args[n*width:]
	}
	return nil
}

// checkedLine is an import line, read and checked by reportChecker.check
// (err is what it found, unit the report's unit).
type checkedLine struct {
	row  stakhanov.ImportRow[stakhanov.Report]
	unit int64
	err  error
}

// checkAhead reads and checks the lines of an import on a goroutine of its
// own and hands them over in order, a chunk at a time, so that parsing and
// checking the next lines (no query: the directory is in memory) overlaps
// writing these. stop ends the reading, waits for it, and re-raises a
// panic of the reader; it must be called, and may be called twice.
func checkAhead(rows iter.Seq[stakhanov.ImportRow[stakhanov.Report]], chk *reportChecker) (<-chan []checkedLine, func()) {
	out := make(chan []checkedLine, 4)
	done, finished := make(chan struct{}), make(chan struct{})
	var panicked any
	go func() {
		defer close(finished)
		defer close(out)
		defer func() { panicked = recover() }()
		chunk := make([]checkedLine, 0, reportBatchRows)
		for row := range rows {
			c := checkedLine{row: row}
			if len(row.Errors) == 0 && row.Value != nil {
				c.unit, c.err = chk.check(row.Line, row.Value)
			}
			chunk = append(chunk, c)
			if len(chunk) == cap(chunk) {
				select {
				case out <- chunk:
				case <-done:
					return
				}
				chunk = make([]checkedLine, 0, reportBatchRows)
			}
		}
		if len(chunk) > 0 {
			select {
			case out <- chunk:
			case <-done:
			}
		}
	}()
	stopped := false
	return out, func() {
		if !stopped {
			stopped = true
			close(done)
			<-finished
			if panicked != nil {
				panic(panicked)
			}
		}
	}
}
