package storetest

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// record is Stakhanov's shift of 31 August 1935: 102 t with two timbermen,
// witnessed by the turner, against a 7 t norm.
func (w *world) record(t *testing.T, s stakhanov.Store, d stakhanov.Date, key string) *stakhanov.Report {
	t.Helper()
	r := report(stakhanov.PersonSubject(w.miner.ID), w.coal, d, 1, 102, 102, key)
	r.Minutes = 345
	r.Helpers = []stakhanov.Helper{{PersonID: w.helper1.ID}, {PersonID: w.helper2.ID}}
	r.Witnesses = []int64{w.turner.ID}
	return r
}

func flagOf(r *stakhanov.Report, rule string) *stakhanov.Flag {
	for i := range r.Flags {
		if r.Flags[i].Rule == rule {
			return &r.Flags[i]
		}
	}
	return nil
}

func wantFigures(t *testing.T, f *stakhanov.Flag, want map[string]float64) {
	t.Helper()
	for k, v := range want {
		if got, ok := f.Figures[k]; !ok || math.Abs(got-v) > 1e-3 {
			t.Fatalf("flag %s figure %s: got %v (%v), want %v", f.Rule, k, got, f.Figures, v)
		}
	}
}

func testFlagMultipleOfNorm(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	w.norm(t, s, miner, w.coal, 7, "1935-01-01")
	ordinary := report(miner, w.coal, date(t, "1935-08-30"), 1, 8, 8, "ordinary")
	rec := w.record(t, s, date(t, "1935-08-31"), "record")
	_, err := s.CreateReports(system, []*stakhanov.Report{ordinary, rec})
	must(t, err)
	if len(ordinary.Flags) != 0 || ordinary.Review != "" {
		t.Fatalf("ordinary shift: got flags %+v, review %q", ordinary.Flags, ordinary.Review)
	}
	// The record is judged on the credited 34 t (a third of 102 t):
	// 4.9 times the norm, above 3.
	f := flagOf(rec, stakhanov.RuleMultipleOfNorm)
	if f == nil || rec.Review != stakhanov.ReviewFlagged {
		t.Fatalf("record: got flags %+v, review %q", rec.Flags, rec.Review)
	}
	wantFigures(t, f, map[string]float64{"credited": 34, "accepted": 102, "norm": 7, "multiple": 34.0 / 7, "limit": 3})
	if !strings.Contains(f.Message, "34 t") || !strings.Contains(f.Message, "7 t") {
		t.Fatalf("message: %q", f.Message)
	}
	got, err := s.FindReportByID(bg, rec.ID)
	must(t, err)
	if g := flagOf(got, stakhanov.RuleMultipleOfNorm); g == nil || got.Review != stakhanov.ReviewFlagged || got.Verification != nil || g.ReportID != rec.ID {
		t.Fatalf("FindReportByID: got flags %+v, review %q", got.Flags, got.Review)
	}
	wantFigures(t, flagOf(got, stakhanov.RuleMultipleOfNorm), f.Figures)
	flagged, total, err := s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReviewFlagged})
	must(t, err)
	if total != 1 || flagged[0].ID != rec.ID || len(flagged[0].Flags) == 0 {
		t.Fatalf("flagged reports: got %d %+v", total, flagged)
	}
	// A replay answers the flags too.
	again := w.record(t, s, date(t, "1935-08-31"), "record")
	created, err := s.CreateReports(system, []*stakhanov.Report{again})
	must(t, err)
	if created[0] || flagOf(again, stakhanov.RuleMultipleOfNorm) == nil {
		t.Fatalf("replay: created %v, flags %+v", created, again.Flags)
	}

	// Rules per good: at 5 times the norm, the record passes; 0 turns the
	// rule off.
	p, err := s.PlausibilityRules(bg, w.coal.ID)
	must(t, err)
	if *p != stakhanov.DefaultPlausibilityRules {
		t.Fatalf("default rules: got %+v", p)
	}
	p.MultipleOfNorm = 5
	planner := user(t, s, "planner", stakhanov.RolePlanner, nil)
	must(t, s.SetPlausibilityRules(as(planner), w.coal.ID, p))
	foreman := user(t, s, "foreman", stakhanov.RoleForeman, w.mine)
	err = s.SetPlausibilityRules(as(foreman), w.coal.ID, p)
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	err = s.SetPlausibilityRules(as(planner), w.coal.ID, &stakhanov.PlausibilityRules{MultipleOfNorm: 0.5})
	wantCode(t, err, stakhanov.EINVALID, "multiple_of_norm")
	_, err = s.PlausibilityRules(bg, 9999)
	wantCode(t, err, stakhanov.ENOTFOUND, "")
	got2, err := s.PlausibilityRules(bg, w.coal.ID)
	must(t, err)
	if got2.MultipleOfNorm != 5 || got2.PeerMADs != 6 {
		t.Fatalf("rules after setting: got %+v", got2)
	}
	second := w.record(t, s, date(t, "1935-09-01"), "second")
	_, err = s.CreateReports(system, []*stakhanov.Report{second})
	must(t, err)
	if len(second.Flags) != 0 {
		t.Fatalf("under a 5x limit: got flags %+v", second.Flags)
	}
}

