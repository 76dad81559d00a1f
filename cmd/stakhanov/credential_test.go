package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/demo"
)

// fetch gets a URL and writes the body to a file in dir.
func fetch(t *testing.T, url, dir, name string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, res.StatusCode, body)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func verify(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	e, out, errOut := testEnv(nil)
	code := run(context.Background(), append([]string{"credential", "verify"}, args...), e)
	return code, out.String(), errOut.String()
}

// TestCredentialVerify is the "Show" on the command line: a
// credential fetched from a running server verifies; after its conferral
// is revoked, verification says so and fails; a credential with one
// changed character fails.
func TestCredentialVerify(t *testing.T) {
	db, w := seededDB(t)
	dir := t.TempDir()
	m := NewMain()
	m.Config.DB = db
	m.Config.Addr = "127.0.0.1:0"
	m.Config.CredentialKey = filepath.Join(dir, "key.pem")
	m.Logger = slog.New(slog.DiscardHandler)
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if st, err := os.Stat(m.Config.CredentialKey); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("credential key file: %v, mode %v", err, st.Mode())
	}

	id := w.MayDay.Conferrals[2]
	jwt := fetch(t, fmt.Sprintf("%s/api/v1/conferrals/%d/credential", m.URL(), id), dir, "c.jwt")
	svg := fetch(t, fmt.Sprintf("%s/api/v1/conferrals/%d/insignia.svg", m.URL(), id), dir, "c.svg")
	jwks := fetch(t, m.URL()+"/api/v1/credentials/jwks.json", dir, "jwks.json")
	c, err := m.Store.FindConferralByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	recipient := c.Recipient.String()
	want := fmt.Sprintf("valid: Hero of Labour of the Russian Federation conferred 2013-05-01 by decree %s, serial %d", demo.MayDayDecree, c.Serial)

	for _, args := range [][]string{{jwt}, {svg}, {"-issuer", m.URL(), "-recipient", recipient, svg}} {
		code, out, errOut := verify(t, args...)
		if code != 0 || !strings.HasPrefix(out, want) || !strings.Contains(out, "; status: not revoked") {
			t.Fatalf("verify %v: exit %d\nstdout: %s\nstderr: %s\nwant %q ... not revoked", args, code, out, errOut, want)
		}
	}
	code, out, _ := verify(t, "-offline", "-jwks", jwks, jwt)
	if code != 0 || !strings.Contains(out, "status: not checked (offline)") {
		t.Fatalf("verify offline: exit %d: %s", code, out)
	}
	// Not this recipient's; not this issuer's.
	if code, out, _ := verify(t, "-recipient", "person:999999", jwt); code != 1 || !strings.HasPrefix(out, "INVALID: person:999999 is not its recipient") {
		t.Fatalf("verify another recipient: exit %d: %s", code, out)
	}
	if code, out, _ := verify(t, "-issuer", "https://elsewhere.example", jwt); code != 1 || !strings.HasPrefix(out, "INVALID: issued by") {
		t.Fatalf("verify another issuer: exit %d: %s", code, out)
	}

	// One changed character in the payload, in the signature.
	raw, _ := os.ReadFile(jwt)
	for _, i := range []int{bytes.IndexByte(raw, '.') + 50, bytes.LastIndexByte(raw, '.') + 20} {
		b := bytes.Clone(raw)
		if b[i] == 'x' {
			b[i] = 'y'
		} else {
			b[i] = 'x'
		}
		tampered := filepath.Join(dir, "tampered.jwt")
		if err := os.WriteFile(tampered, b, 0o600); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := verify(t, tampered)
		if code != 1 || strings.TrimSpace(out) != "INVALID: signature does not verify" {
			t.Fatalf("verify tampered at %d: exit %d\nstdout: %s\nstderr: %s", i, code, out, errOut)
		}
	}

	// Revoke the conferral by decree, as the authority.
	var authority string
	for _, a := range w.Accounts {
		if a.Role == stakhanov.RoleAuthority {
			authority = a.Token
		}
	}
	post := func(path string, body any) []byte {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest("POST", m.URL()+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+authority)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode/100 != 2 {
			t.Fatalf("POST %s: %d %s", path, res.StatusCode, out)
		}
		return out
	}
	var d struct{ ID int64 }
	json.Unmarshal(post("/api/v1/decrees", map[string]any{"number": "R-1", "date": "2014-01-10", "authority": demo.AuthorityPresident,
		"kind": "revoke", "entries": []map[string]any{{"conferral_id": id, "grounds": "records found false"}}}), &d)
	post(fmt.Sprintf("/api/v1/decrees/%d/sign", d.ID), nil)

	for _, f := range []string{jwt, svg} {
		code, out, errOut := verify(t, f)
		if code != 1 || !strings.HasPrefix(out, "REVOKED on 2014-01-10 by decree R-1 (grounds: records found false): Hero of Labour") {
			t.Fatalf("verify %s after revocation: exit %d\nstdout: %s\nstderr: %s", f, code, out, errOut)
		}
	}

	// Usage and help.
	if code, _, _ := verify(t); code != 2 {
		t.Errorf("verify without a file: exit %d, want 2", code)
	}
	if code, _, _ := verify(t, "-offline", jwt); code != 2 {
		t.Errorf("verify -offline without -jwks: exit %d, want 2", code)
	}
	e, _, errOut := testEnv(nil)
	if code := run(context.Background(), []string{"credential", "verify", "-h"}, e); code != 0 || !strings.Contains(errOut.String(), "Usage: stakhanov credential verify") {
		t.Errorf("credential verify -h: exit %d: %s", code, errOut)
	}
}

func TestCredentialConfig(t *testing.T) {
	c, err := DefaultConfig().FromEnv(func(k string) string {
		return map[string]string{"STAKHANOV_CREDENTIAL_KEY": "/keys/k.pem", "STAKHANOV_BASE_URL": "https://honours.example"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.credentialKeyPath() != "/keys/k.pem" || c.BaseURL != "https://honours.example" {
		t.Fatalf("config from env: got %+v", c)
	}
	for db, want := range map[string]string{"x/s.db": "x/s.db.credential-key.pem", "postgres://h/db": "stakhanov.credential-key.pem"} {
		if got := (Config{DB: db}).credentialKeyPath(); got != want {
			t.Errorf("key path for %s: got %q, want %q", db, got, want)
		}
	}
}
