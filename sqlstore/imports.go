package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/stakhanov/stakhanov"
)

// importRows runs an import in one transaction. handle checks one row and,
// when write is set, writes it; an *stakhanov.Error it returns is a problem
// with that line, any other error ends the import. Once a line is bad,
// later lines are still checked so that every problem is reported, but
// nothing more is written and the transaction is rolled back. finish, if
// not nil, runs after the last line of a good import, before the commit.
func importRows[T any](ctx context.Context, db *DB, rows iter.Seq[stakhanov.ImportRow[T]],
	handle func(q querier, v *T, write bool) (created bool, err error), finish func(q querier) error) (stakhanov.ImportResult, error) {
	var res stakhanov.ImportResult
	bad := &lineErrors{}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	q := querier{q: tx, d: db.dialect}
	note := bad.note
	for row := range rows {
		res.Lines++
		if len(row.Errors) > 0 || row.Value == nil {
			for _, e := range row.Errors {
				note(e)
			}
			continue
		}
		write := len(bad.Lines) == 0
		created, err := handle(q, row.Value, write)
		var e *stakhanov.Error
		if errors.As(err, &e) {
			note(stakhanov.LineError{Line: row.Line, Field: e.Field, Message: e.Message})
			continue
		} else if err != nil {
			return stakhanov.ImportResult{}, fmt.Errorf("line %d: %w", row.Line, err)
		}
		if created {
			res.Created++
		} else if write {
			res.Existing++
		}
	}
	if err := ctx.Err(); err != nil {
		return stakhanov.ImportResult{}, err
	}
	if bad.bad() {
		return stakhanov.ImportResult{}, bad.err()
	}
	if finish != nil {
		if err := finish(q); err != nil {
			return stakhanov.ImportResult{}, err
		}
	}
	return res, tx.Commit()
}

// directory holds what imports look up on every line, loaded once so that
// a line costs no query but its insert.
type directory struct {
	personUnit map[int64]int64
	unitPath   map[int64]string
	goods      map[int64]bool
	// rules holds each good's bound per shift (its rules reduced to
	// MaxPerShift) and measure, for CheckReport and CheckNorm.
	rules   map[int64]stakhanov.PlausibilityRules
	measure map[int64]string
	// enterprise is each unit's enterprise, as reports record it
	// (reportEnterprise).
	enterprise map[int64]int64
}

