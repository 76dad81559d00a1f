package storetest

import (
	"math"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

func testNormVersions(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	v1 := w.norm(t, s, miner, w.coal, 7, "1935-01-01")
	v2 := w.norm(t, s, miner, w.coal, 9, "1936-01-01")
	if v1.Version != 1 || v2.Version != 2 {
		t.Fatalf("versions: got %d, %d, want 1, 2", v1.Version, v2.Version)
	}
	history, total, err := s.FindNorms(bg, stakhanov.NormFilter{Subject: miner, GoodID: w.coal.ID})
	must(t, err)
	if total != 2 || history[0].Amount != 7 || history[1].Amount != 9 {
		t.Fatalf("history: got %+v", history)
	}
	for _, tc := range []struct {
		on   string
		want float64
	}{{"1935-08-31", 7}, {"1936-01-01", 9}, {"1937-05-01", 9}} {
		inForce, _, err := s.FindNorms(bg, stakhanov.NormFilter{Subject: miner, GoodID: w.coal.ID, InForceOn: date(t, tc.on)})
		must(t, err)
		if len(inForce) != 1 || inForce[0].Amount != tc.want {
			t.Fatalf("norm in force on %s: got %+v, want %g", tc.on, inForce, tc.want)
		}
	}
	none, _, err := s.FindNorms(bg, stakhanov.NormFilter{Subject: miner, GoodID: w.coal.ID, InForceOn: date(t, "1934-12-31")})
	must(t, err)
	if len(none) != 0 {
		t.Fatalf("norm in force before the first: got %+v", none)
	}
	err = s.CreateNorm(system, &stakhanov.Norm{Subject: miner, GoodID: w.coal.ID, Amount: -1, EffectiveFrom: date(t, "1937-01-01"), Reason: "x"})
	wantCode(t, err, stakhanov.EINVALID, "amount")
	err = s.CreateNorm(system, &stakhanov.Norm{Subject: miner, GoodID: w.coal.ID, Amount: 8, EffectiveFrom: date(t, "1937-01-01")})
	wantCode(t, err, stakhanov.EINVALID, "reason")
	err = s.CreateNorm(system, &stakhanov.Norm{Subject: stakhanov.PersonSubject(9999), GoodID: w.coal.ID, Amount: 8, EffectiveFrom: date(t, "1937-01-01"), Reason: "x"})
	wantCode(t, err, stakhanov.EINVALID, "subject")
}

func testNeeds(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	n := &stakhanov.Need{UnitID: w.factory.ID, GoodID: w.coal.ID, From: date(t, "1935-09-01"), To: date(t, "1935-09-30"), Quantity: 5000}
	must(t, s.CreateNeed(system, n))
	got, total, err := s.FindNeeds(bg, stakhanov.NeedFilter{UnitID: w.factory.ID, From: date(t, "1935-09-15")})
	must(t, err)
	if total != 1 || got[0].Quantity != 5000 || got[0].To != n.To {
		t.Fatalf("needs: got %+v", got)
	}
	err = s.CreateNeed(system, &stakhanov.Need{UnitID: w.factory.ID, GoodID: w.coal.ID, From: date(t, "1935-09-30"), To: date(t, "1935-09-01"), Quantity: 1})
	wantCode(t, err, stakhanov.EINVALID, "to")
}

func testReports(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	w.norm(t, s, miner, w.coal, 7, "1935-01-01")
	r := report(miner, w.coal, date(t, "1935-08-30"), 1, 10, 9, "mine/1935-08-30/1")
	r.Witnesses = []int64{w.turner.ID}
	created, err := s.CreateReports(system, []*stakhanov.Report{r})
	must(t, err)
	if !created[0] || r.ID == 0 {
		t.Fatalf("created: got %v, id %d", created, r.ID)
	}
	got, err := s.FindReportByID(bg, r.ID)
	must(t, err)
	if got.Produced != 10 || got.Accepted != 9 || got.Date != r.Date || len(got.Witnesses) != 1 || got.SubjectShare != 1 {
		t.Fatalf("FindReportByID: got %+v", got)
	}
	f, err := stakhanov.ComputeReportFulfilment(bg, s, got)
	must(t, err)
	if f.Norm != 7 || !near(*f.Percent, 9.0/7*100) {
		t.Fatalf("report fulfilment: got %+v, want 9 over 7", f)
	}
	bad := report(miner, w.coal, date(t, "1935-08-31"), 1, 5, 6, "bad")
	_, err = s.CreateReports(system, []*stakhanov.Report{bad})
	wantCode(t, err, stakhanov.EINVALID, "accepted")
	bad = report(miner, w.coal, date(t, "1935-08-31"), 1, -5, 0, "bad")
	_, err = s.CreateReports(system, []*stakhanov.Report{bad})
	wantCode(t, err, stakhanov.EINVALID, "produced")
	bad = report(miner, w.coal, date(t, "1935-08-31"), 1, 5, 5, "bad")
	bad.Witnesses = []int64{w.miner.ID}
	_, err = s.CreateReports(system, []*stakhanov.Report{bad})
	wantCode(t, err, stakhanov.EINVALID, "witnesses[0]")
	if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, w.miner.Name+" worked the shift") {
		t.Fatalf("the worker as witness: got %q, want %s named", msg, w.miner.Name)
	}
	bad = report(miner, &stakhanov.Good{ID: 9999}, date(t, "1935-08-31"), 1, 5, 5, "bad")
	_, err = s.CreateReports(system, []*stakhanov.Report{bad})
	wantCode(t, err, stakhanov.EINVALID, "good_id")

	for i, d := range []string{"1935-08-31", "1935-09-01", "1935-09-02"} {
		_, err := s.CreateReports(system, []*stakhanov.Report{report(miner, w.coal, date(t, d), 1, 7, 7, "day"+d)})
		must(t, err)
		_ = i
	}
	inRange, total, err := s.FindReports(bg, stakhanov.ReportFilter{Subject: miner, From: date(t, "1935-08-31"), To: date(t, "1935-09-01")})
	must(t, err)
	if total != 2 || inRange[0].Date != date(t, "1935-08-31") {
		t.Fatalf("reports in range: got %d: %+v", total, inRange)
	}
	ofMine, total, err := s.FindReports(bg, stakhanov.ReportFilter{UnitID: w.mine.ID})
	must(t, err)
	if total != 4 || len(ofMine) != 4 {
		t.Fatalf("reports of the mine: got %d", total)
	}
	ofFactory, _, err := s.FindReports(bg, stakhanov.ReportFilter{UnitID: w.factory.ID})
	must(t, err)
	if len(ofFactory) != 0 {
		t.Fatalf("reports of the factory: got %d", len(ofFactory))
	}
}

