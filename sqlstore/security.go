package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/stakhanov/stakhanov"
)

func (db *DB) RecordSecurityEvent(ctx context.Context, e *stakhanov.SecurityEvent) error {
	e.Clip()
	if e.At.IsZero() {
		e.At = db.now().UTC()
	}
	var err error
	e.ID, err = db.insertOutside(ctx, `INSERT INTO security_events (kind, name, user_id, address, method, path, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Kind, e.Name, nullID(e.UserID), e.Address, e.Method, e.Path, e.Detail, e.At)
	return err
}

// insertOutside inserts a row in a transaction of its own.
func (db *DB) insertOutside(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(q querier) error {
		var err error
		id, err = q.insert(ctx, query, args...)
		return err
	})
	return id, err
}

func (db *DB) CountSignInFailures(ctx context.Context, name, address string, since time.Time) (stakhanov.SignInFailures, error) {
	var f stakhanov.SignInFailures
	name, address = stakhanov.CleanText(name, stakhanov.MaxEventText), stakhanov.CleanText(address, stakhanov.MaxEventText)
	q := db.reader()
	since = since.UTC()
	// The latest of some events, read as a row rather than MAX(at): an
	// aggregate loses the column's type on SQLite.
	latest := func(where string, args ...any) (time.Time, error) {
		var at time.Time
		err := q.queryRow(ctx, `SELECT at FROM security_events WHERE `+where+` ORDER BY at DESC LIMIT 1`, args...).Scan(&at)
		if errors.Is(err, sql.ErrNoRows) {
			return time.Time{}, nil
		}
		return at, err
	}
	count := func(where string, args ...any) (n int, err error) {
		err = q.queryRow(ctx, `SELECT COUNT(*) FROM security_events WHERE `+where, args...).Scan(&n)
		return n, err
	}
	// A name's failures count from its last successful sign-in.
	last, err := latest("name = ? AND kind = ?", name, stakhanov.EventSignIn)
	if err != nil {
		return f, err
	}
	from := since
	if last.After(from) {
		from = last
	}
	byName := []any{name, stakhanov.EventSignInFailed, from}
	byAddress := []any{address, stakhanov.EventSignInFailed, since}
	if f.ByName, err = count("name = ? AND kind = ? AND at > ?", byName...); err != nil {
		return f, err
	}
	if f.LastName, err = latest("name = ? AND kind = ? AND at > ?", byName...); err != nil {
		return f, err
	}
	if f.ByAddress, err = count("address = ? AND kind = ? AND at > ?", byAddress...); err != nil {
		return f, err
	}
	f.LastAddress, err = latest("address = ? AND kind = ? AND at > ?", byAddress...)
	return f, err
}

func (db *DB) FindSecurityEvents(ctx context.Context, f stakhanov.SecurityEventFilter) ([]*stakhanov.SecurityEvent, int, error) {
	who, err := actor(ctx, stakhanov.RoleAuditor, stakhanov.RoleAdmin)
	if err != nil {
		return nil, 0, err
	}
	if who.Role == stakhanov.RoleAdmin && who.UnitID != 0 {
		return nil, 0, stakhanov.Errorf(stakhanov.EFORBIDDEN, "the security events are for auditors and admins of the whole organisation")
	}
	w := &where{}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.Name != "" {
		w.add("name = ?", stakhanov.CleanText(f.Name, stakhanov.MaxEventText))
	}
	return list(ctx, db.reader(), "id, kind, name, COALESCE(user_id, 0), address, method, path, detail, at", "security_events", w, "id DESC", f.Page,
		func(rows *sql.Rows) (*stakhanov.SecurityEvent, error) {
			e := &stakhanov.SecurityEvent{}
			err := rows.Scan(&e.ID, &e.Kind, &e.Name, &e.UserID, &e.Address, &e.Method, &e.Path, &e.Detail, &e.At)
			return e, err
		})
}