func (db *DB) loadDirectory(ctx context.Context) (*directory, error) {
	d := &directory{personUnit: map[int64]int64{}, unitPath: map[int64]string{}, goods: map[int64]bool{},
		rules: map[int64]stakhanov.PlausibilityRules{}, measure: map[int64]string{}, enterprise: map[int64]int64{}}
	isEnterprise := map[int64]bool{}
	q := db.reader()
	load := func(query string, scan func(*sql.Rows) error) error {
		rows, err := q.query(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	err := load("SELECT id, unit_id FROM people", func(r *sql.Rows) error {
		var id, unit int64
		err := r.Scan(&id, &unit)
		d.personUnit[id] = unit
		return err
	})
	if err == nil {
		err = load("SELECT id, path, kind FROM units", func(r *sql.Rows) error {
			var id int64
			var path, kind string
			err := r.Scan(&id, &path, &kind)
			d.unitPath[id] = path
			isEnterprise[id] = kind == stakhanov.UnitEnterprise
			return err
		})
	}
	if err == nil {
		err = load(`SELECT g.id, g.measure, COALESCE((SELECT p.max_per_shift FROM good_plausibility p WHERE p.good_id = g.id
			ORDER BY p.version DESC LIMIT 1), `+strconv.FormatFloat(stakhanov.DefaultMaxPerShift, 'f', -1, 64)+`) FROM goods g`, func(r *sql.Rows) error {
			var id int64
			var measure string
			var max float64
			err := r.Scan(&id, &measure, &max)
			d.goods[id] = true
			d.rules[id], d.measure[id] = stakhanov.PlausibilityRules{MaxPerShift: max}, measure
			return err
		})
	}
	for id, path := range d.unitPath {
		if ids := pathIDs(path); len(ids) > 0 {
			d.enterprise[id] = nearestEnterprise(ids, func(id int64) bool { return isEnterprise[id] })
		}
	}
	return d, err
}

// subject returns the unit of a subject and checks it is in who's scope.
func (d *directory) subject(who *stakhanov.User, s stakhanov.Subject, field string) (int64, error) {
	unit := s.ID
	if s.Kind == stakhanov.SubjectPerson {
		var ok bool
		if unit, ok = d.personUnit[s.ID]; !ok {
			return 0, stakhanov.FieldErrorf(field, "person %d not found", s.ID)
		}
	}
	path, ok := d.unitPath[unit]
	if !ok {
		return 0, stakhanov.FieldErrorf(field, "unit %d not found", unit)
	}
	if !who.Covers(path) {
		return 0, stakhanov.FieldErrorf(field, "%s is outside %s's units", s, who.Name)
	}
	return unit, nil
}

func (d *directory) person(id int64, field string) error {
	if _, ok := d.personUnit[id]; !ok {
		return stakhanov.FieldErrorf(field, "person %d not found", id)
	}
	return nil
}

func (d *directory) good(id int64) error {
	if !d.goods[id] {
		return stakhanov.FieldErrorf("good", "good %d not found", id)
	}
	return nil
}

// ImportReports writes shift reports. A line for a shift that has a
// current report with the same figures (or whose key was imported before
// with the same figures) is counted as existing; with other figures it is
// an error naming that report, as is a shift on two lines of the file.
//
// Every line is checked in memory against a directory loaded once (no
// query per line); the rows are then written in bulk, by the engine's
// fastest path: on PostgreSQL, streamed with COPY into a staging table and
// moved into reports with one INSERT ... SELECT (importReportsCopy); on
// SQLite, many rows per prepared INSERT (importReportsBatched).
func (db *DB) ImportReports(ctx context.Context, rows iter.Seq[stakhanov.ImportRow[stakhanov.Report]]) (stakhanov.ImportResult, error) {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RoleForeman)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	dir, err := db.loadDirectory(ctx)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	chk := &reportChecker{who: who, dir: dir, corrected: map[int64]bool{}, keys: map[string]int{}, now: db.now(), loc: db.loc}
	var res stakhanov.ImportResult
	if c, ok := db.dialect.(Copier); ok {
		res, err = db.importReportsCopy(ctx, c, chk, rows)
	} else {
		res, err = db.importReportsBatched(ctx, chk, rows)
	}
	if err == nil && res.Created > 0 {
		// Once the import has given its connection back: on SQLite it is
		// the only one that writes.
		db.analyze(ctx)
	}
	return res, err
}

// reportChecker checks import lines without a query: everything but
// whether the report a line corrects exists.
type reportChecker struct {
	who       *stakhanov.User
	dir       *directory
	corrected map[int64]bool
	// now and loc tell which day today is: no line may be dated after it.
	now time.Time
	loc *time.Location
	// keys are the lines of the keys given so far (most files give none).
	keys map[string]int
	// closes are the months closed (loadCloses), read in the import's
	// transaction before the first line is checked.
	closes closedMonths
}

// loadCloses reads the closes a file's lines are checked against, in the
// import's transaction, under the closes' lock.
func (c *reportChecker) loadCloses(ctx context.Context, db *DB, q querier) error {
	if err := db.lockCloses(ctx, q, false); err != nil {
		return err
	}
	var err error
	c.closes, err = loadCloses(ctx, q)
	return err
}

// check validates the report of a line and returns its unit; an
// *stakhanov.Error is a problem with the line.
func (c *reportChecker) check(line int, r *stakhanov.Report) (int64, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	if err := stakhanov.CheckNotAfterToday("date", r.Date, c.now, c.loc); err != nil {
		return 0, err
	}
	unit, err := c.dir.subject(c.who, r.Subject, "subject")
	if err != nil {
		return 0, err
	}
	if cl := c.closes.of(c.dir.unitPath[unit], r.Date); cl != nil {
		// A late correction is one report, sent on its own with its
		// reason; a file is the month's ordinary work.
		return 0, &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "date", Message: fmt.Sprintf(
			"%s is closed for %s (closed %s): a late correction is sent on its own (the report form, or POST /api/v1/reports with late set), not in a file",
			stakhanov.MonthName(cl.Month), cl.Unit, cl.ClosedAt.Format("2006-01-02"))}
	}
	if r.Key != "" {
		if l, ok := c.keys[r.Key]; ok {
			return 0, &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "key", Message: fmt.Sprintf("key %q is also on line %d", r.Key, l)}
		}
		c.keys[r.Key] = line
	}
	if err := c.dir.good(r.GoodID); err != nil {
		return 0, err
	}
	if err := c.dir.rules[r.GoodID].CheckReport(r, c.dir.measure[r.GoodID]); err != nil {
		return 0, err
	}
	for _, h := range r.Helpers {
		if err := c.dir.person(h.PersonID, "helpers"); err != nil {
			return 0, err
		}
	}
	for _, w := range r.Witnesses {
		if err := c.dir.person(w, "witnesses"); err != nil {
			return 0, err
		}
		if r.Subject == stakhanov.PersonSubject(w) || r.HasHelper(w) {
			return 0, stakhanov.FieldErrorf("witnesses", "person %d worked the shift and cannot witness it", w)
		}
	}
	if r.Corrects != 0 {
		if c.corrected[r.Corrects] {
			return 0, stakhanov.FieldErrorf("corrects", "report %d is corrected twice in this file", r.Corrects)
		}
		c.corrected[r.Corrects] = true
	}
	return unit, nil
}

