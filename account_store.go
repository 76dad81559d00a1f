package stakhanov

import (
	"context"
	"fmt"
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

// ErrAccountDisabled is the answer to a disabled account's sign-in, told
// only to whoever gave its password, and to its tokens and sessions. Its
// field is "account", which tells it from a wrong password.
func ErrAccountDisabled(name string) error {
	return &Error{Code: EUNAUTHORIZED, Field: "account", Message: fmt.Sprintf("the account %s is disabled: ask an admin", name)}
}

// DefaultTokenLifetime is how long a bearer token works when its issuer
// gives no lifetime; MaxTokenLifetime bounds any lifetime given.
const (
	DefaultTokenLifetime = 90 * 24 * time.Hour
	MaxTokenLifetime     = 2 * 366 * 24 * time.Hour
)

// Token is a bearer token as its list shows it: never the token itself,
// which is shown once when issued and kept only as a hash.
type Token struct {
	ID        int64     `json:"id"`
	UserID    int64     `json:"user_id"`
	User      string    `json:"user"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// RevokedAt and RevokedBy say when and by whom it was revoked (or by
	// disabling its account); nil while it is not.
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	RevokedBy int64      `json:"revoked_by,omitempty"`
}

// Live reports whether the token still works at now.
func (t *Token) Live(now time.Time) bool { return t.RevokedAt == nil && now.Before(t.ExpiresAt) }

// TokenLifetimeDays turns a lifetime asked in days (0: the default) into a
// checked lifetime, naming field when it is out of bounds.
func TokenLifetimeDays(field string, days int) (time.Duration, error) {
	if days < 0 || days > int(MaxTokenLifetime/(24*time.Hour)) {
		return 0, FieldErrorf(field, "%s must be from 1 to %d days (0: the default, %d)", field,
			int(MaxTokenLifetime/(24*time.Hour)), int(DefaultTokenLifetime/(24*time.Hour)))
	}
	return CheckTokenLifetime(field, time.Duration(days)*24*time.Hour)
}

// CheckTokenLifetime checks a lifetime asked for a token (0: the default).
func CheckTokenLifetime(field string, d time.Duration) (time.Duration, error) {
	switch {
	case d == 0:
		return DefaultTokenLifetime, nil
	case d < time.Minute:
		return 0, FieldErrorf(field, "a token must live at least a minute")
	case d > MaxTokenLifetime:
		return 0, FieldErrorf(field, "a token may live at most %d days", int(MaxTokenLifetime/(24*time.Hour)))
	}
	return d, nil
}

// UserFilter selects accounts.
type UserFilter struct {
	// Name matches part of the name, in any case.
	Name string
	Role string
	// Within selects the accounts scoped to a unit's tree.
	Within int64
	Page   Page
}

// TokenFilter selects tokens: of one user, or all.
type TokenFilter struct {
	UserID int64
	Page   Page
}

// AccountChange is one change to an account, kept for ever: who changed
// what, when and why.
type AccountChange struct {
	ID     int64     `json:"id"`
	UserID int64     `json:"user_id"`
	Change string    `json:"change"`
	Value  string    `json:"value"`
	Reason string    `json:"reason,omitempty"`
	By     int64     `json:"by,omitempty"`
	At     time.Time `json:"at"`
}

// The changes an account can undergo.
const (
	ChangeDisable = "disable"
	ChangeEnable  = "enable"
	ChangeRole    = "role"
	ChangeUnit    = "unit"
)

// AccountAdminStore is the admins' side of accounts: every method needs an
// admin, and a scoped admin reaches only the accounts within its units.
type AccountAdminStore interface {
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	FindUserByID(ctx context.Context, id int64) (*User, error)
	// SetUserDisabled disables an account (ending its sessions and
	// revoking its tokens at once), with the reason, or enables it again
	// (its old tokens stay revoked). An admin does not disable its own
	// account.
	SetUserDisabled(ctx context.Context, userID int64, disabled bool, reason string) error
	SetUserRole(ctx context.Context, userID int64, role, reason string) error
	// SetUserUnit limits an account to a unit's tree (0: the whole tree).
	SetUserUnit(ctx context.Context, userID, unitID int64, reason string) error
	AccountChanges(ctx context.Context, userID int64) ([]*AccountChange, error)

	// IssueToken issues a token for a user that works for lifetime (0:
	// DefaultTokenLifetime): an admin for any account in its scope, or a
	// user for itself. It returns the token, shown once, and its record.
	IssueToken(ctx context.Context, userID int64, lifetime time.Duration) (string, *Token, error)
	// FindTokens lists tokens, newest first: an admin's, of its scope; any
	// other user's, its own.
	FindTokens(ctx context.Context, f TokenFilter) ([]*Token, int, error)
	// FindTokenByID reads one token, for its user or an admin in scope.
	FindTokenByID(ctx context.Context, id int64) (*Token, error)
	// RevokeToken revokes a token: its own user, or an admin in scope.
	// Revoking it again is not an error.
	RevokeToken(ctx context.Context, tokenID int64) error
}
