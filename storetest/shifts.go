package storetest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// wantConflictOver checks err is a conflict on field naming report id, in
// its message and as its ReportID.
func wantConflictOver(t *testing.T, err error, field string, id int64) {
	t.Helper()
	wantCode(t, err, stakhanov.ECONFLICT, field)
	if got := stakhanov.ErrorReportID(err); got != id {
		t.Fatalf("conflict's report: got %d (%v), want %d", got, err, id)
	}
	if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, fmt.Sprintf("report %d", id)) {
		t.Fatalf("conflict's message: got %q, want report %d named", msg, id)
	}
}

func currentReports(t *testing.T, s stakhanov.Store) []*stakhanov.Report {
	t.Helper()
	rs, _, err := s.FindReports(bg, stakhanov.ReportFilter{Status: stakhanov.ReportCurrent, Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
	must(t, err)
	return rs
}

// testOneReportPerShift: a shift has one current report; a second one is
// a conflict naming it and saying how to correct it; the same figures
// again, under the same key or none, are a replay.
func testOneReportPerShift(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	day := date(t, "1935-08-30")
	first := report(miner, w.coal, day, 1, 8, 8, "")
	created, err := s.CreateReports(system, []*stakhanov.Report{first})
	must(t, err)
	if !created[0] || first.Key != "" {
		t.Fatalf("a report without a key: created %v, key %q", created, first.Key)
	}

	// Other figures, with or without a key: a conflict naming the report,
	// the subject by name, and how to correct it.
	for _, key := range []string{"", "another-key"} {
		second := report(miner, w.coal, day, 1, 7.33, 7.33, key)
		_, err = s.CreateReports(system, []*stakhanov.Report{second})
		wantConflictOver(t, err, "shift", first.ID)
		if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, w.miner.Name) || !strings.Contains(msg, fmt.Sprintf(`"corrects": %d`, first.ID)) {
			t.Fatalf("conflict's message: got %q, want the subject's name and how to correct", msg)
		}
	}
	// The same figures under a key of its own are another report too.
	_, err = s.CreateReports(system, []*stakhanov.Report{report(miner, w.coal, day, 1, 8, 8, "fresh-key")})
	wantConflictOver(t, err, "shift", first.ID)
	// The same figures with no key: a replay.
	again := report(miner, w.coal, day, 1, 8, 8, "")
	created, err = s.CreateReports(system, []*stakhanov.Report{again})
	must(t, err)
	if created[0] || again.ID != first.ID {
		t.Fatalf("replay without a key: created %v, id %d, want the first report %d", created, again.ID, first.ID)
	}
	// Another shift, good or subject is another report.
	for _, r := range []*stakhanov.Report{
		report(miner, w.coal, day, 2, 8, 8, ""),
		report(miner, w.parts, day, 1, 8, 8, ""),
		report(stakhanov.PersonSubject(w.helper1.ID), w.coal, day, 1, 8, 8, ""),
		report(miner, w.coal, day.AddDays(1), 1, 8, 8, ""),
	} {
		created, err := s.CreateReports(system, []*stakhanov.Report{r})
		must(t, err)
		if !created[0] {
			t.Fatalf("report %+v: not created", r)
		}
	}
	if n := len(currentReports(t, s)); n != 5 {
		t.Fatalf("current reports: got %d, want 5", n)
	}
	credits, err := s.Credits(bg, stakhanov.CreditFilter{Subject: miner, GoodID: w.coal.ID, From: day, To: day})
	must(t, err)
	if len(credits) != 2 || credits[0].Accepted != 8 {
		t.Fatalf("credits of the day: got %+v, want shifts 1 and 2 once each", credits)
	}
}

// testCorrectionReplaces: a correction replaces the shift's current
// report; correcting a replaced report is a conflict naming its replacer.
func testCorrectionReplaces(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	day := date(t, "1935-08-30")
	orig := report(miner, w.coal, day, 1, 20, 20, "")
	_, err := s.CreateReports(system, []*stakhanov.Report{orig})
	must(t, err)
	fix := report(miner, w.coal, day, 1, 14, 14, "")
	fix.Corrects = orig.ID
	_, err = s.CreateReports(system, []*stakhanov.Report{fix})
	must(t, err)
	old, err := s.FindReportByID(bg, orig.ID)
	must(t, err)
	if old.SupersededBy != fix.ID || old.CorrectedBy != fix.ID || old.Accepted != 20 {
		t.Fatalf("corrected report: got %+v, want kept, superseded and corrected by %d", old, fix.ID)
	}
	if cur := currentReports(t, s); len(cur) != 1 || cur[0].ID != fix.ID {
		t.Fatalf("current reports: got %+v, want the correction only", cur)
	}
	// The same correction again, without a key: a replay.
	same := report(miner, w.coal, day, 1, 14, 14, "")
	same.Corrects = orig.ID
	created, err := s.CreateReports(system, []*stakhanov.Report{same})
	must(t, err)
	if created[0] || same.ID != fix.ID {
		t.Fatalf("correction replayed: created %v, id %d, want %d", created, same.ID, fix.ID)
	}
	// Another correction of the replaced report: a conflict naming its
	// replacer.
	late := report(miner, w.coal, day, 1, 10, 10, "")
	late.Corrects = orig.ID
	_, err = s.CreateReports(system, []*stakhanov.Report{late})
	wantConflictOver(t, err, "corrects", fix.ID)
	// A new report for the shift names the correction, now current.
	_, err = s.CreateReports(system, []*stakhanov.Report{report(miner, w.coal, day, 1, 9, 9, "")})
	wantConflictOver(t, err, "shift", fix.ID)
	// A correction onto a shift that has a report of its own is refused.
	other := report(miner, w.coal, day, 2, 5, 5, "")
	_, err = s.CreateReports(system, []*stakhanov.Report{other})
	must(t, err)
	move := report(miner, w.coal, day, 1, 5, 5, "")
	move.Corrects = other.ID
	_, err = s.CreateReports(system, []*stakhanov.Report{move})
	wantConflictOver(t, err, "shift", fix.ID)
	// The correction of the correction replaces it in turn.
	again := report(miner, w.coal, day, 1, 15, 15, "")
	again.Corrects = fix.ID
	_, err = s.CreateReports(system, []*stakhanov.Report{again})
	must(t, err)
	if cur := currentReports(t, s); len(cur) != 2 || cur[0].ID != again.ID || cur[1].ID != other.ID {
		t.Fatalf("current reports: got %+v, want %d and %d", cur, again.ID, other.ID)
	}
}

// testBatchSameShift: a batch naming one shift twice is refused whole.
func testBatchSameShift(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	for _, second := range []*stakhanov.Report{
		report(miner, w.coal, date(t, "1935-08-28"), 1, 8, 8, "b3"), // the same figures
		report(miner, w.coal, date(t, "1935-08-28"), 1, 9, 9, ""),
	} {
		batch := []*stakhanov.Report{
			report(miner, w.coal, date(t, "1935-08-28"), 1, 8, 8, "b1"),
			report(miner, w.coal, date(t, "1935-08-29"), 1, 8, 8, "b2"),
			second,
		}
		_, err := s.CreateReports(system, batch)
		wantCode(t, err, stakhanov.ECONFLICT, "reports[2].shift")
		// Counted from 1, with the names of the person and the good.
		if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, "reports 1 and 3 of the batch") || !strings.Contains(msg, w.miner.Name+", coal") {
			t.Fatalf("batch with a shift twice: got %q, want reports 1 and 3 and %s named", msg, w.miner.Name)
		}
	}
	if _, total, err := s.FindReports(bg, stakhanov.ReportFilter{}); err != nil || total != 0 {
		t.Fatalf("a refused batch wrote %d reports (%v)", total, err)
	}
}

