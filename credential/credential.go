// Package credential issues and verifies the Open Badges 3.0 credential of
// a conferral: an OpenBadgeCredential (W3C Verifiable Credentials data model
// 2.0) whose Achievement is the award, encoded as a VC-JWT (a JOSE compact
// JWS with typ "vc+jwt" whose payload is the credential) and signed RS256
// with the registry's RSA key.
//
// The recipient appears only as a salted SHA-256 hash (an OB 3.0
// IdentityObject): "sha256$" + hex(sha256(recipient + salt)), where
// recipient is the subject as Stakhanov writes it ("person:12") and the salt
// is random per conferral, kept by the store and printed in the credential
// so that whoever knows the recipient can check the hash.
//
// Revocation is published per credential: credentialStatus names
// BASE/api/v1/conferrals/{id}/status, of type StakhanovRevocationStatus,
// which answers {"revoked": bool, "revocation": {...}} (see Status). The
// signature stays valid after a revocation; a verifier that follows
// credentialStatus learns that it was withdrawn, when, by which decree and
// on what grounds.
//
// The key's public half is served as a JWK Set at
// BASE/api/v1/credentials/jwks.json; the JWS header's kid is the key's
// RFC 7638 thumbprint and names the key in that set.
package credential

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// Contexts, types and media types of the credential.
const (
	ContextVC  = "https://www.w3.org/ns/credentials/v2"
	ContextOB  = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	SchemaOB   = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
	TypeVC     = "VerifiableCredential"
	TypeOB     = "OpenBadgeCredential"
	StatusType = "StakhanovRevocationStatus"
	// JWTType is the JWS header's typ.
	JWTType = "vc+jwt"
	// MediaType is the Content-Type of a VC-JWT.
	MediaType = "application/vc+jwt"
	// IssuerName is the name of the issuing registry in every credential.
	IssuerName = "Stakhanov registry"
	// JWKSPath, under the issuer's URL, serves the issuer's keys.
	JWKSPath = "/api/v1/credentials/jwks.json"
)

// Credential is an OpenBadgeCredential. The JWT registered claims iss,
// nbf and jti repeat issuer.id, validFrom and id, as OB 3.0's VC-JWT
// section asks.
type Credential struct {
	Context           []string           `json:"@context"`
	ID                string             `json:"id"`
	Type              []string           `json:"type"`
	Name              string             `json:"name"`
	Description       string             `json:"description,omitempty"`
	Issuer            Profile            `json:"issuer"`
	ValidFrom         string             `json:"validFrom"`
	AwardedDate       string             `json:"awardedDate,omitempty"`
	CredentialSubject AchievementSubject `json:"credentialSubject"`
	CredentialStatus  *CredentialStatus  `json:"credentialStatus,omitempty"`
	CredentialSchema  []CredentialSchema `json:"credentialSchema,omitempty"`
	Evidence          []Evidence         `json:"evidence,omitempty"`
	// Conferral is Stakhanov's own record of the conferral, for verifiers
	// to show; under the VC 2.0 context it is an issuer-dependent term.
	Conferral *ConferralInfo `json:"conferral,omitempty"`

	Iss string `json:"iss,omitempty"`
	Nbf int64  `json:"nbf,omitempty"`
	Jti string `json:"jti,omitempty"`
}

// Profile is an issuer or a creator.
type Profile struct {
	ID   string   `json:"id"`
	Type []string `json:"type"`
	Name string   `json:"name"`
	URL  string   `json:"url,omitempty"`
}

// AchievementSubject is the recipient, by hashed identifier only, and what
// it achieved.
type AchievementSubject struct {
	Type        []string         `json:"type"`
	Identifier  []IdentityObject `json:"identifier"`
	Achievement Achievement      `json:"achievement"`
	Narrative   string           `json:"narrative,omitempty"`
}

