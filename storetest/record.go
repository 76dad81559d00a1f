package storetest

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// The record of work keeps to the calendar: nothing is dated after today
// (in the store's time zone, UTC for these stores), and historical records
// carry their own dates.

// testReportNotInFuture: a shift dated after today is refused on every
// channel (single, batch, correction, import) and nothing is written.
func testReportNotInFuture(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	// Two days ahead is after today in any zone, whatever the hour.
	today := stakhanov.DateOf(time.Now().UTC())
	ahead := today.AddDays(2)
	wantFuture := func(t *testing.T, err error, field string) {
		t.Helper()
		wantCode(t, err, stakhanov.EINVALID, field)
		if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, ahead.String()) || !strings.Contains(msg, "after today") {
			t.Fatalf("message: got %q, want the date %s and today", msg, ahead)
		}
	}
	_, err := s.CreateReports(system, []*stakhanov.Report{report(miner, w.coal, ahead, 1, 8, 8, "ahead")})
	wantFuture(t, err, "date")
	_, err = s.CreateReports(system, []*stakhanov.Report{
		report(miner, w.coal, today.AddDays(-1), 1, 8, 8, "yesterday"),
		report(miner, w.coal, ahead, 1, 8, 8, "ahead-batch")})
	wantFuture(t, err, "reports[1].date")

	// Yesterday is fine; its correction may not move it ahead.
	_, err = s.CreateReports(system, []*stakhanov.Report{report(miner, w.coal, today.AddDays(-1), 1, 8, 8, "yesterday")})
	must(t, err)
	_, total, err := s.FindReports(bg, stakhanov.ReportFilter{})
	must(t, err)
	if total != 1 {
		t.Fatalf("reports after the refused batch: got %d, want 1", total)
	}
	first, _, err := s.FindReports(bg, stakhanov.ReportFilter{})
	must(t, err)
	fix := report(miner, w.coal, ahead, 1, 8, 7, "fix")
	fix.Corrects = first[0].ID
	_, err = s.CreateReports(system, []*stakhanov.Report{fix})
	wantFuture(t, err, "date")

	// An import names the line.
	_, err = s.ImportReports(system, rowsOf(
		report(miner, w.coal, today.AddDays(-2), 1, 8, 8, "imp-1"),
		report(miner, w.coal, ahead, 2, 8, 8, "imp-2")))
	e, ok := isImportError(err)
	if !ok || len(e.Lines) != 1 || e.Lines[0].Line != 3 || e.Lines[0].Field != "date" || !strings.Contains(e.Lines[0].Message, ahead.String()) {
		t.Fatalf("import: got %v (%+v), want line 3 refused on its date", err, e)
	}
	_, total, err = s.FindReports(bg, stakhanov.ReportFilter{})
	must(t, err)
	if total != 1 {
		t.Fatalf("reports after the refused import: got %d, want 1", total)
	}
}

// testDecreeNotBeforeItsDate: a decree dated ahead may be drafted but not
// signed; nothing is conferred.
func testDecreeNotBeforeItsDate(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	ahead := stakhanov.DateOf(time.Now().UTC()).AddDays(10)
	d := &stakhanov.Decree{Number: "77-ahead", Date: ahead, Authority: "Presidium", Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{record(h.rf, h.miner)}}
	must(t, s.CreateDecree(as(h.authority), d))
	_, err := s.SignDecree(as(h.authority), d.ID)
	wantCode(t, err, stakhanov.EINVALID, "date")
	if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, "77-ahead") || !strings.Contains(msg, ahead.String()) {
		t.Fatalf("message: got %q, want the decree's number and date", msg)
	}
	got, err := s.FindDecreeByID(bg, d.ID)
	must(t, err)
	if got.SignedAt != nil || len(got.Conferrals) != 0 {
		t.Fatalf("decree after the refusal: got %+v, want unsigned", got)
	}
	_, total, err := s.FindConferrals(bg, stakhanov.ConferralFilter{})
	must(t, err)
	if total != 0 {
		t.Fatalf("conferrals: got %d, want 0", total)
	}
}

