package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/stakhanov/stakhanov"
)

// PasswordParams are the argon2id costs of new password hashes. Each hash
// records the costs it was made with, so changing them affects only
// passwords set afterwards.
type PasswordParams struct {
	Time    uint32 // passes over memory
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultPasswordParams follow OWASP's argon2id minimum (19 MiB, 2 passes,
// 1 lane): about 30 ms a hash on one core, so that a stolen hash costs an
// attacker as much per guess while sign-in stays quick on a 2-core server.
var DefaultPasswordParams = PasswordParams{Time: 2, Memory: 19 * 1024, Threads: 1}

// FastPasswordParams are for tests only: hashes made with them are as
// easy to guess as the password itself.
var FastPasswordParams = PasswordParams{Time: 1, Memory: 64, Threads: 1}

const (
	saltLen = 16
	keyLen  = 32
)

// SetPasswordParams sets the costs of password hashes made from now on.
func (db *DB) SetPasswordParams(p PasswordParams) {
	db.pwMu.Lock()
	defer db.pwMu.Unlock()
	db.pw = &p
}

func (db *DB) passwordParams() PasswordParams {
	db.pwMu.Lock()
	defer db.pwMu.Unlock()
	if db.pw == nil {
		return DefaultPasswordParams
	}
	return *db.pw
}

// hashSlot waits for a turn to compute a password hash. Each takes the
// hash's memory (19 MiB by default): 64 sign-ins at once took the server
// to 2.68 GB. At most GOMAXPROCS (at least 2) run at once; the others
// wait, as long as their request does.
func (db *DB) hashSlot(ctx context.Context) (release func(), err error) {
	db.hashOnce.Do(func() { db.hashes = make(chan struct{}, max(2, runtime.GOMAXPROCS(0))) })
	select {
	case db.hashes <- struct{}{}:
		return func() { <-db.hashes }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// hashPassword returns the PHC string of an argon2id hash:
// $argon2id$v=19$m=19456,t=2,p=1$SALT$HASH.
func hashPassword(password string, p PasswordParams) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPasswordHash reports whether password matches a hash made by
// hashPassword, in time that does not depend on where they differ.
func checkPasswordHash(password, encoded string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Time == 0 || p.Threads == 0 || p.Memory == 0 || p.Memory > 4<<20 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when there is no user or no password, so
// that a wrong name takes as long as a wrong password.
var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword("no password here", DefaultPasswordParams)
	return h
})

func validPassword(password string) error {
	switch {
	case len(password) < stakhanov.MinPasswordLength:
		return stakhanov.FieldErrorf("password", "the password must have at least %d characters", stakhanov.MinPasswordLength)
	case len(password) > stakhanov.MaxPasswordLength:
		return stakhanov.FieldErrorf("password", "the password must have at most %d characters", stakhanov.MaxPasswordLength)
	}
	return nil
}

// SetPassword adds a password version for a user: the user itself may set
// its own, an admin that of any user within its scope.
func (db *DB) SetPassword(ctx context.Context, userID int64, password string) error {
	who := stakhanov.UserFromContext(ctx)
	if who == nil {
		return stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "sign in to do this")
	}
	if who.ID != userID || who.ID == 0 {
		if _, err := actor(ctx, stakhanov.RoleAdmin); err != nil {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "only an admin may set another user's password")
		}
	}
	if err := validPassword(password); err != nil {
		return err
	}
	release, err := db.hashSlot(ctx)
	if err != nil {
		return err
	}
	hash, err := hashPassword(password, db.passwordParams())
	release()
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		if err := requireUserInScope(ctx, q, who, userID); err != nil {
			return err
		}
		_, err := q.exec(ctx, `INSERT INTO passwords (user_id, hash, set_at, set_by) VALUES (?, ?, ?, ?)`,
			userID, hash, db.now().UTC(), nullID(who.ID))
		return err
	})
}

// requireUserInScope checks that the user exists and lies in who's scope.
func requireUserInScope(ctx context.Context, q querier, who *stakhanov.User, userID int64) error {
	var scope string
	if err := q.queryRow(ctx, `SELECT COALESCE(s.path, '') FROM users u LEFT JOIN units s ON s.id = u.unit_id WHERE u.id = ?`, userID).Scan(&scope); err != nil {
		return notFound("user", userID, err)
	}
	if who.ID == userID {
		return nil
	}
	if scope != "" {
		return requireScope(who, scope, "the user")
	}
	if who.UnitID != 0 {
		return stakhanov.Errorf(stakhanov.EFORBIDDEN, "the user is outside %s's units", who.Name)
	}
	return nil
}

