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
