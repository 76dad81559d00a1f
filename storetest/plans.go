package storetest

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// testPlans: plans for an enterprise and its collectives, versioned like
// norms; fulfilment from accepted output only, month by month; a cascade
// that does not add up is reported, and one that does is not.
func testPlans(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	second := &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "Second brigade", ParentID: w.mine.ID}
	must(t, s.CreateUnit(system, second))
	planner := stakhanov.NewContext(bg, user(t, s, "mine-planner", stakhanov.RolePlanner, w.mine))
	q3 := date(t, "1935-07-01")
	plan := func(u *stakhanov.Unit, qty float64, phases ...float64) *stakhanov.Plan {
		t.Helper()
		p := &stakhanov.Plan{UnitID: u.ID, GoodID: w.coal.ID, Period: stakhanov.PlanQuarter, Start: q3, Quantity: qty, Phases: phases, Reason: "third quarter"}
		must(t, s.CreatePlan(planner, p))
		return p
	}
	whole := plan(w.mine, 300, 90, 100, 110)
	if whole.Version != 1 || whole.SetBy == 0 || whole.Present {
		t.Fatalf("first plan: got %+v", whole)
	}
	// The same again is already present; a new quantity is version 2.
	again := plan(w.mine, 300, 90, 100, 110)
	if !again.Present || again.ID != whole.ID {
		t.Fatalf("the same plan again: got %+v, want version 1 present", again)
	}
	plan(w.brigade, 200)

	// Accepted output only: 14 produced, 12 accepted in August; held
	// nothing.
	miner := stakhanov.PersonSubject(w.miner.ID)
	_, err := s.CreateReports(system, []*stakhanov.Report{
		report(miner, w.coal, date(t, "1935-08-30"), 1, 14, 12, "p1"),
		report(miner, w.coal, date(t, "1935-09-02"), 1, 8, 8, "p2"),
		report(miner, w.coal, date(t, "1935-10-01"), 1, 50, 50, "p3"), // the next quarter
	})
	must(t, err)

	standing := func() *stakhanov.PlanStanding {
		t.Helper()
		got, total, err := s.FindPlans(bg, stakhanov.PlanFilter{UnitID: w.mine.ID, GoodID: w.coal.ID, Period: stakhanov.PlanQuarter})
		must(t, err)
		if total != 1 || len(got) != 1 {
			t.Fatalf("plans of the mine: got %d (%d in all), want 1", len(got), total)
		}
		return got[0]
	}
	st := standing()
	if st.Accepted != 20 || st.Percent == nil || math.Abs(*st.Percent-20.0/300*100) > 1e-9 {
		t.Fatalf("mine's plan: accepted %g, percent %v, want 20 of 300", st.Accepted, st.Percent)
	}
	if len(st.ByMonth) != 3 || st.ByMonth[1].Accepted != 12 || st.ByMonth[2].Accepted != 8 || st.ByMonth[0].Planned == nil || *st.ByMonth[0].Planned != 90 {
		t.Fatalf("mine's plan by month: got %+v", st.ByMonth)
	}
	// The brigade's 200 of the mine's 300, the second brigade without a
	// plan: the parts do not add up.
	p := st.Parts
	if p == nil || p.Units != 2 || p.Planned != 1 || p.Quantity != 200 || p.Difference != 100 || p.AddsUp ||
		!slices.Equal(p.Unplanned, []string{"Second brigade"}) {
		t.Fatalf("mine's cascade: got %+v, want 200 of 300, the second brigade unplanned", p)
	}
	// The second brigade's 100 makes them add up; a new version of the
	// brigade's plan (150) undoes it.
	plan(second, 100)
	if p := standing().Parts; !p.AddsUp || p.Difference != 0 || len(p.Unplanned) != 0 {
		t.Fatalf("cascade of 200 and 100: got %+v, want it adding up", p)
	}
	v2 := plan(w.brigade, 150)
	if v2.Version != 2 {
		t.Fatalf("brigade's new plan: version %d, want 2", v2.Version)
	}
	if p := standing().Parts; p.AddsUp || p.Quantity != 250 || p.Difference != 50 {
		t.Fatalf("cascade of 150 and 100: got %+v, want 50 short", p)
	}
	versions, err := s.FindPlanVersions(bg, w.brigade.ID, w.coal.ID, stakhanov.PlanQuarter, q3)
	must(t, err)
	if len(versions) != 2 || versions[0].Quantity != 200 || versions[1].Quantity != 150 {
		t.Fatalf("brigade's versions: got %+v", versions)
	}

	// Refused: phases that do not add up, a start that is not a quarter's,
	// a ministry, a unit outside the planner's, a foreman.
	bad := func(p *stakhanov.Plan, ctx context.Context, code, field string) {
		t.Helper()
		err := s.CreatePlan(ctx, p)
		wantCode(t, err, code, field)
	}
	base := stakhanov.Plan{UnitID: w.mine.ID, GoodID: w.coal.ID, Period: stakhanov.PlanQuarter, Start: q3, Quantity: 300, Reason: "r"}
	p1 := base
	p1.Phases = []float64{100, 100, 99}
	bad(&p1, planner, stakhanov.EINVALID, "phases")
	p2 := base
	p2.Start = date(t, "1935-08-01")
	bad(&p2, planner, stakhanov.EINVALID, "start")
	p3 := base
	p3.UnitID = w.ministry.ID
	bad(&p3, system, stakhanov.EINVALID, "unit_id")
	p4 := base
	p4.UnitID = w.factory.ID
	bad(&p4, planner, stakhanov.EFORBIDDEN, "")
	foreman := stakhanov.NewContext(bg, user(t, s, "mine-foreman-plans", stakhanov.RoleForeman, w.mine))
	p5 := base
	p5.Quantity = 301
	bad(&p5, foreman, stakhanov.EFORBIDDEN, "")
	if got, _, err := s.FindPlans(bg, stakhanov.PlanFilter{UnitID: w.mine.ID}); err != nil || len(got) != 1 || got[0].Version != 1 {
		t.Fatalf("after refusals: got %+v (%v), want the first plan alone", got, err)
	}
	_, _, err = s.FindPlans(bg, stakhanov.PlanFilter{Period: "decade"})
	wantCode(t, err, stakhanov.EINVALID, "period")
}
