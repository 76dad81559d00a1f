package storetest

import (
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