// lineErrors keeps an import's problems: the first MaxImportErrors in line
// order, however they were found (a bulk write finds some after later
// lines were read), and the count of the others.
type lineErrors struct {
	stakhanov.ImportError
}

func (b *lineErrors) note(e stakhanov.LineError) {
	n := len(b.Lines)
	i := n
	if n > 0 && b.Lines[n-1].Line > e.Line {
		i = sort.Search(n, func(i int) bool { return b.Lines[i].Line > e.Line })
	}
	if n < stakhanov.MaxImportErrors {
		b.Lines = slices.Insert(b.Lines, i, e)
		return
	}
	b.Truncated++
	if i < n {
		// e comes before the last kept: keep it instead.
		copy(b.Lines[i+1:], b.Lines[i:n-1])
		b.Lines[i] = e
	}
}

// noteErr notes err as a problem with line if it is an *stakhanov.Error,
// and reports whether it was; any other error is returned.
func (b *lineErrors) noteErr(line int, err error) (bool, error) {
	var e *stakhanov.Error
	if errors.As(err, &e) {
		b.note(stakhanov.LineError{Line: line, Field: e.Field, Message: e.Message})
		return true, nil
	}
	return false, err
}

func (b *lineErrors) bad() bool { return len(b.Lines) > 0 }

func (b *lineErrors) err() *stakhanov.ImportError {
	e := b.ImportError
	return &e
}

// keyConflict is the problem with a line whose key is held by prev, a
// report with other figures.
func keyConflict(line int, r, prev *stakhanov.Report) stakhanov.LineError {
	return stakhanov.LineError{Line: line, Field: "key",
		Message: fmt.Sprintf("key %q was already used for report %d, with other figures", r.Key, prev.ID)}
}

// shiftConflict is the problem with a line for a shift whose current
// report, cur, has other figures.
func shiftConflict(line int, cur *stakhanov.Report) stakhanov.LineError {
	return stakhanov.LineError{Line: line, Field: "shift",
		Message: fmt.Sprintf("this shift already has report %d, with other figures: to change it, give %d in the corrects column", cur.ID, cur.ID)}
}

