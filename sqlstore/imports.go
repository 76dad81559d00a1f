package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"

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
	bad := &stakhanov.ImportError{}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	q := querier{tx, db.dialect}
	note := func(e stakhanov.LineError) {
		if len(bad.Lines) < stakhanov.MaxImportErrors {
			bad.Lines = append(bad.Lines, e)
		} else {
			bad.Truncated++
		}
	}
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
	if len(bad.Lines) > 0 {
		return stakhanov.ImportResult{}, bad
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
}

func (db *DB) loadDirectory(ctx context.Context) (*directory, error) {
	d := &directory{personUnit: map[int64]int64{}, unitPath: map[int64]string{}, goods: map[int64]bool{}}
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
		err = load("SELECT id, path FROM units", func(r *sql.Rows) error {
			var id int64
			var path string
			err := r.Scan(&id, &path)
			d.unitPath[id] = path
			return err
		})
	}
	if err == nil {
		err = load("SELECT id FROM goods", func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			d.goods[id] = true
			return err
		})
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

// ImportReports writes shift reports. A line whose key was imported before
// with the same figures is counted as existing; with other figures it is an
// error.
func (db *DB) ImportReports(ctx context.Context, rows iter.Seq[stakhanov.ImportRow[stakhanov.Report]]) (stakhanov.ImportResult, error) {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RoleForeman)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	dir, err := db.loadDirectory(ctx)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	now := db.now().UTC()
	corrected := map[int64]bool{}
	var insert *sql.Stmt
	// The plausibility rules are applied after the last line (judgeImported).
	judge := &importJudge{}
	return importRows(ctx, db, rows, func(q querier, r *stakhanov.Report, write bool) (bool, error) {
		if err := r.Validate(); err != nil {
			return false, err
		}
		unit, err := dir.subject(who, r.Subject, "subject")
		if err != nil {
			return false, err
		}
		if err := dir.good(r.GoodID); err != nil {
			return false, err
		}
		for _, h := range r.Helpers {
			if err := dir.person(h.PersonID, "helpers"); err != nil {
				return false, err
			}
		}
		for _, w := range r.Witnesses {
			if err := dir.person(w, "witnesses"); err != nil {
				return false, err
			}
			if r.Subject == stakhanov.PersonSubject(w) || r.HasHelper(w) {
				return false, stakhanov.FieldErrorf("witnesses", "person %d worked the shift and cannot witness it", w)
			}
		}
		if r.Corrects != 0 {
			if corrected[r.Corrects] {
				return false, stakhanov.FieldErrorf("corrects", "report %d is corrected twice in this file", r.Corrects)
			}
			corrected[r.Corrects] = true
			var n int
			if err := q.queryRow(ctx, `SELECT COUNT(*) FROM reports WHERE id = ?`, r.Corrects).Scan(&n); err != nil {
				return false, err
			}
			if n == 0 {
				return false, stakhanov.FieldErrorf("corrects", "report %d not found", r.Corrects)
			}
		}
		if !write {
			// Nothing more is written, but a key already used for other
			// figures is still worth naming.
			if err := sameAsImported(ctx, q, r); err != nil && !errors.Is(err, errKeyFree) {
				return false, err
			}
			return false, nil
		}
		if insert == nil {
			query := `INSERT INTO reports (subject_kind, subject_id, unit_id, good_id, date, shift, minutes,
				produced, accepted, subject_share, note, idem_key, corrects_id, reporter_id, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
			if !db.dialect.LastInsertID() {
				query += " RETURNING id"
			}
			insert, err = q.q.(*sql.Tx).PrepareContext(ctx, rebind(db.dialect, query))
			if err != nil {
				return false, err
			}
		}
		args := []any{r.Subject.Kind, r.Subject.ID, unit, r.GoodID, r.Date, r.Shift, r.Minutes,
			r.Produced, r.Accepted, r.SubjectShare, r.Note, r.Key, nullID(r.Corrects), nullID(who.ID), now}
		inserted, err := execInsert(ctx, db.dialect, insert, &r.ID, args)
		if err != nil {
			return false, err
		}
		if !inserted {
			if err := sameAsImported(ctx, q, r); err != nil && !errors.Is(err, errKeyFree) {
				return false, err
			} else if errors.Is(err, errKeyFree) {
				return false, stakhanov.FieldErrorf("corrects", "report %d was already corrected", r.Corrects)
			}
			return false, nil
		}
		judge.add(r, unit)
		return true, insertTeam(ctx, q, r)
	}, func(q querier) error { return db.judgeImported(ctx, q, judge) })
}

// errKeyFree is sameAsImported's answer when no report has the key.
var errKeyFree = errors.New("key not used")

// execInsert runs a prepared INSERT ... ON CONFLICT DO NOTHING and reports
// whether a row was inserted, setting *id. RETURNING costs SQLite a
// statement journal per row (it made imports three times slower), so
// where the driver gives the last insert id, that is used instead.
func execInsert(ctx context.Context, d Dialect, stmt *sql.Stmt, id *int64, args []any) (bool, error) {
	if !d.LastInsertID() {
		err := stmt.QueryRowContext(ctx, args...).Scan(id)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	}
	res, err := stmt.ExecContext(ctx, args...)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	*id, err = res.LastInsertId()
	return err == nil, err
}

// sameAsImported checks that a report whose key is already taken records
// the same figures; if not, the line is in error. It returns errKeyFree if
// no report has the key.
func sameAsImported(ctx context.Context, q querier, r *stakhanov.Report) error {
	prev, err := scanReport(q.queryRow(ctx, "SELECT "+reportColumns+" FROM reports r WHERE r.idem_key = ?", r.Key))
	if errors.Is(err, sql.ErrNoRows) {
		return errKeyFree
	} else if err != nil {
		return err
	}
	if err := loadTeams(ctx, q, []*stakhanov.Report{prev}); err != nil {
		return err
	}
	if !r.SameAs(prev) {
		return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "key",
			Message: fmt.Sprintf("key %q was already used for report %d, with other figures", r.Key, prev.ID)}
	}
	return nil
}

// ImportNorms writes norm versions. A line identical to a version already
// held (subject, good, date, amount, reason) is counted as existing.
func (db *DB) ImportNorms(ctx context.Context, rows iter.Seq[stakhanov.ImportRow[stakhanov.Norm]]) (stakhanov.ImportResult, error) {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	dir, err := db.loadDirectory(ctx)
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	return importRows(ctx, db, rows, func(q querier, n *stakhanov.Norm, write bool) (bool, error) {
		if err := n.Validate(); err != nil {
			return false, err
		}
		if _, err := dir.subject(who, n.Subject, "subject"); err != nil {
			return false, err
		}
		if err := dir.good(n.GoodID); err != nil {
			return false, err
		}
		if !write {
			return false, nil
		}
		var held int
		if err := q.queryRow(ctx, `SELECT COUNT(*) FROM norms WHERE subject_kind = ? AND subject_id = ? AND good_id = ?
			AND effective_from = ? AND amount = ? AND reason = ?`,
			n.Subject.Kind, n.Subject.ID, n.GoodID, n.EffectiveFrom, n.Amount, n.Reason).Scan(&held); err != nil {
			return false, err
		}
		if held > 0 {
			return false, nil
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
