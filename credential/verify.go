package credential

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Verification failures.
var (
	ErrMalformed  = errors.New("not a VC-JWT")
	ErrSignature  = errors.New("signature does not verify")
	ErrUnknownKey = errors.New("the issuer has no key with the credential's kid")
)

// Parse reads a VC-JWT without checking its signature, to learn which
// issuer's keys to check it with. Nothing it returns is to be trusted.
func Parse(token string) (*Credential, string, error) {
	jws, err := jose.ParseSignedCompact(strings.TrimSpace(token), []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		return nil, "", fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(jws.Signatures) != 1 {
		return nil, "", fmt.Errorf("%w: %d signatures", ErrMalformed, len(jws.Signatures))
	}
	var c Credential
	if err := json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &c); err != nil {
		return nil, "", fmt.Errorf("%w: the payload is not a credential: %v", ErrMalformed, err)
	}
	return &c, jws.Signatures[0].Header.KeyID, nil
}

// Verify checks a VC-JWT against the issuer's keys and returns its
// credential: the JWS is compact, RS256, typed vc+jwt, signed by the key
// its kid names; the payload is an OpenBadgeCredential whose issuer is
// the JWT's iss and whose validity has begun by now.
func Verify(token string, keys *jose.JSONWebKeySet, now time.Time) (*Credential, error) {
	jws, err := jose.ParseSignedCompact(strings.TrimSpace(token), []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		// A changed character in the header or signature may make the
		// token unreadable rather than wrongly signed; both fail.
		return nil, fmt.Errorf("%w (%v)", ErrSignature, err)
	}
	if len(jws.Signatures) != 1 {
		return nil, fmt.Errorf("%w: %d signatures", ErrMalformed, len(jws.Signatures))
	}
	h := jws.Signatures[0].Header
	if typ, _ := h.ExtraHeaders[jose.HeaderType].(string); typ != JWTType {
		return nil, fmt.Errorf("%w: typ is %q, not %q", ErrMalformed, typ, JWTType)
	}
	var candidates []jose.JSONWebKey
	if h.KeyID != "" {
		candidates = keys.Key(h.KeyID)
		if len(candidates) == 0 {
			return nil, fmt.Errorf("%w (%q)", ErrUnknownKey, h.KeyID)
		}
	} else {
		candidates = keys.Keys
	}
	var payload []byte
	for _, k := range candidates {
		pub, ok := k.Key.(*rsa.PublicKey)
		if !ok {
			continue
		}
		if p, err := jws.Verify(pub); err == nil {
			payload = p
			break
		}
	}
	if payload == nil {
		return nil, ErrSignature
	}
	var c Credential
	if err := json.Unmarshal(payload, &c); err != nil {
		return nil, fmt.Errorf("%w: the payload is not a credential: %v", ErrMalformed, err)
	}
	if !slices.Contains(c.Context, ContextVC) || !slices.Contains(c.Context, ContextOB) {
		return nil, fmt.Errorf("%w: @context lacks %s or %s", ErrMalformed, ContextVC, ContextOB)
	}
	if !c.HasType(TypeVC) || !c.HasType(TypeOB) {
		return nil, fmt.Errorf("%w: type %v is not an OpenBadgeCredential", ErrMalformed, c.Type)
	}
	if c.Issuer.ID == "" || (c.Iss != "" && c.Iss != c.Issuer.ID) {
		return nil, fmt.Errorf("%w: issuer %q does not match iss %q", ErrMalformed, c.Issuer.ID, c.Iss)
	}
	from, err := time.Parse(time.RFC3339, c.ValidFrom)
	if err != nil {
		return nil, fmt.Errorf("%w: validFrom %q: %v", ErrMalformed, c.ValidFrom, err)
	}
	if from.After(now) {
		return nil, fmt.Errorf("the credential is not valid before %s", c.ValidFrom)
	}
	return &c, nil
}

// Status is what a credential's status endpoint answers.
type Status struct {
	ConferralID int64             `json:"conferral_id"`
	Revoked     bool              `json:"revoked"`
	Revocation  *RevocationStatus `json:"revocation,omitempty"`
}

// RevocationStatus says when, by which decree and why a conferral was
// revoked.
type RevocationStatus struct {
	Date         string `json:"date"`
	DecreeID     int64  `json:"decree_id"`
	DecreeNumber string `json:"decree_number"`
	Grounds      string `json:"grounds"`
}

func (s *Status) String() string {
	if !s.Revoked || s.Revocation == nil {
		return "not revoked"
	}
	r := s.Revocation
	return fmt.Sprintf("REVOKED on %s by decree %s (grounds: %s)", r.Date, r.DecreeNumber, r.Grounds)
}

// ReadJWKS decodes a JWK Set.
func ReadJWKS(data []byte) (*jose.JSONWebKeySet, error) {
	var ks jose.JSONWebKeySet
	if err := json.Unmarshal(data, &ks); err != nil {
		return nil, fmt.Errorf("not a JWK Set: %w", err)
	}
	if len(ks.Keys) == 0 {
		return nil, errors.New("the JWK Set has no keys")
	}
	return &ks, nil
}

// Client fetches what a verifier needs from the issuer.
type Client struct {
	// HTTP is the client used; nil means one with a 30-second timeout.
	HTTP *http.Client
}

func (cl *Client) get(ctx context.Context, url string) ([]byte, error) {
	hc := cl.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	res, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", url, res.Status, bytes.TrimSpace(body))
	}
	return body, nil
}

// JWKS fetches an issuer's keys from its jwks.json.
func (cl *Client) JWKS(ctx context.Context, issuer string) (*jose.JSONWebKeySet, error) {
	base, err := NormalizeBaseURL(issuer)
	if err != nil {
		return nil, fmt.Errorf("issuer: %w", err)
	}
	body, err := cl.get(ctx, JWKSURL(base))
	if err != nil {
		return nil, err
	}
	return ReadJWKS(body)
}

// Status fetches a verified credential's status from its credentialStatus,
// which must be the issuer's.
func (cl *Client) Status(ctx context.Context, c *Credential) (*Status, error) {
	cs := c.CredentialStatus
	if cs == nil || cs.ID == "" {
		return nil, errors.New("the credential publishes no status")
	}
	if cs.Type != StatusType {
		return nil, fmt.Errorf("credential status of type %q is not supported (only %s)", cs.Type, StatusType)
	}
	if !strings.HasPrefix(cs.ID, strings.TrimRight(c.Issuer.ID, "/")+"/") {
		return nil, fmt.Errorf("credential status %s is not under the issuer %s", cs.ID, c.Issuer.ID)
	}
	body, err := cl.get(ctx, cs.ID)
	if err != nil {
		return nil, err
	}
	var s Status
	if err := json.Unmarshal(body, &s); err != nil {
		return nil, fmt.Errorf("status %s: %w", cs.ID, err)
	}
	if c.Conferral != nil && s.ConferralID != c.Conferral.ID {
		return nil, fmt.Errorf("status %s is of conferral %d, not %d", cs.ID, s.ConferralID, c.Conferral.ID)
	}
	return &s, nil
}
