package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/web"
)

func TestSignIn(t *testing.T) {
	f := newFixture(t)

	t.Run("good password", func(t *testing.T) {
		c := f.client(t)
		if got := c.signIn("worker"); got != "/worker" {
			t.Fatalf("landed on %q, want /worker", got)
		}
		u, _ := url.Parse(f.srv.URL)
		var session *http.Cookie
		for _, ck := range c.jar.Cookies(u) {
			if ck.Name == "stakhanov_session" {
				session = ck
			}
		}
		if session == nil {
			t.Fatal("no session cookie")
		}
		r := c.get("/worker")
		if r.status != http.StatusOK {
			t.Fatalf("/worker: status %d", r.status)
		}
		mustContain(t, r.body, "Alexei Stakhanov", `id="signed-in-as"`)
		if cc := r.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
	})

	t.Run("cookie attributes", func(t *testing.T) {
		c := f.client(t)
		csrf := c.csrf("/signin")
		resp, err := c.c.PostForm(f.srv.URL+"/signin", url.Values{"csrf": {csrf}, "name": {"foreman"}, "password": {"foreman-demo"}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var set string
		for _, v := range resp.Header.Values("Set-Cookie") {
			if strings.HasPrefix(v, "stakhanov_session=") {
				set = v
			}
		}
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(set, want) {
				t.Errorf("session cookie %q lacks %s", set, want)
			}
		}
		if strings.Contains(set, "Secure") {
			t.Errorf("session cookie %q is Secure on plain HTTP", set)
		}
	})

	t.Run("bad password and unknown name look the same", func(t *testing.T) {
		c := f.client(t)
		bad := c.submit("/signin", "/signin", url.Values{"name": {"worker"}, "password": {"not-the-password"}})
		unknown := c.submit("/signin", "/signin", url.Values{"name": {"nobody"}, "password": {"not-the-password"}})
		for _, r := range []response{bad, unknown} {
			if r.status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401", r.status)
			}
			mustContain(t, r.body, "The name or the password is not right.", `id="form-error"`)
		}
		// The name is kept, the password is not sent back.
		mustContain(t, bad.body, `value="worker"`)
		if strings.Contains(bad.body, "not-the-password") {
			t.Error("the page sends the password back")
		}
		if r := c.get("/worker"); r.status != http.StatusSeeOther {
			t.Errorf("after a failed sign-in /worker answers %d", r.status)
		}
	})

	t.Run("empty fields", func(t *testing.T) {
		c := f.client(t)
		r := c.submit("/signin", "/signin", url.Values{"name": {""}, "password": {""}})
		mustContain(t, r.body, `id="f-name-error"`, `id="f-password-error"`, `aria-describedby="f-name-error"`)
	})

	t.Run("sign out", func(t *testing.T) {
		c := f.client(t)
		c.signIn("planner")
		r := c.submit("/planner", "/signout", url.Values{})
		if r.status != http.StatusSeeOther {
			t.Fatalf("sign out: status %d", r.status)
		}
		if r := c.get("/planner"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin") {
			t.Fatalf("after sign-out /planner answers %d to %q", r.status, r.location)
		}
	})

	t.Run("expiry", func(t *testing.T) {
		g := newFixture(t)
		c := g.client(t)
		c.signIn("worker")
		g.advance(stakhanov.SessionLifetime - time.Minute)
		if r := c.get("/worker"); r.status != http.StatusOK {
			t.Fatalf("before expiry: status %d", r.status)
		}
		g.advance(2 * time.Minute)
		if r := c.get("/worker"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin") {
			t.Fatalf("after expiry: status %d to %q", r.status, r.location)
		}
	})

	t.Run("next", func(t *testing.T) {
		c := f.client(t)
		r := c.get("/worker/shifts")
		if r.status != http.StatusSeeOther || r.location != "/signin?next=%2Fworker%2Fshifts" {
			t.Fatalf("anonymous /worker/shifts: %d to %q", r.status, r.location)
		}
		r = c.submit(r.location, "/signin", url.Values{"name": {"worker"}, "password": {"worker-demo"}, "next": {"/worker/shifts"}})
		if r.location != "/worker/shifts" {
			t.Fatalf("after sign-in: to %q", r.location)
		}
		r = c.submit("/worker", "/signin", url.Values{"name": {"worker"}, "password": {"worker-demo"}, "next": {"//evil.example/"}})
		if r.location != "/worker" {
			t.Fatalf("next to another site: to %q", r.location)
		}
	})
}

func TestCSRF(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	// No token at all: refused even before sign-in.
	r := c.post("/signin", url.Values{"name": {"worker"}, "password": {"worker-demo"}})
	if r.status != http.StatusForbidden {
		t.Fatalf("sign-in without token: status %d, want 403", r.status)
	}
	c.signIn("foreman")
	form := reportForm(f, "7", "7")
	form.Set("csrf", "forged")
	r = c.post("/foreman/reports", form)
	if r.status != http.StatusForbidden {
		t.Fatalf("report with a forged token: status %d, want 403", r.status)
	}
	mustContain(t, r.body, `id="error-message"`)
	// The token of another session does not do either.
	other := f.client(t)
	other.signIn("foreman")
	form.Set("csrf", other.csrf("/foreman"))
	if r := c.post("/foreman/reports", form); r.status != http.StatusForbidden {
		t.Fatalf("report with another session's token: status %d, want 403", r.status)
	}
}

func TestRoleLanding(t *testing.T) {
	f := newFixture(t)
	for _, a := range f.world.Accounts {
		t.Run(a.Role, func(t *testing.T) {
			c := f.client(t)
			got := c.signIn(a.Name)
			if want := web.StartPage(a.Role); got != want || want == "/" {
				t.Fatalf("%s landed on %q, want %q", a.Name, got, want)
			}
			r := c.get(got)
			if r.status != http.StatusOK {
				t.Fatalf("%s: status %d\n%s", got, r.status, r.body)
			}
			mustContain(t, r.body, "Signed in as <strong>"+a.Name+"</strong>")
		})
	}
	t.Run("other role's page", func(t *testing.T) {
		c := f.client(t)
		c.signIn("worker")
		if r := c.get("/foreman"); r.status != http.StatusForbidden {
			t.Fatalf("worker on /foreman: status %d, want 403", r.status)
		}
	})
	t.Run("committee member", func(t *testing.T) {
		c := f.client(t)
		name := f.world.Committee[0][1].Name
		if got := c.signIn(name); got != web.StartPage(stakhanov.RoleCommittee) {
			t.Fatalf("%s landed on %q", name, got)
		}
	})
}

// TestSignInThrottle: after five wrong passwords the sign-in page says to
// wait, with a 429, even for the right password; the auditor's page
// lists the failed sign-ins.
func TestSignInThrottle(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	for i := range 5 {
		r := c.submit("/signin", "/signin", url.Values{"name": {"foreman"}, "password": {"wrong password"}})
		if r.status != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: status %d", i+1, r.status)
		}
	}
	r := c.submit("/signin", "/signin", url.Values{"name": {"foreman"}, "password": {"foreman-demo"}})
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("the right password after five wrong ones: status %d", r.status)
	}
	mustContain(t, r.body, "Too many failed sign-ins: wait")
	a := f.client(t)
	a.signIn("auditor")
	mustContain(t, a.get("/auditor").body, `id="security-events"`, "signin_failed", "foreman")
}
