package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// TestForemanFormRefusesFutureShift: the store's refusal of a shift dated
// after today is shown beside the date, and nothing is saved.
func TestForemanFormRefusesFutureShift(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("foreman")
	form := reportForm(f, "9", "8")
	form.Set("date", "2099-01-01")
	r := c.submit("/foreman", "/foreman/reports", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("future shift: status %d, want 422", r.status)
	}
	mustContain(t, r.body, `id="f-date-error">date 2099-01-01 is after today`)
	reports, _, err := f.store.FindReports(t.Context(), stakhanov.ReportFilter{From: stakhanov.NewDate(2099, 1, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if len(reports) != 0 {
		t.Fatalf("reports dated 2099: got %d, want 0", len(reports))
	}
	if strings.Contains(r.body, "saved=") {
		t.Fatal("the page says saved")
	}
}