// testPresentationDates: a presentation is dated its ceremony's day, not
// the clock's, and a ceremony ahead of today presents nothing yet.
func testPresentationDates(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	d, err := h.decree(t, s, "427", "2013-04-29", stakhanov.DecreeRecord, record(h.rf, h.miner), record(h.rf, h.turner))
	must(t, err)
	mayDay := &stakhanov.Ceremony{Date: date(t, "2013-05-01"), Place: "Kremlin", Presenter: "the President", Conferrals: d.Conferrals[:1]}
	must(t, s.CreateCeremony(as(h.registrar), mayDay))
	before := time.Now()
	must(t, s.MarkPresented(as(h.registrar), mayDay.ID, d.Conferrals[0]))
	c, err := s.FindConferralByID(bg, d.Conferrals[0])
	must(t, err)
	if c.PresentedAt == nil || c.PresentedAt.Date != date(t, "2013-05-01") || c.PresentedAt.CeremonyID != mayDay.ID {
		t.Fatalf("presentation: got %+v, want dated 2013-05-01 at ceremony %d", c.PresentedAt, mayDay.ID)
	}
	if c.PresentedAt.RecordedAt.Before(before.Add(-time.Minute)) {
		t.Fatalf("recorded at: got %v, want when it was marked (about %v)", c.PresentedAt.RecordedAt, before)
	}

	ahead := stakhanov.DateOf(time.Now().UTC()).AddDays(10)
	later := &stakhanov.Ceremony{Date: ahead, Place: "Kremlin", Presenter: "the President", Conferrals: d.Conferrals[1:]}
	must(t, s.CreateCeremony(as(h.registrar), later))
	err = s.MarkPresented(as(h.registrar), later.ID, d.Conferrals[1])
	wantCode(t, err, stakhanov.EINVALID, "")
	if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, ahead.String()) || !strings.Contains(msg, "after today") {
		t.Fatalf("message: got %q, want the ceremony's date and today", msg)
	}
	c, err = s.FindConferralByID(bg, d.Conferrals[1])
	must(t, err)
	if c.PresentedAt != nil {
		t.Fatalf("presented before its ceremony: got %+v", c.PresentedAt)
	}
}

// testQuantityBounds: every quantity is finite, not negative and at most
// its good's max_per_shift (a need at most MaxQuantity), on every channel;
// a refusal names the field and writes nothing.
func testQuantityBounds(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	day := date(t, "1935-09-01")
	rules, err := s.PlausibilityRules(bg, w.coal.ID)
	must(t, err)
	if rules.MaxPerShift != stakhanov.DefaultMaxPerShift {
		t.Fatalf("max_per_shift: got %g, want the default %g", rules.MaxPerShift, stakhanov.DefaultMaxPerShift)
	}
	bad := []struct {
		produced, accepted float64
		field              string
	}{
		{math.Inf(1), 1, "produced"},
		{math.NaN(), 1, "produced"},
		{10, math.NaN(), "accepted"},
		{-1e308, 0, "produced"},
		{1e308, 1, "produced"},
		{stakhanov.DefaultMaxPerShift + 1, 1, "produced"},
	}
	for i, b := range bad {
		_, err := s.CreateReports(system, []*stakhanov.Report{report(miner, w.coal, day, 1, b.produced, b.accepted, "bad")})
		wantCode(t, err, stakhanov.EINVALID, b.field)
		_, err = s.CreateReports(system, []*stakhanov.Report{
			report(miner, w.coal, day, 2, 8, 8, "fine"), report(miner, w.coal, day, 1, b.produced, b.accepted, "bad")})
		wantCode(t, err, stakhanov.EINVALID, "reports[1]."+b.field)
		_, err = s.ImportReports(system, rowsOf(report(miner, w.coal, day, 1, b.produced, b.accepted, "bad")))
		if e, ok := isImportError(err); !ok || len(e.Lines) != 1 || e.Lines[0].Field != b.field {
			t.Fatalf("import of case %d: got %v, want line 2 refused on %s", i, err, b.field)
		}
	}
	_, total, err := s.FindReports(bg, stakhanov.ReportFilter{})
	must(t, err)
	if total != 0 {
		t.Fatalf("reports after refusals: got %d, want 0", total)
	}
	// At the maximum: fine; -0 is 0.
	top := report(miner, w.coal, day, 1, stakhanov.DefaultMaxPerShift, math.Copysign(0, -1), "top")
	_, err = s.CreateReports(system, []*stakhanov.Report{top})
	must(t, err)
	got, err := s.FindReportByID(bg, top.ID)
	must(t, err)
	if got.Produced != stakhanov.DefaultMaxPerShift || got.Accepted != 0 || math.Signbit(got.Accepted) {
		t.Fatalf("report at the maximum: got %g/%g, want %g/0", got.Produced, got.Accepted, stakhanov.DefaultMaxPerShift)
	}

	// A good of its own bound.
	rules.MaxPerShift = 50
	must(t, s.SetPlausibilityRules(system, w.coal.ID, rules))
	_, err = s.CreateReports(system, []*stakhanov.Report{report(miner, w.coal, day, 2, 51, 10, "over")})
	wantCode(t, err, stakhanov.EINVALID, "produced")
	if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, "50 t") || !strings.Contains(msg, "max_per_shift") {
		t.Fatalf("message: got %q, want the good's maximum, 50 t", msg)
	}
	_, err = s.ImportReports(system, rowsOf(report(miner, w.coal, day, 2, 51, 10, "over")))
	if e, ok := isImportError(err); !ok || len(e.Lines) != 1 || e.Lines[0].Field != "produced" {
		t.Fatalf("import over the good's bound: got %v, want line 2 refused on produced", err)
	}
	// The other good keeps the default.
	_, err = s.CreateReports(system, []*stakhanov.Report{report(stakhanov.PersonSubject(w.turner.ID), w.parts, day, 1, 5000, 5000, "parts")})
	must(t, err)

	// Norms: the same bound, on the API and the import.
	for _, amount := range []float64{math.Inf(1), math.NaN(), 0, 1e-320, 51, 1e308} {
		n := &stakhanov.Norm{Subject: miner, GoodID: w.coal.ID, Amount: amount, EffectiveFrom: day, Reason: "probe"}
		wantCode(t, s.CreateNorm(system, n), stakhanov.EINVALID, "amount")
		_, err := s.ImportNorms(system, rowsOf(n))
		if e, ok := isImportError(err); !ok || len(e.Lines) != 1 || e.Lines[0].Field != "amount" {
			t.Fatalf("norm import of %g: got %v, want line 2 refused on amount", amount, err)
		}
	}
	_, total, err = s.FindNorms(bg, stakhanov.NormFilter{})
	must(t, err)
	if total != 0 {
		t.Fatalf("norms after refusals: got %d, want 0", total)
	}
	w.norm(t, s, miner, w.coal, 50, "1935-09-01")

	// Needs: finite, above 0, at most MaxQuantity.
	for _, q := range []float64{math.Inf(1), math.NaN(), -1, stakhanov.MaxQuantity * 2} {
		err := s.CreateNeed(system, &stakhanov.Need{UnitID: w.mine.ID, GoodID: w.coal.ID, From: day, To: day, Quantity: q})
		wantCode(t, err, stakhanov.EINVALID, "quantity")
	}
	must(t, s.CreateNeed(system, &stakhanov.Need{UnitID: w.mine.ID, GoodID: w.coal.ID, From: day, To: day, Quantity: stakhanov.MaxQuantity}))

	// The bound itself is bounded.
	for _, max := range []float64{0, -1, math.Inf(1), math.NaN(), stakhanov.MaxQuantity * 2} {
		r := stakhanov.DefaultPlausibilityRules
		r.MaxPerShift = max
		wantCode(t, s.SetPlausibilityRules(system, w.coal.ID, &r), stakhanov.EINVALID, "max_per_shift")
	}
	again, err := s.PlausibilityRules(bg, w.coal.ID)
	must(t, err)
	if again.MaxPerShift != 50 {
		t.Fatalf("max_per_shift after refusals: got %g, want 50", again.MaxPerShift)
	}
}

