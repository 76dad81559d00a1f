package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/demo"
)

func TestPlannerNorms(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("planner")
	sub := stakhanov.PersonSubject(f.world.Stakhanov).String()

	r := c.get("/planner")
	mustContain(t, r.body, "Alexei Stakhanov", "1935 hewing norm: 7 t per shift", "norms-person-")

	r = c.get("/planner/norms/new?subject=" + sub + "&good=" + fmt.Sprint(f.world.Coal))
	mustContain(t, r.body, `id="norm-form"`, `<option value="`+sub+`" selected>`)

	form := url.Values{"subject": {sub}, "good": {fmt.Sprint(f.world.Coal)}, "amount": {"0"},
		"effective_from": {"1935-11-01"}, "reason": {"Norm raised after the Stakhanovite movement"}}
	r = c.submit("/planner/norms/new", "/planner/norms", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("zero amount: status %d", r.status)
	}
	mustContain(t, r.body, `id="f-amount-error"`, "Norm raised after the Stakhanovite movement")

	form.Set("amount", "8.5")
	r = c.submit("/planner/norms/new", "/planner/norms", form)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/planner?saved=") {
		t.Fatalf("new norm: status %d to %q\n%s", r.status, r.location, r.body)
	}
	r = c.get(r.location)
	mustContain(t, r.body, `id="norm-saved"`, "Norm raised after the Stakhanovite movement", "8.5")
}

// TestPlannerShortages: the mine's planner sees September 1935's coal
// over plan, with the chart's numbers as a table and as CSV (CRLF); a
// unit outside the planner's scope is refused.
func TestPlannerShortages(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("planner")
	r := c.get("/planner")
	mustContain(t, r.body, `id="shortages-link"`)
	r = c.get("/planner/shortages?from=1935-09-01&to=1935-09-30")
	if r.status != http.StatusOK {
		t.Fatalf("shortages page: status %d\n%s", r.status, r.body)
	}
	mustContain(t, r.body, "Needs and output: Tsentralnaya-Irmino mine", "<h2>coal</h2>", `id="shortage-chart-1"`,
		fmt.Sprintf("<td class=\"num\">%d</td>", demo.MineCoalPlanSept1935), `id="shortages-csv"`)
	r = c.get(fmt.Sprintf("/planner/shortages.csv?unit=%d&period=month&from=1935-09-01&to=1935-09-30", f.world.Mine))
	lines := strings.Split(r.body, "\r\n")
	if r.status != http.StatusOK || len(lines) != 3 || !strings.HasPrefix(lines[0], "good_id,good,measure,period,") ||
		!strings.Contains(lines[1], fmt.Sprintf(",coal,t,month,1935-09-01,1935-09-30,0,%d,", demo.MineCoalPlanSept1935)) {
		t.Fatalf("shortages CSV: status %d, got %q", r.status, r.body)
	}
	r = c.get(fmt.Sprintf("/planner/shortages?unit=%d", f.world.Needs.LightIndustry))
	if r.status != http.StatusForbidden {
		t.Fatalf("another commissariat's shortages: status %d, want 403", r.status)
	}
}

