package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/stakhanov/stakhanov"
)

// Shortages reads, for a unit's tree, the needs of its units, the plans in
// force of the topmost planned units (a cascade's parts are not counted
// again) and the tree's output from the state's month totals, and sets
// them against each other by good and period.
func (db *DB) Shortages(ctx context.Context, sq stakhanov.ShortageQuery) ([]*stakhanov.Shortage, error) {
	if err := sq.Validate(db.today()); err != nil {
		return nil, err
	}
	q := db.reader()
	unit, err := queryUnit(ctx, q, sq.UnitID)
	if err != nil {
		return nil, err
	}
	goods := map[int64]bool{}
	good := func(w *where, column string) {
		if sq.GoodID != 0 {
			w.add(column+" = ?", sq.GoodID)
		}
	}

	w := &where{}
	w.add("u.path LIKE ?", unit.Path+"%")
	w.add("n.date_to >= ? AND n.date_from <= ?", sq.From, sq.To)
	good(w, "n.good_id")
	var needs []*stakhanov.Need
	err = eachRow(ctx, q, `SELECT n.unit_id, n.good_id, n.date_from, n.date_to, n.quantity FROM needs n JOIN units u ON u.id = n.unit_id`+w.String(), w.args,
		func(rows *sql.Rows) error {
			n := &stakhanov.Need{}
			if err := rows.Scan(&n.UnitID, &n.GoodID, &n.From, &n.To, &n.Quantity); err != nil {
				return err
			}
			needs = append(needs, n)
			goods[n.GoodID] = true
			return nil
		})
	if err != nil {
		return nil, err
	}

	w = &where{}
	w.add(inForce)
	w.add("u.path LIKE ?", unit.Path+"%")
	// A year's plan that starts up to eleven months before from reaches it.
	w.add("plans.start >= ? AND plans.start <= ?", stakhanov.NewDate(sq.From.Year(), sq.From.Month()-11, 1), sq.To)
	good(w, "plans.good_id")
	var plans []*stakhanov.Plan
	paths := map[int64]string{}
	err = eachRow(ctx, q, `SELECT plans.unit_id, plans.good_id, plans.period, plans.start, plans.quantity, plans.phases, u.path
		FROM plans JOIN units u ON u.id = plans.unit_id`+w.String(), w.args, func(rows *sql.Rows) error {
		p := &stakhanov.Plan{}
		var phases, path string
		if err := rows.Scan(&p.UnitID, &p.GoodID, &p.Period, &p.Start, &p.Quantity, &phases, &path); err != nil {
			return err
		}
		if phases != "[]" {
			var err error
			if p.Phases, err = decodePhases(phases); err != nil {
				return err
			}
		}
		if !p.End().Before(sq.From) {
			plans = append(plans, p)
			paths[p.UnitID] = path
			goods[p.GoodID] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	plans = stakhanov.TopPlans(plans, paths)

	type monthGood struct {
		good  int64
		month stakhanov.Date
	}
	type figures struct {
		produced, accepted float64
		late               int
	}
	output := map[monthGood]figures{}
	w = &where{}
	w.add("subject_kind = 'unit' AND subject_id = ? AND period = ?", unit.ID, stakhanov.PeriodMonth)
	w.add("start >= ? AND start <= ?", sq.From, sq.To)
	good(w, "good_id")
	err = eachRow(ctx, q, `SELECT good_id, start, produced, accepted, late FROM fulfilment_periods`+w.String(), w.args, func(rows *sql.Rows) error {
		var k monthGood
		var f figures
		if err := rows.Scan(&k.good, &k.month, &f.produced, &f.accepted, &f.late); err != nil {
			return err
		}
		o := output[k]
		output[k] = figures{o.produced + f.produced, o.accepted + f.accepted, o.late + f.late}
		goods[k.good] = true
		return nil
	})
	if err != nil {
		return nil, err
	}

	if sq.GoodID != 0 {
		goods[sq.GoodID] = true
	}
	type goodInfo struct{ name, measure string }
	info := map[int64]goodInfo{}
	for g := range goods {
		var gi goodInfo
		if err := q.queryRow(ctx, `SELECT name, measure FROM goods WHERE id = ?`, g).Scan(&gi.name, &gi.measure); err != nil {
			return nil, notFound("good", g, err)
		}
		info[g] = gi
	}
	ids := make([]int64, 0, len(goods))
	for g := range goods {
		ids = append(ids, g)
	}
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Or(cmp.Compare(info[a].name, info[b].name), cmp.Compare(a, b)) })

	out := []*stakhanov.Shortage{}
	for _, g := range ids {
		for _, p := range sq.Periods() {
			s := &stakhanov.Shortage{GoodID: g, Good: info[g].name, Measure: info[g].measure, Period: sq.Period, From: p[0], To: p[1]}
			for _, n := range needs {
				if n.GoodID == g {
					s.Needed += n.NeedIn(p[0], p[1])
				}
			}
			for _, pl := range plans {
				if pl.GoodID == g {
					s.Planned += pl.PlannedIn(p[0], p[1])
				}
			}
			for m := p[0]; !m.After(p[1]); m = stakhanov.NewDate(m.Year(), m.Month()+time.Month(1), 1) {
				o := output[monthGood{g, m}]
				s.Produced += o.produced
				s.Accepted += o.accepted
				s.Late += o.late
			}
			s.Figure()
			out = append(out, s)
		}
	}
	return out, nil
}

// queryUnit reads the unit a report query names: one not found is a bad
// unit parameter, not a missing page.
func queryUnit(ctx context.Context, q querier, id int64) (*stakhanov.Unit, error) {
	unit, err := findUnit(ctx, q, id)
	if stakhanov.ErrorCode(err) == stakhanov.ENOTFOUND {
		return nil, stakhanov.FieldErrorf("unit", "unit %d not found", id)
	}
	return unit, err
}
