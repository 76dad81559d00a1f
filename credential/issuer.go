package credential

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/go-jose/go-jose/v4"
)

// KeyBits is the size of the RSA keys LoadOrCreateKey makes.
const KeyBits = 2048

// Issuer signs credentials with the registry's key.
type Issuer struct {
	// BaseURL is the registry's URL: the issuer's id, and the base of every
	// URL in its credentials.
	BaseURL string
	key     *rsa.PrivateKey
	kid     string
	signer  jose.Signer
}

// NewIssuer returns an issuer at base signing with key.
func NewIssuer(base string, key *rsa.PrivateKey) (*Issuer, error) {
	base, err := NormalizeBaseURL(base)
	if err != nil {
		return nil, err
	}
	if key == nil || key.N.BitLen() < 2048 {
		return nil, errors.New("credential key: an RSA key of at least 2048 bits is needed")
	}
	jwk := jose.JSONWebKey{Key: &key.PublicKey}
	thumb, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, err
	}
	kid := base64.RawURLEncoding.EncodeToString(thumb)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType(JWTType).WithHeader(jose.HeaderKey("kid"), kid))
	if err != nil {
		return nil, err
	}
	return &Issuer{BaseURL: base, key: key, kid: kid, signer: signer}, nil
}

// KeyID is the kid of the issuer's key: its RFC 7638 thumbprint.
func (is *Issuer) KeyID() string { return is.kid }

// JWKS is the issuer's public key as a JWK Set.
func (is *Issuer) JWKS() jose.JSONWebKeySet {
	return jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{
		Key: &is.key.PublicKey, KeyID: is.kid, Algorithm: string(jose.RS256), Use: "sig",
	}}}
}

// Sign encodes a credential as a VC-JWT.
func (is *Issuer) Sign(c *Credential) (string, error) {
	payload, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	jws, err := is.signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// Issue builds and signs the credential of a conferral.
func (is *Issuer) Issue(in Input) (string, *Credential, error) {
	c, err := Build(is.BaseURL, in)
	if err != nil {
		return "", nil, err
	}
	jwt, err := is.Sign(c)
	return jwt, c, err
}

// LoadOrCreateKey reads the PEM (PKCS #8) RSA private key at path, or, if
// there is no file, makes a new one and writes it there readable only by
// its owner. created says whether it was made.
func LoadOrCreateKey(path string) (key *rsa.PrivateKey, created bool, err error) {
	key, err = ReadKey(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	key, err = rsa.GenerateKey(rand.Reader, KeyBits)
	if err != nil {
		return nil, false, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, false, err
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	// Write a temporary file and link it into place: the key appears
	// whole or not at all, and a key another process made meanwhile wins.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".credential-key-*")
	if err != nil {
		return nil, false, fmt.Errorf("credential key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, false, err
	}
	if err := tmp.Close(); err != nil {
		return nil, false, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			key, err = ReadKey(path)
			return key, false, err
		}
		return nil, false, fmt.Errorf("credential key: %w", err)
	}
	return key, true, nil
}

// ReadKey reads a PEM RSA private key (PKCS #8 or PKCS #1).
func ReadKey(path string) (*rsa.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("credential key %s: no PEM block", path)
	}
	var k any
	switch block.Type {
	case "PRIVATE KEY":
		k, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		k, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	default:
		return nil, fmt.Errorf("credential key %s: a %q PEM block is not a private key", path, block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("credential key %s: %w", path, err)
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("credential key %s: not an RSA key", path)
	}
	return rk, nil
}