func testReportIdempotency(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	first := report(miner, w.coal, date(t, "1935-08-30"), 1, 8, 8, "same-key")
	created, err := s.CreateReports(system, []*stakhanov.Report{first})
	must(t, err)
	again := report(miner, w.coal, date(t, "1935-08-30"), 1, 8, 8, "same-key")
	created, err = s.CreateReports(system, []*stakhanov.Report{again})
	must(t, err)
	if created[0] || again.ID != first.ID {
		t.Fatalf("replay: created %v, id %d, want the first report %d", created, again.ID, first.ID)
	}
	clash := report(miner, w.coal, date(t, "1935-08-30"), 1, 9, 9, "same-key")
	_, err = s.CreateReports(system, []*stakhanov.Report{clash})
	wantCode(t, err, stakhanov.ECONFLICT, "key")
	helped := report(miner, w.coal, date(t, "1935-08-30"), 1, 8, 8, "same-key")
	helped.Helpers = []stakhanov.Helper{{PersonID: w.helper1.ID}}
	_, err = s.CreateReports(system, []*stakhanov.Report{helped})
	wantCode(t, err, stakhanov.ECONFLICT, "key")
	_, total, err := s.FindReports(bg, stakhanov.ReportFilter{})
	must(t, err)
	if total != 1 {
		t.Fatalf("reports: got %d, want 1", total)
	}
}