// brigade adds n hewers to the brigade.
func (w *world) hewers(t *testing.T, s stakhanov.Store, n int) []*stakhanov.Person {
	t.Helper()
	var out []*stakhanov.Person
	for i := range n {
		p := &stakhanov.Person{UnitID: w.brigade.ID, Name: fmt.Sprintf("Hewer %d", i+1), Profession: "hewer"}
		must(t, s.CreatePerson(system, p))
		out = append(out, p)
	}
	return out
}

// peerDay is a day of six ordinary hewers and two outliers.
var peerDay = []float64{7, 7.5, 8, 6.5, 7.2, 7.8, 30, 31}

func testFlagPeers(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	people := w.hewers(t, s, len(peerDay))
	var rs []*stakhanov.Report
	for i, v := range peerDay {
		rs = append(rs, report(stakhanov.PersonSubject(people[i].ID), w.coal, date(t, "1935-09-10"), 1, v, v, fmt.Sprint("peer-", i)))
	}
	// Written one by one, in order: each judged against the day so far.
	for _, r := range rs {
		_, err := s.CreateReports(system, []*stakhanov.Report{r})
		must(t, err)
	}
	for i, r := range rs {
		f := flagOf(r, stakhanov.RulePeers)
		if outlier := peerDay[i] >= 30; outlier != (f != nil) {
			t.Fatalf("%g t: got flags %+v", peerDay[i], r.Flags)
		}
	}
	// The second outlier does not hide behind the first: median and MAD
	// hardly move, where mean and standard deviation would (31 t is less
	// than two standard deviations above the mean of the day).
	f := flagOf(rs[7], stakhanov.RulePeers)
	wantFigures(t, f, map[string]float64{"credited": 31, "peers": 7, "median": 7.65, "robust_sd": 0.55 * 1.4826, "mads": 6})
	mean, sd := meanSD(peerDay)
	if (31-mean)/sd > 2 {
		t.Fatalf("the example should fool mean and standard deviation: z = %g", (31-mean)/sd)
	}
	// With fewer than 5 peers, no judgement: a lone outlier among four.
	var few []*stakhanov.Report
	for i, v := range []float64{7, 7.5, 8, 6.5, 40} {
		few = append(few, report(stakhanov.PersonSubject(people[i].ID), w.coal, date(t, "1935-09-11"), 1, v, v, fmt.Sprint("few-", i)))
	}
	_, err := s.CreateReports(system, few)
	must(t, err)
	if len(few[4].Flags) != 0 {
		t.Fatalf("four peers: got flags %+v", few[4].Flags)
	}
}

func meanSD(xs []float64) (float64, float64) {
	sum := 0.0
	for _, x := range xs {
		sum += x
	}
	mean := sum / float64(len(xs))
	ss := 0.0
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(ss / float64(len(xs)))
}

// stormMonth is twenty calm shifts of 5 t and three of 30 t at the end of
// August: 90 of 190 t, 47%, in the last three days.
func stormMonth(t *testing.T, sub stakhanov.Subject, good *stakhanov.Good, prefix string) []*stakhanov.Report {
	var rs []*stakhanov.Report
	for d := 1; d <= 20; d++ {
		day := stakhanov.NewDate(1935, time.August, d)
		rs = append(rs, report(sub, good, day, 1, 5, 5, fmt.Sprint(prefix, day)))
	}
	for d := 29; d <= 31; d++ {
		day := stakhanov.NewDate(1935, time.August, d)
		rs = append(rs, report(sub, good, day, 1, 30, 30, fmt.Sprint(prefix, day)))
	}
	return rs
}

