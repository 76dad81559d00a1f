package demo_test

import (
	"context"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/demo"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/sqlite"
)

var bg = context.Background()

func openSQLite(t *testing.T) stakhanov.Store {
	t.Helper()
	db, err := sqlite.Open(bg, filepath.Join(t.TempDir(), "demo.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestSeedSQLite(t *testing.T) { testSeed(t, openSQLite(t)) }

func TestSeedPostgres(t *testing.T) { testSeed(t, pgtest.Open(t, time.Now)) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.05 }

func testSeed(t *testing.T, s stakhanov.Store) {
	start := time.Now()
	w, err := demo.Seed(bg, s, time.Now())
	must(t, err)
	t.Logf("seeded in %v", time.Since(start))

	t.Run("Accounts", func(t *testing.T) { testAccounts(t, s, w) })
	t.Run("RecordShift", func(t *testing.T) { testRecord(t, s, w) })
	t.Run("Claim", func(t *testing.T) { testClaim(t, s, w) })
	t.Run("BrigadeAugust1935", func(t *testing.T) { testBrigade(t, s, w) })
	t.Run("ShortagesSeptember1935", func(t *testing.T) { testShortages(t, s, w) })
	t.Run("ClosesAndRatchet1935", func(t *testing.T) { testCloses(t, s, w) })
	t.Run("Honoured2013", func(t *testing.T) { testHonoured(t, s, w) })
	// Verifies the record shift: keep it after the tests that read the
	// demo as seeded.
	t.Run("RecordVerification", func(t *testing.T) { testRecordVerification(t, s, w) })
	t.Run("NotTwice", func(t *testing.T) {
		if _, err := demo.Seed(bg, s, time.Now()); stakhanov.ErrorCode(err) != stakhanov.ECONFLICT {
			t.Fatalf("seeding a second time: got %v, want a conflict", err)
		}
	})
}

func testAccounts(t *testing.T, s stakhanov.Store, w *demo.World) {
	if len(w.Accounts) != len(stakhanov.Roles) {
		t.Fatalf("accounts: got %d, want one per role (%d)", len(w.Accounts), len(stakhanov.Roles))
	}
	for i, role := range stakhanov.Roles {
		a := w.Accounts[i]
		if a.Role != role {
			t.Fatalf("account %d: got role %q, want %q", i, a.Role, role)
		}
		u, err := s.Authenticate(bg, a.Token)
		if err != nil {
			t.Fatalf("%s's token: %v", role, err)
		}
		if u.Role != role || u.Name != a.Name || u.UnitID != a.UnitID || u.PersonID != a.PersonID {
			t.Fatalf("%s's token authenticates %+v, want %+v", role, u, a)
		}
		if (u.UnitID != 0) != (u.ScopePath != "") {
			t.Fatalf("%s: unit %d with scope path %q", role, u.UnitID, u.ScopePath)
		}
		switch role {
		case stakhanov.RolePlanner, stakhanov.RoleForeman:
			if u.UnitID != w.Mine {
				t.Fatalf("%s: scoped to unit %d, want the mine %d", role, u.UnitID, w.Mine)
			}
		case stakhanov.RoleWorker:
			if u.UnitID != w.Brigade || u.PersonID != w.Stakhanov {
				t.Fatalf("worker: unit %d person %d, want the brigade %d and Stakhanov %d", u.UnitID, u.PersonID, w.Brigade, w.Stakhanov)
			}
		case stakhanov.RoleAdmin, stakhanov.RoleAuditor, stakhanov.RoleAuthority, stakhanov.RoleRegistrar:
			if u.UnitID != 0 {
				t.Fatalf("%s: scoped to unit %d, want the whole tree", role, u.UnitID)
			}
		}
	}
	mine, err := s.FindUnitByID(bg, w.Mine)
	must(t, err)
	brigade, err := s.FindUnitByID(bg, w.Brigade)
	must(t, err)
	if mine.Kind != stakhanov.UnitEnterprise || brigade.Kind != stakhanov.UnitCollective || brigade.ParentID != mine.ID {
		t.Fatalf("mine %+v, brigade %+v", mine, brigade)
	}
	coal, err := s.FindGoodByID(bg, w.Coal)
	must(t, err)
	if coal.Name != "coal" || coal.Measure != "t" {
		t.Fatalf("coal: got %+v", coal)
	}
}

func foremanID(t *testing.T, s stakhanov.Store, w *demo.World) int64 {
	t.Helper()
	for _, a := range w.Accounts {
		if a.Role == stakhanov.RoleForeman {
			u, err := s.Authenticate(bg, a.Token)
			must(t, err)
			return u.ID
		}
	}
	t.Fatal("no foreman account")
	return 0
}

func testRecord(t *testing.T, s stakhanov.Store, w *demo.World) {
	r, err := s.FindReportByID(bg, w.RecordReport)
	must(t, err)
	if r.Subject != stakhanov.PersonSubject(w.Stakhanov) || r.GoodID != w.Coal || r.Date != stakhanov.NewDate(1935, 8, 31) || r.Shift != 1 {
		t.Fatalf("record: got %+v", r)
	}
	if r.Produced != 102 || r.Accepted != 102 || r.Minutes != 345 {
		t.Fatalf("record: produced %g accepted %g minutes %d, want 102, 102, 345", r.Produced, r.Accepted, r.Minutes)
	}
	if len(r.Helpers) != 2 || len(r.Witnesses) != 1 {
		t.Fatalf("record: helpers %+v witnesses %v, want two helpers and a witness", r.Helpers, r.Witnesses)
	}
	helpers := map[string]bool{}
	for _, h := range r.Helpers {
		p, err := s.FindPersonByID(bg, h.PersonID)
		must(t, err)
		helpers[p.Name] = p.Profession == demo.ProfessionTimberman
	}
	if !helpers["Gavrila Shchigolev"] || !helpers["Tikhon Borisov"] {
		t.Fatalf("record helpers: got %v, want the timbermen Shchigolev and Borisov", helpers)
	}
	witness, err := s.FindPersonByID(bg, r.Witnesses[0])
	must(t, err)
	if witness.Name != "Konstantin Petrov" {
		t.Fatalf("record witness: got %+v", witness)
	}
	if r.ReporterID != foremanID(t, s, w) {
		t.Fatalf("record: reported by user %d, want the demo foreman", r.ReporterID)
	}
	f, err := stakhanov.ComputeReportFulfilment(bg, s, r)
	must(t, err)
	if f.Norm != 7 || !near(f.Credited, 34) || f.Team != 3 || f.Percent == nil || f.ReportedPercent == nil {
		t.Fatalf("record fulfilment: got %+v", f)
	}
	if !near(*f.Percent, 485.7) || !near(*f.ReportedPercent, 1457.1) {
		t.Fatalf("record fulfilment: percent %.2f, reported %.2f, want 485.7 and 1457.1", *f.Percent, *f.ReportedPercent)
	}
}

func testClaim(t *testing.T, s stakhanov.Store, w *demo.World) {
	r, err := s.FindReportByID(bg, w.ClaimReport)
	must(t, err)
	if r.Subject != stakhanov.PersonSubject(w.Stakhanov) || r.Date != stakhanov.NewDate(1935, 9, 19) ||
		r.Produced != 227 || r.Accepted != 227 || r.Note == "" {
		t.Fatalf("claim: got %+v", r)
	}
	// One shift that day: the claim replaces his ordinary shift.
	_, n, err := s.FindReports(bg, stakhanov.ReportFilter{Subject: r.Subject, From: r.Date, To: r.Date})
	must(t, err)
	if n != 1 {
		t.Fatalf("Stakhanov's reports on 19 September 1935: got %d, want 1", n)
	}
}

func testBrigade(t *testing.T, s stakhanov.Store, w *demo.World) {
	f, err := stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{
		Subject: stakhanov.UnitSubject(w.Brigade), Period: stakhanov.PeriodMonth,
		From: stakhanov.NewDate(1935, 8, 1), To: stakhanov.NewDate(1935, 8, 31),
	})
	must(t, err)
	if len(f.Rows) != 1 {
		t.Fatalf("brigade, August 1935: got %+v, want one month", f.Rows)
	}
	row := f.Rows[0]
	if row.Period != "1935-08" || row.GoodID != w.Coal || row.Percent == nil || row.Shifts < 20 || row.ShiftsWithoutNorm != 0 {
		t.Fatalf("brigade, August 1935: got %+v", row)
	}
	// The record's 102 t is in, once: the helpers' shares add up to it.
	if row.Accepted < 102+20*5 || *row.Percent < 100 || *row.Percent > 200 {
		t.Fatalf("brigade, August 1935: accepted %g, percent %.1f", row.Accepted, *row.Percent)
	}
	t.Logf("brigade, August 1935: %d shifts, %.1f t accepted, %.1f%%", row.Shifts, row.Accepted, *row.Percent)

	// Stakhanov's own months, June to October 1935.
	mine, err := stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{
		Subject: stakhanov.PersonSubject(w.Stakhanov), Period: stakhanov.PeriodMonth,
	})
	must(t, err)
	if len(mine.Rows) != 5 {
		t.Fatalf("Stakhanov by month: got %d rows, want June to October", len(mine.Rows))
	}
	for _, r := range mine.Rows {
		if r.Percent == nil {
			t.Fatalf("Stakhanov, %s: no percent", r.Period)
		}
	}
}

func testHonoured(t *testing.T, s stakhanov.Store, w *demo.World) {
	want := []struct {
		name, profession string
		normed           bool
	}{
		{"Vladimir Melnik", demo.ProfessionMiner2013, true},
		{"Konstantin Chumanov", demo.ProfessionTurner, true},
		{"Alexander Konovalov", demo.ProfessionSurgeon, false},
		{"Yuri Konnov", demo.ProfessionMechanizer, true},
		{"Valery Gergiev", demo.ProfessionConductor, false},
	}
	if len(w.Honoured2013) != len(want) {
		t.Fatalf("honoured in 2013: got %d people, want %d", len(w.Honoured2013), len(want))
	}
	for i, id := range w.Honoured2013 {
		p, err := s.FindPersonByID(bg, id)
		must(t, err)
		if p.Name != want[i].name || p.Profession != want[i].profession {
			t.Fatalf("honoured %d: got %s (%s), want %s (%s)", i, p.Name, p.Profession, want[i].name, want[i].profession)
		}
		sub := stakhanov.PersonSubject(id)
		norms, _, err := s.FindNorms(bg, stakhanov.NormFilter{Subject: sub})
		must(t, err)
		reports, total, err := s.FindReports(bg, stakhanov.ReportFilter{Subject: sub, Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
		must(t, err)
		if !want[i].normed {
			if len(norms) != 0 || total != 0 {
				t.Fatalf("%s: got %d norms and %d reports, want none (nominated by dossier)", p.Name, len(norms), total)
			}
			continue
		}
		if len(norms) != 1 || total < 60 || len(reports) != total {
			t.Fatalf("%s: got %d norms and %d reports, want a norm and at least 60 shifts", p.Name, len(norms), total)
		}
		for _, r := range reports {
			f, err := stakhanov.ComputeReportFulfilment(bg, s, r)
			must(t, err)
			if f.Percent == nil || *f.Percent < 120 || *f.Percent > 145 {
				t.Fatalf("%s, %s: fulfilment %+v, want 120%% to 140%%", p.Name, r.Date, f)
			}
		}
	}
}

// TestDeterministic seeds two stores and finds the same figures in both.
func TestDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds two stores")
	}
	var figures [2][]float64
	for i := range figures {
		s := openSQLite(t)
		w, err := demo.Seed(bg, s, time.Now())
		must(t, err)
		rs, _, err := s.FindReports(bg, stakhanov.ReportFilter{UnitID: w.Brigade, Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
		must(t, err)
		for _, r := range rs {
			figures[i] = append(figures[i], r.Produced, r.Accepted)
		}
	}
	if len(figures[0]) == 0 || len(figures[0]) != len(figures[1]) {
		t.Fatalf("reports: %d and %d figures", len(figures[0]), len(figures[1]))
	}
	for i := range figures[0] {
		if figures[0][i] != figures[1][i] {
			t.Fatalf("figure %d differs: %g and %g", i, figures[0][i], figures[1][i])
		}
	}
}

// testShortages: in September 1935 the mine is over its coal plan and
// the Commissariat's need, while the children's shoes people need are
// short, and a tenth of the pairs made fail inspection.
func testShortages(t *testing.T, s stakhanov.Store, w *demo.World) {
	sept := stakhanov.NewDate(1935, 9, 1)
	month := func(unit, good int64) *stakhanov.Shortage {
		t.Helper()
		rows, err := s.Shortages(bg, stakhanov.ShortageQuery{UnitID: unit, GoodID: good, From: sept, To: sept})
		must(t, err)
		if len(rows) != 1 {
			t.Fatalf("shortages of unit %d, good %d: got %d rows, want 1", unit, good, len(rows))
		}
		return rows[0]
	}
	coal := month(w.Needs.HeavyIndustry, w.Coal)
	if coal.Planned != demo.MineCoalPlanSept1935 || coal.Needed != demo.CoalNeedSept1935 || coal.Accepted <= coal.Planned || coal.Surplus <= 0 || coal.Shortage != 0 {
		t.Errorf("coal, September 1935: got %+v, want accepted over the plan and the need", coal)
	}
	shoes := month(w.Needs.LightIndustry, w.Needs.Shoes)
	if shoes.Needed != demo.ShoesNeedSept1935 || shoes.Planned != demo.ShoesPlanSept1935 || shoes.Shortage < shoes.Needed/2 || shoes.QualityLoss <= 0 || shoes.Good != "children's shoes" {
		t.Errorf("shoes, September 1935: got %+v, want most of the need short and a quality loss", shoes)
	}
	storms, err := s.Storming(bg, stakhanov.StormQuery{UnitID: w.Needs.LightIndustry, From: sept, To: sept})
	must(t, err)
	if len(storms) != 1 || !storms[0].Storming || storms[0].Share < 0.5 || storms[0].Planned == nil {
		t.Errorf("the shoe factory's September: got %+v, want it storming beside its plan", storms)
	}
	calm, err := s.Storming(bg, stakhanov.StormQuery{UnitID: w.Mine, From: stakhanov.NewDate(1935, 7, 1), To: stakhanov.NewDate(1935, 7, 31)})
	must(t, err)
	if len(calm) != 1 || calm[0].Storming {
		t.Errorf("the mine's July: got %+v, want one month, not storming", calm)
	}
	plans, _, err := s.FindPlans(bg, stakhanov.PlanFilter{UnitID: w.Needs.ShoeFactory})
	must(t, err)
	if len(plans) != 1 || plans[0].Parts == nil || !plans[0].Parts.AddsUp {
		t.Errorf("the shoe factory's plan: got %+v, want its cascade adding up", plans)
	}
}

// testCloses: August 1935 is closed for the mine with its final figures;
// Kovalenko's late correction is marked late in the report and in the
// mine's August; the November raise of the hewers' norms is in the
// ratchet report, after Stakhanov's record months above the old norm.
func testCloses(t *testing.T, s stakhanov.Store, w *demo.World) {
	c, err := s.FindPeriodCloseByID(bg, w.Closes.August)
	must(t, err)
	if c.UnitID != w.Mine || c.Month != demo.AugustClose1935 || c.Results < 5 {
		t.Fatalf("the close of August 1935: got %+v", c)
	}
	late, err := s.FindReportByID(bg, w.Closes.Late)
	must(t, err)
	if !late.Late || late.Corrects == 0 || late.Date != stakhanov.NewDate(1935, 8, 15) {
		t.Fatalf("the late correction: got %+v", late)
	}
	f, err := s.Fulfilment(bg, stakhanov.FulfilmentQuery{Subject: stakhanov.UnitSubject(w.Mine), GoodID: w.Coal, Period: stakhanov.PeriodMonth,
		From: stakhanov.NewDate(1935, 8, 1), To: stakhanov.NewDate(1935, 8, 31)})
	must(t, err)
	if len(f.Rows) != 1 || f.Rows[0].Late != 1 {
		t.Fatalf("the mine's August: got %+v, want 1 late credit", f.Rows)
	}
	rep, err := s.Ratchets(bg, stakhanov.RatchetQuery{UnitID: w.Mine, GoodID: w.Coal, From: stakhanov.NewDate(1935, 1, 1), To: stakhanov.NewDate(1935, 12, 31)})
	must(t, err)
	if len(rep.Raises) != 5 || len(rep.Units) != 1 || rep.Units[0].Raises != 5 {
		t.Fatalf("the ratchet of 1935: got %+v", rep)
	}
	for _, r := range rep.Raises {
		if r.EffectiveFrom != demo.RaiseDate || r.Amount != demo.RaisedHewingNorm || r.PreviousAmount != demo.HewingNorm {
			t.Fatalf("raise: got %+v", r)
		}
		if r.Subject == stakhanov.PersonSubject(w.Stakhanov) && !r.AfterOverfulfilment {
			t.Fatalf("Stakhanov's raise: got %+v, want it after his months above the norm", r)
		}
	}
	t.Logf("ratchet of 1935: %d of %d raises after an overfulfilment", rep.Units[0].AfterOverfulfilment, rep.Units[0].Raises)
}
