package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/stakhanov/stakhanov"
)

// closesLockKey is the PostgreSQL advisory lock that orders closes and
// report writes: a report write holds it shared from before it reads the
// closes until it commits, a close holds it alone. Without it a report
// could read "not closed", the close could keep its figures, and the
// report commit after them, neither late nor in the final figures. On
// SQLite every write has the one connection in turn.
const closesLockKey = 0x5354414b48 // "STAKH"

func (db *DB) lockCloses(ctx context.Context, q querier, exclusive bool) error {
	if db.dialect.Name() != "postgres" {
		return nil
	}
	fn := "pg_advisory_xact_lock_shared"
	if exclusive {
		fn = "pg_advisory_xact_lock"
	}
	_, err := q.exec(ctx, "SELECT "+fn+"(?)", int64(closesLockKey))
	return err
}

const closeColumns = "c.id, c.unit_id, u.name, c.month, c.reason, COALESCE(c.closed_by, 0), c.closed_at, c.results"

func scanClose(row interface{ Scan(...any) error }) (*stakhanov.PeriodClose, error) {
	c := &stakhanov.PeriodClose{}
	err := row.Scan(&c.ID, &c.UnitID, &c.Unit, &c.Month, &c.Reason, &c.ClosedBy, &c.ClosedAt, &c.Results)
	return c, err
}

// closedFor returns the close of d's month for the unit at path or a unit
// above it, or nil.
func closedFor(ctx context.Context, q querier, path string, d stakhanov.Date) (*stakhanov.PeriodClose, error) {
	ids := pathIDs(path)
	if len(ids) == 0 || d.IsZero() {
		return nil, nil
	}
	c, err := scanClose(q.queryRow(ctx, "SELECT "+closeColumns+` FROM period_closes c JOIN units u ON u.id = c.unit_id
		WHERE c.month = ? AND c.unit_id IN (`+marks(len(ids))+`) ORDER BY c.id LIMIT 1`, append([]any{d.FirstOfMonth()}, int64sToArgs(ids)...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return c, err
}

// checkLate decides whether a report for the unit at path on d is late:
// not where its month is open; where it is closed, only if the writer
// said so (Report.Late) and gave a note saying why.
func checkLate(ctx context.Context, q querier, path string, r *stakhanov.Report, d stakhanov.Date, field string) (late bool, err error) {
	c, err := closedFor(ctx, q, path, d)
	if err != nil || c == nil {
		return false, err
	}
	if !r.Late {
		return false, stakhanov.ClosedMonth(field, c)
	}
	if r.Note == "" {
		return false, stakhanov.FieldErrorf("note", "a late correction needs a note saying why it comes after %s was closed", stakhanov.MonthName(c.Month))
	}
	return true, nil
}

// closedMonths are the closes an import checks its lines against: by
// unit, the months closed for it (not for the units under it).
type closedMonths map[int64]map[stakhanov.Date]*stakhanov.PeriodClose

func loadCloses(ctx context.Context, q querier) (closedMonths, error) {
	out := closedMonths{}
	err := eachRow(ctx, q, "SELECT "+closeColumns+" FROM period_closes c JOIN units u ON u.id = c.unit_id", nil, func(rows *sql.Rows) error {
		c, err := scanClose(rows)
		if err != nil {
			return err
		}
		if out[c.UnitID] == nil {
			out[c.UnitID] = map[stakhanov.Date]*stakhanov.PeriodClose{}
		}
		out[c.UnitID][c.Month] = c
		return nil
	})
	return out, err
}

// of returns the close of d's month for the unit at path or above it.
func (cm closedMonths) of(path string, d stakhanov.Date) *stakhanov.PeriodClose {
	if len(cm) == 0 {
		return nil
	}
	month := d.FirstOfMonth()
	for _, id := range pathIDs(path) {
		if c := cm[id][month]; c != nil {
			return c
		}
	}
	return nil
}

// ClosePeriod closes a month for a unit's tree and keeps, as its final
// figures, the month totals of every person and unit under it.
func (db *DB) ClosePeriod(ctx context.Context, c *stakhanov.PeriodClose) error {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return err
	}
	if err := c.Validate(db.today()); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		if err := db.lockCloses(ctx, q, true); err != nil {
			return err
		}
		unit, err := findUnit(ctx, q, c.UnitID)
		if err != nil {
			return stakhanov.FieldErrorf("unit_id", "unit %d not found", c.UnitID)
		}
		if err := requireScope(who, unit.Path, unit.Name); err != nil {
			return err
		}
		prev, err := closedFor(ctx, q, unit.Path, c.Month)
		if err != nil {
			return err
		}
		if prev != nil {
			return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "month", Message: fmt.Sprintf("%s was already closed for %s on %s (%s)",
				stakhanov.MonthName(c.Month), prev.Unit, prev.ClosedAt.Format("2006-01-02"), prev.Reason)}
		}
		c.Unit, c.ClosedBy, c.ClosedAt = unit.Name, who.ID, db.now().UTC()
		if c.ID, err = q.insert(ctx, `INSERT INTO period_closes (unit_id, month, reason, closed_by, closed_at, results) VALUES (?, ?, ?, ?, ?, 0)`,
			c.UnitID, c.Month, c.Reason, nullID(who.ID), c.ClosedAt); err != nil {
			return err
		}
		// A subject may have totals under two enterprises (a person who
		// moved): one final figure per subject and good.
		res, err := q.exec(ctx, `INSERT INTO period_results (close_id, subject_kind, subject_id, good_id, shifts, shifts_without_norm,
			produced, accepted, held, norm, normed_accepted, late)
			SELECT ?, fp.subject_kind, fp.subject_id, fp.good_id, SUM(fp.shifts), SUM(fp.shifts_without_norm), SUM(fp.produced),
				SUM(fp.accepted), SUM(fp.held), SUM(fp.norm), SUM(fp.normed_accepted), SUM(fp.late)
			FROM fulfilment_periods fp
			WHERE fp.period = ? AND fp.start = ? AND fp.unit_id IN (SELECT id FROM units WHERE path LIKE ?)
			GROUP BY fp.subject_kind, fp.subject_id, fp.good_id`, c.ID, stakhanov.PeriodMonth, c.Month, unit.Path+"%")
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		c.Results = int(n)
		_, err = q.exec(ctx, `UPDATE period_closes SET results = ? WHERE id = ?`, c.Results, c.ID)
		return err
	})
}

// FindPeriodCloses lists closes touching a unit's tree: the unit's own,
// those of the units above it (which close it too) and those of the units
// under it; the latest month first.
func (db *DB) FindPeriodCloses(ctx context.Context, f stakhanov.PeriodCloseFilter) ([]*stakhanov.PeriodClose, int, error) {
	q := db.reader()
	w := &where{}
	if f.UnitID != 0 {
		unit, err := queryUnit(ctx, q, f.UnitID)
		if err != nil {
			return nil, 0, err
		}
		ids := pathIDs(unit.Path)
		w.add("(u.path LIKE ? OR c.unit_id IN ("+marks(len(ids))+"))", append([]any{unit.Path + "%"}, int64sToArgs(ids)...)...)
	}
	if !f.Month.IsZero() {
		w.add("c.month = ?", f.Month.FirstOfMonth())
	}
	return list(ctx, q, closeColumns, "period_closes c JOIN units u ON u.id = c.unit_id", w, "c.month DESC, c.id DESC", f.Page,
		func(rows *sql.Rows) (*stakhanov.PeriodClose, error) { return scanClose(rows) })
}

func (db *DB) FindPeriodCloseByID(ctx context.Context, id int64) (*stakhanov.PeriodClose, error) {
	c, err := scanClose(db.reader().queryRow(ctx, "SELECT "+closeColumns+" FROM period_closes c JOIN units u ON u.id = c.unit_id WHERE c.id = ?", id))
	if err != nil {
		return nil, notFound("close", id, err)
	}
	return c, nil
}

// FindPeriodResults lists a close's final figures: units first, then
// people, by name.
func (db *DB) FindPeriodResults(ctx context.Context, closeID int64, p stakhanov.Page) ([]*stakhanov.PeriodResult, int, error) {
	c, err := db.FindPeriodCloseByID(ctx, closeID)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	w.add("r.close_id = ?", closeID)
	const name = `CASE WHEN r.subject_kind = 'person' THEN (SELECT p.name FROM people p WHERE p.id = r.subject_id)
		ELSE (SELECT u.name FROM units u WHERE u.id = r.subject_id) END`
	return list(ctx, db.reader(), `r.subject_kind, r.subject_id, `+name+`, r.good_id, r.shifts, r.shifts_without_norm, r.produced,
		r.accepted, r.held, r.norm, r.normed_accepted, r.late`, "period_results r", w,
		"CASE WHEN r.subject_kind = 'unit' THEN 0 ELSE 1 END, 3, r.subject_id, r.good_id", p,
		func(rows *sql.Rows) (*stakhanov.PeriodResult, error) {
			res := &stakhanov.PeriodResult{CloseID: closeID}
			var t stakhanov.PeriodTotals
			var good int64
			if err := rows.Scan(&res.Subject.Kind, &res.Subject.ID, &res.Name, &good, &t.Shifts, &t.ShiftsWithoutNorm, &t.Produced,
				&t.Accepted, &t.Held, &t.Norm, &t.NormedAccepted, &t.Late); err != nil {
				return nil, err
			}
			res.Fulfilment = t.Row(stakhanov.PeriodMonth, c.Month, good)
			return res, nil
		})
}
