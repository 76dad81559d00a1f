package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov/demo"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
	"github.com/stakhanov/stakhanov/web"
)

// now is the web clock of the tests: a day of the demo's 1935, so that
// "today" for the foreman has reports. The store keeps the real clock.
var now = time.Date(1935, 9, 20, 12, 0, 0, 0, time.UTC)

// fixture is a web server on a demo store.
type fixture struct {
	t     *testing.T
	store *sqlstore.DB
	world *demo.World
	srv   *httptest.Server
	skew  atomic.Int64
}

// advance moves the store's clock on by d.
func (f *fixture) advance(d time.Duration) { f.skew.Add(int64(d)) }

var seeded struct {
	once  sync.Once
	path  string
	world *demo.World
	err   error
}

// seed makes the demo store once per test binary; each test works on a
// copy of its file.
func seed() (string, *demo.World, error) {
	seeded.once.Do(func() {
		dir, err := os.MkdirTemp("", "stakhanov-web-test-")
		if err != nil {
			seeded.err = err
			return
		}
		seeded.path = filepath.Join(dir, "demo.db")
		ctx := context.Background()
		db, err := sqlite.Open(ctx, seeded.path, time.Now)
		if err != nil {
			seeded.err = err
			return
		}
		defer db.Close()
		db.SetPasswordParams(sqlstore.FastPasswordParams)
		if seeded.world, seeded.err = demo.Seed(ctx, db, time.Now()); seeded.err == nil {
			// Everything into the main file, so that copying it copies all.
			_, seeded.err = db.WriteDB().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		}
	})
	return seeded.path, seeded.world, seeded.err
}

func TestMain(m *testing.M) {
	code := m.Run()
	if seeded.path != "" {
		os.RemoveAll(filepath.Dir(seeded.path))
	}
	os.Exit(code)
}

// newFixture serves the web interface on a fresh copy of the demo store.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	src, w, err := seed()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, world: w}
	// The store's clock runs real time, plus what the test advances it by.
	db, err := sqlite.Open(context.Background(), path, func() time.Time { return time.Now().Add(time.Duration(f.skew.Load())) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetPasswordParams(sqlstore.FastPasswordParams)
	site := web.NewServer(web.Config{Now: func() time.Time { return now }}, db, nil)
	mux := http.NewServeMux()
	mux.Handle("/", site.Handler())
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	f.store = db
	return f
}

// client is a browser: it keeps cookies and does not follow redirects.
type client struct {
	t   *testing.T
	f   *fixture
	c   *http.Client
	jar http.CookieJar
}

// client returns a browser; a subtest passes its own t so that a failure
// stops the subtest, not its parent.
func (f *fixture) client(ts ...*testing.T) *client {
	t := f.t
	if len(ts) > 0 {
		t = ts[0]
	}
	jar, _ := cookiejar.New(nil)
	return &client{t: t, f: f, jar: jar, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type response struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *client) get(path string) response {
	c.t.Helper()
	resp, err := c.c.Get(c.f.srv.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	return read(c.f.t, resp)
}

func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	resp, err := c.c.PostForm(c.f.srv.URL+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	return read(c.f.t, resp)
}

func read(t *testing.T, resp *http.Response) response {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, body: string(b), location: resp.Header.Get("Location"), header: resp.Header}
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the first form on the page at path.
func (c *client) csrf(path string) string {
	c.t.Helper()
	r := c.get(path)
	m := csrfRE.FindStringSubmatch(r.body)
	if m == nil {
		c.t.Fatalf("no csrf field on %s (status %d)", path, r.status)
	}
	return m[1]
}

// submit posts form to action with the CSRF token of the page at page.
func (c *client) submit(page, action string, form url.Values) response {
	c.t.Helper()
	form.Set("csrf", c.csrf(page))
	return c.post(action, form)
}

// signIn signs in as a demo account and returns where it landed.
func (c *client) signIn(name string) string {
	c.t.Helper()
	r := c.submit("/signin", "/signin", url.Values{"name": {name}, "password": {demo.Password(name)}})
	if r.status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d\n%s", name, r.status, r.body)
	}
	return r.location
}

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", body)
		t.FailNow()
	}
}
