package stakhanov

import (
	"context"
	"time"
)

// SessionLifetime is how long a web session lasts from sign-in; after it
// the user signs in again.
const SessionLifetime = 12 * time.Hour

// Password length bounds, in bytes.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 1024
)

// AccountStore keeps the passwords and web sessions of accounts. Passwords
// are kept only as slow, salted hashes; session tokens only as hashes.
type AccountStore interface {
	// SetPassword sets a user's password (an admin within its scope, or
	// the user itself). The old one stops working; history is kept.
	SetPassword(ctx context.Context, userID int64, password string) error
	// CheckPassword returns the user with that name and password. Any
	// mismatch (no such user, no password set, wrong password) is the same
	// EUNAUTHORIZED error, which does not say which part was wrong.
	CheckPassword(ctx context.Context, name, password string) (*User, error)
	// CreateSession starts a session for the user (the acting user itself,
	// or an admin) and returns its token; only its hash is kept. It ends
	// after SessionLifetime.
	CreateSession(ctx context.Context, userID int64) (token string, err error)
	// SessionUser returns the user of a live session, or EUNAUTHORIZED if
	// the token is unknown, ended or expired.
	SessionUser(ctx context.Context, token string) (*User, error)
	// EndSession signs a session out. Holding the token is the right to
	// end it; ending an unknown or ended session is not an error.
	EndSession(ctx context.Context, token string) error
}
