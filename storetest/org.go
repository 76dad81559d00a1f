package storetest

import (
	"testing"

	"github.com/stakhanov/stakhanov"
)

func testUnits(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	if w.brigade.Path != stakhanov.UnitPath(stakhanov.UnitPath(stakhanov.UnitPath("/", w.ministry.ID), w.mine.ID), w.brigade.ID) {
		t.Fatalf("brigade path: got %q", w.brigade.Path)
	}
	got, err := s.FindUnitByID(bg, w.brigade.ID)
	must(t, err)
	if got.Name != w.brigade.Name || got.ParentID != w.mine.ID || got.Kind != stakhanov.UnitCollective {
		t.Fatalf("FindUnitByID: got %+v", got)
	}
	under, total, err := s.FindUnits(bg, stakhanov.UnitFilter{Within: w.mine.ID})
	must(t, err)
	if total != 2 || len(under) != 2 {
		t.Fatalf("units within the mine: got %d (%d listed), want 2", total, len(under))
	}
	_, err = s.FindUnitByID(bg, 9999)
	wantCode(t, err, stakhanov.ENOTFOUND, "")
	err = s.CreateUnit(system, &stakhanov.Unit{Kind: "galaxy", Name: "x"})
	wantCode(t, err, stakhanov.EINVALID, "kind")
	err = s.CreateUnit(system, &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "orphan", ParentID: 9999})
	wantCode(t, err, stakhanov.EINVALID, "parent_id")
	err = s.CreateUnit(bg, &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "anonymous"})
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	page, total, err := s.FindUnits(bg, stakhanov.UnitFilter{Page: stakhanov.Page{Limit: 2, Offset: 1}})
	must(t, err)
	if total != 4 || len(page) != 2 {
		t.Fatalf("page of units: got %d of %d, want 2 of 4", len(page), total)
	}
	// A name filter matches part of the name in any case, in any script,
	// and is not a pattern.
	shaft := &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "Бригада Шахты_1", ParentID: w.mine.ID}
	must(t, s.CreateUnit(system, shaft))
	for _, q := range []string{"бригада", "ШАХТЫ_1", "Бригада Шахты_1"} {
		got, _, err := s.FindUnits(bg, stakhanov.UnitFilter{Within: w.mine.ID, Kind: stakhanov.UnitCollective, Name: q})
		must(t, err)
		if len(got) != 1 || got[0].ID != shaft.ID {
			t.Errorf("collectives of the mine named %q: got %+v, want only %q", q, got, shaft.Name)
		}
	}
	for _, q := range []string{"%", "Шахты%1", "shaft"} {
		got, _, err := s.FindUnits(bg, stakhanov.UnitFilter{Name: q})
		must(t, err)
		if len(got) != 0 {
			t.Errorf("units named %q: got %d, want none", q, len(got))
		}
	}
}

func testPeople(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	got, err := s.FindPersonByID(bg, w.miner.ID)
	must(t, err)
	if got.Name != "Alexei Stakhanov" || got.UnitID != w.brigade.ID || got.Profession != "hewer" || got.CreatedAt.IsZero() {
		t.Fatalf("FindPersonByID: got %+v", got)
	}
	inMine, total, err := s.FindPeople(bg, stakhanov.PersonFilter{UnitID: w.mine.ID})
	must(t, err)
	if total != 3 || len(inMine) != 3 {
		t.Fatalf("people of the mine: got %d, want 3", total)
	}
	named, _, err := s.FindPeople(bg, stakhanov.PersonFilter{Name: "stakhanov"})
	must(t, err)
	if len(named) != 1 || named[0].ID != w.miner.ID {
		t.Fatalf("people named stakhanov: got %+v", named)
	}
	// Case is folded in every script, not only in ASCII.
	must(t, s.CreatePerson(system, &stakhanov.Person{Name: "Алексей Григорьевич Стаханов", UnitID: w.brigade.ID}))
	for _, q := range []string{"алексей", "СТАХАНОВ", "Григорьевич Стах"} {
		got, _, err := s.FindPeople(bg, stakhanov.PersonFilter{UnitID: w.mine.ID, Name: q})
		must(t, err)
		if len(got) != 1 || got[0].Name != "Алексей Григорьевич Стаханов" {
			t.Errorf("people of the mine named %q: got %+v, want Алексей Григорьевич Стаханов", q, got)
		}
	}
	wild, _, err := s.FindPeople(bg, stakhanov.PersonFilter{Name: "%"})
	must(t, err)
	if len(wild) != 0 {
		t.Fatalf("people named %%: got %d, want none (a name is not a pattern)", len(wild))
	}
	err = s.CreatePerson(system, &stakhanov.Person{Name: "Nobody", UnitID: 9999})
	wantCode(t, err, stakhanov.EINVALID, "unit_id")
	err = s.CreatePerson(system, &stakhanov.Person{UnitID: w.mine.ID})
	wantCode(t, err, stakhanov.EINVALID, "name")
	must(t, s.CreatePerson(system, &stakhanov.Person{Name: "A", UnitID: w.mine.ID, Code: "T-1"}))
	err = s.CreatePerson(system, &stakhanov.Person{Name: "B", UnitID: w.mine.ID, Code: "T-1"})
	wantCode(t, err, stakhanov.ECONFLICT, "code")
}

