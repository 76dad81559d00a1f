package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// lacksAll fails if the page contains any of unwanted.
func lacksAll(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("page has %q", u)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", body)
		t.FailNow()
	}
}

// TestRanksHidden: a planner hides ranks in a unit from /planner; the
// worker's "my collective" page then shows no place and no ranked list of
// colleagues, only the worker's own figures and why.
func TestRanksHidden(t *testing.T) {
	f := newFixture(t)
	mine, brigade := f.world.Mine, f.world.Brigade
	const month = "/worker/collective?month=1935-08"

	worker := f.client(t)
	worker.signIn("worker")
	shown := func() {
		t.Helper()
		r := worker.get(month)
		mustContain(t, r.body, `id="leaderboard"`, `id="my-rank"`, "Alexei Stakhanov (you)", "Miron Dyukanov", `id="collective-chart"`)
		lacksAll(t, r.body, `id="ranks-hidden"`)
	}
	hidden := func() {
		t.Helper()
		r := worker.get(month)
		if r.status != http.StatusOK {
			t.Fatalf("collective: status %d", r.status)
		}
		mustContain(t, r.body, `id="ranks-hidden"`, "Stakhanov&#39;s brigade has chosen to hide ranks", `id="my-figures"`,
			"Alexei Stakhanov (you)", "coal, 1935-08")
		lacksAll(t, r.body, `id="leaderboard"`, `id="my-rank"`, "Your place", `id="collective-chart"`, "<svg",
			"Miron Dyukanov", "Ivan Kovalenko", "Gavrila Shchigolev", "Rank")
	}
	shown()

	planner := f.client(t)
	planner.signIn("planner")
	r := planner.get("/planner")
	mustContain(t, r.body, `id="unit-ranks"`, fmt.Sprintf(`id="ranks-form-%d"`, mine), fmt.Sprintf(`id="ranks-form-%d"`, brigade), "Hide ranks")
	set := func(unit int64, hide string) response {
		t.Helper()
		return planner.submit("/planner", fmt.Sprintf("/planner/units/%d/ranks", unit), url.Values{"hide_ranks": {hide}})
	}
	hides := func(unit int64) bool {
		t.Helper()
		u, err := f.store.FindUnitByID(context.Background(), unit)
		if err != nil {
			t.Fatal(err)
		}
		return u.HidesRanks
	}

	// The mine hides ranks: so does its brigade, which has no choice of
	// its own.
	r = set(mine, "1")
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, fmt.Sprintf("/planner?ranks=%d", mine)) {
		t.Fatalf("hide ranks: status %d, location %q\n%s", r.status, r.location, r.body)
	}
	r = planner.get(r.location)
	mustContain(t, r.body, `id="ranks-saved"`, fmt.Sprintf(`<tr id="unit-ranks-%d"><th scope="row">Stakhanov&#39;s brigade</th><td>collective</td><td>hidden</td>`, brigade))
	if !hides(mine) || !hides(brigade) {
		t.Fatal("the mine's choice is not in force")
	}
	hidden()

	// The brigade's own choice is nearer: it shows ranks again.
	if r = set(brigade, "0"); r.status != http.StatusSeeOther {
		t.Fatalf("show ranks: status %d\n%s", r.status, r.body)
	}
	if !hides(mine) || hides(brigade) {
		t.Fatal("the brigade's choice is not in force")
	}
	shown()

	// And hides them once more.
	if r = set(brigade, "1"); r.status != http.StatusSeeOther {
		t.Fatalf("hide ranks: status %d\n%s", r.status, r.body)
	}
	hidden()

	// Refused: no CSRF token, a bad value, a planner of other units, a
	// worker.
	if r = planner.post(fmt.Sprintf("/planner/units/%d/ranks", brigade), url.Values{"hide_ranks": {"0"}}); r.status != http.StatusForbidden {
		t.Fatalf("without CSRF: status %d", r.status)
	}
	if r = set(brigade, "maybe"); r.status != http.StatusBadRequest {
		t.Fatalf("bad value: status %d", r.status)
	}
	other := f.client(t)
	other.signIn("planner-2013")
	r = other.submit("/planner", fmt.Sprintf("/planner/units/%d/ranks", brigade), url.Values{"hide_ranks": {"0"}})
	if r.status != http.StatusForbidden {
		t.Fatalf("planner of other units: status %d\n%s", r.status, r.body)
	}
	mustContain(t, r.body, "outside")
	r = worker.submit(month, fmt.Sprintf("/planner/units/%d/ranks", brigade), url.Values{"hide_ranks": {"0"}})
	if r.status != http.StatusForbidden {
		t.Fatalf("worker: status %d", r.status)
	}
	if !hides(brigade) {
		t.Fatal("a refused change was written")
	}
	hidden()
}
