package storetest

import (
	"testing"

	"github.com/stakhanov/stakhanov"
)

// testUnitHidesRanks: a unit's choice to hide ranks is in force for it and
// for the units under it without a setting of their own; the nearest
// setting on the path wins, the latest of a unit's settings is in force,
// and only an admin or planner within scope may change it.
func testUnitHidesRanks(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	hides := func(u *stakhanov.Unit, want bool) {
		t.Helper()
		got, err := s.FindUnitByID(bg, u.ID)
		must(t, err)
		if got.HidesRanks != want {
			t.Fatalf("%s: HidesRanks %v, want %v", u.Name, got.HidesRanks, want)
		}
		units, _, err := s.FindUnits(bg, stakhanov.UnitFilter{Within: u.ID})
		must(t, err)
		if len(units) == 0 || units[0].ID != u.ID || units[0].HidesRanks != want {
			t.Fatalf("%s in FindUnits: got %+v, want HidesRanks %v", u.Name, units, want)
		}
	}
	// By default nobody hides ranks.
	for _, u := range []*stakhanov.Unit{w.ministry, w.mine, w.brigade, w.factory} {
		hides(u, false)
	}

	// The mine hides them: so does its brigade, not the factory.
	planner := user(t, s, "mine-planner", stakhanov.RolePlanner, w.mine)
	must(t, s.SetUnitHidesRanks(as(planner), w.mine.ID, true))
	hides(w.mine, true)
	hides(w.brigade, true)
	hides(w.ministry, false)
	hides(w.factory, false)
	// A unit made later under the mine inherits the setting.
	admin := user(t, s, "mine-admin", stakhanov.RoleAdmin, w.mine)
	second := &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "second brigade", ParentID: w.mine.ID}
	must(t, s.CreateUnit(as(admin), second))
	hides(second, true)

	// The brigade's own choice is nearer than the mine's.
	must(t, s.SetUnitHidesRanks(as(admin), w.brigade.ID, false))
	hides(w.brigade, false)
	hides(w.mine, true)
	hides(second, true)
	// The latest setting of a unit is in force.
	must(t, s.SetUnitHidesRanks(as(planner), w.brigade.ID, true))
	must(t, s.SetUnitHidesRanks(as(planner), w.brigade.ID, false))
	hides(w.brigade, false)
	must(t, s.SetUnitHidesRanks(as(planner), w.mine.ID, false))
	hides(w.mine, false)
	hides(second, false)
	// A ministry-wide choice reaches every unit without one of its own.
	must(t, s.SetUnitHidesRanks(system, w.ministry.ID, true))
	hides(w.factory, true)
	hides(w.mine, false)
	hides(w.brigade, false)
	hides(second, false)

	// Only an admin or a planner, within its scope.
	foreman := user(t, s, "mine-foreman", stakhanov.RoleForeman, w.mine)
	wantCode(t, s.SetUnitHidesRanks(as(foreman), w.brigade.ID, true), stakhanov.EFORBIDDEN, "")
	worker := user(t, s, "worker", stakhanov.RoleWorker, w.brigade)
	wantCode(t, s.SetUnitHidesRanks(as(worker), w.brigade.ID, true), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetUnitHidesRanks(as(planner), w.factory.ID, false), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetUnitHidesRanks(as(planner), w.ministry.ID, false), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetUnitHidesRanks(bg, w.brigade.ID, true), stakhanov.EUNAUTHORIZED, "")
	wantCode(t, s.SetUnitHidesRanks(system, 9999, true), stakhanov.ENOTFOUND, "")
	hides(w.brigade, false)
	hides(w.factory, true)
}