// IdentityObject names the recipient by a salted hash.
type IdentityObject struct {
	Type         string `json:"type"`
	Hashed       bool   `json:"hashed"`
	IdentityHash string `json:"identityHash"`
	IdentityType string `json:"identityType"`
	Salt         string `json:"salt"`
}

// Achievement is the award.
type Achievement struct {
	ID              string   `json:"id"`
	Type            []string `json:"type"`
	AchievementType string   `json:"achievementType"`
	Name            string   `json:"name"`
	Description     string   `json:"description"`
	Criteria        Criteria `json:"criteria"`
	Image           *Image   `json:"image,omitempty"`
	Creator         *Profile `json:"creator,omitempty"`
}

type Criteria struct {
	Narrative string `json:"narrative"`
}

type Image struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Caption string `json:"caption,omitempty"`
}

// CredentialStatus points to where revocation is published.
type CredentialStatus struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

type CredentialSchema struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// Evidence is the decree that conferred the award.
type Evidence struct {
	ID        string   `json:"id,omitempty"`
	Type      []string `json:"type"`
	Name      string   `json:"name"`
	Narrative string   `json:"narrative,omitempty"`
	Genre     string   `json:"genre,omitempty"`
}

// ConferralInfo is the conferral as the registry records it.
type ConferralInfo struct {
	ID           int64  `json:"id"`
	Award        string `json:"award"`
	Authority    string `json:"authority"`
	Date         string `json:"date"`
	DecreeNumber string `json:"decreeNumber"`
	DecreeDate   string `json:"decreeDate"`
	Serial       int    `json:"serial"`
	Times        int    `json:"times,omitempty"`
	Brings       string `json:"brings,omitempty"`
}

// Input is what a credential is built from.
type Input struct {
	Conferral *stakhanov.Conferral
	Award     *stakhanov.Award
	Decree    *stakhanov.Decree
	// Salt is the conferral's salt (store.CredentialSalt).
	Salt string
}

// IdentityHash is the OB 3.0 hash of a recipient with a salt.
func IdentityHash(recipient, salt string) string {
	sum := sha256.Sum256([]byte(recipient + salt))
	return "sha256$" + hex.EncodeToString(sum[:])
}

// URLs under a base URL (no trailing slash).
func ConferralURL(base string, id int64) string {
	return base + "/api/v1/conferrals/" + strconv.FormatInt(id, 10)
}
func CredentialURL(base string, id int64) string { return ConferralURL(base, id) + "/credential" }
func StatusURL(base string, id int64) string     { return ConferralURL(base, id) + "/status" }
func AwardURL(base string, id int64) string {
	return base + "/api/v1/awards/" + strconv.FormatInt(id, 10)
}
func InsigniaURL(base string, id int64) string { return AwardURL(base, id) + "/insignia.svg" }
func JWKSURL(base string) string               { return base + JWKSPath }

// NormalizeBaseURL checks a base URL (http or https, with a host, no query)
// and drops a trailing slash.
func NormalizeBaseURL(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q must be an http or https URL such as https://honours.example", base)
	}
	return strings.TrimRight(base, "/"), nil
}

