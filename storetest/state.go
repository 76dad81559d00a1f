package storetest

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// testStateProperty drives random sequences of reports (single, batches
// and imports, many back-dated), corrections, verifications, rejections and
// norm versions (also effective in the past), and after each step compares
// every answer the rolling state gives — fulfilment of every person and
// unit by shift, verified shift, week, month and year; the leaderboards of
// the mine and its brigades; the candidates of three awards — with a full
// recomputation from the reports.
// StateProperty runs the state's property test alone, for a store opened
// with other options.
func StateProperty(t *testing.T, s stakhanov.Store) { testStateProperty(t, s) }

func testStateProperty(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	brigade2 := &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "Second brigade", ParentID: w.mine.ID}
	must(t, s.CreateUnit(system, brigade2))
	people := []*stakhanov.Person{w.miner, w.helper1, w.helper2}
	for i := range 4 {
		p := &stakhanov.Person{UnitID: brigade2.ID, Name: fmt.Sprintf("Hewer %d", i+1), Profession: "hewer"}
		must(t, s.CreatePerson(system, p))
		people = append(people, p)
	}
	inspector := &stakhanov.Person{UnitID: w.factory.ID, Name: "Inspector Orlova", Profession: "inspector"}
	must(t, s.CreatePerson(system, inspector))
	verifier := account(t, s, "verifier-orlova", stakhanov.RoleVerifier, nil, inspector)
	asVerifier := stakhanov.NewContext(bg, verifier)
	c := account(t, s, "commission", stakhanov.RoleCommittee, nil, nil)

	subjects := []stakhanov.Subject{stakhanov.UnitSubject(w.brigade.ID), stakhanov.UnitSubject(brigade2.ID)}
	for _, p := range people {
		subjects = append(subjects, stakhanov.PersonSubject(p.ID))
	}
	goods := []*stakhanov.Good{w.coal, w.parts}
	start := date(t, "2026-08-03")
	day := func(r *rand.Rand) stakhanov.Date { return start.AddDays(r.IntN(40)) }

	var awards []int64
	award := func(name string, rule stakhanov.CandidacyRule) {
		a := &stakhanov.Award{Name: name, Kind: stakhanov.AwardMedal, Country: "USSR", Authority: "Presidium",
			Established: date(t, "1938-12-27"), Insignia: star("silver"),
			Rules: stakhanov.AwardRules{Candidacy: &rule, Stages: []stakhanov.Stage{stage("commission", 1, c)}}}
		must(t, s.CreateAward(system, a))
		awards = append(awards, a.ID)
	}
	award("Excellent Miner", stakhanov.CandidacyRule{Kind: stakhanov.RuleKOfN, Subject: stakhanov.SubjectPerson, GoodID: w.coal.ID, Percent: 100, K: 2, N: 4})
	award("Best Month", stakhanov.CandidacyRule{Kind: stakhanov.RulePeriodTotal, Subject: stakhanov.SubjectPerson, Percent: 100, Period: stakhanov.PeriodMonth})
	award("Shock Brigade", stakhanov.CandidacyRule{Kind: stakhanov.RuleStreak, Subject: stakhanov.SubjectUnit, GoodID: w.coal.ID, Percent: 40, Length: 2})

	r := rand.New(rand.NewPCG(5, 35))
	norm := func() {
		sub := subjects[r.IntN(len(subjects))]
		if sub.Kind == stakhanov.SubjectUnit && sub.ID == brigade2.ID {
			// The second brigade has no norm of its own: its norm is its
			// members'.
			return
		}
		n := &stakhanov.Norm{Subject: sub, GoodID: goods[r.IntN(2)].ID, Amount: float64(5 + r.IntN(10)),
			EffectiveFrom: day(r).AddDays(-20), Reason: "revised"}
		must(t, s.CreateNorm(system, n))
	}
	// Most people have a coal norm from the start; later versions change
	// some, also back-dated.
	for _, p := range people[:6] {
		must(t, s.CreateNorm(system, &stakhanov.Norm{Subject: stakhanov.PersonSubject(p.ID), GoodID: w.coal.ID, Amount: 8,
			EffectiveFrom: start, Reason: "first norm"}))
	}
	for range 4 {
		norm()
	}
	// Every brigade-one shift has a norm of the brigade's own.
	must(t, s.CreateNorm(system, &stakhanov.Norm{Subject: stakhanov.UnitSubject(w.brigade.ID), GoodID: w.coal.ID, Amount: 20,
		EffectiveFrom: start, Reason: "brigade norm"}))

	seq := 0
	newReport := func() *stakhanov.Report {
		seq++
		sub := subjects[r.IntN(len(subjects))]
		produced := float64(1 + r.IntN(20))
		if r.IntN(8) == 0 {
			produced *= 10 // a record a rule may flag
		}
		rep := &stakhanov.Report{Subject: sub, GoodID: goods[r.IntN(2)].ID, Date: day(r), Shift: 1 + r.IntN(2),
			Produced: produced, Accepted: produced * float64(7+r.IntN(4)) / 10, Key: fmt.Sprintf("prop-%d", seq)}
		if sub.Kind == stakhanov.SubjectPerson && r.IntN(3) == 0 {
			for _, p := range people {
				if len(rep.Helpers) < 2 && stakhanov.PersonSubject(p.ID) != sub && r.IntN(3) == 0 {
					rep.Helpers = append(rep.Helpers, stakhanov.Helper{PersonID: p.ID})
				}
			}
		}
		return rep
	}
	// refusedAsExpected lets a step fail the way the store must refuse it
	// (a shift that already has a report, a report already corrected or
	// decided), and nothing else.
	refusedAsExpected := func(err error) bool {
		var e *stakhanov.Error
		var ie *stakhanov.ImportError
		if errors.As(err, &ie) {
			// An import refused for a shift already reported, or for the
			// report a correction names having been corrected already.
			for _, l := range ie.Lines {
				if !strings.Contains(l.Message, "already") {
					t.Logf("import line %d: %s: %s", l.Line, l.Field, l.Message)
					return false
				}
			}
			return true
		}
		return err == nil || errors.As(err, &e) && (e.Code == stakhanov.ECONFLICT || e.Code == stakhanov.EINVALID)
	}
	current := func() []*stakhanov.Report {
		rs, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Report, int, error) {
			return s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReportCurrent, Page: p})
		})
		must(t, err)
		return rs
	}

	steps := 80
	if testing.Short() {
		steps = 20
	}
	qualified := map[int64]bool{}
	for step := 1; step <= steps; step++ {
		var what string
		var err error
		switch k := r.IntN(10); {
		case k < 4:
			rep := newReport()
			what = fmt.Sprintf("report of %s on %s", rep.Subject, rep.Date)
			_, err = s.CreateReports(system, []*stakhanov.Report{rep})
		case k == 4:
			batch := []*stakhanov.Report{newReport(), newReport(), newReport()}
			what = "a batch of 3 reports"
			_, err = s.CreateReports(system, batch)
		case k == 5:
			rows := []*stakhanov.Report{newReport(), newReport(), newReport(), newReport()}
			what = "an import of 4 reports"
			if rs := current(); len(rs) > 0 && r.IntN(2) == 0 {
				// A correction among them: it takes away what the report
				// it corrects credited, helpers included.
				old := rs[r.IntN(len(rs))]
				fix := newReport()
				fix.Subject, fix.GoodID, fix.Date, fix.Shift, fix.Helpers = old.Subject, old.GoodID, old.Date, old.Shift, nil
				fix.Corrects = old.ID
				rows = append(rows, fix)
				what = fmt.Sprintf("an import of 4 reports and a correction of report %d", old.ID)
			}
			_, err = s.ImportReports(system, rowsOf(rows...))
		case k == 6:
			rs := current()
			if len(rs) == 0 {
				continue
			}
			old := rs[r.IntN(len(rs))]
			fix := newReport()
			fix.Subject, fix.GoodID, fix.Date, fix.Shift, fix.Helpers = old.Subject, old.GoodID, old.Date, old.Shift, nil
			fix.Corrects = old.ID
			what = fmt.Sprintf("a correction of report %d", old.ID)
			_, err = s.CreateReports(system, []*stakhanov.Report{fix})
		case k == 7:
			flagged, ferr := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Report, int, error) {
				return s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReviewFlagged, Page: p})
			})
			must(t, ferr)
			if len(flagged) == 0 {
				continue
			}
			rep := flagged[r.IntN(len(flagged))]
			decision := stakhanov.DecisionVerified
			if r.IntN(2) == 0 {
				decision = stakhanov.DecisionRejected
			}
			what = fmt.Sprintf("%s report %d", decision, rep.ID)
			err = s.VerifyReport(asVerifier, &stakhanov.Verification{ReportID: rep.ID, Decision: decision, Note: "checked the tally"})
		default:
			what = "a norm version"
			norm()
		}
		if !refusedAsExpected(err) {
			t.Fatalf("step %d, %s: %v", step, what, err)
		}
		for _, a := range awards {
			if _, n, err := s.Candidates(bg, a, stakhanov.DateOf(time.Now()), stakhanov.Page{}); err == nil && n > 0 {
				qualified[a] = true
			}
		}
		compareState(t, s, fmt.Sprintf("step %d (%s)", step, what), []*stakhanov.Unit{w.mine, w.brigade, brigade2}, goods)
	}
	// The sequence must have reached each rule, or it tested little.
	if len(qualified) != 3 && !testing.Short() {
		t.Errorf("candidates appeared for awards %v during the run, want all three", qualified)
	}
}