// shiftTwice is the problem with a line for a shift an earlier line of the
// file has.
func shiftTwice(line, first int) stakhanov.LineError {
	return stakhanov.LineError{Line: line, Field: "shift",
		Message: fmt.Sprintf("line %d is for the same shift (subject, good, date and shift): one report per shift", first)}
}

// ImportNorms writes norm versions. A line that restates the latest
// version for its subject, good and day (Norm.SameAs) is counted as
// existing, as CreateNorm answers it. A file may set each subject's norm
// for a good and day once, so that importing it again adds nothing.
func (db *DB) ImportNorms(ctx context.Context, rows iter.Seq[stakhanov.ImportRow[stakhanov.Norm]]) (stakhanov.ImportResult, error) {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	dir, err := db.loadDirectory(ctx)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	type day struct {
		subject stakhanov.Subject
		good    int64
		from    stakhanov.Date
	}
	seen := map[day]bool{}
	return importRows(ctx, db, rows, func(q querier, n *stakhanov.Norm, write bool) (bool, error) {
		if err := n.Validate(); err != nil {
			return false, err
		}
		k := day{n.Subject, n.GoodID, n.EffectiveFrom}
		if seen[k] {
			return false, stakhanov.FieldErrorf("effective_from", "%s's norm for good %d from %s is set twice in this file: keep one line for it",
				n.Subject, n.GoodID, n.EffectiveFrom)
		}
		seen[k] = true
		if _, err := dir.subject(who, n.Subject, "subject"); err != nil {
			return false, err
		}
		if err := dir.good(n.GoodID); err != nil {
			return false, err
		}
		if err := dir.rules[n.GoodID].CheckNorm(n, dir.measure[n.GoodID]); err != nil {
			return false, err
		}
		if !write {
			return false, nil
		}
		if held, err := heldNorm(ctx, q, n); err != nil || held != nil {
			return false, err
		}
		return true, db.insertNorm(ctx, q, who, n)
	}, nil)
}

// ImportPeople writes people, recognised by their personnel code.
func (db *DB) ImportPeople(ctx context.Context, rows iter.Seq[stakhanov.ImportRow[stakhanov.Person]]) (stakhanov.ImportResult, error) {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	dir, err := db.loadDirectory(ctx)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	codes := map[string]bool{}
	now := db.now().UTC()
	return importRows(ctx, db, rows, func(q querier, p *stakhanov.Person, write bool) (bool, error) {
		if err := p.Validate(); err != nil {
			return false, err
		}
		if p.Code == "" {
			return false, stakhanov.FieldErrorf("code", "code is required: a personnel number that names the person on re-import")
		}
		if codes[p.Code] {
			return false, stakhanov.FieldErrorf("code", "code %q appears twice in this file", p.Code)
		}
		codes[p.Code] = true
		if _, err := dir.subject(who, stakhanov.UnitSubject(p.UnitID), "unit_id"); err != nil {
			return false, err
		}
		if !write {
			return false, nil
		}
		prev, err := scanPerson(q.queryRow(ctx, "SELECT "+personColumns+" FROM people p WHERE p.code = ?", p.Code))
		if err == nil {
			if prev.Name != p.Name || prev.UnitID != p.UnitID || prev.Profession != p.Profession {
				return false, &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "code",
					Message: fmt.Sprintf("code %q already names person %d (%s)", p.Code, prev.ID, prev.Name)}
			}
			return false, nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return false, err
		}
		p.CreatedAt, p.CreatedBy = now, who.ID
		p.ID, err = q.insert(ctx, `INSERT INTO people (unit_id, code, name, profession, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
			p.UnitID, p.Code, p.Name, p.Profession, now, nullID(who.ID))
		return err == nil, err
	}, nil)
}