func testFlagStorm(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	turner := stakhanov.PersonSubject(w.turner.ID)
	rs := stormMonth(t, turner, w.parts, "storm/")
	for _, r := range rs {
		_, err := s.CreateReports(system, []*stakhanov.Report{r})
		must(t, err)
	}
	for i, r := range rs[:20] {
		if len(r.Flags) != 0 {
			t.Fatalf("shift %d: got flags %+v", i, r.Flags)
		}
	}
	// The storm shows with the last shift: all three of the last days are
	// flagged.
	f := flagOf(rs[22], stakhanov.RuleStorm)
	if f == nil {
		t.Fatalf("31 August: got flags %+v", rs[22].Flags)
	}
	wantFigures(t, f, map[string]float64{"last_days": 3, "last_days_output": 90, "month_output": 190, "share": 90.0 / 190, "limit": 0.4, "shifts": 23})
	for _, r := range rs[20:] {
		got, err := s.FindReportByID(bg, r.ID)
		must(t, err)
		if flagOf(got, stakhanov.RuleStorm) == nil || got.Review != stakhanov.ReviewFlagged {
			t.Fatalf("%s: got flags %+v", got.Date, got.Flags)
		}
	}
	// In one batch, the answer shows every report of the storm flagged.
	batch := stormMonth(t, stakhanov.PersonSubject(w.helper1.ID), w.parts, "batch/")
	_, err := s.CreateReports(system, batch)
	must(t, err)
	for i, r := range batch {
		if flagged := flagOf(r, stakhanov.RuleStorm) != nil; flagged != (i >= 20) {
			t.Fatalf("batch shift %d (%s): got flags %+v", i, r.Date, r.Flags)
		}
	}
	// The miner's month of ordinary shifts, to the last day, raises nothing.
	miner := stakhanov.PersonSubject(w.miner.ID)
	var calm []*stakhanov.Report
	for d := 1; d <= 30; d++ {
		calm = append(calm, report(miner, w.coal, stakhanov.NewDate(1935, time.September, d), 1, 7, 7, fmt.Sprint("calm/", d)))
	}
	_, err = s.CreateReports(system, calm)
	must(t, err)
	_, total, err := s.FindReports(bg, stakhanov.ReportFilter{Subject: miner, Status: stakhanov.ReviewFlagged})
	must(t, err)
	if total != 0 {
		t.Fatalf("calm month: %d flagged", total)
	}
	// The rolling state holds the earlier reports the storm flag reached.
	compareState(t, s, "after the storms", nil, nil)
}

// testFlagStormOutlier checks that the storm rule holds only what is
// suspicious: one outlier on a month's last day, held by another rule,
// flags itself only, not the ordinary shifts before it, whether the month
// is written report by report, in one batch or by an import; a real storm
// (most output in the last days, each shift under 3 × the norm) is still
// flagged, and an even month is not.
func testFlagStormOutlier(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	people := w.hewers(t, s, 9)
	stormy, even, outlier, peerOutlier := people[0], people[1], people[2], people[3]
	for _, p := range people[:3] {
		w.norm(t, s, stakhanov.PersonSubject(p.ID), w.parts, 5, "1935-01-01")
	}
	peerValues := []float64{4.5, 5, 5.5, 4.8, 5.2}
	// month is the same month for each way of writing it: the reports in
	// date order, the peers of the last day before the outlier among them.
	month := func(path string, m time.Month) []*stakhanov.Report {
		var rs []*stakhanov.Report
		add := func(p *stakhanov.Person, name string, good *stakhanov.Good, d int, v float64) {
			rs = append(rs, report(stakhanov.PersonSubject(p.ID), good, stakhanov.NewDate(1935, m, d), 1, v, v, fmt.Sprint(path, "/", name, "/", d)))
		}
		for _, d := range []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 29, 30, 31} {
			storm := 2.0
			if d >= 29 {
				storm = 14 // 2.8 times the norm: no other rule holds it
			}
			add(stormy, "storm", w.parts, d, storm)
			add(even, "even", w.parts, d, 5)
			if d == 31 {
				for i, v := range peerValues {
					add(people[4+i], fmt.Sprint("peer", i), w.coal, d, v)
				}
				add(outlier, "multiple", w.parts, d, 150) // 30 times the norm
				add(peerOutlier, "peers", w.coal, d, 150) // no norm, 30 times its peers
				continue
			}
			add(outlier, "multiple", w.parts, d, 5)
			add(peerOutlier, "peers", w.coal, d, 5)
		}
		return rs
	}
	write := map[string]func([]*stakhanov.Report){
		"single": func(rs []*stakhanov.Report) {
			for _, r := range rs {
				_, err := s.CreateReports(system, []*stakhanov.Report{r})
				must(t, err)
			}
		},
		"batch": func(rs []*stakhanov.Report) {
			_, err := s.CreateReports(system, rs)
			must(t, err)
		},
		"import": func(rs []*stakhanov.Report) {
			res, err := s.ImportReports(system, rowsOf(rs...))
			must(t, err)
			if res.Created != len(rs) {
				t.Fatalf("import: %+v", res)
			}
		},
	}
	for path, m := range map[string]time.Month{"single": time.August, "batch": time.October, "import": time.December} {
		rs := month(path, m)
		write[path](rs)
		first := stakhanov.NewDate(1935, m, 1)
		flagged, _, err := s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReviewFlagged,
			From: first, To: first.AddDays(30), Page: stakhanov.Page{Limit: 1000}})
		must(t, err)
		got := map[string]string{}
		for _, r := range flagged {
			for _, f := range r.Flags {
				got[r.Key] += f.Rule + " "
			}
		}
		want := map[string]string{
			path + "/storm/29": "storm ", path + "/storm/30": "storm ", path + "/storm/31": "storm ",
			path + "/multiple/31": "multiple_of_norm ", path + "/peers/31": "peers ",
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: flagged %v, want %v", path, got, want)
		}
		for _, r := range flagged {
			if r.Key == path+"/storm/31" {
				wantFigures(t, flagOf(r, stakhanov.RuleStorm), map[string]float64{"last_days_output": 42, "month_output": 82, "shifts": 23})
			}
		}
	}
}