var errSignIn = stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "the name or the password is not right")

func (db *DB) CheckPassword(ctx context.Context, name, password string) (*stakhanov.User, error) {
	release, err := db.hashSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if len(password) > stakhanov.MaxPasswordLength || name != stakhanov.CleanText(name, len(name)) {
		// No account has such a name or password.
		checkPasswordHash("", dummyHash())
		return nil, errSignIn
	}
	q := db.reader()
	u, err := scanUser(q.queryRow(ctx, "SELECT "+userColumns+" FROM users u LEFT JOIN units s ON s.id = u.unit_id WHERE u.name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		checkPasswordHash(password, dummyHash())
		return nil, errSignIn
	} else if err != nil {
		return nil, err
	}
	var hash string
	err = q.queryRow(ctx, `SELECT hash FROM passwords WHERE user_id = ? ORDER BY id DESC LIMIT 1`, u.ID).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		checkPasswordHash(password, dummyHash())
		return nil, errSignIn
	} else if err != nil {
		return nil, err
	}
	if !checkPasswordHash(password, hash) {
		return nil, errSignIn
	}
	// Said only to whoever knows the password.
	if u.Disabled {
		return nil, stakhanov.ErrAccountDisabled(u.Name)
	}
	return u, nil
}

// sessionPrefix marks session tokens apart from API tokens.
const sessionPrefix = "sks_"

// CreateSession starts a session for the acting user (or, for an admin,
// any user in its scope). Tokens carry 256 random bits; only their
// SHA-256 is kept, as for API tokens.
func (db *DB) CreateSession(ctx context.Context, userID int64) (string, error) {
	who := stakhanov.UserFromContext(ctx)
	if who == nil {
		return "", stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "sign in to do this")
	}
	if who.ID != userID {
		if _, err := actor(ctx, stakhanov.RoleAdmin); err != nil {
			return "", stakhanov.Errorf(stakhanov.EFORBIDDEN, "a session is started only by its own user")
		}
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := sessionPrefix + base64.RawURLEncoding.EncodeToString(b)
	now := db.now().UTC()
	err := db.inTx(ctx, func(q querier) error {
		if err := requireUserInScope(ctx, q, who, userID); err != nil {
			return err
		}
		_, err := q.exec(ctx, `INSERT INTO sessions (user_id, hash, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			userID, hashToken(token), now, now.Add(stakhanov.SessionLifetime))
		return err
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

var errSession = stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "the session has ended: sign in again")

func (db *DB) SessionUser(ctx context.Context, token string) (*stakhanov.User, error) {
	if !strings.HasPrefix(token, sessionPrefix) {
		return nil, errSession
	}
	var expires time.Time
	var ended int
	u, err := scanUser(db.reader().queryRow(ctx, "SELECT "+userColumns+`, x.expires_at, (SELECT COUNT(*) FROM session_ends e WHERE e.session_id = x.id)
		FROM sessions x JOIN users u ON u.id = x.user_id LEFT JOIN units s ON s.id = u.unit_id WHERE x.hash = ?`, hashToken(token)), &expires, &ended)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSession
	} else if err != nil {
		return nil, err
	}
	if ended > 0 || u.Disabled || !db.now().Before(expires) {
		return nil, errSession
	}
	return u, nil
}

func (db *DB) EndSession(ctx context.Context, token string) error {
	if !strings.HasPrefix(token, sessionPrefix) {
		return nil
	}
	return db.inTx(ctx, func(q querier) error {
		var id int64
		err := q.queryRow(ctx, `SELECT id FROM sessions WHERE hash = ?`, hashToken(token)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		} else if err != nil {
			return err
		}
		var n int
		if err := q.queryRow(ctx, `SELECT COUNT(*) FROM session_ends WHERE session_id = ?`, id).Scan(&n); err != nil || n > 0 {
			return err
		}
		_, err = q.exec(ctx, `INSERT INTO session_ends (session_id, ended_at) VALUES (?, ?)`, id, db.now().UTC())
		return err
	})
}