// testConcurrentSameShift: writers racing on one shift, or on correcting
// one report: exactly one wins, the others get a conflict.
func testConcurrentSameShift(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	day := date(t, "1936-01-01")
	const n = 16
	race := func(mk func(i int) *stakhanov.Report) (won int) {
		for _, err := range createConcurrently(s, n, mk) {
			if err == nil {
				won++
			} else if stakhanov.ErrorCode(err) != stakhanov.ECONFLICT {
				t.Fatalf("a loser: got %v, want a conflict", err)
			}
		}
		return won
	}
	if won := race(func(i int) *stakhanov.Report { return report(miner, w.coal, day, 1, float64(i+1), float64(i+1), "") }); won != 1 {
		t.Fatalf("writers of one shift: %d won, want 1", won)
	}
	cur := currentReports(t, s)
	if len(cur) != 1 {
		t.Fatalf("current reports: got %d, want 1", len(cur))
	}
	if won := race(func(i int) *stakhanov.Report {
		r := report(miner, w.coal, day, 1, float64(i+100), float64(i+100), "")
		r.Corrects = cur[0].ID
		return r
	}); won != 1 {
		t.Fatalf("correctors of one report: %d won, want 1", won)
	}
	if cur := currentReports(t, s); len(cur) != 1 || cur[0].Corrects == 0 {
		t.Fatalf("current reports after the corrections: got %+v, want one correction", cur)
	}
	if _, total, err := s.FindReports(bg, stakhanov.ReportFilter{}); err != nil || total != 2 {
		t.Fatalf("reports: got %d (%v), want 2", total, err)
	}
}