// TestPlannerReports: the mine's planner sees its September coal plan
// against output, the even months of the mine, the ratchet of November
// 1935 and the close of August with its final figures, each with its CSV;
// the Light Industry planner sees the shoe factory storm.
func TestPlannerReports(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("planner")
	r := c.get("/planner")
	mustContain(t, r.body, `id="plans-link"`, `id="storming-link"`, `id="ratchets-link"`, `id="closes-link"`)

	r = c.get("/planner/plans?from=1935-09-01&to=1935-09-30")
	mustContain(t, r.body, "Plans and output: Tsentralnaya-Irmino mine", fmt.Sprintf("Plan %d t", demo.MineCoalPlanSept1935), `id="plan-chart-1"`, `id="plans-csv"`)
	r = c.get(fmt.Sprintf("/planner/plans.csv?unit=%d&from=1935-09-01&to=1935-09-30", f.world.Mine))
	if lines := strings.Split(strings.TrimSuffix(r.body, "\r\n"), "\r\n"); r.status != http.StatusOK || len(lines) != 2 || !strings.Contains(lines[1], ",coal,month,1935-09-01,875,") {
		t.Fatalf("plans CSV: status %d, got %q", r.status, r.body)
	}

	r = c.get("/planner/storming?from=1935-06-01&to=1935-10-31")
	mustContain(t, r.body, "Storming: Tsentralnaya-Irmino mine", `id="storming-table"`, `id="storming-csv"`)
	if strings.Contains(r.body, `class="storming"`) {
		t.Errorf("the mine's even months are shown as storming")
	}

	r = c.get("/planner/ratchets?from=1935-01-01&to=1935-12-31")
	mustContain(t, r.body, "The ratchet: Tsentralnaya-Irmino mine", `id="ratchet-raises"`, `id="ratchet-chart"`, "Alexei Stakhanov", "1935-11-01", "after an overfulfilment")
	r = c.get(fmt.Sprintf("/planner/ratchets.csv?unit=%d&from=1935-01-01&to=1935-12-31", f.world.Mine))
	if lines := strings.Split(strings.TrimSuffix(r.body, "\r\n"), "\r\n"); r.status != http.StatusOK || len(lines) != 6 {
		t.Fatalf("ratchets CSV: status %d, got %q", r.status, r.body)
	}
	r = c.get("/planner/ratchets?from=1936-01-01&to=1936-12-31")
	mustContain(t, r.body, `id="no-ratchets"`)

	r = c.get("/planner/closes")
	mustContain(t, r.body, `id="close-form"`, `id="closes"`, "1935-08-01", "the mine&#39;s accounts of August 1935 are done")
	r = c.get(fmt.Sprintf("/planner/closes/%d", f.world.Closes.August))
	mustContain(t, r.body, `id="close-results"`, "Alexei Stakhanov", "Stakhanov&#39;s brigade (all of it)")
	// September, closed from the page; again is refused.
	form := url.Values{"month": {"1935-09"}, "reason": {"the September accounts are done"}}
	r = c.submit("/planner/closes", fmt.Sprintf("/planner/closes?unit=%d", f.world.Mine), form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("close September: status %d\n%s", r.status, r.body)
	}
	r = c.get(r.location)
	mustContain(t, r.body, `id="close-saved"`, "the September accounts are done")
	r = c.submit("/planner/closes", fmt.Sprintf("/planner/closes?unit=%d", f.world.Mine), form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("close September again: status %d", r.status)
	}
	mustContain(t, r.body, "already closed")

	light := f.client(t)
	light.signIn("planner-light-industry")
	r = light.get("/planner/storming?from=1935-09-01&to=1935-09-30")
	mustContain(t, r.body, "Skorokhod shoe factory, Leningrad stormed children&#39;s shoes", `class="storming"`, `id="storm-chart-1"`)
	r = light.get(fmt.Sprintf("/planner/closes/%d", f.world.Closes.August))
	if r.status != http.StatusForbidden {
		t.Fatalf("another commissariat's final figures: status %d, want 403", r.status)
	}
}

// TestPlannerNormPreview: before saving, the planner previews a 9 t norm
// for Stakhanov and sees his real months under 7 t and under 9 t; nothing
// is saved.
func TestPlannerNormPreview(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("planner")
	sub := stakhanov.PersonSubject(f.world.Stakhanov)
	before, _, err := f.store.FindNorms(t.Context(), stakhanov.NormFilter{Subject: sub})
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"subject": {sub.String()}, "good": {fmt.Sprint(f.world.Coal)}, "amount": {"9"},
		"effective_from": {"1935-12-01"}, "reason": {"a trial of a higher norm"}, "preview": {"1"}}
	r := c.submit("/planner/norms/new", "/planner/norms", form)
	if r.status != http.StatusOK {
		t.Fatalf("preview: status %d\n%s", r.status, r.body)
	}
	mustContain(t, r.body, `id="norm-preview-result"`, "What 9 t per shift would do to Alexei Stakhanov", ">a trial of a higher norm<",
		`id="preview-months"`, "<th scope=\"row\">1935-08-01</th>", `id="preview-candidacy"`)
	after, _, err := f.store.FindNorms(t.Context(), stakhanov.NormFilter{Subject: sub})
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != len(before) {
		t.Fatalf("a preview saved a norm: %d versions, were %d", len(after), len(before))
	}
}

// TestPlannerPublishesShortages: the Light Industry planner stops
// publishing its Commissariat's shortages: they leave the public page.
func TestPlannerPublishesShortages(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("planner-light-industry")
	page := fmt.Sprintf("/planner/shortages?unit=%d", f.world.Needs.LightIndustry)
	r := c.get(page)
	mustContain(t, r.body, `id="publish-form"`, "publishes these shortages", "Stop publishing them")
	r = c.submit(page, fmt.Sprintf("/planner/units/%d/publish-shortages", f.world.Needs.LightIndustry), url.Values{"publish": {"0"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("stop publishing: status %d\n%s", r.status, r.body)
	}
	mustContain(t, c.get(r.location).body, "does not publish its shortages")
	anon := f.client(t)
	if body := anon.get("/shortages").body; strings.Contains(body, "Light Industry") || !strings.Contains(body, "Heavy Industry") {
		t.Fatalf("public page after Light Industry stopped publishing:\n%s", body)
	}
	// The mine is no ministry: no such choice.
	r = c.submit(page, fmt.Sprintf("/planner/units/%d/publish-shortages", f.world.Mine), url.Values{"publish": {"1"}})
	if r.status == http.StatusSeeOther {
		t.Fatalf("a mine outside the planner's scope published its shortages")
	}
}
