package stakhanov

import (
	"context"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Ledger record kinds: what a record of the honours ledger records.
const (
	// LedgerDecree records the signing of a decree; its id is the decree's.
	LedgerDecree = "decree"
	// LedgerConferral records a conferral; its id is the conferral's.
	LedgerConferral = "conferral"
	// LedgerRevocation records a revocation; its id is the revoked
	// conferral's.
	LedgerRevocation = "revocation"
)

// LedgerStore keeps the honours ledger: an append-only transparency log
// (RFC 6962 hashing, as golang.org/x/mod/sumdb/tlog stores it) of every
// decree signed, conferral made and conferral revoked. SignDecree appends
// the records in the transaction that signs the decree: the decree's, then
// its conferrals' or revocations'. Package ledger encodes the records,
// signs checkpoints and verifies the database against the log.
type LedgerStore interface {
	// LedgerSize returns how many records the ledger holds.
	LedgerSize(ctx context.Context) (int64, error)
	// LedgerRecords returns up to limit records from index from on, in
	// index order. A missing index is absent from the result, not an
	// error: the verifier looks for gaps.
	LedgerRecords(ctx context.Context, from int64, limit int) ([]*LedgerRecord, error)
	// LedgerRecordIndex returns the index of the record of kind for id
	// (a decree, a conferral, or a revoked conferral), ENOTFOUND if none.
	LedgerRecordIndex(ctx context.Context, kind string, id int64) (int64, error)
	// LedgerHashes returns the stored hashes at the given storage indexes
	// (tlog.StoredHashIndex), in the same order; it implements
	// tlog.HashReader over the store. A missing hash is an error.
	LedgerHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
	// LedgerHashRange returns up to limit stored hashes from storage index
	// from on, in index order, skipping missing ones.
	LedgerHashRange(ctx context.Context, from int64, limit int) ([]LedgerHash, error)
	// SaveLedgerCheckpoint keeps a signed checkpoint issued for a tree
	// size. A checkpoint kept already for that size stays as it is.
	SaveLedgerCheckpoint(ctx context.Context, c *LedgerCheckpoint) error
	// LedgerCheckpoints returns the checkpoints kept, largest tree first.
	LedgerCheckpoints(ctx context.Context, p Page) ([]*LedgerCheckpoint, int, error)
}

// LedgerRecord is one record of the ledger: its canonical bytes, and the
// kind and id it was appended for (an index to find it by; the verifier
// trusts only Data).
type LedgerRecord struct {
	Index     int64     `json:"index"`
	Kind      string    `json:"kind"`
	RefID     int64     `json:"ref_id"`
	Data      []byte    `json:"data"`
	CreatedAt time.Time `json:"created_at"`
}

// LedgerHash is one stored hash of the ledger's tree.
type LedgerHash struct {
	Index int64
	Hash  tlog.Hash
}

// LedgerCheckpoint is a signed checkpoint (C2SP tlog-checkpoint, a signed
// note) issued for the first Size records.
type LedgerCheckpoint struct {
	Size      int64     `json:"size"`
	Text      []byte    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}