// Build makes the credential of a conferral, issued by the registry at
// base.
func Build(base string, in Input) (*Credential, error) {
	c, a, d := in.Conferral, in.Award, in.Decree
	if c == nil || a == nil || d == nil {
		return nil, fmt.Errorf("credential: a conferral, its award and its decree are needed")
	}
	if c.AwardID != a.ID || c.DecreeID != d.ID {
		return nil, fmt.Errorf("credential: conferral %d is of award %d by decree %d, not award %d by decree %d", c.ID, c.AwardID, c.DecreeID, a.ID, d.ID)
	}
	if in.Salt == "" {
		return nil, fmt.Errorf("credential: conferral %d has no salt", c.ID)
	}
	validFrom := c.Date.Time().UTC()
	criteria := a.Criteria
	if strings.TrimSpace(criteria) == "" {
		criteria = a.Description
	}
	if strings.TrimSpace(criteria) == "" {
		criteria = a.Name
	}
	decree := "decree " + d.Number
	if d.Date != c.Date {
		decree += " of " + d.Date.String()
	}
	conferred := fmt.Sprintf("Conferred on %s by %s of the %s, serial %d.", c.Date, decree, d.Authority, c.Serial)
	if c.Times > 1 {
		conferred += fmt.Sprintf(" The recipient's award number %d of this title", c.Times)
		if c.Brings != "" {
			conferred += ", which brings " + c.Brings
		}
		conferred += "."
	}
	cred := &Credential{
		Context:     []string{ContextVC, ContextOB},
		ID:          CredentialURL(base, c.ID),
		Type:        []string{TypeVC, TypeOB},
		Name:        a.Name,
		Description: conferred,
		Issuer:      Profile{ID: base, Type: []string{"Profile"}, Name: IssuerName, URL: base},
		ValidFrom:   validFrom.Format(time.RFC3339),
		AwardedDate: validFrom.Format(time.RFC3339),
		CredentialSubject: AchievementSubject{
			Type: []string{"AchievementSubject"},
			Identifier: []IdentityObject{{
				Type:         "IdentityObject",
				Hashed:       true,
				IdentityHash: IdentityHash(c.Recipient.String(), in.Salt),
				IdentityType: "identifier",
				Salt:         in.Salt,
			}},
			Achievement: Achievement{
				ID:              AwardURL(base, a.ID),
				Type:            []string{"Achievement"},
				AchievementType: "Award",
				Name:            a.Name,
				Description:     a.Description,
				Criteria:        Criteria{Narrative: criteria},
				Image:           &Image{ID: InsigniaURL(base, a.ID), Type: "Image", Caption: a.Insignia.Description},
				// The awarding authority has no URL of its own; it is
				// named by the award's.
				Creator: &Profile{ID: AwardURL(base, a.ID) + "#authority", Type: []string{"Profile"}, Name: a.Authority},
			},
			Narrative: conferred,
		},
		CredentialStatus: &CredentialStatus{ID: StatusURL(base, c.ID), Type: StatusType},
		CredentialSchema: []CredentialSchema{{ID: SchemaOB, Type: "1EdTechJsonSchemaValidator2019"}},
		Evidence: []Evidence{{
			ID:        ConferralURL(base, c.ID),
			Type:      []string{"Evidence"},
			Name:      fmt.Sprintf("Decree %s of %s", d.Number, d.Date),
			Narrative: conferred,
			Genre:     "Decree",
		}},
		Conferral: &ConferralInfo{
			ID: c.ID, Award: a.Name, Authority: d.Authority, Date: c.Date.String(),
			DecreeNumber: d.Number, DecreeDate: d.Date.String(), Serial: c.Serial, Times: c.Times, Brings: c.Brings,
		},
		Iss: base,
		Nbf: validFrom.Unix(),
		Jti: CredentialURL(base, c.ID),
	}
	return cred, nil
}

// HasType reports whether the credential has type t.
func (c *Credential) HasType(t string) bool {
	for _, v := range c.Type {
		if v == t {
			return true
		}
	}
	return false
}

// MatchesRecipient reports whether the credential's hashed identifier is
// the recipient's ("person:12").
func (c *Credential) MatchesRecipient(recipient string) bool {
	for _, id := range c.CredentialSubject.Identifier {
		if id.Hashed && id.IdentityHash == IdentityHash(recipient, id.Salt) {
			return true
		}
	}
	return false
}

// Summary says in one line what the credential records: "Hero of Labour
// of the Russian Federation conferred 2013-05-01 by decree 427, serial 3".
func (c *Credential) Summary() string {
	if ci := c.Conferral; ci != nil {
		return fmt.Sprintf("%s conferred %s by decree %s, serial %d", ci.Award, ci.Date, ci.DecreeNumber, ci.Serial)
	}
	return fmt.Sprintf("%s valid from %s", c.CredentialSubject.Achievement.Name, c.ValidFrom)
}
