package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"slices"

	"github.com/stakhanov/stakhanov"
)

// Storming reads the tree month rows of the enterprises under a unit, the
// twelve months before the query's too (the enterprises' own history),
// sums their shift states by day, and judges every month (JudgeStorms)
// beside the enterprise's plan for it.
func (db *DB) Storming(ctx context.Context, sq stakhanov.StormQuery) ([]*stakhanov.StormingMonth, error) {
	if err := sq.Validate(db.today()); err != nil {
		return nil, err
	}
	q := db.reader()
	unit, err := queryUnit(ctx, q, sq.UnitID)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	var enterprises []int64
	err = eachRow(ctx, q, `SELECT id, name FROM units WHERE kind = ? AND path LIKE ? ORDER BY id`, []any{stakhanov.UnitEnterprise, unit.Path + "%"},
		func(rows *sql.Rows) error {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return err
			}
			enterprises = append(enterprises, id)
			names[id] = name
			return nil
		})
	if err != nil {
		return nil, err
	}
	from := stakhanov.NewDate(sq.From.Year(), sq.From.Month()-12, 1)
	type key struct {
		enterprise, good int64
		month            stakhanov.Date
	}
	months := map[key]*stakhanov.StormingMonth{}
	var all []*stakhanov.StormingMonth
	goods := map[int64]string{}
	for len(enterprises) > 0 {
		chunk := enterprises[:min(prefetchRows, len(enterprises))]
		enterprises = enterprises[len(chunk):]
		w := &where{}
		w.add("subject_kind = 'unit' AND scope = 'tree' AND subject_id IN ("+marks(len(chunk))+")", int64sToArgs(chunk)...)
		monthRange(w, from, sq.To)
		if sq.GoodID != 0 {
			w.add("good_id = ?", sq.GoodID)
		}
		err := queryMonths(ctx, q, "SELECT "+monthColumns+" FROM fulfilment_months"+w.String(), w.args, func(mk monthKey, m *monthRow) (bool, error) {
			k := key{mk.subject.ID, mk.good, mk.month}
			sm := months[k]
			if sm == nil {
				sm = &stakhanov.StormingMonth{EnterpriseID: mk.subject.ID, Enterprise: names[mk.subject.ID], GoodID: mk.good, Month: mk.month}
				months[k] = sm
				all = append(all, sm)
				goods[mk.good] = ""
			}
			for _, s := range m.states {
				if n := len(sm.Days); n > 0 && sm.Days[n-1].Date == s.Date {
					sm.Days[n-1].Accepted += s.Accepted
					sm.Days[n-1].Late += s.LateCredits
				} else {
					sm.Days = append(sm.Days, stakhanov.StormDay{Date: s.Date, Accepted: s.Accepted, Late: s.LateCredits})
				}
				sm.Late += s.LateCredits
			}
			return true, nil
		})
		if err != nil {
			return nil, err
		}
	}
	for g := range goods {
		var name string
		if err := q.queryRow(ctx, `SELECT name FROM goods WHERE id = ?`, g).Scan(&name); err != nil {
			return nil, notFound("good", g, err)
		}
		goods[g] = name
	}
	var out []*stakhanov.StormingMonth
	seen := map[int64]bool{}
	var with []int64
	for _, m := range all {
		m.Good = goods[m.GoodID]
		if !m.Month.Before(sq.From) {
			out = append(out, m)
			if !seen[m.EnterpriseID] {
				seen[m.EnterpriseID] = true
				with = append(with, m.EnterpriseID)
			}
		}
	}
	// The plans in force of the enterprises with months asked, read once
	// (a query a month was thousands for a ministry's year), each month
	// taking its part of those that span it.
	byEnterprise := map[[2]int64][]*stakhanov.Plan{}
	for len(with) > 0 {
		chunk := with[:min(prefetchRows, len(with))]
		with = with[len(chunk):]
		w := &where{}
		w.add(inForce)
		w.add("unit_id IN ("+marks(len(chunk))+")", int64sToArgs(chunk)...)
		w.add("start >= ? AND start <= ?", stakhanov.NewDate(sq.From.Year(), sq.From.Month()-11, 1), sq.To)
		if sq.GoodID != 0 {
			w.add("good_id = ?", sq.GoodID)
		}
		err := eachRow(ctx, q, "SELECT "+planColumns+" FROM plans"+w.String(), w.args, func(rows *sql.Rows) error {
			p, err := scanPlan(rows)
			if err == nil {
				k := [2]int64{p.UnitID, p.GoodID}
				byEnterprise[k] = append(byEnterprise[k], p)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	for _, m := range out {
		end := stakhanov.NewDate(m.Month.Year(), m.Month.Month()+1, 0)
		var planned float64
		var found bool
		for _, p := range byEnterprise[[2]int64{m.EnterpriseID, m.GoodID}] {
			if !p.End().Before(m.Month) && !p.Start.After(m.Month) {
				planned += p.PlannedIn(m.Month, end)
				found = true
			}
		}
		if found {
			m.Planned = &planned
		}
	}
	stakhanov.JudgeStorms(all)
	slices.SortFunc(out, func(a, b *stakhanov.StormingMonth) int {
		return cmp.Or(cmp.Compare(a.Enterprise, b.Enterprise), cmp.Compare(a.EnterpriseID, b.EnterpriseID), cmp.Compare(a.Good, b.Good), a.Month.Compare(b.Month))
	})
	if out == nil {
		out = []*stakhanov.StormingMonth{}
	}
	return out, nil
}
