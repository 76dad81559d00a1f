package storetest

import (
	"math"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// testShortages: a ministry's needs against its tree's plans and output,
// month by month: a shortage, a surplus and a quality loss, a need spread
// over its days, and a cascade's parts not counted again as planned.
func testShortages(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	need := func(u *stakhanov.Unit, g *stakhanov.Good, from, to string, qty float64) {
		t.Helper()
		must(t, s.CreateNeed(system, &stakhanov.Need{UnitID: u.ID, GoodID: g.ID, From: date(t, from), To: date(t, to), Quantity: qty, Note: "the region"}))
	}
	need(w.ministry, w.coal, "1935-08-01", "1935-08-31", 100)
	need(w.factory, w.parts, "1935-08-01", "1935-09-30", 61) // one a day
	for _, p := range []*stakhanov.Plan{
		{UnitID: w.mine.ID, GoodID: w.coal.ID, Period: stakhanov.PlanQuarter, Start: date(t, "1935-07-01"), Quantity: 300, Phases: []float64{90, 100, 110}, Reason: "r"},
		{UnitID: w.brigade.ID, GoodID: w.coal.ID, Period: stakhanov.PlanQuarter, Start: date(t, "1935-07-01"), Quantity: 200, Reason: "r"},
	} {
		must(t, s.CreatePlan(system, p))
	}
	_, err := s.CreateReports(system, []*stakhanov.Report{
		report(stakhanov.PersonSubject(w.miner.ID), w.coal, date(t, "1935-08-30"), 1, 14, 12, "s1"),
		report(stakhanov.PersonSubject(w.miner.ID), w.coal, date(t, "1935-09-02"), 1, 8, 8, "s2"),
		report(stakhanov.PersonSubject(w.turner.ID), w.parts, date(t, "1935-08-12"), 1, 20, 15, "s3"),
	})
	must(t, err)

	got, err := s.Shortages(bg, stakhanov.ShortageQuery{UnitID: w.ministry.ID, From: date(t, "1935-08-10"), To: date(t, "1935-09-30")})
	must(t, err)
	type row struct{ needed, planned, produced, accepted, shortage, surplus, loss float64 }
	want := map[string]row{
		"coal 1935-08-01":  {100, 100, 14, 12, 88, 0, 2},
		"coal 1935-09-01":  {0, 110, 8, 8, 0, 8, 0},
		"parts 1935-08-01": {31, 0, 20, 15, 16, 0, 5},
		"parts 1935-09-01": {30, 0, 0, 0, 30, 0, 0},
	}
	if len(got) != len(want) {
		t.Fatalf("shortages: got %d rows, want %d: %+v", len(got), len(want), got)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
	for i, g := range got {
		k := g.Good + " " + g.From.String()
		wr, ok := want[k]
		if !ok {
			t.Fatalf("row %d: %s not wanted", i+1, k)
		}
		gr := row{g.Needed, g.Planned, g.Produced, g.Accepted, g.Shortage, g.Surplus, g.QualityLoss}
		if !near(gr.needed, wr.needed) || !near(gr.planned, wr.planned) || !near(gr.produced, wr.produced) || !near(gr.accepted, wr.accepted) ||
			!near(gr.shortage, wr.shortage) || !near(gr.surplus, wr.surplus) || !near(gr.loss, wr.loss) {
			t.Errorf("%s: got %+v, want %+v", k, gr, wr)
		}
	}
	if got[0].Good != "coal" || got[0].Measure != "t" || got[0].To.String() != "1935-08-31" {
		t.Errorf("first row: got %+v, want coal in August", got[0])
	}
	// The mine's own tree: the ministry's need is not its.
	mine, err := s.Shortages(bg, stakhanov.ShortageQuery{UnitID: w.mine.ID, GoodID: w.coal.ID, Period: stakhanov.PlanQuarter, From: date(t, "1935-07-01"), To: date(t, "1935-09-30")})
	must(t, err)
	if len(mine) != 1 || mine[0].Needed != 0 || mine[0].Planned != 300 || mine[0].Accepted != 20 || mine[0].Surplus != 20 {
		t.Fatalf("the mine's quarter: got %+v", mine)
	}
	for _, bad := range []struct {
		q     stakhanov.ShortageQuery
		field string
	}{
		{stakhanov.ShortageQuery{}, "unit"},
		{stakhanov.ShortageQuery{UnitID: w.mine.ID, Period: "decade"}, "period"},
		{stakhanov.ShortageQuery{UnitID: w.mine.ID, From: date(t, "1935-09-01"), To: date(t, "1935-08-01")}, "to"},
		{stakhanov.ShortageQuery{UnitID: 99999}, "unit"},
	} {
		_, err := s.Shortages(bg, bad.q)
		wantCode(t, err, stakhanov.EINVALID, bad.field)
	}
}

// testPublishedShortages: a ministry's shortages are public only once it
// chooses to publish them, and no longer once it stops; only a ministry
// chooses, and only within the chooser's scope.
func testPublishedShortages(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	q := stakhanov.ShortageQuery{UnitID: w.ministry.ID, From: date(t, "1935-09-01"), To: date(t, "1935-09-30")}
	_, _, err := stakhanov.PublicShortages(bg, s, q)
	wantCode(t, err, stakhanov.ENOTFOUND, "")
	planner := user(t, s, "mine planner", stakhanov.RolePlanner, w.mine)
	wantCode(t, s.SetUnitPublishesShortages(as(planner), w.ministry.ID, true), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetUnitPublishesShortages(system, w.mine.ID, true), stakhanov.EINVALID, "publish_shortages")
	must(t, s.SetUnitPublishesShortages(system, w.ministry.ID, true))
	unit, rows, err := stakhanov.PublicShortages(bg, s, q)
	must(t, err)
	if !unit.PublishesShortages || rows == nil {
		t.Fatalf("published: got %+v, %v", unit, rows)
	}
	pub, total, err := s.FindUnits(bg, stakhanov.UnitFilter{PublishingShortages: true})
	must(t, err)
	if total != 1 || pub[0].ID != w.ministry.ID {
		t.Fatalf("publishing units: got %d, want the ministry", total)
	}
	must(t, s.SetUnitPublishesShortages(system, w.ministry.ID, false))
	_, _, err = stakhanov.PublicShortages(bg, s, q)
	wantCode(t, err, stakhanov.ENOTFOUND, "")
	_, _, err = stakhanov.PublicShortages(bg, s, stakhanov.ShortageQuery{UnitID: w.mine.ID})
	wantCode(t, err, stakhanov.ENOTFOUND, "")
}
