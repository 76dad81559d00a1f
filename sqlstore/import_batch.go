package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"iter"
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
// touches to a statement journal first, about a page per row for the
// random idempotency keys, which made the import three times slower than
// one row per statement. Every value is checked before, so what is
// ignored is what ON CONFLICT DO NOTHING would skip: a row whose key (or
// correction) is taken.
//
// Which rows were written, and their ids, is learnt without RETURNING
// (which costs SQLite a statement journal per row): the store has one
// writer, and SQLite gives a new row of an INTEGER PRIMARY KEY table the
// largest id plus one, so the rows one INSERT writes get consecutive ids in
// the order of its VALUES, the last being last_insert_rowid. When changes
// equals the batch's size, every row was written. When it does not, one
// SELECT of the batch's keys tells the rest: a key held by a row of those
// ids was written by the first line that has it; any other line with a key
// held was not written and is compared with the report that holds it (one
// query for the batch). A line whose key is free was not written because
// the report it corrects was corrected already: a correction is written in
// a batch of its own, so that this is the only reason it can have.
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
}

type pendingReport struct {
	line int
	r    *stakhanov.Report
	unit int64
}

// importReportsBatched is ImportReports on an engine without a bulk loader
// (SQLite): one transaction, reports written reportBatchRows at a time.
// Once a line is bad, later lines are still checked (a key used before
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
	// fail notes a problem with a line. Before the first, the lines read
	// so far are written, so that their keys are checked as they would be
	// row by row.
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
			b.rows = append(b.rows, pendingReport{row.Line, r, c.unit})
			if len(b.rows) == reportBatchRows || r.Corrects != 0 {
				if err := b.flush(); err != nil {
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
const reportValues = 13

// insertStatement returns the prepared INSERT of n rows.
func (b *reportBatch) insertStatement(n int) (*sql.Stmt, error) {
	if s := b.stmts[n]; s != nil {
		return s, nil
	}
	var q strings.Builder
	q.Grow(200 + n*80)
	q.WriteString(`INSERT OR IGNORE INTO reports (subject_kind, subject_id, unit_id, good_id, date, shift, minutes,
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
// with the reports holding their keys.
func (b *reportBatch) flush() error {
	rows := b.rows
	if len(rows) == 0 {
		return nil
	}
	b.rows = b.rows[:0]
	if b.bad.bad() {
		return b.compare(rows, false)
	}
	n := len(rows)
	stmt, err := b.insertStatement(n)
	if err != nil {
		return err
	}
	args := append(b.args[:0], b.reporter, b.now)
	for _, p := range rows {
		r := p.r
		args = append(args, r.Subject.Kind, r.Subject.ID, p.unit, r.GoodID, r.Date.String(), r.Shift, r.Minutes,
			r.Produced, r.Accepted, r.SubjectShare, r.Note, r.Key, nullID(r.Corrects))
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
	var held []pendingReport
	if int(changes) != n {
		written, held, err = b.sortOut(rows, last-changes+1, last)
		if err != nil {
			return err
		}
	} else {
		for i := range rows {
			rows[i].r.ID = last - int64(n) + 1 + int64(i)
		}
	}
	if err := b.insertTeams(written); err != nil {
		return err
	}
	for _, p := range written {
		b.judge.add(p.r, p.unit)
	}
	b.created += len(written)
	return b.compare(held, true)
}

// sortOut tells, after an INSERT of rows that wrote fewer than all, which
// were written (their ids between first and last) and which found their
// key held; it notes the lines not written for want of a free correction.
func (b *reportBatch) sortOut(rows []pendingReport, first, last int64) (written, held []pendingReport, err error) {
	ids, err := b.keyIDs(rows)
	if err != nil {
		return nil, nil, err
	}
	taken := map[string]bool{}
	for _, p := range rows {
		id, ok := ids[p.r.Key]
		switch {
		case ok && id >= first && id <= last && !taken[p.r.Key]:
			taken[p.r.Key] = true
			p.r.ID = id
			written = append(written, p)
		case ok:
			held = append(held, p)
		default:
			b.bad.note(stakhanov.LineError{Line: p.line, Field: "corrects", Message: fmt.Sprintf("report %d was already corrected", p.r.Corrects)})
		}
	}
	return written, held, nil
}

// keyIDs returns the ids of the reports holding the keys of rows.
func (b *reportBatch) keyIDs(rows []pendingReport) (map[string]int64, error) {
	args := make([]any, len(rows))
	for i, p := range rows {
		args[i] = p.r.Key
	}
	res, err := b.q.query(b.ctx, `SELECT id, idem_key FROM reports WHERE idem_key IN (`+marks(len(args))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer res.Close()
	ids := make(map[string]int64, len(rows))
	for res.Next() {
		var id int64
		var key string
		if err := res.Scan(&id, &key); err != nil {
			return nil, err
		}
		ids[key] = id
	}
	return ids, res.Err()
}

// compare checks lines against the reports holding their keys: the same
// figures are an existing report (counted when written is set: the lines
// are being written), other figures an error. A key no report holds is
// fine.
func (b *reportBatch) compare(rows []pendingReport, written bool) error {
	if len(rows) == 0 {
		return nil
	}
	args := make([]any, len(rows))
	for i, p := range rows {
		args[i] = p.r.Key
	}
	res, err := b.q.query(b.ctx, "SELECT "+reportColumns+" FROM reports r WHERE r.idem_key IN ("+marks(len(args))+")", args...)
	if err != nil {
		return err
	}
	prev := map[string]*stakhanov.Report{}
	var prevs []*stakhanov.Report
	for res.Next() {
		r, err := scanReport(res)
		if err != nil {
			res.Close()
			return err
		}
		prev[r.Key] = r
		prevs = append(prevs, r)
	}
	res.Close()
	if err := res.Err(); err != nil {
		return err
	}
	if err := loadTeams(b.ctx, b.q, prevs); err != nil {
		return err
	}
	for _, p := range rows {
		o := prev[p.r.Key]
		switch {
		case o == nil:
		case !p.r.SameAs(o):
			b.bad.note(keyConflict(p.line, p.r, o))
		case written:
			b.exist++
		}
	}
	return nil
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
				c.unit, c.err = chk.check(row.Value)
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
