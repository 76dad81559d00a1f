package http_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	stakhttp "github.com/stakhanov/stakhanov/http"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/sqlite"
)

// backend opens a fresh, empty store for one test.
type backend struct {
	name string
	open func(t *testing.T) stakhanov.Store
}

// backends lists the stores the API is tested on: SQLite always, and
// PostgreSQL when STAKHANOV_TEST_POSTGRES names a server (pgtest skips the
// subtest otherwise).
func backends() []backend {
	return []backend{
		{"sqlite", func(t *testing.T) stakhanov.Store {
			db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), time.Now)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
		{"postgres", func(t *testing.T) stakhanov.Store {
			return pgtest.Open(t, time.Now)
		}},
	}
}

// onEachBackend runs fn as a subtest per backend, each with a server of its
// own over a fresh store.
func onEachBackend(t *testing.T, fn func(t *testing.T, e *env)) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			fn(t, newEnv(t, b.open(t), stakhttp.Config{}))
		})
	}
}

// system is the operator's context, used to set up users and tokens the
// way the command line does.
var system = stakhanov.NewContext(context.Background(), stakhanov.System)

// env is a running API server over a store, with an admin's token.
type env struct {
	t     *testing.T
	store stakhanov.Store
	srv   *httptest.Server
	admin string
}

func newEnv(t *testing.T, s stakhanov.Store, cfg stakhttp.Config) *env {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(t.Output(), nil))
	srv := httptest.NewServer(stakhttp.NewServer(cfg, s, logger).Handler())
	t.Cleanup(srv.Close)
	e := &env{t: t, store: s, srv: srv}
	e.admin = e.token("admin", stakhanov.RoleAdmin, 0)
	return e
}

// token creates a user with a role scoped to a unit (0 for the whole tree)
// and returns a token for it.
func (e *env) token(name, role string, unitID int64) string {
	e.t.Helper()
	u := &stakhanov.User{Name: name, Role: role, UnitID: unitID}
	if err := e.store.CreateUser(system, u); err != nil {
		e.t.Fatalf("create user %s: %v", name, err)
	}
	tok, err := e.store.CreateToken(system, u.ID)
	if err != nil {
		e.t.Fatalf("create token for %s: %v", name, err)
	}
	return tok
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request. body is sent as is if it is a string, as JSON
// otherwise, and not at all if nil; token "" sends no Authorization.
func (e *env) do(method, path, token string, body any) *response {
	e.t.Helper()
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		r = bytes.NewBufferString(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{status: res.StatusCode, header: res.Header, body: b}
}

// call sends a request as the admin, checks the status and decodes the
// answer into out (if not nil).
func (e *env) call(method, path string, body any, want int, out any) *response {
	e.t.Helper()
	res := e.do(method, path, e.admin, body)
	res.want(e.t, want)
	if out != nil {
		res.decode(e.t, out)
	}
	return res
}

func (r *response) want(t *testing.T, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status: got %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type: got %q, want application/json", ct)
	}
}

func (r *response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

type apiError struct {
	Error struct {
		Code    string                `json:"code"`
		Message string                `json:"message"`
		Field   string                `json:"field"`
		Report  int64                 `json:"report"`
		Lines   []stakhanov.LineError `json:"lines"`
	} `json:"error"`
}

// wantError checks an error answer's status, code and (if not "") field.
func (r *response) wantError(t *testing.T, status int, code, field string) apiError {
	t.Helper()
	r.want(t, status)
	var e apiError
	r.decode(t, &e)
	if e.Error.Code != code {
		t.Fatalf("error code: got %q, want %q; body %s", e.Error.Code, code, r.body)
	}
	if field != "" && e.Error.Field != field {
		t.Fatalf("error field: got %q, want %q; body %s", e.Error.Field, field, r.body)
	}
	if e.Error.Message == "" {
		t.Fatalf("error without a message: %s", r.body)
	}
	return e
}

type list[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// world is a small organisation made through the API: a ministry, a mine
// with a brigade, and a factory; four people; coal and parts; a norm of
// 7 t of coal per shift for each of the brigade's people.
type world struct {
	ministry, mine, brigade, factory stakhanov.Unit
	miner, helper1, helper2, turner  stakhanov.Person
	coal, parts                      stakhanov.Good
}

func (e *env) world() *world {
	e.t.Helper()
	w := &world{}
	unit := func(out *stakhanov.Unit, parent int64, kind, name string) {
		e.call("POST", "/api/v1/units", map[string]any{"parent_id": parent, "kind": kind, "name": name}, http.StatusCreated, out)
	}
	unit(&w.ministry, 0, stakhanov.UnitMinistry, "People's Commissariat of Heavy Industry")
	unit(&w.mine, w.ministry.ID, stakhanov.UnitEnterprise, "Tsentralnaya-Irmino mine")
	unit(&w.brigade, w.mine.ID, stakhanov.UnitCollective, "Stakhanov's brigade")
	unit(&w.factory, w.ministry.ID, stakhanov.UnitEnterprise, "Kirov plant")
	person := func(out *stakhanov.Person, unit int64, name, profession string) {
		e.call("POST", "/api/v1/people", map[string]any{"unit_id": unit, "name": name, "profession": profession}, http.StatusCreated, out)
	}
	person(&w.miner, w.brigade.ID, "Alexei Stakhanov", "hewer")
	person(&w.helper1, w.brigade.ID, "Timber man one", "timberer")
	person(&w.helper2, w.brigade.ID, "Timber man two", "timberer")
	person(&w.turner, w.factory.ID, "Lathe operator", "turner")
	e.call("POST", "/api/v1/goods", map[string]any{"name": "coal", "measure": "t"}, http.StatusCreated, &w.coal)
	e.call("POST", "/api/v1/goods", map[string]any{"name": "parts", "measure": "pieces"}, http.StatusCreated, &w.parts)
	for _, p := range []stakhanov.Person{w.miner, w.helper1, w.helper2} {
		e.call("POST", "/api/v1/norms", map[string]any{
			"subject": subject(p), "good_id": w.coal.ID, "amount": 7, "effective_from": "1935-01-01", "reason": "the 1935 norm for hewers",
		}, http.StatusCreated, nil)
	}
	return w
}

func subject(p stakhanov.Person) string { return fmt.Sprintf("person:%d", p.ID) }

// report is a report body for a person's coal.
func report(w *world, p stakhanov.Person, date string, shift int, tonnes float64, key string) map[string]any {
	return map[string]any{"subject": subject(p), "good_id": w.coal.ID, "date": date, "shift": shift,
		"produced": tonnes, "accepted": tonnes, "key": key}
}
