package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestWorkerPages(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("worker")

	r := c.get("/worker")
	mustContain(t, r.body, "1935 hewing norm: 7 t per shift", `id="norm-in-force"`, `id="shift-table"`)

	r = c.get("/worker/shifts")
	mustContain(t, r.body, `id="shift-table"`, "1935-10-31", `rel="next"`)

	r = c.get("/worker/fulfilment")
	if r.status != http.StatusOK {
		t.Fatalf("fulfilment: status %d", r.status)
	}
	mustContain(t, r.body, "<svg", `id="fulfilment-chart"`, `id="fulfilment-table"`, "1935-08", `id="fulfilment-csv"`)

	r = c.get("/worker/fulfilment?period=shift")
	mustContain(t, r.body, "1935-08-31/1")

	r = c.get("/worker/fulfilment.csv?good=1&period=month")
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("CSV content type %q", ct)
	}
	if !strings.HasPrefix(r.body, "subject,name,period,from,to,good_id,good,shifts,shifts_without_norm,produced,accepted,held,norm,percent,late\r\n") ||
		!strings.Contains(r.body, ",Alexei Stakhanov,1935-08,") {
		t.Fatalf("CSV:\n%s", r.body)
	}

	r = c.get("/worker/collective?month=1935-08")
	mustContain(t, r.body, `id="leaderboard"`, `id="my-rank"`, "Alexei Stakhanov (you)", "<svg")

	// Recommend a colleague: Dyukanov, for the first award.
	r = c.get("/worker/recommend")
	mustContain(t, r.body, `id="recommend-form"`, "Miron Dyukanov")
	dyukanov := optionValue(t, r.body, "Miron Dyukanov")
	award := optionValue(t, r.body, "Hero of Socialist Labour")
	r = c.submit("/worker/recommend", "/worker/recommend", url.Values{"candidate": {dyukanov}, "award": {award}, "text": {""}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("recommend without text: status %d", r.status)
	}
	mustContain(t, r.body, `id="f-text-error"`, `<option value="`+dyukanov+`" selected>`)
	r = c.submit("/worker/recommend", "/worker/recommend", url.Values{"candidate": {dyukanov}, "award": {award}, "text": {"115 t on 3 September."}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("recommend: status %d\n%s", r.status, r.body)
	}
	// A second letter for the same colleague and award is refused beside
	// the candidate.
	r = c.submit("/worker/recommend", "/worker/recommend", url.Values{"candidate": {dyukanov}, "award": {award}, "text": {"Again."}})
	mustContain(t, r.body, `id="f-candidate-error"`, "one letter each")
}

// optionValue returns the value of the option whose text starts with text.
func optionValue(t *testing.T, body, text string) string {
	t.Helper()
	i := strings.Index(body, `">`+text)
	if i < 0 {
		t.Fatalf("no option %q", text)
	}
	j := strings.LastIndex(body[:i], `value="`)
	return body[j+len(`value="`) : i]
}
