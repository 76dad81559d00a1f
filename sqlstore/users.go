package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// Accounts: the current state of each is on users; every change to it is
// a row of account_changes, kept for ever.

func findUserByID(ctx context.Context, q querier, id int64) (*stakhanov.User, error) {
	u, err := scanUser(q.queryRow(ctx, "SELECT "+userColumns+" FROM users u LEFT JOIN units s ON s.id = u.unit_id WHERE u.id = ?", id))
	if err != nil {
		return nil, notFound("user", id, err)
	}
	return u, nil
}

// adminOver checks that who is an admin whose scope covers the account u:
// a scoped admin reaches only accounts scoped within its units.
func adminOver(who, u *stakhanov.User) error {
	if who.Role != stakhanov.RoleAdmin {
		return stakhanov.Errorf(stakhanov.EFORBIDDEN, "a %s may not manage accounts (needs admin)", who.Role)
	}
	if who.UnitID != 0 && (u.UnitID == 0 || !who.Covers(u.ScopePath)) {
		return stakhanov.Errorf(stakhanov.EFORBIDDEN, "the account %s is outside %s's units", u.Name, who.Name)
	}
	return nil
}

func (db *DB) FindUserByID(ctx context.Context, id int64) (*stakhanov.User, error) {
	who, err := actor(ctx, stakhanov.RoleAdmin)
	if err != nil {
		return nil, err
	}
	u, err := findUserByID(ctx, db.reader(), id)
	if err != nil {
		return nil, err
	}
	if err := adminOver(who, u); err != nil {
		return nil, err
	}
	return u, nil
}

func (db *DB) FindUsers(ctx context.Context, f stakhanov.UserFilter) ([]*stakhanov.User, int, error) {
	who, err := actor(ctx, stakhanov.RoleAdmin)
	if err != nil {
		return nil, 0, err
	}
	w := &where{}
	if who.UnitID != 0 {
		w.add("s.path LIKE ?", who.ScopePath+"%")
	}
	if f.Within != 0 {
		w.add("s.path LIKE (SELECT path FROM units WHERE id = ?) || '%'", f.Within)
	}
	if f.Role != "" {
		w.add("u.role = ?", f.Role)
	}
	if f.Name != "" {
		w.add(`LOWER(u.name) LIKE ? ESCAPE '\'`, "%"+escapeLike(strings.ToLower(f.Name))+"%")
	}
	return list(ctx, db.reader(), userColumns, "users u LEFT JOIN units s ON s.id = u.unit_id", w, "u.name, u.id", f.Page,
		func(r *sql.Rows) (*stakhanov.User, error) { return scanUser(r) })
}

