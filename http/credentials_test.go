package http_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/credential"
	"github.com/stakhanov/stakhanov/demo"
	stakhttp "github.com/stakhanov/stakhanov/http"
	"github.com/stakhanov/stakhanov/sqlite"
)

var (
	testKeyOnce sync.Once
	testKey     *rsa.PrivateKey
)

func credentialKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	testKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		testKey = k
	})
	return testKey
}

// demoEnv serves the demo world (May Day 2013 played through) on SQLite,
// issuing credentials under the test server's URL. Its admin is the demo's.
func demoEnv(t *testing.T) (*env, *demo.World, *credential.Issuer) {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	w, err := demo.Seed(context.Background(), s, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { h.ServeHTTP(rw, r) }))
	t.Cleanup(srv.Close)
	is, err := credential.NewIssuer(srv.URL, credentialKey(t))
	if err != nil {
		t.Fatal(err)
	}
	h = stakhttp.NewServer(stakhttp.Config{Credentials: is}, s, slog.New(slog.NewTextHandler(t.Output(), nil))).Handler()
	e := &env{t: t, store: s, srv: srv, admin: demoToken(t, w, stakhanov.RoleAdmin)}
	return e, w, is
}

// wantStatus checks the status of an answer that is not JSON.
func wantStatus(t *testing.T, r *response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status: got %d, want %d; body %s", r.status, status, r.body)
	}
}

func demoToken(t *testing.T, w *demo.World, role string) string {
	t.Helper()
	for _, a := range w.Accounts {
		if a.Role == role {
			return a.Token
		}
	}
	t.Fatalf("the demo has no %s", role)
	return ""
}

