package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/gen"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
)

// genNow is the clock of the gen tests: a Wednesday.
var genNow = time.Date(2026, time.March, 4, 12, 0, 0, 0, time.UTC)

func runGen(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	e, out, errOut := testEnv(nil)
	e.now = func() time.Time { return genNow }
	if code := run(context.Background(), args, e); code != 0 {
		t.Fatalf("%v: exit code %d; stderr:\n%s", args, code, errOut)
	}
	return out.String(), errOut.String()
}

// TestGen fills a database with 200 people × 70 shifts and checks what is
// in it, and that the award's candidates are the strong workers.
func TestGen(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "gen.db")
			if backend == "postgres" {
				db = pgtest.Schema(t) // skips without STAKHANOV_TEST_POSTGRES
			}
			const people, shifts = 200, 70
			out, errOut := runGen(t, "gen", "-people", strconv.Itoa(people), "-shifts", strconv.Itoa(shifts), "-seed", "7", "-db", db)
			if !regexp.MustCompile(`gen: reports: 50% \(7000 of 14000`).MatchString(errOut) {
				t.Errorf("no progress on stderr:\n%s", errOut)
			}
			m := regexp.MustCompile(`award (\d+):[^\n]*\nadmin account gen, token: (stk_\S+)`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("stdout names no award and token:\n%s", out)
			}
			awardID, _ := strconv.ParseInt(m[1], 10, 64)
			ctx := context.Background()
			s, err := openStore(ctx, db, func() time.Time { return genNow })
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()

			who, err := s.Authenticate(ctx, m[2])
			if err != nil || who.Name != "gen" || who.Role != stakhanov.RoleAdmin || who.UnitID != 0 {
				t.Fatalf("the printed token: got %+v, %v; want the admin gen", who, err)
			}
			ps, n, err := s.FindPeople(ctx, stakhanov.PersonFilter{Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
			must(t, err)
			if n != people {
				t.Fatalf("people: got %d, want %d", n, people)
			}
			perUnit := map[int64]int{}
			for _, p := range ps {
				perUnit[p.UnitID]++
			}
			for u, k := range perUnit {
				unit, err := s.FindUnitByID(ctx, u)
				must(t, err)
				if unit.Kind != stakhanov.UnitCollective || k < 20 || k >= 70 {
					t.Fatalf("unit %s (%s) holds %d people, want a collective of about 20-50", unit.Name, unit.Kind, k)
				}
			}
			norms, n, err := s.FindNorms(ctx, stakhanov.NormFilter{Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
			must(t, err)
			if n != people {
				t.Fatalf("norms: got %d, want one per person, %d", n, people)
			}
			goods := map[int64]bool{}
			for _, x := range norms {
				goods[x.GoodID] = true
				if x.Amount < 5 || x.Amount > 50 {
					t.Fatalf("norm %+v: amount not from 5 to 50", x)
				}
			}
			if len(goods) < 2 {
				t.Fatalf("norms of %d goods, want several", len(goods))
			}
			_, n, err = s.FindReports(ctx, stakhanov.ReportFilter{})
			must(t, err)
			if n != people*shifts {
				t.Fatalf("reports: got %d, want %d", n, people*shifts)
			}
			yesterday := stakhanov.DateOf(genNow).AddDays(-1)
			_, n, err = s.FindReports(ctx, stakhanov.ReportFilter{From: yesterday, To: yesterday})
			must(t, err)
			if n != people {
				t.Fatalf("reports of the last working day, %s: got %d, want %d", yesterday, n, people)
			}
			_, n, err = s.FindReports(ctx, stakhanov.ReportFilter{From: yesterday.AddDays(1)})
			must(t, err)
			if n != 0 {
				t.Fatalf("reports from today on: got %d, want none", n)
			}
			a, err := s.FindAwardByID(ctx, awardID)
			must(t, err)
			if r := a.Rules.Candidacy; r == nil || r.Kind != stakhanov.RuleKOfN || r.K != 50 || r.N != 60 || r.Percent != 120 {
				t.Fatalf("award %s: candidacy rule %+v, want 120%% on 50 of 60", a.Name, a.Rules.Candidacy)
			}

			// The candidates are the strong workers of the plan.
			plan, err := gen.NewPlan(gen.Config{People: people, Shifts: shifts, Seed: 7, Today: stakhanov.DateOf(genNow)})
			must(t, err)
			strong := map[string]bool{}
			for _, p := range plan.People {
				strong[p.Code] = p.Strong
			}
			cands, _ := runGen(t, "candidates", "-db", db, "-award", m[1])
			got := regexp.MustCompile(`(?m)^person:(\d+) `).FindAllStringSubmatch(cands, -1)
			if len(got) == 0 || len(got) < plan.Strong()/2 || len(got) > plan.Strong() {
				t.Fatalf("candidates: got %d, want about the %d strong workers:\n%s", len(got), plan.Strong(), cands)
			}
			for _, c := range got {
				id, _ := strconv.ParseInt(c[1], 10, 64)
				p, err := s.FindPersonByID(ctx, id)
				must(t, err)
				if !strong[p.Code] {
					t.Fatalf("candidate %s (%s) is not a strong worker", p.Name, p.Code)
				}
			}
		})
	}
}

