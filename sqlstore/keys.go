package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/stakhanov/stakhanov"
)

func (db *DB) SigningKeys(ctx context.Context, purpose string) ([]*stakhanov.SigningKey, error) {
	var out []*stakhanov.SigningKey
	err := eachRow(ctx, db.reader(), `SELECT purpose, key_id, public, first_used, retired_at FROM signing_keys WHERE purpose = ?
		ORDER BY retired_at IS NULL, first_used, key_id`, []any{purpose}, func(rows *sql.Rows) error {
		k := &stakhanov.SigningKey{}
		var retired sql.NullTime
		if err := rows.Scan(&k.Purpose, &k.KeyID, &k.Public, &k.FirstUsed, &retired); err != nil {
			return err
		}
		if retired.Valid {
			k.RetiredAt = &retired.Time
		}
		out = append(out, k)
		return nil
	})
	return out, err
}

func (db *DB) UseSigningKey(ctx context.Context, k *stakhanov.SigningKey, rotate bool) error {
	return db.inTx(ctx, func(q querier) error {
		var current string
		err := q.queryRow(ctx, `SELECT key_id FROM signing_keys WHERE purpose = ? AND retired_at IS NULL`, k.Purpose).Scan(&current)
		switch {
		case err == nil && current == k.KeyID:
			return nil
		case err == nil && !rotate:
			return stakhanov.Errorf(stakhanov.ECONFLICT, "the database's %s key is %s, not %s", k.Purpose, current, k.KeyID)
		case err == nil:
			if _, err := q.exec(ctx, `UPDATE signing_keys SET retired_at = ? WHERE purpose = ? AND key_id = ?`, db.now().UTC(), k.Purpose, current); err != nil {
				return err
			}
		case err != sql.ErrNoRows:
			return err
		}
		var n int
		if err := q.queryRow(ctx, `SELECT COUNT(*) FROM signing_keys WHERE purpose = ? AND key_id = ?`, k.Purpose, k.KeyID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "the %s key %s was retired: a retired key is not used again", k.Purpose, k.KeyID)
		}
		k.FirstUsed = db.now().UTC()
		_, err = q.exec(ctx, `INSERT INTO signing_keys (purpose, key_id, public, first_used) VALUES (?, ?, ?, ?)`, k.Purpose, k.KeyID, k.Public, k.FirstUsed)
		if err != nil {
			return fmt.Errorf("record the %s key: %w", k.Purpose, err)
		}
		return nil
	})
}