// compareState fails the test with every difference between the state's
// answers and a recomputation from the reports.
func compareState(t *testing.T, s stakhanov.Store, when string, boards []*stakhanov.Unit, goods []*stakhanov.Good) {
	t.Helper()
	today := stakhanov.DateOf(time.Now())
	var problems []string
	err := stakhanov.VerifyState(bg, s, today, func(p stakhanov.StateProblem) { problems = append(problems, p.Message) }, nil)
	must(t, err)
	for _, u := range boards {
		for _, g := range goods {
			from, to := date(t, "2026-08-01"), date(t, "2026-10-31")
			got, err := s.Leaderboard(system, stakhanov.LeaderboardQuery{UnitID: u.ID, GoodID: g.ID, From: from, To: to})
			must(t, err)
			want := recomputeLeaderboard(t, s, u, g, from, to)
			if len(got.Entries) != len(want) {
				problems = append(problems, fmt.Sprintf("leaderboard of %s, %s: %d people in the state, %d from the reports", u.Name, g.Name, len(got.Entries), len(want)))
				continue
			}
			for i := range want {
				a, b := got.Entries[i], want[i]
				if a.Person.ID != b.Person.ID || a.Rank != b.Rank || a.Shifts != b.Shifts || !near6(a.Accepted, b.Accepted) || !near6(a.Norm, b.Norm) || !near6(a.Percent, b.Percent) {
					problems = append(problems, fmt.Sprintf("leaderboard of %s, %s, place %d: state %+v, reports %+v", u.Name, g.Name, i+1, a, b))
				}
			}
		}
	}
	if len(problems) > 0 {
		t.Fatalf("after %s the state differs from the reports:\n%s", when, joinLines(problems))
	}
}

