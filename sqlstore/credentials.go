package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"

	"github.com/stakhanov/stakhanov"
)

// CredentialSalt returns a conferral's credential salt, making it the
// first time. Two callers asking at once for a new salt both get the one
// that was stored first.
func (db *DB) CredentialSalt(ctx context.Context, conferralID int64) (string, error) {
	const get = `SELECT salt FROM credential_salts WHERE conferral_id = ?`
	var salt string
	err := db.reader().queryRow(ctx, get, conferralID).Scan(&salt)
	if err == nil {
		return salt, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	err = db.inTx(ctx, func(q querier) error {
		ok, err := exists(ctx, q, "conferrals WHERE id = ?", conferralID)
		if err != nil {
			return err
		}
		if !ok {
			return stakhanov.Errorf(stakhanov.ENOTFOUND, "conferral %d not found", conferralID)
		}
		if _, err := q.exec(ctx, `INSERT INTO credential_salts (conferral_id, salt, created_at) VALUES (?, ?, ?)
			ON CONFLICT (conferral_id) DO NOTHING`, conferralID, hex.EncodeToString(b[:]), db.now().UTC()); err != nil {
			return err
		}
		return q.queryRow(ctx, get, conferralID).Scan(&salt)
	})
	return salt, err
}