// testNormAlreadyPresent: a norm that restates the latest version for its
// subject, good and day is already present, on the API and in the import;
// a new amount or reason, or a return to an earlier amount, is a version.
func testNormAlreadyPresent(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	norm := func(amount float64, from, reason string) *stakhanov.Norm {
		return &stakhanov.Norm{Subject: miner, GoodID: w.coal.ID, Amount: amount, EffectiveFrom: date(t, from), Reason: reason}
	}
	versions := func() int {
		_, total, err := s.FindNorms(bg, stakhanov.NormFilter{Subject: miner})
		must(t, err)
		return total
	}
	first := norm(7, "1935-01-01", "the 1935 norm")
	must(t, s.CreateNorm(system, first))
	if first.Present || first.Version != 1 {
		t.Fatalf("first norm: got %+v, want version 1, written", first)
	}
	again := norm(7, "1935-01-01", "the 1935 norm")
	must(t, s.CreateNorm(system, again))
	if !again.Present || again.ID != first.ID || again.Version != 1 || again.Amount != 7 || again.Reason != "the 1935 norm" {
		t.Fatalf("the same norm again: got %+v, want norm %d already present", again, first.ID)
	}
	if n := versions(); n != 1 {
		t.Fatalf("versions after the same norm twice: got %d, want 1", n)
	}
	// Another reason for the same figure is a new record of it.
	reason := norm(7, "1935-01-01", "confirmed by the trust")
	must(t, s.CreateNorm(system, reason))
	if reason.Present || reason.Version != 2 {
		t.Fatalf("another reason: got %+v, want version 2", reason)
	}
	// The first again is not the latest for its day: a version that puts
	// it back in force.
	back := norm(7, "1935-01-01", "the 1935 norm")
	must(t, s.CreateNorm(system, back))
	if back.Present || back.Version != 3 {
		t.Fatalf("back to the first: got %+v, want version 3", back)
	}

	// The import calls the same norm already present...
	res, err := s.ImportNorms(system, rowsOf(norm(7, "1935-01-01", "the 1935 norm"), norm(9, "1936-01-01", "raised")))
	must(t, err)
	if res.Created != 1 || res.Existing != 1 {
		t.Fatalf("import: got %+v, want 1 created, 1 already present", res)
	}
	// ...and the API the norm the import wrote.
	raised := norm(9, "1936-01-01", "raised")
	must(t, s.CreateNorm(system, raised))
	if !raised.Present || raised.Version != 4 {
		t.Fatalf("the imported norm through the API: got %+v, want version 4 already present", raised)
	}
	// A file that sets one day twice could not be imported twice to the
	// same effect: refused.
	_, err = s.ImportNorms(system, rowsOf(norm(10, "1937-01-01", "a"), norm(11, "1937-01-01", "b")))
	if e, ok := isImportError(err); !ok || len(e.Lines) != 1 || e.Lines[0].Line != 3 || e.Lines[0].Field != "effective_from" {
		t.Fatalf("a file setting one day twice: got %v, want line 3 refused on effective_from", err)
	}
	if n := versions(); n != 4 {
		t.Fatalf("versions: got %d, want 4", n)
	}
}
