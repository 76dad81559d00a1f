package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/sqlite"
)

// TestUserPasswords adds an account with a password read from standard
// input, changes it with `user passwd`, and checks each one signs in.
func TestUserPasswords(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "users.db")
	e, _, errOut := testEnv(nil)
	e.stdin = strings.NewReader("first password\n")
	if code := run(ctx, []string{"user", "add", "-db", db, "-role", "foreman", "-password-stdin", "olga"}, e); code != 0 {
		t.Fatalf("user add -password-stdin: exit %d: %s", code, errOut)
	}
	check := func(password string, want bool) {
		t.Helper()
		s, err := sqlite.Open(ctx, db, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		u, err := s.CheckPassword(ctx, "olga", password)
		if got := err == nil; got != want {
			t.Fatalf("password %q: signs in %v (%v), want %v", password, got, err, want)
		}
		if want && u.Role != stakhanov.RoleForeman {
			t.Fatalf("signed in as %+v", u)
		}
	}
	check("first password", true)

	e, _, errOut = testEnv(map[string]string{"STAKHANOV_DB": db})
	e.stdin = strings.NewReader("second password\r\n")
	if code := run(ctx, []string{"user", "passwd", "olga"}, e); code != 0 {
		t.Fatalf("user passwd: exit %d: %s", code, errOut)
	}
	check("first password", false)
	check("second password", true)

	e, _, errOut = testEnv(map[string]string{"STAKHANOV_DB": db})
	e.stdin = strings.NewReader("short\n")
	if code := run(ctx, []string{"user", "passwd", "olga"}, e); code == 0 || !strings.Contains(errOut.String(), "at least") {
		t.Fatalf("user passwd with a short password: exit %d, stderr %q", code, errOut)
	}
	e, _, errOut = testEnv(map[string]string{"STAKHANOV_DB": db})
	e.stdin = strings.NewReader("long enough\n")
	if code := run(ctx, []string{"user", "passwd", "nobody"}, e); code == 0 {
		t.Fatalf("user passwd for an unknown user: exit %d, stderr %q", code, errOut)
	}
}

// TestMainServesWeb checks that one server answers the web pages at "/"
// and the API under /api/.
func TestMainServesWeb(t *testing.T) {
	m := NewMain()
	m.Config.DB = filepath.Join(t.TempDir(), "main.db")
	m.Config.Addr = "127.0.0.1:0"
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for path, want := range map[string]string{
		"/":                    "<!DOCTYPE html>",
		"/registry":            `id="registry-form"`,
		"/signin":              `id="signin-form"`,
		"/healthz":             `"status":"ok"`,
		"/api/v1/openapi.json": `"openapi"`,
	} {
		resp, err := http.Get(m.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("%s: status %d, body lacks %q", path, resp.StatusCode, want)
		}
	}
	// An unknown API path answers JSON, an unknown page HTML.
	resp, err := http.Get(m.URL() + "/api/v1/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusNotFound || !strings.Contains(ct, "json") {
		t.Errorf("/api/v1/nothing: %d %s", resp.StatusCode, ct)
	}
	resp, err = http.Get(m.URL() + "/nothing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != http.StatusNotFound || !strings.Contains(ct, "html") {
		t.Errorf("/nothing: %d %s", resp.StatusCode, ct)
	}
}
