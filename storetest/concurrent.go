package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// testConcurrentReports writes reports from many goroutines at once, some
// of them bad. A store may commit concurrent writes together (SQLite's
// group commit); each must still succeed or fail on its own.
func testConcurrentReports(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	const n = 40
	errs := createConcurrently(s, n, func(i int) *stakhanov.Report {
		r := report(miner, w.coal, date(t, "1936-01-01").AddDays(i), 1, 8, 8, fmt.Sprintf("c-%d", i))
		if i%10 == 3 {
			r.GoodID = 9999 // refused by the store, inside the transaction
		}
		return r
	})
	for i, err := range errs {
		if i%10 == 3 {
			wantCode(t, err, stakhanov.EINVALID, "good_id")
		} else if err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
	}
	rs, total, err := s.FindReports(bg, stakhanov.ReportFilter{Page: stakhanov.Page{Limit: n}})
	must(t, err)
	if total != n-n/10 {
		t.Fatalf("reports written: got %d, want %d", total, n-n/10)
	}
	for _, r := range rs {
		if r.GoodID != w.coal.ID {
			t.Fatalf("a refused report was written: %+v", r)
		}
	}
}

// testConcurrentState writes reports from many goroutines at once, for a
// few people on the same days (so that a store committing them together
// brings one subject's, one unit's and one month's state up to date for
// many writes at a time), with helpers, refused reports and second
// reports for a shift among them; then every answer of the rolling state
// must equal a recomputation from the reports.
func testConcurrentState(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	start := date(t, "2026-08-03")
	people := []*stakhanov.Person{w.miner, w.helper1, w.helper2}
	for _, p := range people {
		must(t, s.CreateNorm(system, &stakhanov.Norm{Subject: stakhanov.PersonSubject(p.ID), GoodID: w.coal.ID, Amount: 8,
			EffectiveFrom: start, Reason: "first norm"}))
	}
	c := account(t, s, "commission", stakhanov.RoleCommittee, nil, nil)
	rule := stakhanov.CandidacyRule{Kind: stakhanov.RuleKOfN, Subject: stakhanov.SubjectPerson, GoodID: w.coal.ID, Percent: 100, K: 3, N: 5}
	must(t, s.CreateAward(system, &stakhanov.Award{Name: "Excellent Miner", Kind: stakhanov.AwardMedal, Country: "USSR", Authority: "Presidium",
		Established: date(t, "1938-12-27"), Insignia: star("silver"),
		Rules: stakhanov.AwardRules{Candidacy: &rule, Stages: []stakhanov.Stage{stage("commission", 1, c)}}}))
	const n = 96
	errs := createConcurrently(s, n, func(i int) *stakhanov.Report {
		p := people[i%3]
		// Shift 1 or 2 of twelve days: writers 0 and 72 (and so on) race
		// for one shift.
		r := report(stakhanov.PersonSubject(p.ID), w.coal, start.AddDays(i/3%12), 1+i/36%2, float64(4+i%9), float64(4+i%9), "")
		switch {
		case i%11 == 5:
			r.GoodID = 9999 // refused inside the transaction
		case i%7 == 2 && p.ID != w.helper2.ID:
			r.Helpers = []stakhanov.Helper{{PersonID: w.helper2.ID, Share: ptrTo(0.25)}}
		}
		return r
	})
	written := 0
	for i, err := range errs {
		switch {
		case i%11 == 5:
			wantCode(t, err, stakhanov.EINVALID, "good_id")
		case err == nil:
			written++
		case stakhanov.ErrorCode(err) != stakhanov.ECONFLICT:
			t.Fatalf("report %d: %v", i, err)
		}
	}
	if written < 60 {
		t.Fatalf("written: %d of %d, want most", written, n)
	}
	var problems []string
	err := stakhanov.VerifyState(bg, s, stakhanov.DateOf(time.Now()), func(p stakhanov.StateProblem) { problems = append(problems, p.Message) }, nil)
	must(t, err)
	for _, p := range problems {
		t.Error(p)
	}
}

// createConcurrently makes n reports with mk, then writes each in a
// CreateReports of its own, all at once, and returns their errors.
func createConcurrently(s stakhanov.Store, n int, mk func(i int) *stakhanov.Report) []error {
	rs := make([]*stakhanov.Report, n)
	for i := range n {
		rs[i] = mk(i)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, r := range rs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.CreateReports(system, []*stakhanov.Report{r})
		}()
	}
	wg.Wait()
	return errs
}