func testReportBatchAtomic(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	batch := []*stakhanov.Report{
		report(miner, w.coal, date(t, "1935-08-28"), 1, 8, 8, "b1"),
		report(miner, w.coal, date(t, "1935-08-29"), 1, 8, 8, "b2"),
		report(miner, w.coal, date(t, "1935-08-30"), 9, 8, 8, "b3"),
	}
	_, err := s.CreateReports(system, batch)
	wantCode(t, err, stakhanov.EINVALID, "reports[2].shift")
	_, total, err := s.FindReports(bg, stakhanov.ReportFilter{})
	must(t, err)
	if total != 0 {
		t.Fatalf("a refused batch wrote %d reports", total)
	}
}

func testCorrections(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	w.norm(t, s, miner, w.coal, 7, "1935-01-01")
	orig := report(miner, w.coal, date(t, "1935-08-30"), 1, 20, 20, "orig")
	_, err := s.CreateReports(system, []*stakhanov.Report{orig})
	must(t, err)
	fix := report(miner, w.coal, date(t, "1935-08-30"), 1, 14, 14, "fix")
	fix.Corrects = orig.ID
	_, err = s.CreateReports(system, []*stakhanov.Report{fix})
	must(t, err)
	again := report(miner, w.coal, date(t, "1935-08-30"), 1, 10, 10, "fix2")
	again.Corrects = orig.ID
	_, err = s.CreateReports(system, []*stakhanov.Report{again})
	wantCode(t, err, stakhanov.ECONFLICT, "corrects")

	old, err := s.FindReportByID(bg, orig.ID)
	must(t, err)
	if old.CorrectedBy != fix.ID || old.Accepted != 20 {
		t.Fatalf("corrected report: got %+v, want kept as it was and corrected by %d", old, fix.ID)
	}
	current, _, err := s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReportCurrent})
	must(t, err)
	if len(current) != 1 || current[0].ID != fix.ID {
		t.Fatalf("current reports: got %+v", current)
	}
	corrected, _, err := s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReportCorrected})
	must(t, err)
	if len(corrected) != 1 || corrected[0].ID != orig.ID {
		t.Fatalf("corrected reports: got %+v", corrected)
	}
	f, err := stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{Subject: miner, Period: stakhanov.PeriodMonth})
	must(t, err)
	if len(f.Rows) != 1 || f.Rows[0].Accepted != 14 || f.Rows[0].Shifts != 1 || !near(*f.Rows[0].Percent, 200) {
		t.Fatalf("fulfilment after correction: got %+v, want 14 t, 200%%", f.Rows)
	}
}

