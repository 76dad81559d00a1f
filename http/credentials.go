package http

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-jose/go-jose/v4"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/credential"
)

// issuer returns the credential issuer, or a not-found error if the server
// has none.
func (s *Server) issuer() (*credential.Issuer, error) {
	if s.cfg.Credentials == nil {
		return nil, stakhanov.Errorf(stakhanov.ENOTFOUND, "this server issues no credentials: it was started without a credential key")
	}
	return s.cfg.Credentials, nil
}

// credentialOf issues the credential of conferral id. Signing is
// deterministic (RSASSA-PKCS1-v1_5 over a payload made of stored facts),
// so every request for it gets the same JWT.
func (s *Server) credentialOf(ctx context.Context, id int64) (string, *credential.Credential, error) {
	is, err := s.issuer()
	if err != nil {
		return "", nil, err
	}
	c, err := s.store.FindConferralByID(ctx, id)
	if err != nil {
		return "", nil, err
	}
	a, err := s.store.FindAwardByID(ctx, c.AwardID)
	if err != nil {
		return "", nil, err
	}
	d, err := s.store.FindDecreeByID(ctx, c.DecreeID)
	if err != nil {
		return "", nil, err
	}
	salt, err := s.store.CredentialSalt(ctx, c.ID)
	if err != nil {
		return "", nil, err
	}
	return is.Issue(credential.Input{Conferral: c, Award: a, Decree: d, Salt: salt})
}

// credentialJSON is the credential as JSON, for clients that ask for it.
type credentialJSON struct {
	JWT        string                 `json:"jwt"`
	Credential *credential.Credential `json:"credential"`
}

// handleCredential answers with the conferral's Open Badges credential: a
// VC-JWT (application/vc+jwt), or {"jwt", "credential"} to a client that
// accepts application/json and not application/vc+jwt. A revoked
// conferral's credential is still served, as it was issued; its status
// says it is revoked.
func (s *Server) handleCredential(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	jwt, c, err := s.credentialOf(r.Context(), id)
	if err != nil {
		return err
	}
	accept := r.Header.Get("Accept")
	if strings.Contains(accept, "application/json") && !strings.Contains(accept, credential.MediaType) {
		return writeJSON(w, http.StatusOK, credentialJSON{JWT: jwt, Credential: c})
	}
	h := w.Header()
	h.Set("Content-Type", credential.MediaType)
	h.Set("Content-Length", strconv.Itoa(len(jwt)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(jwt))
	return nil
}

// handleCredentialStatus publishes whether a conferral, and so its
// credential, is revoked: the credentialStatus of every credential points
// here. It is never cached.
func (s *Server) handleCredentialStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	c, err := s.store.FindConferralByID(ctx, id)
	if err != nil {
		return err
	}
	st := credential.Status{ConferralID: c.ID}
	if rev := c.Revocation; rev != nil {
		d, err := s.store.FindDecreeByID(ctx, rev.DecreeID)
		if err != nil {
			return err
		}
		st.Revoked = true
		st.Revocation = &credential.RevocationStatus{Date: rev.Date.String(), DecreeID: rev.DecreeID, DecreeNumber: d.Number, Grounds: rev.Grounds}
	}
	w.Header().Set("Cache-Control", "no-store")
	return writeJSON(w, http.StatusOK, st)
}

// handleJWKS serves the issuer's public key as a JWK Set: the kid in each
// credential's header names a key here.
func (s *Server) handleJWKS(w http.ResponseWriter, r *http.Request) error {
	is, err := s.issuer()
	if err != nil {
		return err
	}
	set := is.JWKS()
	// The keys retired by a rotation still verify what they signed.
	keys, err := s.store.SigningKeys(r.Context(), stakhanov.KeyCredential)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.RetiredAt == nil || k.KeyID == is.KeyID() {
			continue
		}
		var jwk jose.JSONWebKey
		if err := jwk.UnmarshalJSON([]byte(k.Public)); err != nil {
			return fmt.Errorf("retired credential key %s: %w", k.KeyID, err)
		}
		set.Keys = append(set.Keys, jwk)
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	return writeJSON(w, http.StatusOK, set)
}

// handleBakedInsignia answers with the award's insignia with the
// conferral's credential baked in (Open Badges 3.0 baking for SVG), for
// the recipient to download.
func (s *Server) handleBakedInsignia(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	jwt, _, err := s.credentialOf(ctx, id)
	if err != nil {
		return err
	}
	c, err := s.store.FindConferralByID(ctx, id)
	if err != nil {
		return err
	}
	a, err := s.store.FindAwardByID(ctx, c.AwardID)
	if err != nil {
		return err
	}
	svg, err := credential.BakeSVG(InsigniaSVG(a), jwt)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Content-Length", strconv.Itoa(len(svg)))
	h.Set("Content-Disposition", `attachment; filename="conferral-`+strconv.FormatInt(id, 10)+`.svg"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(http.StatusOK)
	w.Write(svg)
	return nil
}