// TestCredential is the "Show": a conferral's credential verifies
// against the served JWKS; after a decree revokes the conferral, its status
// says so; a credential with one changed character fails.
func TestCredential(t *testing.T) {
	e, w, _ := demoEnv(t)
	if len(w.MayDay.Conferrals) == 0 {
		t.Fatal("the demo made no May Day conferrals")
	}
	id := w.MayDay.Conferrals[0]
	recipient := stakhanov.PersonSubject(w.Honoured2013[0]).String()

	// The keys, public.
	res := e.do("GET", "/api/v1/credentials/jwks.json", "", nil)
	res.want(t, http.StatusOK)
	jwks, err := credential.ReadJWKS(res.body)
	if err != nil {
		t.Fatal(err)
	}
	if len(jwks.Keys) != 1 || jwks.Keys[0].Algorithm != "RS256" || jwks.Keys[0].IsPublic() != true {
		t.Fatalf("JWKS: got %s", res.body)
	}
	if bytes.Contains(res.body, []byte(`"d"`)) {
		t.Fatalf("the JWKS holds the private key: %s", res.body)
	}

	// The credential, public, as a VC-JWT.
	path := fmt.Sprintf("/api/v1/conferrals/%d/credential", id)
	res = e.do("GET", path, "", nil)
	wantStatus(t, res, http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "application/vc+jwt" {
		t.Fatalf("Content-Type: got %q", ct)
	}
	jwt := string(res.body)
	c, err := credential.Verify(jwt, jwks, time.Now())
	if err != nil {
		t.Fatalf("the served credential does not verify: %v", err)
	}
	if c.Issuer.ID != e.srv.URL || c.CredentialSubject.Achievement.Name != "Hero of Labour of the Russian Federation" ||
		c.ValidFrom != "2013-05-01T00:00:00Z" || c.Conferral.DecreeNumber != demo.MayDayDecree {
		t.Fatalf("credential: got issuer %q, achievement %q, validFrom %q, conferral %+v", c.Issuer.ID, c.CredentialSubject.Achievement.Name, c.ValidFrom, c.Conferral)
	}
	if c.CredentialSubject.Achievement.Image.ID != fmt.Sprintf("%s/api/v1/awards/%d/insignia.svg", e.srv.URL, w.Awards.HeroOfLabourRF) {
		t.Errorf("image: got %q", c.CredentialSubject.Achievement.Image.ID)
	}
	// The recipient only by hash.
	payload := strings.Split(jwt, ".")[1]
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	if bytes.Contains(raw, []byte(recipient)) || !c.MatchesRecipient(recipient) {
		t.Fatalf("recipient %s: in clear %v, matches the hash %v", recipient, bytes.Contains(raw, []byte(recipient)), c.MatchesRecipient(recipient))
	}
	// The same credential each time, and as JSON on request.
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("Accept", "application/json")
	hres, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var asJSON struct {
		JWT        string         `json:"jwt"`
		Credential map[string]any `json:"credential"`
	}
	body, _ := io.ReadAll(hres.Body)
	hres.Body.Close()
	(&response{status: hres.StatusCode, body: body}).decode(t, &asJSON)
	if asJSON.JWT != jwt || asJSON.Credential["id"] != c.ID {
		t.Fatalf("as JSON: got %s", body)
	}

	// One changed character fails.
	tampered := []byte(jwt)
	i := strings.Index(jwt, ".") + 30
	tampered[i] ^= 0x01
	if _, err := credential.Verify(string(tampered), jwks, time.Now()); err == nil {
		t.Fatal("a credential with one changed character verifies")
	}

	// The status, before the revocation.
	var st credential.Status
	res = e.do("GET", fmt.Sprintf("/api/v1/conferrals/%d/status", id), "", nil)
	res.want(t, http.StatusOK)
	res.decode(t, &st)
	if st.Revoked || st.ConferralID != id || res.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("status before revocation: got %s", res.body)
	}

	// The baked insignia: XML, with the credential in the Open Badges
	// namespace.
	res = e.do("GET", fmt.Sprintf("/api/v1/conferrals/%d/insignia.svg", id), "", nil)
	wantStatus(t, res, http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "image/svg+xml" {
		t.Fatalf("baked insignia Content-Type: got %q", ct)
	}
	d := xml.NewDecoder(bytes.NewReader(res.body))
	var baked string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the baked insignia is not XML: %v", err)
		}
		if s, ok := tok.(xml.StartElement); ok && s.Name.Space == credential.BakingNamespace && s.Name.Local == "credential" {
			var text string
			if err := d.DecodeElement(&text, &s); err != nil {
				t.Fatal(err)
			}
			baked = strings.TrimSpace(text)
		}
	}
	if baked != jwt {
		t.Fatalf("baked credential: got %q, want the served JWT", baked)
	}
	if got, err := credential.Extract(res.body); err != nil || got != jwt {
		t.Fatalf("extract from the baked insignia: %v", err)
	}

	// A revocation decree, drafted and signed by the authority.
	authority := demoToken(t, w, stakhanov.RoleAuthority)
	var dec struct {
		ID int64 `json:"id"`
	}
	e.as(authority, "POST", "/api/v1/decrees", map[string]any{"number": "R-17", "date": "2014-02-03", "authority": demo.AuthorityPresident,
		"kind": "revoke", "entries": []map[string]any{{"conferral_id": id, "grounds": "records found false"}}}, http.StatusCreated, &dec)
	e.as(authority, "POST", fmt.Sprintf("/api/v1/decrees/%d/sign", dec.ID), nil, http.StatusOK, nil)

	res = e.do("GET", fmt.Sprintf("/api/v1/conferrals/%d/status", id), "", nil)
	res.want(t, http.StatusOK)
	st = credential.Status{}
	res.decode(t, &st)
	if !st.Revoked || st.Revocation == nil || st.Revocation.Grounds != "records found false" || st.Revocation.DecreeNumber != "R-17" ||
		st.Revocation.Date != "2014-02-03" || st.Revocation.DecreeID != dec.ID {
		t.Fatalf("status after revocation: got %s", res.body)
	}
	if got := st.String(); got != "REVOKED on 2014-02-03 by decree R-17 (grounds: records found false)" {
		t.Errorf("status line: got %q", got)
	}
	// The client follows credentialStatus and sees the revocation.
	fetched, err := (&credential.Client{}).Status(context.Background(), c)
	if err != nil || !fetched.Revoked {
		t.Fatalf("client status: got %+v, %v", fetched, err)
	}
	// The credential is still the one issued; it verifies, and its status
	// says it is revoked.
	res = e.do("GET", path, "", nil)
	wantStatus(t, res, http.StatusOK)
	if string(res.body) != jwt {
		t.Error("the credential changed after the revocation")
	}

	// Unknown conferrals.
	for _, p := range []string{"/api/v1/conferrals/999999/credential", "/api/v1/conferrals/999999/status", "/api/v1/conferrals/999999/insignia.svg"} {
		e.do("GET", p, "", nil).want(t, http.StatusNotFound)
	}
}

// TestCredentialsNotIssued: a server without a key answers 404 for
// credentials and keys, and still publishes status.
func TestCredentialsNotIssued(t *testing.T) {
	e := sqliteEnv(t)
	for _, p := range []string{"/api/v1/credentials/jwks.json", "/api/v1/conferrals/1/credential", "/api/v1/conferrals/1/insignia.svg"} {
		res := e.do("GET", p, "", nil)
		res.want(t, http.StatusNotFound)
		if p == "/api/v1/credentials/jwks.json" && !strings.Contains(string(res.body), "no credentials") {
			t.Errorf("%s: got %s", p, res.body)
		}
	}
	e.do("GET", "/api/v1/conferrals/1/status", "", nil).want(t, http.StatusNotFound)
}
