package ledger

import (
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// The offline checks need no database: a public key, checkpoints, records
// and proofs, as served by the API or written by `stakhanov ledger export`.

// CheckCheckpoint verifies a signed checkpoint with the log's public key
// (a note verifier key, name+hash+data) and returns it.
func CheckCheckpoint(verifierKey string, msg []byte) (Checkpoint, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("public key: %v", err)
	}
	return OpenCheckpoint(msg, v)
}

// CheckInclusion verifies that record (its canonical bytes) is record
// p.Index of the tree that checkpoint cp signs.
func CheckInclusion(cp Checkpoint, record []byte, p *InclusionProof) error {
	if p.Size != cp.Size {
		return fmt.Errorf("the proof is for a tree of %d records but the checkpoint signs %d", p.Size, cp.Size)
	}
	if p.Index < 0 || p.Index >= cp.Size {
		return fmt.Errorf("record %d is not in a tree of %d records", p.Index, cp.Size)
	}
	if _, err := Decode(record); err != nil {
		return fmt.Errorf("record %d: %v", p.Index, err)
	}
	leaf := tlog.RecordHash(record)
	if p.LeafHash != (tlog.Hash{}) && p.LeafHash != leaf {
		return fmt.Errorf("record %d does not hash to the proof's leaf hash: the record was altered", p.Index)
	}
	if err := tlog.CheckRecord(p.Hashes, cp.Size, cp.Hash, p.Index, leaf); err != nil {
		return fmt.Errorf("record %d is not in the tree of %d records signed by the checkpoint: %v", p.Index, cp.Size, err)
	}
	return nil
}

// CheckConsistency verifies that the tree old (a checkpoint trusted
// before) is a prefix of the tree new: the log only grew. It refuses a tree
// that shrank.
func CheckConsistency(old, new Checkpoint, p *ConsistencyProof) error {
	if old.Origin != new.Origin {
		return fmt.Errorf("the checkpoints are of different logs: %q and %q", old.Origin, new.Origin)
	}
	if new.Size < old.Size {
		return fmt.Errorf("the tree shrank from %d to %d records: the newer checkpoint is refused", old.Size, new.Size)
	}
	if p.Old != old.Size || p.New != new.Size {
		return fmt.Errorf("the proof is from %d to %d records, the checkpoints from %d to %d", p.Old, p.New, old.Size, new.Size)
	}
	if old.Size == 0 {
		return nil // every tree extends the empty one
	}
	if err := tlog.CheckTree(p.Hashes, new.Size, new.Hash, old.Size, old.Hash); err != nil {
		return fmt.Errorf("the tree of %d records is not an extension of the trusted tree of %d records: the log was rewritten (%v)", new.Size, old.Size, err)
	}
	return nil
}