// testImportShifts: a CSV import refuses a shift on two lines (naming
// both) or held with other figures (naming the report), and counts the
// same figures as already present.
func testImportShifts(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	rs := shiftReports(t, w, 20)
	for _, r := range rs {
		r.Key = ""
	}
	res, err := s.ImportReports(system, rowsOf(rs...))
	must(t, err)
	if res.Created != 20 {
		t.Fatalf("import: got %+v", res)
	}
	again := shiftReports(t, w, 25)
	for _, r := range again {
		r.Key = ""
	}
	res, err = s.ImportReports(system, rowsOf(again...))
	must(t, err)
	if res.Created != 5 || res.Existing != 20 {
		t.Fatalf("re-import without keys: got %+v, want 5 created, 20 existing", res)
	}
	held, _, err := s.FindReports(bg, stakhanov.ReportFilter{Subject: miner, From: rs[3].Date, To: rs[3].Date})
	must(t, err)
	changed := *again[3]
	changed.Produced, changed.Accepted = 9, 9
	twice := report(miner, w.coal, date(t, "1937-01-01"), 1, 8, 8, "")
	lines := append([]*stakhanov.Report{&changed}, shiftReports(t, w, 40)[30:]...)
	lines = append(lines, twice, ptrTo(*twice))
	_, err = s.ImportReports(system, rowsOf(lines...))
	e, ok := isImportError(err)
	if !ok || len(e.Lines) != 2 {
		t.Fatalf("import: got %v, want 2 bad lines", err)
	}
	if l := e.Lines[0]; l.Line != 2 || l.Field != "shift" || !strings.Contains(l.Message, fmt.Sprintf("report %d", held[0].ID)) || !strings.Contains(l.Message, "corrects") {
		t.Fatalf("a shift held with other figures: got %+v, want line 2 naming report %d and how to correct it", l, held[0].ID)
	}
	if l := e.Lines[1]; l.Line != 14 || l.Field != "shift" || !strings.Contains(l.Message, "line 13") {
		t.Fatalf("a shift twice: got %+v, want line 14 naming line 13", l)
	}
	if _, total, err := s.FindReports(bg, stakhanov.ReportFilter{}); err != nil || total != 25 {
		t.Fatalf("reports after a refused import: got %d (%v), want 25", total, err)
	}
	// The correction of a held shift replaces it.
	changed.Corrects = held[0].ID
	res, err = s.ImportReports(system, rowsOf(&changed))
	must(t, err)
	if res.Created != 1 {
		t.Fatalf("correction: got %+v", res)
	}
	if cur := currentReports(t, s); len(cur) != 25 {
		t.Fatalf("current reports: got %d, want 25", len(cur))
	}
}

func ptrTo[T any](v T) *T { return &v }
