package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/stakhanov/stakhanov"
)

const planColumns = "id, unit_id, good_id, period, start, quantity, phases, reason, version, COALESCE(set_by, 0), created_at"

func scanPlan(row interface{ Scan(...any) error }) (*stakhanov.Plan, error) {
	p := &stakhanov.Plan{}
	var phases string
	if err := row.Scan(&p.ID, &p.UnitID, &p.GoodID, &p.Period, &p.Start, &p.Quantity, &phases, &p.Reason, &p.Version, &p.SetBy, &p.CreatedAt); err != nil {
		return nil, err
	}
	var err error
	if p.Phases, err = decodePhases(phases); err != nil {
		return nil, fmt.Errorf("plan %d: %w", p.ID, err)
	}
	return p, nil
}

// decodePhases reads a plan's phases as stored: a JSON array, empty for
// none.
func decodePhases(v string) ([]float64, error) {
	var phases []float64
	if err := json.Unmarshal([]byte(v), &phases); err != nil {
		return nil, fmt.Errorf("phases %q: %w", v, err)
	}
	if len(phases) == 0 {
		return nil, nil
	}
	return phases, nil
}

// inForce keeps, of a unit's, good's, period's and start's versions, the
// latest.
const inForce = `NOT EXISTS (SELECT 1 FROM plans l WHERE l.unit_id = plans.unit_id AND l.good_id = plans.good_id
	AND l.period = plans.period AND l.start = plans.start AND l.version > plans.version)`

// CreatePlan adds a version of a plan, unless it restates the version in
// force (Plan.SameAs): then p becomes that version, marked Present.
func (db *DB) CreatePlan(ctx context.Context, p *stakhanov.Plan) error {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		unit, err := findUnit(ctx, q, p.UnitID)
		if err != nil {
			return stakhanov.FieldErrorf("unit_id", "unit %d not found", p.UnitID)
		}
		if unit.Kind != stakhanov.UnitCollective && unit.Kind != stakhanov.UnitEnterprise {
			return stakhanov.FieldErrorf("unit_id", "%s is a %s: plans are for collectives and enterprises", unit.Name, unit.Kind)
		}
		if err := requireScope(who, unit.Path, unit.Name); err != nil {
			return err
		}
		if err := goodExists(ctx, q, p.GoodID, "good_id"); err != nil {
			return err
		}
		latest, err := scanPlan(q.queryRow(ctx, "SELECT "+planColumns+` FROM plans
			WHERE unit_id = ? AND good_id = ? AND period = ? AND start = ? ORDER BY version DESC LIMIT 1`, p.UnitID, p.GoodID, p.Period, p.Start))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			p.Version = 1
		case err != nil:
			return err
		case p.SameAs(latest):
			*p = *latest
			p.Present = true
			return nil
		default:
			p.Version = latest.Version + 1
		}
		enterprise, err := reportEnterprise(ctx, q, unit.Path)
		if err != nil {
			return err
		}
		phases, err := json.Marshal(p.Phases)
		if err != nil {
			return err
		}
		if len(p.Phases) == 0 {
			phases = []byte("[]")
		}
		p.SetBy, p.CreatedAt = who.ID, db.now().UTC()
		p.ID, err = q.insert(ctx, `INSERT INTO plans (unit_id, enterprise_id, good_id, period, start, quantity, phases, reason, version, set_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.UnitID, enterprise, p.GoodID, p.Period, p.Start, p.Quantity, string(phases), p.Reason, p.Version, nullID(who.ID), p.CreatedAt)
		if db.dialect.IsUniqueViolation(err) {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "another version of this plan was set at the same moment; look at it and try again")
		}
		return err
	})
}

// FindPlanVersions lists a plan's versions, oldest first.
func (db *DB) FindPlanVersions(ctx context.Context, unitID, goodID int64, period string, start stakhanov.Date) ([]*stakhanov.Plan, error) {
	rows, err := db.reader().query(ctx, "SELECT "+planColumns+` FROM plans
		WHERE unit_id = ? AND good_id = ? AND period = ? AND start = ? ORDER BY version`, unitID, goodID, period, start)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []*stakhanov.Plan{}
	for rows.Next() {
		p, err := scanPlan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// FindPlans lists the plans in force, a page at a time, each with the
// accepted output of its unit's tree (from the state's month totals) and
// its cascade.
func (db *DB) FindPlans(ctx context.Context, f stakhanov.PlanFilter) ([]*stakhanov.PlanStanding, int, error) {
	if f.Period != "" && f.Period != stakhanov.PlanMonth && f.Period != stakhanov.PlanQuarter && f.Period != stakhanov.PlanYear {
		return nil, 0, stakhanov.FieldErrorf("period", "period %s is not one of month, quarter, year", stakhanov.ShortQuote(f.Period))
	}
	q := db.reader()
	w := &where{}
	w.add(inForce)
	if f.UnitID != 0 {
		w.add("unit_id = ?", f.UnitID)
	}
	if f.Within != 0 {
		w.add("unit_id IN (SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%')", f.Within)
	}
	if f.GoodID != 0 {
		w.add("good_id = ?", f.GoodID)
	}
	if f.Period != "" {
		w.add("period = ?", f.Period)
	}
	if !f.From.IsZero() {
		w.add("start >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("start <= ?", f.To)
	}
	plans, total, err := list(ctx, q, planColumns, "plans", w, "start, unit_id, good_id, period", f.Page,
		func(r *sql.Rows) (*stakhanov.Plan, error) { return scanPlan(r) })
	if err != nil {
		return nil, 0, err
	}
	out := make([]*stakhanov.PlanStanding, 0, len(plans))
	for _, p := range plans {
		s, err := standPlan(ctx, q, p)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, s)
	}
	return out, total, nil
}

// standPlan reads what a plan stands on: its unit's accepted output by
// month, and the plans in force of the units directly below.
func standPlan(ctx context.Context, q querier, p *stakhanov.Plan) (*stakhanov.PlanStanding, error) {
	rows, err := stateFulfilmentRows(ctx, q, stakhanov.FulfilmentQuery{Subject: stakhanov.UnitSubject(p.UnitID), GoodID: p.GoodID,
		Period: stakhanov.PeriodMonth, From: p.Start, To: p.End()})
	if err != nil {
		return nil, err
	}
	accepted, late := make([]float64, p.Months()), make([]int, p.Months())
	for _, r := range rows {
		i := (r.From.Year()-p.Start.Year())*12 + int(r.From.Month()) - int(p.Start.Month())
		if i >= 0 && i < len(accepted) {
			accepted[i] += r.Accepted
			late[i] += r.Late
		}
	}
	children, err := q.query(ctx, `SELECT u.name, l.quantity FROM units u
		LEFT JOIN plans l ON l.unit_id = u.id AND l.good_id = ? AND l.period = ? AND l.start = ? AND NOT EXISTS (SELECT 1 FROM plans m
			WHERE m.unit_id = l.unit_id AND m.good_id = l.good_id AND m.period = l.period AND m.start = l.start AND m.version > l.version)
		WHERE u.parent_id = ? ORDER BY u.name, u.id`, p.GoodID, p.Period, p.Start, p.UnitID)
	if err != nil {
		return nil, err
	}
	defer children.Close()
	var units int
	var parts []float64
	var unplanned []string
	for children.Next() {
		var name string
		var quantity sql.NullFloat64
		if err := children.Scan(&name, &quantity); err != nil {
			return nil, err
		}
		units++
		if quantity.Valid {
			parts = append(parts, quantity.Float64)
		} else {
			unplanned = append(unplanned, name)
		}
	}
	if err := children.Err(); err != nil {
		return nil, err
	}
	s := &stakhanov.PlanStanding{Plan: *p}
	s.Stand(accepted, late, units, parts, unplanned)
	return s, nil
}