// testFlagImported checks that an import is judged as CreateReports is:
// the multiple rule with the norm in force, the peer rule, the storm rule.
func testFlagImported(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	w.norm(t, s, stakhanov.PersonSubject(w.miner.ID), w.coal, 7, "1935-01-01")
	people := w.hewers(t, s, len(peerDay))
	var rs []*stakhanov.Report
	rec := w.record(t, s, date(t, "1935-08-31"), "imp/record")
	rs = append(rs, rec)
	for i, v := range peerDay {
		rs = append(rs, report(stakhanov.PersonSubject(people[i].ID), w.coal, date(t, "1935-09-10"), 1, v, v, fmt.Sprint("imp/peer-", i)))
	}
	rs = append(rs, stormMonth(t, stakhanov.PersonSubject(w.turner.ID), w.parts, "imp/storm/")...)
	res, err := s.ImportReports(system, rowsOf(rs...))
	must(t, err)
	if res.Created != len(rs) {
		t.Fatalf("import: %+v", res)
	}
	flagged, total, err := s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReviewFlagged, Page: stakhanov.Page{Limit: 100}})
	must(t, err)
	got := map[string]string{}
	for _, r := range flagged {
		for _, f := range r.Flags {
			got[r.Key] += f.Rule + " "
		}
	}
	want := map[string]string{
		"imp/record": "multiple_of_norm ", "imp/peer-6": "peers ", "imp/peer-7": "peers ",
		"imp/storm/1935-08-29": "storm ", "imp/storm/1935-08-30": "storm ", "imp/storm/1935-08-31": "storm ",
	}
	if total != len(want) || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("flagged by the import: got %d %v, want %v", total, got, want)
	}
	for _, r := range flagged {
		if r.Key == "imp/record" {
			wantFigures(t, flagOf(r, stakhanov.RuleMultipleOfNorm), map[string]float64{"credited": 34, "accepted": 102, "norm": 7, "limit": 3})
		}
		if r.Key == "imp/peer-7" {
			wantFigures(t, flagOf(r, stakhanov.RulePeers), map[string]float64{"credited": 31, "peers": 7, "median": 7.65})
		}
	}
}