// TestGenOut writes the workload as a base database and a reports file,
// the same for the same seed, that import reports loads.
func TestGenOut(t *testing.T) {
	dir := t.TempDir()
	write := func(name, seed string) []byte {
		out := filepath.Join(dir, name)
		stdout, _ := runGen(t, "gen", "-people", "120", "-shifts", "65", "-seed", seed, "-out", out)
		if want := "import reports -db " + filepath.Join(out, "base.db") + " -user gen " + filepath.Join(out, "reports.csv"); !bytes.Contains([]byte(stdout), []byte(want)) {
			t.Fatalf("stdout does not say %q:\n%s", want, stdout)
		}
		b, err := os.ReadFile(filepath.Join(out, "reports.csv"))
		must(t, err)
		return b
	}
	first, again, other := write("a", "3"), write("b", "3"), write("c", "4")
	if !bytes.Equal(first, again) {
		t.Fatalf("the same seed wrote different files")
	}
	if bytes.Equal(first, other) {
		t.Fatalf("another seed wrote the same file")
	}
	if lines := bytes.Count(first, []byte("\n")); lines != 1+120*65 {
		t.Fatalf("reports.csv: got %d lines, want a header and %d", lines, 120*65)
	}
	base := filepath.Join(dir, "a", "base.db")
	if n := reportCount(t, base); n != 0 {
		t.Fatalf("base.db holds %d reports, want none", n)
	}
	out, _ := runGen(t, "import", "reports", "-db", base, "-user", "gen", filepath.Join(dir, "a", "reports.csv"))
	if want := "7800 reports imported"; !bytes.Contains([]byte(out), []byte(want)) {
		t.Fatalf("import: got %q, want %q", out, want)
	}
	if n := reportCount(t, base); n != 120*65 {
		t.Fatalf("reports after the import: got %d, want %d", n, 120*65)
	}

	// A second run does not overwrite, and -out excludes -db.
	e, _, errOut := testEnv(nil)
	if code := run(context.Background(), []string{"gen", "-people", "120", "-shifts", "65", "-out", filepath.Join(dir, "a")}, e); code != 1 ||
		!bytes.Contains([]byte(errOut.String()), []byte("base.db exists")) {
		t.Fatalf("gen -out over a written directory: exit %d, stderr %q", code, errOut)
	}
	e, _, errOut = testEnv(nil)
	if code := run(context.Background(), []string{"gen", "-people", "1", "-shifts", "1", "-db", "x.db", "-out", dir}, e); code != 2 {
		t.Fatalf("gen -db with -out: exit %d, want 2; stderr %q", code, errOut)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