func near6(a, b float64) bool {
	d := a - b
	return d < 1e-6 && d > -1e-6
}

func joinLines(xs []string) string {
	out := ""
	for _, x := range xs {
		out += "  " + x + "\n"
	}
	return out
}

// recomputeLeaderboard ranks a unit's people from their reports, as the
// leaderboard did before the state.
func recomputeLeaderboard(t *testing.T, s stakhanov.Store, u *stakhanov.Unit, g *stakhanov.Good, from, to stakhanov.Date) []stakhanov.LeaderboardEntry {
	t.Helper()
	people, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Person, int, error) {
		return s.FindPeople(bg, stakhanov.PersonFilter{UnitID: u.ID, Page: p})
	})
	must(t, err)
	var out []stakhanov.LeaderboardEntry
	for _, p := range people {
		f, err := stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{Subject: stakhanov.PersonSubject(p.ID), GoodID: g.ID,
			Period: stakhanov.PeriodYear, From: from, To: to})
		must(t, err)
		e := stakhanov.LeaderboardEntry{Person: p}
		normed := 0.0
		for _, row := range f.Rows {
			e.Shifts += row.Shifts
			e.Accepted += row.Accepted
			e.Norm += row.Norm
			if row.Percent != nil {
				normed += *row.Percent * row.Norm / 100
			}
		}
		if e.Norm > 0 {
			e.Percent = normed / e.Norm * 100
			out = append(out, e)
		}
	}
	stakhanov.RankLeaderboard(out)
	return out
}
