package stakhanov

import "context"

// CredentialStore keeps what the credentials of conferrals need beyond the
// honours record (package credential builds and signs them).
type CredentialStore interface {
	// CredentialSalt returns the salt hashed with a conferral's recipient
	// in its credential: made at random the first time it is asked for,
	// the same ever after, so that every copy of the credential names the
	// recipient by the same hash. It needs no user: a credential is
	// public. ENOTFOUND if there is no such conferral.
	CredentialSalt(ctx context.Context, conferralID int64) (string, error)
}
