package credential_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/credential"
)

const base = "https://honours.example"

var (
	keysOnce sync.Once
	key1     *rsa.PrivateKey
	key2     *rsa.PrivateKey
)

func keys(t *testing.T) (*rsa.PrivateKey, *rsa.PrivateKey) {
	t.Helper()
	keysOnce.Do(func() {
		var err error
		if key1, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
		if key2, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
			panic(err)
		}
	})
	return key1, key2
}

func issuer(t *testing.T, k *rsa.PrivateKey) *credential.Issuer {
	t.Helper()
	is, err := credential.NewIssuer(base+"/", k)
	if err != nil {
		t.Fatal(err)
	}
	return is
}

// melnik is Hero of Labour no. 1 of May Day 2013, as the demo has it.
func input() credential.Input {
	a := &stakhanov.Award{ID: 4, Name: "Hero of Labour of the Russian Federation", Kind: stakhanov.AwardTitle,
		Description: "For special labour merits to the state and people", Criteria: "Outstanding labour achievements",
		Authority: "President of the Russian Federation", Insignia: stakhanov.Insignia{Description: "a gold star", Shape: "star"}}
	d := &stakhanov.Decree{ID: 9, Number: "427", Date: stakhanov.NewDate(2013, 4, 29), Authority: "President of the Russian Federation"}
	c := &stakhanov.Conferral{ID: 31, AwardID: 4, DecreeID: 9, Recipient: stakhanov.PersonSubject(12), Serial: 3, Date: stakhanov.NewDate(2013, 5, 1), Times: 1}
	return credential.Input{Conferral: c, Award: a, Decree: d, Salt: "5f0c1b2a9e8d7c6b5a4f3e2d1c0b9a88"}
}

func TestRoundTrip(t *testing.T) {
	k, _ := keys(t)
	is := issuer(t, k)
	jwt, built, err := is.Issue(input())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(jwt, ".") != 2 {
		t.Fatalf("not a compact JWS: %q", jwt)
	}
	jwks := is.JWKS()
	c, err := credential.Verify(jwt, &jwks, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if c.Issuer.ID != base || c.Issuer.Name != credential.IssuerName || c.ID != base+"/api/v1/conferrals/31/credential" {
		t.Errorf("issuer and id: got %+v %q", c.Issuer, c.ID)
	}
	if c.ValidFrom != "2013-05-01T00:00:00Z" || built.ValidFrom != c.ValidFrom {
		t.Errorf("validFrom: got %q", c.ValidFrom)
	}
	ach := c.CredentialSubject.Achievement
	if ach.ID != base+"/api/v1/awards/4" || ach.Image.ID != base+"/api/v1/awards/4/insignia.svg" || ach.Image.Type != "Image" ||
		ach.Creator.Name != "President of the Russian Federation" || ach.Criteria.Narrative == "" || ach.AchievementType != "Award" {
		t.Errorf("achievement: got %+v", ach)
	}
	if c.CredentialStatus == nil || c.CredentialStatus.ID != base+"/api/v1/conferrals/31/status" || c.CredentialStatus.Type != credential.StatusType {
		t.Errorf("status: got %+v", c.CredentialStatus)
	}
	if got, want := c.Summary(), "Hero of Labour of the Russian Federation conferred 2013-05-01 by decree 427, serial 3"; got != want {
		t.Errorf("summary: got %q, want %q", got, want)
	}
	if !c.MatchesRecipient("person:12") || c.MatchesRecipient("person:13") {
		t.Error("the hashed identifier does not match its recipient alone")
	}
	id := c.CredentialSubject.Identifier[0]
	if id.Type != "IdentityObject" || !id.Hashed || id.IdentityType != "identifier" || !strings.HasPrefix(id.IdentityHash, "sha256$") {
		t.Errorf("identifier: got %+v", id)
	}

	// The header: RS256, vc+jwt, and the kid of a key in the JWKS.
	head, _, _ := strings.Cut(jwt, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]string
	if err := json.Unmarshal(raw, &h); err != nil {
		t.Fatal(err)
	}
	if h["alg"] != "RS256" || h["typ"] != "vc+jwt" || h["kid"] != is.KeyID() || len(jwks.Key(h["kid"])) != 1 {
		t.Errorf("header: got %v", h)
	}
	// Signing is deterministic: the same conferral, the same credential.
	again, _, err := is.Issue(input())
	if err != nil || again != jwt {
		t.Errorf("second issue differs: %v", err)
	}
	// The payload is the credential itself, with the JWT claims.
	_, payload, _ := strings.Cut(jwt, ".")
	payload, _, _ = strings.Cut(payload, ".")
	raw, _ = base64.RawURLEncoding.DecodeString(payload)
	var p map[string]any
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	ctx, _ := p["@context"].([]any)
	if len(ctx) != 2 || ctx[0] != credential.ContextVC || ctx[1] != credential.ContextOB || p["iss"] != base || p["jti"] != c.ID {
		t.Errorf("payload: got %v", p)
	}
}

func TestRecipientNotInClear(t *testing.T) {
	k, _ := keys(t)
	in := input()
	in.Conferral.Recipient = stakhanov.PersonSubject(987654)
	jwt, _, err := issuer(t, k).Issue(in)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := credential.Parse(jwt)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(c)
	for _, s := range []string{"person:987654", "987654"} {
		if strings.Contains(string(raw), s) || strings.Contains(jwt, s) {
			t.Errorf("the credential holds the recipient %q in clear: %s", s, raw)
		}
	}
}

func TestTamperedFails(t *testing.T) {
	k, _ := keys(t)
	is := issuer(t, k)
	jwt, _, err := is.Issue(input())
	if err != nil {
		t.Fatal(err)
	}
	jwks := is.JWKS()
	// One changed character anywhere: in the header, the payload, the
	// signature.
	for _, i := range []int{5, strings.Index(jwt, ".") + 40, len(jwt) / 2, strings.LastIndex(jwt, ".") + 10, len(jwt) - 2} {
		b := []byte(jwt)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		if string(b) == jwt || b[i] == '.' {
			t.Fatalf("no change at %d", i)
		}
		if _, err := credential.Verify(string(b), &jwks, time.Now()); err == nil {
			t.Errorf("changed character at %d of %d: verifies", i, len(jwt))
		}
	}
	// Every single-character change in the payload fails.
	start, end := strings.Index(jwt, ".")+1, strings.LastIndex(jwt, ".")
	for i := start; i < end; i += 7 {
		b := []byte(jwt)
		b[i] ^= 0x01
		if _, err := credential.Verify(string(b), &jwks, time.Now()); err == nil {
			t.Fatalf("payload character %d changed from %q to %q: verifies", i, jwt[i], b[i])
		}
	}
}

func TestWrongKeyFails(t *testing.T) {
	k1, k2 := keys(t)
	jwt, _, err := issuer(t, k1).Issue(input())
	if err != nil {
		t.Fatal(err)
	}
	other := issuer(t, k2).JWKS()
	if _, err := credential.Verify(jwt, &other, time.Now()); !errors.Is(err, credential.ErrUnknownKey) {
		t.Fatalf("another issuer's JWKS: got %v, want ErrUnknownKey", err)
	}
	// Another key under the same kid.
	other.Keys[0].KeyID = issuer(t, k1).KeyID()
	if _, err := credential.Verify(jwt, &other, time.Now()); !errors.Is(err, credential.ErrSignature) {
		t.Fatalf("another key with the same kid: got %v, want ErrSignature", err)
	}
	// A credential signed by another key, claiming the first issuer's kid.
	forger, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: k2},
		(&jose.SignerOptions{}).WithType(credential.JWTType).WithHeader("kid", issuer(t, k1).KeyID()))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := credential.Build(base, input())
	payload, _ := json.Marshal(c)
	sig, err := forger.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	forged, _ := sig.CompactSerialize()
	right := issuer(t, k1).JWKS()
	if _, err := credential.Verify(forged, &right, time.Now()); !errors.Is(err, credential.ErrSignature) {
		t.Fatalf("forged credential: got %v, want ErrSignature", err)
	}
}

