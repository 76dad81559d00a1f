package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// Tests of the verifier's pages on the demo store: Stakhanov's record of
// 31 August 1935 is flagged (credited 34 t, 4.9 times his 7 t norm);
// verifier-petrov witnessed it and may not decide on it; the demo
// verifier, an inspector of the Commissariat, is independent of it.

func TestVerifierQueueListsFlaggedRecord(t *testing.T) {
	f := newFixture(t)
	rec := f.world.RecordReport
	c := f.client(t)
	if got := c.signIn("verifier"); got != "/verifier" {
		t.Fatalf("verifier lands on %q", got)
	}
	q := c.get("/verifier")
	wantStatus(t, q, http.StatusOK)
	mustContain(t, q.body, `id="verifier-queue"`, fmt.Sprintf(`id="queue-%d"`, rec),
		fmt.Sprintf(`href="/verifier/reports/%d"`, rec), "Alexei Stakhanov", "1935-08-31", "coal", "102 t",
		"Above a multiple of the norm", "credited 34 t is 4.9 times the norm of 7 t",
		"Gavrila Shchigolev", "Tikhon Borisov", "to decide", `href="/verifier"`)
	mustNotContain(t, q.body, `id="role-tasks"`)

	page := fmt.Sprintf("/verifier/reports/%d", rec)
	r := c.get(page)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.body, `id="report-heading"`, `id="flag-multiple_of_norm"`, "<th scope=\"row\">multiple</th><td class=\"num\">4.86</td>",
		"Konstantin Petrov", // the witness
		"Gavrila Shchigolev (33.33 %)", `id="report-fulfilment"`, "486 %",
		`id="verify-form"`, `<label for="f-decision">`, `<label for="f-note">`)
	mustNotContain(t, r.body, `id="conflict"`)

	// Another role may not open it.
	w := f.client(t)
	w.signIn(stakhanov.RoleWorker)
	wantStatus(t, w.get(page), http.StatusForbidden)
}

func TestVerifierWhoWitnessedIsRefused(t *testing.T) {
	f := newFixture(t)
	rec := f.world.RecordReport
	c := f.client(t)
	if got := c.signIn(f.world.WitnessVerifier.Name); got != "/verifier" {
		t.Fatalf("%s lands on %q", f.world.WitnessVerifier.Name, got)
	}
	mustContain(t, c.get("/verifier").body, fmt.Sprintf(`id="queue-%d"`, rec), "may not decide", "You witnessed this shift.")

	page := fmt.Sprintf("/verifier/reports/%d", rec)
	r := c.get(page)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.body, `id="conflict"`, "You cannot decide on this report", "You witnessed this shift.")
	mustNotContain(t, r.body, `id="verify-form"`)

	// A decision sent anyway is refused by the store, its reason shown.
	r = c.submit(page, page+"/verification", url.Values{"decision": {stakhanov.DecisionVerified}, "note": {"I was there."}})
	wantStatus(t, r, http.StatusForbidden)
	mustContain(t, r.body, `id="form-error"`, "witnessed report", "must be independent", `id="conflict"`)
	got, err := f.store.FindReportByID(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	if got.Review != stakhanov.ReviewFlagged || got.Verification != nil {
		t.Fatalf("record after Petrov's try: review %q, verification %+v", got.Review, got.Verification)
	}
}

func TestIndependentVerifierVerifiesRecord(t *testing.T) {
	f := newFixture(t)
	rec := f.world.RecordReport
	c := f.client(t)
	c.signIn("verifier")
	page := fmt.Sprintf("/verifier/reports/%d", rec)
	action := page + "/verification"

	// No decision, no note: each error beside its field.
	r := c.submit(page, action, url.Values{"decision": {""}, "note": {"  "}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.body, `id="f-decision-error"`, `id="f-note-error"`, `id="verify-form"`)
	r = c.submit(page, action, url.Values{"decision": {""}, "note": {"Checked the workings."}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.body, `id="f-decision-error"`, ">Checked the workings.</textarea>")

	note := "Measured the workings of the Nikanor-Nikanor seam with the timbering logs: 102 t cut by a team of three."
	r = c.submit(page, action, url.Values{"decision": {stakhanov.DecisionVerified}, "note": {note}})
	wantStatus(t, r, http.StatusSeeOther)
	if want := fmt.Sprintf("/verifier?decided=%d", rec); r.location != want {
		t.Fatalf("redirect to %q, want %q", r.location, want)
	}
	q := c.get(r.location)
	mustContain(t, q.body, `id="decision-recorded"`, "verified")
	mustNotContain(t, q.body, fmt.Sprintf(`id="queue-%d"`, rec))

	got, err := f.store.FindReportByID(context.Background(), rec)
	if err != nil {
		t.Fatal(err)
	}
	if got.Review != stakhanov.ReviewVerified || got.Verification == nil || got.Verification.Note != note {
		t.Fatalf("record: review %q, verification %+v", got.Review, got.Verification)
	}
	r = c.get(page)
	mustContain(t, r.body, `id="decided"`, "Inspector of the Commissariat", note)
	mustNotContain(t, r.body, `id="verify-form"`)

	// Decided again (a stale page): the store's answer is shown.
	r = c.submit(page, action, url.Values{"decision": {stakhanov.DecisionRejected}, "note": {"Second thoughts."}})
	wantStatus(t, r, http.StatusConflict)
	mustContain(t, r.body, `id="form-error"`, "the decision is final")
}
