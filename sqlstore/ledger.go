package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/ledger"
)

// appendLedger appends records to the ledger in the caller's transaction:
// each record, and the tree hashes it completes (tlog.StoredHashes). The
// update of ledger_head comes first, so that concurrent appends (on
// PostgreSQL) wait for each other and see each other's hashes.
func (db *DB) appendLedger(ctx context.Context, q querier, recs []ledger.Record, now time.Time) error {
	if len(recs) == 0 {
		return nil
	}
	var size int64
	if err := q.queryRow(ctx, `UPDATE ledger_head SET size = size + ? WHERE id = 1 RETURNING size`, len(recs)).Scan(&size); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	n := size - int64(len(recs))
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) { return ledgerHashes(ctx, q, indexes) })
	for _, r := range recs {
		data := r.Encode()
		hashes, err := tlog.StoredHashes(n, data, reader)
		if err != nil {
			return fmt.Errorf("ledger record %d: %w", n, err)
		}
		if _, err := q.exec(ctx, `INSERT INTO ledger_records (idx, kind, ref_id, record, created_at) VALUES (?, ?, ?, ?, ?)`,
			n, r.Kind, r.RefID(), string(data), now); err != nil {
			return fmt.Errorf("ledger record %d: %w", n, err)
		}
		base := tlog.StoredHashIndex(0, n)
		for i, h := range hashes {
			if _, err := q.exec(ctx, `INSERT INTO ledger_hashes (idx, hash) VALUES (?, ?)`,
				base+int64(i), base64.StdEncoding.EncodeToString(h[:])); err != nil {
				return fmt.Errorf("ledger hash %d: %w", base+int64(i), err)
			}
		}
		n++
	}
	return nil
}

func decodeHash(s string, idx int64) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("ledger hash %d is not 32 bytes in base64", idx)
	}
	copy(h[:], b)
	return h, nil
}

// ledgerHashes reads stored hashes by index, in the order asked.
func ledgerHashes(ctx context.Context, q querier, indexes []int64) ([]tlog.Hash, error) {
	found := make(map[int64]tlog.Hash, len(indexes))
	for start := 0; start < len(indexes); start += 500 {
		batch := indexes[start:min(start+500, len(indexes))]
		args := make([]any, len(batch))
		for i, idx := range batch {
			args[i] = idx
		}
		rows, err := q.query(ctx, `SELECT idx, hash FROM ledger_hashes WHERE idx IN (?`+strings.Repeat(", ?", len(batch)-1)+`)`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var idx int64
			var s string
			if err := rows.Scan(&idx, &s); err != nil {
				rows.Close()
				return nil, err
			}
			h, err := decodeHash(s, idx)
			if err != nil {
				rows.Close()
				return nil, err
			}
			found[idx] = h
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		h, ok := found[idx]
		if !ok {
			return nil, stakhanov.Errorf(stakhanov.EINTERNAL, "ledger hash %d is missing", idx)
		}
		out[i] = h
	}
	return out, nil
}

func (db *DB) LedgerSize(ctx context.Context) (int64, error) {
	var n int64
	err := db.reader().queryRow(ctx, `SELECT size FROM ledger_head WHERE id = 1`).Scan(&n)
	return n, err
}

func (db *DB) LedgerRecords(ctx context.Context, from int64, limit int) ([]*stakhanov.LedgerRecord, error) {
	rows, err := db.reader().query(ctx, `SELECT idx, kind, ref_id, record, created_at FROM ledger_records WHERE idx >= ? ORDER BY idx LIMIT ?`, from, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*stakhanov.LedgerRecord
	for rows.Next() {
		r := &stakhanov.LedgerRecord{}
		var data string
		if err := rows.Scan(&r.Index, &r.Kind, &r.RefID, &data, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.Data = []byte(data)
		out = append(out, r)
	}
	return out, rows.Err()
}

func (db *DB) LedgerRecordIndex(ctx context.Context, kind string, id int64) (int64, error) {
	var idx int64
	err := db.reader().queryRow(ctx, `SELECT idx FROM ledger_records WHERE kind = ? AND ref_id = ? ORDER BY idx LIMIT 1`, kind, id).Scan(&idx)
	if err == sql.ErrNoRows {
		return 0, stakhanov.Errorf(stakhanov.ENOTFOUND, "no ledger record of %s %d", kind, id)
	}
	return idx, err
}

func (db *DB) LedgerHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return ledgerHashes(ctx, db.reader(), indexes)
}

func (db *DB) LedgerHashRange(ctx context.Context, from int64, limit int) ([]stakhanov.LedgerHash, error) {
	rows, err := db.reader().query(ctx, `SELECT idx, hash FROM ledger_hashes WHERE idx >= ? ORDER BY idx LIMIT ?`, from, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stakhanov.LedgerHash
	for rows.Next() {
		var h stakhanov.LedgerHash
		var s string
		if err := rows.Scan(&h.Index, &s); err != nil {
			return nil, err
		}
		if h.Hash, err = decodeHash(s, h.Index); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

// SaveLedgerCheckpoint keeps a signed checkpoint. It needs no user: a
// checkpoint is public, and only the holder of the key can make one.
func (db *DB) SaveLedgerCheckpoint(ctx context.Context, c *stakhanov.LedgerCheckpoint) error {
	if c.CreatedAt.IsZero() {
		c.CreatedAt = db.now().UTC()
	}
	_, err := querier{q: db.write, d: db.dialect}.exec(ctx, `INSERT INTO ledger_checkpoints (size, checkpoint, created_at) VALUES (?, ?, ?)
		ON CONFLICT (size) DO NOTHING`, c.Size, string(c.Text), c.CreatedAt)
	return err
}

func (db *DB) LedgerCheckpoints(ctx context.Context, p stakhanov.Page) ([]*stakhanov.LedgerCheckpoint, int, error) {
	return list(ctx, db.reader(), `size, checkpoint, created_at`, `ledger_checkpoints`, &where{}, `size DESC`, p,
		func(r *sql.Rows) (*stakhanov.LedgerCheckpoint, error) {
			c := &stakhanov.LedgerCheckpoint{}
			var text string
			err := r.Scan(&c.Size, &text, &c.CreatedAt)
			c.Text = []byte(text)
			return c, err
		})
}