func testGoods(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	got, err := s.FindGoodByID(bg, w.coal.ID)
	must(t, err)
	if got.Name != "coal" || got.Measure != "t" {
		t.Fatalf("FindGoodByID: got %+v", got)
	}
	err = s.CreateGood(system, &stakhanov.Good{Name: "coal", Measure: "t"})
	wantCode(t, err, stakhanov.ECONFLICT, "name")
	err = s.CreateGood(system, &stakhanov.Good{Name: "steel"})
	wantCode(t, err, stakhanov.EINVALID, "measure")
	goods, total, err := s.FindGoods(bg, stakhanov.GoodFilter{})
	must(t, err)
	if total != 2 || len(goods) != 2 {
		t.Fatalf("goods: got %d, want 2", total)
	}
}

func testScope(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	foreman := user(t, s, "mine-foreman", stakhanov.RoleForeman, w.mine)
	planner := user(t, s, "factory-planner", stakhanov.RolePlanner, w.factory)
	worker := user(t, s, "worker", stakhanov.RoleWorker, w.brigade)

	// A foreman of the mine reports for the mine's people, not the factory's.
	_, err := s.CreateReports(as(foreman), []*stakhanov.Report{report(stakhanov.PersonSubject(w.miner.ID), w.coal, date(t, "1935-08-30"), 1, 8, 8, "k1")})
	must(t, err)
	_, err = s.CreateReports(as(foreman), []*stakhanov.Report{report(stakhanov.PersonSubject(w.turner.ID), w.parts, date(t, "1935-08-30"), 1, 8, 8, "k2")})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	// A planner sets norms in its units only.
	err = s.CreateNorm(as(planner), &stakhanov.Norm{Subject: stakhanov.PersonSubject(w.miner.ID), GoodID: w.coal.ID, Amount: 7, EffectiveFrom: date(t, "1935-01-01"), Reason: "x"})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	must(t, s.CreateNorm(as(planner), &stakhanov.Norm{Subject: stakhanov.PersonSubject(w.turner.ID), GoodID: w.parts.ID, Amount: 50, EffectiveFrom: date(t, "1935-01-01"), Reason: "x"}))
	// A worker writes no reports, and a foreman sets no norms.
	_, err = s.CreateReports(as(worker), []*stakhanov.Report{report(stakhanov.PersonSubject(w.miner.ID), w.coal, date(t, "1935-08-30"), 2, 8, 8, "k3")})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	err = s.CreateNorm(as(foreman), &stakhanov.Norm{Subject: stakhanov.PersonSubject(w.miner.ID), GoodID: w.coal.ID, Amount: 7, EffectiveFrom: date(t, "1935-01-01"), Reason: "x"})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	// Nobody creates units but an admin; a scoped admin only inside its scope.
	err = s.CreateUnit(as(planner), &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "x", ParentID: w.factory.ID})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	admin := user(t, s, "mine-admin", stakhanov.RoleAdmin, w.mine)
	must(t, s.CreateUnit(as(admin), &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "second brigade", ParentID: w.mine.ID}))
	err = s.CreateUnit(as(admin), &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "x", ParentID: w.factory.ID})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	err = s.CreateUser(as(admin), &stakhanov.User{Name: "factory-foreman", Role: stakhanov.RoleForeman, UnitID: w.factory.ID})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	// Nothing refused was written.
	rs, _, err := s.FindReports(bg, stakhanov.ReportFilter{})
	must(t, err)
	if len(rs) != 1 {
		t.Fatalf("reports after refusals: got %d, want 1", len(rs))
	}
}

func testTokens(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	u := user(t, s, "foreman", stakhanov.RoleForeman, w.mine)
	token, err := s.CreateToken(system, u.ID)
	must(t, err)
	got, err := s.Authenticate(bg, token)
	must(t, err)
	if got.ID != u.ID || got.Role != stakhanov.RoleForeman || got.ScopePath != w.mine.Path {
		t.Fatalf("Authenticate: got %+v", got)
	}
	_, err = s.Authenticate(bg, token+"x")
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	_, err = s.Authenticate(bg, "")
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	err = s.CreateUser(system, &stakhanov.User{Name: "foreman", Role: stakhanov.RoleForeman})
	wantCode(t, err, stakhanov.ECONFLICT, "name")
	err = s.CreateUser(system, &stakhanov.User{Name: "x", Role: "tsar"})
	wantCode(t, err, stakhanov.EINVALID, "role")
}