// testVerification follows a flagged record: refused to verifiers who are
// not independent of it, held out of candidacy, verified by an
// independent verifier, then counted.
func testVerification(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	miner := stakhanov.PersonSubject(h.miner.ID)
	h.norm(t, s, miner, h.coal, 7, "2000-01-01")
	foremanPerson := &stakhanov.Person{UnitID: h.mine.ID, Name: "Foreman of the section", Profession: "foreman"}
	must(t, s.CreatePerson(system, foremanPerson))
	foreman := account(t, s, "foreman", stakhanov.RoleForeman, h.mine, foremanPerson)
	today := stakhanov.DateOf(time.Now())
	// Two shifts at 143% and the record: 3 of the last 5 at 120% with
	// the record, 2 without it. Hero of Labour of the RF needs 3.
	var rs []*stakhanov.Report
	for i := 3; i >= 2; i-- {
		rs = append(rs, report(miner, h.coal, today.AddDays(-i), 1, 10, 10, fmt.Sprint("v", i)))
	}
	rec := h.record(t, s, today.AddDays(-1), "record")
	rs = append(rs, rec)
	_, err := s.CreateReports(as(foreman), rs)
	must(t, err)
	if flagOf(rec, stakhanov.RuleMultipleOfNorm) == nil {
		t.Fatalf("record: got flags %+v", rec.Flags)
	}

	// Held: fulfilment shows it, with the held part; candidacy does not.
	f, err := stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{Subject: miner, GoodID: h.coal.ID, Period: stakhanov.PeriodYear})
	must(t, err)
	var accepted, heldT float64
	for _, row := range f.Rows {
		accepted += row.Accepted
		heldT += row.Held
	}
	if !near(accepted, 54) || !near(heldT, 34) {
		t.Fatalf("fulfilment while held: accepted %g, held %g, want 54 and 34", accepted, heldT)
	}
	cands, err := stakhanov.RecomputeCandidates(bg, s, h.rf, today)
	must(t, err)
	if len(cands) != 0 {
		t.Fatalf("candidates while the record is held: %+v", cands)
	}
	err = s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: miner, Source: stakhanov.SourceRule})
	wantCode(t, err, stakhanov.EINVALID, "candidate")

	verify := func(u *stakhanov.User, decision string) error {
		return s.VerifyReport(as(u), &stakhanov.Verification{ReportID: rec.ID, Decision: decision, Note: "checked the face and the tally"})
	}
	refused := func(u *stakhanov.User, why string) {
		t.Helper()
		err := verify(u, stakhanov.DecisionVerified)
		wantCode(t, err, stakhanov.EFORBIDDEN, "")
		if !strings.Contains(stakhanov.ErrorMessage(err), why) {
			t.Fatalf("%s refused: got %q, want it to say %q", u.Name, stakhanov.ErrorMessage(err), why)
		}
	}
	refused(account(t, s, "verifier-witness", stakhanov.RoleVerifier, nil, h.turner), "witnessed")
	refused(account(t, s, "verifier-helper", stakhanov.RoleVerifier, nil, h.helper2), "helper")
	refused(account(t, s, "verifier-subject", stakhanov.RoleVerifier, nil, h.miner), "subject")
	refused(account(t, s, "verifier-reporter", stakhanov.RoleVerifier, nil, foremanPerson), "reported")
	refused(account(t, s, "verifier-nobody", stakhanov.RoleVerifier, nil, nil), "not a person's account")
	refused(h.minerWorker, "verifier")
	inspector := &stakhanov.Person{UnitID: h.ministry.ID, Name: "Inspector of the Commissariat", Profession: "inspector"}
	must(t, s.CreatePerson(system, inspector))
	outside := &stakhanov.Person{UnitID: h.factory.ID, Name: "Inspector of the plant", Profession: "inspector"}
	must(t, s.CreatePerson(system, outside))
	refused(account(t, s, "verifier-plant", stakhanov.RoleVerifier, h.factory, outside), "outside")
	verifier := account(t, s, "verifier", stakhanov.RoleVerifier, h.ministry, inspector)

	err = s.VerifyReport(as(verifier), &stakhanov.Verification{ReportID: rec.ID, Decision: "approved", Note: "x"})
	wantCode(t, err, stakhanov.EINVALID, "decision")
	err = s.VerifyReport(as(verifier), &stakhanov.Verification{ReportID: rec.ID, Decision: stakhanov.DecisionVerified, Note: " "})
	wantCode(t, err, stakhanov.EINVALID, "note")
	err = s.VerifyReport(as(verifier), &stakhanov.Verification{ReportID: 9999, Decision: stakhanov.DecisionVerified, Note: "x"})
	wantCode(t, err, stakhanov.ENOTFOUND, "")

	v := &stakhanov.Verification{ReportID: rec.ID, Decision: stakhanov.DecisionVerified, Note: "timbering and tally checked underground"}
	must(t, s.VerifyReport(as(verifier), v))
	if v.VerifierID != verifier.ID || v.PersonID != inspector.ID || v.CreatedAt.IsZero() {
		t.Fatalf("verification: got %+v", v)
	}
	err = verify(verifier, stakhanov.DecisionRejected)
	wantCode(t, err, stakhanov.ECONFLICT, "")
	got, err := s.FindReportByID(bg, rec.ID)
	must(t, err)
	if got.Review != stakhanov.ReviewVerified || got.Verification == nil || got.Verification.Note != v.Note || flagOf(got, stakhanov.RuleMultipleOfNorm) == nil {
		t.Fatalf("verified report: got review %q, verification %+v, flags %+v", got.Review, got.Verification, got.Flags)
	}
	verified, total, err := s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReviewVerified})
	must(t, err)
	if total != 1 || verified[0].ID != rec.ID {
		t.Fatalf("verified reports: got %d", total)
	}
	if _, total, _ := s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReviewFlagged}); total != 0 {
		t.Fatalf("flagged reports after verification: %d", total)
	}

	// Verified, the record counts.
	cands, err = stakhanov.RecomputeCandidates(bg, s, h.rf, today)
	must(t, err)
	if len(cands) != 1 || cands[0].Subject != miner || cands[0].Met != 3 {
		t.Fatalf("candidates once verified: %+v", cands)
	}
	must(t, s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: miner, Source: stakhanov.SourceRule}))
}