func TestBakeAndExtract(t *testing.T) {
	k, _ := keys(t)
	jwt, _, err := issuer(t, k).Issue(input())
	if err != nil {
		t.Fatal(err)
	}
	svg := []byte(`<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" role="img"><title>x</title><circle r="3"/></svg>
`)
	baked, err := credential.BakeSVG(svg, jwt)
	if err != nil {
		t.Fatal(err)
	}
	// Well-formed XML with the credential in the Open Badges namespace.
	d := xml.NewDecoder(strings.NewReader(string(baked)))
	found := false
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("baked image is not XML: %v\n%s", err, baked)
			}
			break
		}
		if s, ok := tok.(xml.StartElement); ok && s.Name.Space == credential.BakingNamespace && s.Name.Local == "credential" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no openbadges:credential in\n%s", baked)
	}
	got, err := credential.Extract(baked)
	if err != nil || got != jwt {
		t.Fatalf("extract: got %q, %v", got, err)
	}
	if _, err := credential.BakeSVG(baked, jwt); err == nil {
		t.Error("baking twice: no error")
	}
	if _, err := credential.Extract(svg); err == nil {
		t.Error("extract from an unbaked image: no error")
	}
	if got, err := credential.Extract([]byte(" " + jwt + "\n")); err != nil || got != jwt {
		t.Errorf("extract a bare JWT: got %q, %v", got, err)
	}
	if got, err := credential.Extract([]byte(`{"jwt":"` + jwt + `"}`)); err != nil || got != jwt {
		t.Errorf("extract from JSON: got %q, %v", got, err)
	}
}

func TestLoadOrCreateKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "k.pem")
	k, created, err := credential.LoadOrCreateKey(path)
	if err != nil || !created {
		t.Fatalf("create: %v, created %v", err, created)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode: got %o, want 600", st.Mode().Perm())
	}
	again, created, err := credential.LoadOrCreateKey(path)
	if err != nil || created || !again.Equal(k) {
		t.Fatalf("load: %v, created %v, same %v", err, created, again != nil && again.Equal(k))
	}
	if err := os.WriteFile(path, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := credential.LoadOrCreateKey(path); err == nil {
		t.Error("a spoilt key file: no error")
	}
}
