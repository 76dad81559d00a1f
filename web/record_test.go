package web_test

import (
	"fmt"
	"net/http"
	"net/url"
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

// TestFormsRefuseOutOfRangeQuantities: the foreman's report form and the
// planner's norm form show the store's bound beside the field, and a
// number no store could hold (1e999, NaN) is refused as not a number.
func TestFormsRefuseOutOfRangeQuantities(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("foreman")
	for _, tc := range []struct{ produced, want string }{
		{"1e308", "produced (1e&#43;308 t) is more than 1000000 t"},
		{"2000000", "produced (2000000 t) is more than 1000000 t"},
		{"1e999", "Write a number"},
		{"NaN", "Write a number"},
		{"Infinity", "Write a number"},
		{"0x1p4", "Write a number"},
	} {
		form := reportForm(f, tc.produced, "1")
		r := c.submit("/foreman", "/foreman/reports", form)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("produced %s: status %d, want 422", tc.produced, r.status)
		}
		mustContain(t, r.body, `id="f-produced-error">`+tc.want)
		if strings.Contains(r.body, strings.Repeat("0", 20)) || strings.Contains(r.body, "Inf t") {
			t.Fatalf("produced %s: the page prints a huge or infinite figure", tc.produced)
		}
	}

	p := f.client(t)
	p.signIn("planner")
	sub := stakhanov.PersonSubject(f.world.Stakhanov).String()
	for _, tc := range []struct{ amount, want string }{
		{"1e308", "amount (1e&#43;308 t) is more than 1000000 t"},
		{"5000000", "amount (5000000 t) is more than 1000000 t"},
		{"1e-320", "amount must be at least"},
		{"NaN", "Write a number"},
	} {
		form := url.Values{"subject": {sub}, "good": {fmt.Sprint(f.world.Coal)}, "amount": {tc.amount},
			"effective_from": {"1935-11-01"}, "reason": {"probe"}}
		r := p.submit("/planner/norms/new", "/planner/norms", form)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("amount %s: status %d, want 422", tc.amount, r.status)
		}
		mustContain(t, r.body, `id="f-amount-error">`+tc.want)
	}
}

// TestPlannerNormAlreadyPresent: sending the same norm twice from the
// planner's form says it is already present and writes one version.
func TestPlannerNormAlreadyPresent(t *testing.T) {
	f := newFixture(t)
	p := f.client(t)
	p.signIn("planner")
	sub := stakhanov.PersonSubject(f.world.Stakhanov)
	form := url.Values{"subject": {sub.String()}, "good": {fmt.Sprint(f.world.Coal)}, "amount": {"8.5"},
		"effective_from": {"1935-12-01"}, "reason": {"Norm raised after the Stakhanovite movement"}}
	r := p.submit("/planner/norms/new", "/planner/norms", form)
	if r.status != http.StatusSeeOther || !strings.Contains(r.location, "saved=") {
		t.Fatalf("first: status %d to %q", r.status, r.location)
	}
	r = p.submit("/planner/norms/new", "/planner/norms", form)
	if r.status != http.StatusSeeOther || !strings.Contains(r.location, "present=") {
		t.Fatalf("second: status %d to %q, want a redirect saying already present", r.status, r.location)
	}
	mustContain(t, p.get(r.location).body, `id="norm-present"`, "already present")
	norms, _, err := f.store.FindNorms(t.Context(), stakhanov.NormFilter{Subject: sub, GoodID: f.world.Coal})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, v := range norms {
		if v.EffectiveFrom == stakhanov.NewDate(1935, 12, 1) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("versions from 1935-12-01: got %d, want 1", n)
	}
}
