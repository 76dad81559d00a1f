package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
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
