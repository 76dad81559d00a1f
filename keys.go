package stakhanov

import (
	"context"
	"time"
)

// The purposes of signing keys.
const (
	KeyLedger     = "ledger"
	KeyCredential = "credential"
)

// SigningKey is a key that signs the ledger's checkpoints or the
// credentials, as the database knows it: never its secret part.
type SigningKey struct {
	Purpose string `json:"purpose"`
	// KeyID names the key: the ledger's note key name and hash, a
	// credential key's RFC 7638 thumbprint (its kid).
	KeyID string `json:"key_id"`
	// Public is its public part: the note verifier key, or the JWK.
	Public    string     `json:"public"`
	FirstUsed time.Time  `json:"first_used"`
	RetiredAt *time.Time `json:"retired_at,omitempty"`
}

// SigningKeyStore keeps which keys sign what. It needs no user: the
// operator starting the server with direct access to the database uses it.
type SigningKeyStore interface {
	// SigningKeys lists a purpose's keys, oldest first; the one in use
	// last, not retired.
	SigningKeys(ctx context.Context, purpose string) ([]*SigningKey, error)
	// UseSigningKey records k as the key in use for its purpose. A
	// different key already in use is a conflict naming it, unless
	// rotate: then that one is retired (and kept).
	UseSigningKey(ctx context.Context, k *SigningKey, rotate bool) error
}

// KeyInUse returns the key in use among a purpose's keys, or nil.
func KeyInUse(keys []*SigningKey) *SigningKey {
	for i := len(keys) - 1; i >= 0; i-- {
		if keys[i].RetiredAt == nil {
			return keys[i]
		}
	}
	return nil
}
