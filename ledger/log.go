package ledger

import (
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/stakhanov/stakhanov"
)

// HashReader reads the tree's stored hashes from the store.
func HashReader(ctx context.Context, s stakhanov.LedgerStore) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return s.LedgerHashes(ctx, indexes)
	})
}

// TreeHash is the root hash of the tree of the first size records.
func TreeHash(ctx context.Context, s stakhanov.LedgerStore, size int64) (tlog.Hash, error) {
	return tlog.TreeHash(size, HashReader(ctx, s))
}

// InclusionProof proves that record Index is in the tree of the first Size
// records. Hashes are base64 in JSON.
type InclusionProof struct {
	Index    int64       `json:"index"`
	Size     int64       `json:"size"`
	LeafHash tlog.Hash   `json:"leaf_hash"`
	Hashes   []tlog.Hash `json:"hashes"`
}

// ConsistencyProof proves that the tree of the first Old records is a
// prefix of the tree of the first New.
type ConsistencyProof struct {
	Old    int64       `json:"old"`
	New    int64       `json:"new"`
	Hashes []tlog.Hash `json:"hashes"`
}

// checkSize refuses a tree size the ledger does not (yet) have.
func checkSize(ctx context.Context, s stakhanov.LedgerStore, field string, size int64) error {
	n, err := s.LedgerSize(ctx)
	if err != nil {
		return err
	}
	if size < 0 || size > n {
		return stakhanov.FieldErrorf(field, "%s %d is not a tree size of the ledger, which holds %d records", field, size, n)
	}
	return nil
}

// ProveInclusion proves record index in the tree of size records; size 0
// means the whole ledger.
func ProveInclusion(ctx context.Context, s stakhanov.LedgerStore, index, size int64) (*InclusionProof, error) {
	if size == 0 {
		n, err := s.LedgerSize(ctx)
		if err != nil {
			return nil, err
		}
		size = n
	} else if err := checkSize(ctx, s, "size", size); err != nil {
		return nil, err
	}
	if index < 0 || index >= size {
		return nil, stakhanov.FieldErrorf("index", "index %d is not a record of the tree of %d records", index, size)
	}
	r := HashReader(ctx, s)
	leaf, err := r.ReadHashes([]int64{tlog.StoredHashIndex(0, index)})
	if err != nil {
		return nil, err
	}
	p, err := tlog.ProveRecord(size, index, r)
	if err != nil {
		return nil, err
	}
	return &InclusionProof{Index: index, Size: size, LeafHash: leaf[0], Hashes: nonNil(p)}, nil
}

// ProveConsistency proves that the tree of old records is a prefix of the
// tree of new records.
func ProveConsistency(ctx context.Context, s stakhanov.LedgerStore, old, new int64) (*ConsistencyProof, error) {
	if err := checkSize(ctx, s, "new", new); err != nil {
		return nil, err
	}
	if old < 0 || old > new {
		return nil, stakhanov.FieldErrorf("old", "old %d must be from 0 to new (%d)", old, new)
	}
	if old == 0 {
		return &ConsistencyProof{Old: 0, New: new, Hashes: []tlog.Hash{}}, nil
	}
	p, err := tlog.ProveTree(new, old, HashReader(ctx, s))
	if err != nil {
		return nil, err
	}
	return &ConsistencyProof{Old: old, New: new, Hashes: nonNil(p)}, nil
}

func nonNil(h []tlog.Hash) []tlog.Hash {
	if h == nil {
		return []tlog.Hash{}
	}
	return h
}

// ReadRecord returns record index with its leaf hash, checking that its bytes
// still hash to the stored leaf.
func ReadRecord(ctx context.Context, s stakhanov.LedgerStore, index int64) (*stakhanov.LedgerRecord, tlog.Hash, error) {
	recs, err := s.LedgerRecords(ctx, index, 1)
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	n, err := s.LedgerSize(ctx)
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	if index < 0 || index >= n || len(recs) == 0 || recs[0].Index != index {
		return nil, tlog.Hash{}, stakhanov.Errorf(stakhanov.ENOTFOUND, "ledger record %d not found (the ledger holds %d records)", index, n)
	}
	return recs[0], tlog.RecordHash(recs[0].Data), nil
}

// Log signs checkpoints over a store's ledger.
type Log struct {
	store stakhanov.LedgerStore
	key   *Key
}

// NewLog returns the log over store, signed with key.
func NewLog(store stakhanov.LedgerStore, key *Key) *Log {
	return &Log{store: store, key: key}
}

// Key returns the log's key.
func (l *Log) Key() *Key { return l.key }

// Origin is the log's name, the first line of its checkpoints.
func (l *Log) Origin() string { return l.key.Origin() }

// VerifierKey is the public key that verifies the log's checkpoints.
func (l *Log) VerifierKey() string { return l.key.Public }

// Checkpoint returns a signed checkpoint of the whole ledger as it is now:
// the one kept for its size, or a new one, signed and kept.
func (l *Log) Checkpoint(ctx context.Context) ([]byte, error) {
	size, err := l.store.LedgerSize(ctx)
	if err != nil {
		return nil, err
	}
	kept, _, err := l.store.LedgerCheckpoints(ctx, stakhanov.Page{Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(kept) > 0 && kept[0].Size == size {
		if _, err := OpenCheckpoint(kept[0].Text, l.key.Verifier); err == nil {
			return kept[0].Text, nil
		}
	}
	return l.Sign(ctx, size)
}

// Sign signs and keeps a checkpoint of the first size records.
func (l *Log) Sign(ctx context.Context, size int64) ([]byte, error) {
	if err := checkSize(ctx, l.store, "size", size); err != nil {
		return nil, err
	}
	root, err := TreeHash(ctx, l.store, size)
	if err != nil {
		return nil, fmt.Errorf("ledger tree hash: %w", err)
	}
	msg, err := SignCheckpoint(Checkpoint{Origin: l.Origin(), Size: size, Hash: root}, l.key.Signer)
	if err != nil {
		return nil, err
	}
	if err := l.store.SaveLedgerCheckpoint(ctx, &stakhanov.LedgerCheckpoint{Size: size, Text: msg}); err != nil {
		return nil, err
	}
	return msg, nil
}