// changeAccount applies one change to an account as an admin over it, and
// keeps it in account_changes.
func (db *DB) changeAccount(ctx context.Context, userID int64, change, value, reason string, apply func(q querier, u *stakhanov.User) error) error {
	who, err := actor(ctx, stakhanov.RoleAdmin)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if len(reason) > stakhanov.MaxReasonLength {
		return stakhanov.FieldErrorf("reason", "reason is longer than %d characters", stakhanov.MaxReasonLength)
	}
	return db.inTx(ctx, func(q querier) error {
		u, err := findUserByID(ctx, q, userID)
		if err != nil {
			return err
		}
		if err := adminOver(who, u); err != nil {
			return err
		}
		if err := apply(q, u); err != nil {
			return err
		}
		_, err = q.exec(ctx, `INSERT INTO account_changes (user_id, change, value, reason, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
			userID, change, value, reason, nullID(who.ID), db.now().UTC())
		return err
	})
}

// SetUserDisabled switches an account off, or on again. Switching off ends
// its open sessions and revokes its live tokens in the same transaction.
func (db *DB) SetUserDisabled(ctx context.Context, userID int64, disabled bool, reason string) error {
	change := stakhanov.ChangeEnable
	if disabled {
		change = stakhanov.ChangeDisable
	}
	if disabled && strings.TrimSpace(reason) == "" {
		return stakhanov.FieldErrorf("reason", "say why the account is disabled: it is kept with the change")
	}
	who := stakhanov.UserFromContext(ctx)
	return db.changeAccount(ctx, userID, change, "", reason, func(q querier, u *stakhanov.User) error {
		if disabled && who != nil && who.ID == userID {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s may not disable its own account: ask another admin", u.Name)
		}
		if _, err := q.exec(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, boolInt(disabled), userID); err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		now := db.now().UTC()
		if _, err := q.exec(ctx, `INSERT INTO session_ends (session_id, ended_at)
			SELECT x.id, ? FROM sessions x WHERE x.user_id = ? AND NOT EXISTS (SELECT 1 FROM session_ends e WHERE e.session_id = x.id)`, now, userID); err != nil {
			return err
		}
		_, err := q.exec(ctx, `INSERT INTO token_revocations (token_id, revoked_at, revoked_by)
			SELECT t.id, ?, ? FROM tokens t WHERE t.user_id = ? AND NOT EXISTS (SELECT 1 FROM token_revocations r WHERE r.token_id = t.id)`,
			now, nullID(who.ID), userID)
		return err
	})
}

func (db *DB) SetUserRole(ctx context.Context, userID int64, role, reason string) error {
	check := stakhanov.User{Name: "x", Role: role}
	if err := check.Validate(); err != nil {
		return err
	}
	return db.changeAccount(ctx, userID, stakhanov.ChangeRole, role, reason, func(q querier, u *stakhanov.User) error {
		_, err := q.exec(ctx, `UPDATE users SET role = ? WHERE id = ?`, role, userID)
		return err
	})
}

func (db *DB) SetUserUnit(ctx context.Context, userID, unitID int64, reason string) error {
	who := stakhanov.UserFromContext(ctx)
	return db.changeAccount(ctx, userID, stakhanov.ChangeUnit, strconv.FormatInt(unitID, 10), reason, func(q querier, u *stakhanov.User) error {
		if unitID != 0 {
			unit, err := findUnit(ctx, q, unitID)
			if err != nil {
				return stakhanov.FieldErrorf("unit_id", "unit %d not found", unitID)
			}
			if err := requireScope(who, unit.Path, unit.Name); err != nil {
				return err
			}
		} else if who.UnitID != 0 {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s may not give an account the whole organisation", who.Name)
		}
		_, err := q.exec(ctx, `UPDATE users SET unit_id = ? WHERE id = ?`, nullID(unitID), userID)
		return err
	})
}

func (db *DB) AccountChanges(ctx context.Context, userID int64) ([]*stakhanov.AccountChange, error) {
	if _, err := db.FindUserByID(ctx, userID); err != nil {
		return nil, err
	}
	var out []*stakhanov.AccountChange
	err := eachRow(ctx, db.reader(), `SELECT id, user_id, change, value, reason, COALESCE(changed_by, 0), changed_at FROM account_changes
		WHERE user_id = ? ORDER BY id`, []any{userID}, func(rows *sql.Rows) error {
		c := &stakhanov.AccountChange{}
		if err := rows.Scan(&c.ID, &c.UserID, &c.Change, &c.Value, &c.Reason, &c.By, &c.At); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// Tokens.

// CreateToken issues a token with the default lifetime (IssueToken).
func (db *DB) CreateToken(ctx context.Context, userID int64) (string, error) {
	token, _, err := db.IssueToken(ctx, userID, 0)
	return token, err
}

// IssueToken issues a token. Tokens carry 256 random bits, so a plain
// SHA-256 of the token is enough to keep them safe at rest.
func (db *DB) IssueToken(ctx context.Context, userID int64, lifetime time.Duration) (string, *stakhanov.Token, error) {
	who := stakhanov.UserFromContext(ctx)
	if who == nil {
		return "", nil, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "sign in to do this")
	}
	lifetime, err := stakhanov.CheckTokenLifetime("expires_in_days", lifetime)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	var t *stakhanov.Token
	err = db.inTx(ctx, func(q querier) error {
		u, err := findUserByID(ctx, q, userID)
		if err != nil {
			return err
		}
		if who.ID != userID || who.ID == 0 {
			if err := adminOver(who, u); err != nil {
				return err
			}
		}
		if u.Disabled {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "the account %s is disabled: enable it first", u.Name)
		}
		now := db.now().UTC()
		t = &stakhanov.Token{UserID: userID, User: u.Name, CreatedAt: now, ExpiresAt: now.Add(lifetime)}
		t.ID, err = q.insert(ctx, `INSERT INTO tokens (user_id, hash, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			userID, hashToken(token), now, t.ExpiresAt)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	return token, t, nil
}

const tokenColumns = `t.id, t.user_id, u.name, t.created_at, t.expires_at, r.revoked_at, COALESCE(r.revoked_by, 0)`

func scanToken(row interface{ Scan(...any) error }) (*stakhanov.Token, error) {
	t := &stakhanov.Token{}
	var expires, revoked sql.NullTime
	if err := row.Scan(&t.ID, &t.UserID, &t.User, &t.CreatedAt, &expires, &revoked, &t.RevokedBy); err != nil {
		return nil, err
	}
	t.ExpiresAt = tokenExpiry(t.CreatedAt, expires)
	if revoked.Valid {
		t.RevokedAt = &revoked.Time
	}
	return t, nil
}

const tokenFrom = "tokens t JOIN users u ON u.id = t.user_id LEFT JOIN units s ON s.id = u.unit_id LEFT JOIN token_revocations r ON r.token_id = t.id"

func (db *DB) FindTokens(ctx context.Context, f stakhanov.TokenFilter) ([]*stakhanov.Token, int, error) {
	who := stakhanov.UserFromContext(ctx)
	if who == nil {
		return nil, 0, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "sign in to do this")
	}
	w := &where{}
	switch {
	case who.Role != stakhanov.RoleAdmin:
		if f.UserID != 0 && f.UserID != who.ID {
			return nil, 0, stakhanov.Errorf(stakhanov.EFORBIDDEN, "a %s lists only its own tokens", who.Role)
		}
		w.add("t.user_id = ?", who.ID)
	case who.UnitID != 0:
		w.add("s.path LIKE ?", who.ScopePath+"%")
	}
	if f.UserID != 0 {
		w.add("t.user_id = ?", f.UserID)
	}
	return list(ctx, db.reader(), tokenColumns, tokenFrom, w, "t.id DESC", f.Page, func(r *sql.Rows) (*stakhanov.Token, error) { return scanToken(r) })
}

// tokenFor reads a token for who: its own user, or an admin over it.
func tokenFor(ctx context.Context, q querier, who *stakhanov.User, tokenID int64) (*stakhanov.Token, error) {
	if who == nil {
		return nil, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "sign in to do this")
	}
	t, err := scanToken(q.queryRow(ctx, "SELECT "+tokenColumns+" FROM "+tokenFrom+" WHERE t.id = ?", tokenID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, stakhanov.Errorf(stakhanov.ENOTFOUND, "token %d not found", tokenID)
	} else if err != nil {
		return nil, err
	}
	if t.UserID != who.ID || who.ID == 0 {
		u, err := findUserByID(ctx, q, t.UserID)
		if err != nil {
			return nil, err
		}
		if err := adminOver(who, u); err != nil {
			return nil, err
		}
	}
	return t, nil
}

func (db *DB) FindTokenByID(ctx context.Context, id int64) (*stakhanov.Token, error) {
	return tokenFor(ctx, db.reader(), stakhanov.UserFromContext(ctx), id)
}

func (db *DB) RevokeToken(ctx context.Context, tokenID int64) error {
	who := stakhanov.UserFromContext(ctx)
	return db.inTx(ctx, func(q querier) error {
		t, err := tokenFor(ctx, q, who, tokenID)
		if err != nil {
			return err
		}
		if t.RevokedAt != nil {
			return nil
		}
		_, err = q.exec(ctx, `INSERT INTO token_revocations (token_id, revoked_at, revoked_by) VALUES (?, ?, ?)`, tokenID, db.now().UTC(), nullID(who.ID))
		return err
	})
}