// testRejection checks that a rejected report leaves every figure and
// stays readable.
func testRejection(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	w.norm(t, s, miner, w.coal, 7, "1935-01-01")
	claim := report(miner, w.coal, date(t, "1935-09-19"), 1, 227, 227, "claim")
	claim.Helpers = []stakhanov.Helper{{PersonID: w.helper1.ID}}
	ordinary := report(miner, w.coal, date(t, "1935-09-18"), 1, 7, 7, "ordinary")
	_, err := s.CreateReports(system, []*stakhanov.Report{ordinary, claim})
	must(t, err)
	inspector := &stakhanov.Person{UnitID: w.ministry.ID, Name: "Inspector", Profession: "inspector"}
	must(t, s.CreatePerson(system, inspector))
	verifier := account(t, s, "verifier", stakhanov.RoleVerifier, nil, inspector)
	must(t, s.VerifyReport(as(verifier), &stakhanov.Verification{ReportID: claim.ID, Decision: stakhanov.DecisionRejected,
		Note: "no tally, no witnesses: 227 t is not credible"}))
	// An unflagged report may be verified too: a spot check.
	must(t, s.VerifyReport(as(verifier), &stakhanov.Verification{ReportID: ordinary.ID, Decision: stakhanov.DecisionVerified, Note: "spot check"}))

	f, err := stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{Subject: miner, GoodID: w.coal.ID, Period: stakhanov.PeriodMonth})
	must(t, err)
	if len(f.Rows) != 1 || f.Rows[0].Shifts != 1 || f.Rows[0].Accepted != 7 || f.Rows[0].Held != 0 {
		t.Fatalf("fulfilment without the rejected claim: %+v", f.Rows)
	}
	for _, sub := range []stakhanov.Subject{miner, stakhanov.PersonSubject(w.helper1.ID), stakhanov.UnitSubject(w.mine.ID)} {
		credits, err := s.Credits(bg, stakhanov.CreditFilter{Subject: sub, Members: true})
		must(t, err)
		for _, c := range credits {
			if c.ReportID == claim.ID {
				t.Fatalf("%s is credited with the rejected claim: %+v", sub, c)
			}
		}
	}
	got, err := s.FindReportByID(bg, claim.ID)
	must(t, err)
	if got.Review != stakhanov.ReviewRejected || got.Produced != 227 || got.Verification.Decision != stakhanov.DecisionRejected {
		t.Fatalf("rejected claim: got %+v", got)
	}
	rejected, total, err := s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReviewRejected})
	must(t, err)
	if total != 1 || rejected[0].ID != claim.ID {
		t.Fatalf("rejected reports: %d", total)
	}
	all, total, err := s.FindReports(bg, stakhanov.ReportFilter{Subject: miner})
	must(t, err)
	if total != 2 || all[1].Review != stakhanov.ReviewRejected || all[0].Review != stakhanov.ReviewVerified {
		t.Fatalf("every report stays: %d %+v", total, all)
	}
	_, _, err = s.FindReports(bg, stakhanov.ReportFilter{Status: "held"})
	wantCode(t, err, stakhanov.EINVALID, "status")
}
