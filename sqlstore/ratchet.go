package sqlstore

import (
	"context"
	"database/sql"

	"github.com/stakhanov/stakhanov"
)

// Ratchets reads the norm versions of the subjects under a unit, finds
// their raises (stakhanov.Raises) and measures each against the subject's
// month totals before and after it.
func (db *DB) Ratchets(ctx context.Context, rq stakhanov.RatchetQuery) (*stakhanov.RatchetReport, error) {
	today := db.today()
	if err := rq.Validate(today); err != nil {
		return nil, err
	}
	q := db.reader()
	unit, err := queryUnit(ctx, q, rq.UnitID)
	if err != nil {
		return nil, err
	}
	w := &where{}
	w.add(`((subject_kind = 'person' AND subject_id IN (SELECT p.id FROM people p JOIN units u ON u.id = p.unit_id WHERE u.path LIKE ?))
		OR (subject_kind = 'unit' AND subject_id IN (SELECT id FROM units WHERE path LIKE ?)))`, unit.Path+"%", unit.Path+"%")
	w.add("effective_from <= ?", rq.To)
	if rq.GoodID != 0 {
		w.add("good_id = ?", rq.GoodID)
	}
	versions := map[stakhanov.SubjectGood][]*stakhanov.Norm{}
	var order []stakhanov.SubjectGood
	err = eachRow(ctx, q, "SELECT "+normColumns+" FROM norms"+w.String()+" ORDER BY subject_kind, subject_id, good_id", w.args, func(rows *sql.Rows) error {
		n, err := scanNorm(rows)
		if err != nil {
			return err
		}
		k := stakhanov.SubjectGood{Subject: n.Subject, GoodID: n.GoodID}
		if versions[k] == nil {
			order = append(order, k)
		}
		versions[k] = append(versions[k], n)
		return nil
	})
	if err != nil {
		return nil, err
	}

	// Months end before today's month to count after a raise.
	lastEnded := today.FirstOfMonth().AddDays(-1)
	window := func(k stakhanov.SubjectGood, from, to stakhanov.Date) (stakhanov.RatchetWindow, error) {
		out := stakhanov.RatchetWindow{From: from, To: to}
		if to.After(lastEnded) {
			to = lastEnded
		}
		if to.Before(from) {
			return out, nil
		}
		var shifts sql.NullInt64
		var norm, normed sql.NullFloat64
		err := q.queryRow(ctx, `SELECT SUM(shifts), SUM(norm), SUM(normed_accepted) FROM fulfilment_periods
			WHERE subject_kind = ? AND subject_id = ? AND good_id = ? AND period = ? AND start >= ? AND start <= ?`,
			k.Subject.Kind, k.Subject.ID, k.GoodID, stakhanov.PeriodMonth, from, to).Scan(&shifts, &norm, &normed)
		if err != nil {
			return out, err
		}
		out.Shifts = int(shifts.Int64)
		if norm.Float64 > 0 {
			p := normed.Float64 / norm.Float64 * 100
			out.Percent = &p
		}
		return out, nil
	}
	names := map[stakhanov.Subject]string{}
	nameOf := func(s stakhanov.Subject) string {
		if _, ok := names[s]; !ok {
			names[s] = subjectName(ctx, q, s)
		}
		return names[s]
	}
	goods := map[int64]string{}
	report := &stakhanov.RatchetReport{From: rq.From, To: rq.To, Raises: []stakhanov.NormRaise{}}
	for _, k := range order {
		for _, r := range stakhanov.Raises(versions[k], rq.From, rq.To) {
			before, after := stakhanov.RatchetWindows(r.EffectiveFrom)
			if r.Before, err = window(k, before[0], before[1]); err != nil {
				return nil, err
			}
			if r.After, err = window(k, after[0], after[1]); err != nil {
				return nil, err
			}
			r.Judge()
			if r.UnitID, _, err = subjectPath(ctx, q, k.Subject); err != nil {
				return nil, err
			}
			r.Name, r.Unit = nameOf(k.Subject), nameOf(stakhanov.UnitSubject(r.UnitID))
			if _, ok := goods[k.GoodID]; !ok {
				goods[k.GoodID] = goodName(ctx, q, k.GoodID)
			}
			r.Good = goods[k.GoodID]
			report.Raises = append(report.Raises, r)
		}
	}
	report.Units = stakhanov.SumRatchets(report.Raises)
	return report, nil
}