func testHelpers(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	for _, p := range []*stakhanov.Person{w.miner, w.helper1, w.helper2} {
		w.norm(t, s, stakhanov.PersonSubject(p.ID), w.coal, 7, "1935-01-01")
	}
	// 31 August 1935: 102 t in one shift, with two helpers.
	record := report(miner, w.coal, date(t, "1935-08-31"), 1, 102, 102, "record")
	record.Minutes = 345
	record.Helpers = []stakhanov.Helper{{PersonID: w.helper1.ID}, {PersonID: w.helper2.ID}}
	_, err := s.CreateReports(system, []*stakhanov.Report{record})
	must(t, err)
	got, err := s.FindReportByID(bg, record.ID)
	must(t, err)
	if len(got.Helpers) != 2 || !near(got.SubjectShare, 1.0/3) || !near(*got.Helpers[0].Share, 1.0/3) {
		t.Fatalf("team: got share %g, helpers %+v", got.SubjectShare, got.Helpers)
	}
	rf, err := stakhanov.ComputeReportFulfilment(bg, s, got)
	must(t, err)
	if rf.Team != 3 || !near(rf.Credited, 34) || !near(*rf.Percent, 34.0/7*100) || !near(*rf.ReportedPercent, 102.0/7*100) {
		t.Fatalf("record fulfilment: got %+v", rf)
	}
	for _, p := range []*stakhanov.Person{w.miner, w.helper1} {
		f, err := stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{Subject: stakhanov.PersonSubject(p.ID), Period: stakhanov.PeriodShift})
		must(t, err)
		if len(f.Rows) != 1 || !near(f.Rows[0].Accepted, 34) {
			t.Fatalf("%s's credit: got %+v, want 34 t", p.Name, f.Rows)
		}
	}
	// Shares given explicitly.
	share := 0.25
	given := report(miner, w.coal, date(t, "1935-09-01"), 1, 40, 40, "shares")
	given.Helpers = []stakhanov.Helper{{PersonID: w.helper1.ID, Share: &share}}
	_, err = s.CreateReports(system, []*stakhanov.Report{given})
	must(t, err)
	f, err := stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{Subject: miner, Period: stakhanov.PeriodShift, From: date(t, "1935-09-01")})
	must(t, err)
	if len(f.Rows) != 1 || !near(f.Rows[0].Accepted, 30) {
		t.Fatalf("subject's share with helper at 25%%: got %+v, want 30 t", f.Rows)
	}
	tooMuch := 1.0
	bad := report(miner, w.coal, date(t, "1935-09-02"), 1, 40, 40, "bad-share")
	bad.Helpers = []stakhanov.Helper{{PersonID: w.helper1.ID, Share: &tooMuch}}
	_, err = s.CreateReports(system, []*stakhanov.Report{bad})
	wantCode(t, err, stakhanov.EINVALID, "helpers[0].share")
	bad = report(miner, w.coal, date(t, "1935-09-02"), 1, 40, 40, "bad-helper")
	bad.Helpers = []stakhanov.Helper{{PersonID: 9999}}
	_, err = s.CreateReports(system, []*stakhanov.Report{bad})
	wantCode(t, err, stakhanov.EINVALID, "helpers[0].person_id")
}

func testCollectiveFulfilment(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	brigade := stakhanov.UnitSubject(w.brigade.ID)
	for _, p := range []*stakhanov.Person{w.miner, w.helper1} {
		w.norm(t, s, stakhanov.PersonSubject(p.ID), w.coal, 7, "1935-01-01")
	}
	d := date(t, "1935-09-10")
	_, err := s.CreateReports(system, []*stakhanov.Report{
		report(stakhanov.PersonSubject(w.miner.ID), w.coal, d, 1, 14, 14, "m"),
		report(stakhanov.PersonSubject(w.helper1.ID), w.coal, d, 1, 7, 7, "h"),
		report(brigade, w.coal, d, 1, 7, 7, "b"), // the brigade's own output
		report(stakhanov.PersonSubject(w.turner.ID), w.parts, d, 1, 50, 50, "t"),
	})
	must(t, err)
	// No norm of the brigade's own: its members' norms add up (7 + 7).
	f, err := stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{Subject: brigade, Period: stakhanov.PeriodShift, GoodID: w.coal.ID})
	must(t, err)
	if len(f.Rows) != 1 || f.Rows[0].Accepted != 28 || f.Rows[0].Norm != 14 || !near(*f.Rows[0].Percent, 200) {
		t.Fatalf("brigade without a norm: got %+v, want 28 over 14", f.Rows)
	}
	// With a norm of its own, the brigade is measured against it.
	w.norm(t, s, brigade, w.coal, 20, "1935-09-01")
	f, err = stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{Subject: brigade, Period: stakhanov.PeriodMonth, GoodID: w.coal.ID})
	must(t, err)
	if len(f.Rows) != 1 || f.Rows[0].Norm != 20 || !near(*f.Rows[0].Percent, 140) {
		t.Fatalf("brigade with a norm: got %+v, want 28 over 20", f.Rows)
	}
	// The mine counts everything under it; the ministry the factory too.
	f, err = stakhanov.RecomputeFulfilment(bg, s, stakhanov.FulfilmentQuery{Subject: stakhanov.UnitSubject(w.ministry.ID), Period: stakhanov.PeriodYear})
	must(t, err)
	if len(f.Rows) != 2 {
		t.Fatalf("ministry rows per good: got %+v", f.Rows)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }
