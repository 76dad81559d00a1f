package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestAdminAccounts: the admin finds the foreman, disables it with a
// reason, and the foreman, signed in elsewhere, is turned away on its next
// page; enabled again, it signs in; a unit is chosen by part of its name,
// and a name that matches several units is asked again.
func TestAdminAccounts(t *testing.T) {
	f := newFixture(t)
	foreman := f.client(t)
	foreman.signIn("foreman")
	if r := foreman.get("/foreman"); r.status != http.StatusOK {
		t.Fatalf("foreman page: status %d", r.status)
	}

	admin := f.client(t)
	admin.signIn("admin")
	r := admin.get("/admin")
	mustContain(t, r.body, `id="accounts-link"`)
	r = admin.get("/admin/accounts?q=forem")
	mustContain(t, r.body, `id="accounts"`, ">foreman<")
	id := regexp.MustCompile(`<a href="/admin/accounts/(\d+)">foreman</a>`).FindStringSubmatch(r.body)
	if id == nil {
		t.Fatalf("no link to the foreman's account:\n%s", r.body)
	}
	page := "/admin/accounts/" + id[1]
	r = admin.submit(page, page+"/disable", url.Values{})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("disable without a reason: status %d", r.status)
	}
	r = admin.submit(page, page+"/disable", url.Values{"reason": {"dismissed"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("disable: status %d\n%s", r.status, r.body)
	}
	mustContain(t, admin.get(r.location).body, `id="account-saved"`, "Disabled.", "dismissed")

	if r := foreman.get("/foreman"); r.status == http.StatusOK {
		t.Fatalf("a disabled foreman's session still opens its page")
	}
	again := f.client(t)
	rs := again.submit("/signin", "/signin", url.Values{"name": {"foreman"}, "password": {"foreman-demo"}})
	if rs.status == http.StatusSeeOther || !strings.Contains(rs.body, "disabled") {
		t.Fatalf("signing in to a disabled account: status %d\n%s", rs.status, rs.body)
	}

	r = admin.submit(page, page+"/enable", url.Values{"reason": {"taken back"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("enable: status %d", r.status)
	}
	again.signIn("foreman")

	r = admin.submit(page, page+"/unit", url.Values{"unit": {"Tsentralnaya"}, "reason": {"the mine"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("unit by name: status %d\n%s", r.status, r.body)
	}
	mustContain(t, admin.get(r.location).body, "Tsentralnaya-Irmino mine", "unit → ")
	r = admin.submit(page, page+"/unit", url.Values{"unit": {"Commissariat"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a unit name matching several: status %d", r.status)
	}
	mustContain(t, r.body, `id="f-unit-error"`, "units&#39; names hold")
	r = admin.submit(page, page+"/role", url.Values{"role": {"planner"}, "reason": {"promoted"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("role: status %d", r.status)
	}
	mustContain(t, admin.get(r.location).body, "A planner of", "role → planner")
	if r := admin.get(fmt.Sprintf("/admin/accounts/%d", 999999)); r.status != http.StatusNotFound {
		t.Fatalf("an unknown account: status %d", r.status)
	}
}
