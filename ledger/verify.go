package ledger

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/stakhanov/stakhanov"
)

// Source is what Verify reads: the ledger, and the decrees and conferrals
// it should record. Every stakhanov.Store is one.
type Source interface {
	stakhanov.LedgerStore
	FindDecrees(ctx context.Context, f stakhanov.DecreeFilter) ([]*stakhanov.Decree, int, error)
	FindConferrals(ctx context.Context, f stakhanov.ConferralFilter) ([]*stakhanov.Conferral, int, error)
}

// Report is what Verify found.
type Report struct {
	// Size is the number of records the ledger says it holds.
	Size int64
	// Root is the tree hash of the ledger, computed from its records.
	Root tlog.Hash
	// Decrees, Conferrals and Revocations count the rows checked.
	Decrees, Conferrals, Revocations int
	// Checkpoints counts the signed checkpoints checked; Signed is the size
	// of the largest.
	Checkpoints int
	Signed      int64
	// SignaturesChecked is false when no public key was given.
	SignaturesChecked bool
	// Problems names each thing wrong, one a line; none means the database
	// and its ledger agree.
	Problems []string
}

// OK reports whether nothing is wrong.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

func (r *Report) problem(format string, args ...any) {
	r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
}

const page = 1000

// Verify checks the database against its ledger:
//
//   - every record is there, in canonical form, and hashes to the leaf
//     stored for its index (a changed, missing or moved record is named);
//   - the stored hashes rebuild from the leaves, and the tree they make
//     has the root of every signed checkpoint kept (signatures checked with
//     verifier when it is not nil), none of which is larger than the
//     ledger;
//   - every signed decree, conferral and revocation in the database has
//     its record, equal field by field to the record made from the row as
//     it is now, and every record has its row.
//
// It returns an error only when it cannot read; what is wrong is in the
// report.
func Verify(ctx context.Context, s Source, verifier note.Verifier) (*Report, error) {
	rep := &Report{SignaturesChecked: verifier != nil}
	size, err := s.LedgerSize(ctx)
	if err != nil {
		return nil, err
	}
	rep.Size = size

	// The records, by index.
	records := map[int64]*stakhanov.LedgerRecord{}
	for from := int64(0); ; {
		rs, err := s.LedgerRecords(ctx, from, page)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if r.Index >= size {
				rep.problem("ledger record %d is beyond the ledger's size (%d records): it was added outside the ledger", r.Index, size)
				continue
			}
			records[r.Index] = r
		}
		if len(rs) < page {
			break
		}
		from = rs[len(rs)-1].Index + 1
	}

	// The stored hashes, by storage index.
	count := tlog.StoredHashCount(size)
	stored := make(map[int64]tlog.Hash, count)
	for from := int64(0); ; {
		hs, err := s.LedgerHashRange(ctx, from, page)
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			if h.Index >= count {
				rep.problem("stored hash %d is beyond the tree of %d records", h.Index, size)
				continue
			}
			stored[h.Index] = h.Hash
		}
		if len(hs) < page {
			break
		}
		from = hs[len(hs)-1].Index + 1
	}

	// Each record against its leaf hash.
	leaves := make([]tlog.Hash, size)
	leafOK := true
	noLeaf := map[int64]bool{}
	byLeaf := map[tlog.Hash]int64{}
	for i := int64(0); i < size; i++ {
		h, ok := stored[tlog.StoredHashIndex(0, i)]
		if !ok {
			rep.problem("the stored hash of ledger record %d is missing", i)
			leafOK, noLeaf[i] = false, true
			continue
		}
		leaves[i] = h
		byLeaf[h] = i
	}
	swapped := map[int64]bool{}
	for i := int64(0); i < size; i++ {
		r, ok := records[i]
		if !ok {
			rep.problem("ledger record %d is missing", i)
			continue
		}
		h := tlog.RecordHash(r.Data)
		if h == leaves[i] || swapped[i] || noLeaf[i] {
			continue
		}
		j, moved := byLeaf[h]
		switch {
		case moved && records[j] != nil && tlog.RecordHash(records[j].Data) == leaves[i]:
			rep.problem("ledger records %d and %d are swapped: each holds the other's record (hash mismatch)", i, j)
			swapped[j] = true
		case moved:
			rep.problem("ledger record %d holds the record appended at index %d (hash mismatch)", i, j)
		default:
			rep.problem("ledger record %d was altered after it was appended: it does not match its stored hash", i)
		}
	}

	// The tree, rebuilt from the leaves, against the stored hashes.
	var built []tlog.Hash
	mem := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = built[x]
		}
		return out, nil
	})
	if leafOK {
		built = make([]tlog.Hash, 0, count)
		for i := int64(0); i < size; i++ {
			hs, err := tlog.StoredHashesForRecordHash(i, leaves[i], mem)
			if err != nil {
				return nil, err
			}
			built = append(built, hs...)
		}
		bad := 0
		for x := int64(0); x < count; x++ {
			h, ok := stored[x]
			level, n := tlog.SplitStoredHashIndex(x)
			if level == 0 {
				continue
			}
			switch {
			case !ok:
				rep.problem("stored hash %d (level %d, node %d) is missing", x, level, n)
				bad++
			case h != built[x]:
				rep.problem("stored hash %d (level %d, node %d) does not match the records below it", x, level, n)
				bad++
			}
			if bad >= 20 {
				rep.problem("more stored hashes may be wrong: stopped after %d", bad)
				break
			}
		}
		rep.Root, err = tlog.TreeHash(size, mem)
		if err != nil {
			return nil, err
		}
	}

	// The signed checkpoints kept.
	checkpoints := func(p stakhanov.Page) ([]*stakhanov.LedgerCheckpoint, int, error) { return s.LedgerCheckpoints(ctx, p) }
	for kept, err := range stakhanov.Each(checkpoints) {
		if err != nil {
			return nil, err
		}
		rep.Checkpoints++
		var c Checkpoint
		if verifier != nil {
			c, err = OpenCheckpoint(kept.Text, verifier)
		} else {
			c, err = parseUnverified(kept.Text)
		}
		if err != nil {
			rep.problem("checkpoint of size %d signed %s: %v", kept.Size, kept.CreatedAt.UTC().Format("2006-01-02 15:04:05"), err)
			continue
		}
		when := kept.CreatedAt.UTC().Format("2006-01-02 15:04:05")
		if c.Size != kept.Size {
			rep.problem("checkpoint kept for size %d is signed for size %d", kept.Size, c.Size)
		}
		if c.Size > rep.Signed {
			rep.Signed = c.Size
		}
		switch {
		case c.Size > size:
			rep.problem("the ledger shrank: a checkpoint signed %s covers %d records but the ledger holds %d", when, c.Size, size)
		case built == nil:
			rep.problem("checkpoint of size %d signed %s cannot be checked: stored hashes are missing", c.Size, when)
		default:
			root, err := tlog.TreeHash(c.Size, mem)
			if err != nil {
				return nil, err
			}
			if root != c.Hash {
				rep.problem("the first %d ledger records no longer make the root hash signed in the checkpoint of %s", c.Size, when)
			}
		}
	}

	// The database against the records.
	byKey := map[string][]int64{}
	parsed := map[int64]Record{}
	for i := int64(0); i < size; i++ {
		r, ok := records[i]
		if !ok {
			continue
		}
		rec, err := Decode(r.Data)
		if err != nil {
			rep.problem("ledger record %d: %v", i, err)
			continue
		}
		if rec.Kind != r.Kind || rec.RefID() != r.RefID {
			rep.problem("ledger record %d is filed as %s %d but holds %s", i, r.Kind, r.RefID, rec.Key())
		}
		parsed[i] = rec
		byKey[rec.Key()] = append(byKey[rec.Key()], i)
	}
	seen := map[string]bool{}
	check := func(want Record, what string) {
		key := want.Key()
		seen[key] = true
		idx := byKey[key]
		if len(idx) == 0 {
			rep.problem("%s has no ledger record", what)
			return
		}
		if len(idx) > 1 {
			rep.problem("%s has %d ledger records: %s", what, len(idx), joinInts(idx))
		}
		for _, d := range Diff(want, parsed[idx[0]]) {
			rep.problem("%s: %s in ledger record %d", what, d, idx[0])
		}
	}
	decrees := func(p stakhanov.Page) ([]*stakhanov.Decree, int, error) {
		return s.FindDecrees(ctx, stakhanov.DecreeFilter{Page: p})
	}
	for d, err := range stakhanov.Each(decrees) {
		if err != nil {
			return nil, err
		}
		if d.SignedAt == nil {
			continue
		}
		rep.Decrees++
		check(DecreeRecord(d), fmt.Sprintf("decree %d (%s)", d.ID, d.Number))
	}
	conferrals := func(p stakhanov.Page) ([]*stakhanov.Conferral, int, error) {
		return s.FindConferrals(ctx, stakhanov.ConferralFilter{Page: p})
	}
	for c, err := range stakhanov.Each(conferrals) {
		if err != nil {
			return nil, err
		}
		rep.Conferrals++
		check(ConferralRecord(c), fmt.Sprintf("conferral %d", c.ID))
		if c.Revocation != nil {
			rep.Revocations++
			check(RevocationRecord(c.Revocation), fmt.Sprintf("the revocation of conferral %d", c.ID))
		}
	}
	var keys []string
	for key := range byKey {
		if !seen[key] {
			keys = append(keys, key)
		}
	}
	sort.Slice(keys, func(a, b int) bool { return byKey[keys[a]][0] < byKey[keys[b]][0] })
	for _, key := range keys {
		i := byKey[key][0]
		rec := parsed[i]
		switch rec.Kind {
		case stakhanov.LedgerDecree:
			rep.problem("ledger record %d records the signing of decree %d (%s) but the database has no signed decree %d", i, rec.DecreeID, rec.Number, rec.DecreeID)
		case stakhanov.LedgerConferral:
			rep.problem("ledger record %d records conferral %d (award %d to %s) but the database has no conferral %d", i, rec.ConferralID, rec.AwardID, rec.Recipient, rec.ConferralID)
		case stakhanov.LedgerRevocation:
			rep.problem("ledger record %d revokes conferral %d (decree %d, %s) but the database has no revocation of it", i, rec.ConferralID, rec.DecreeID, rec.Grounds)
		}
	}
	return rep, nil
}

// parseUnverified reads a signed checkpoint's text without checking its
// signature.
func parseUnverified(msg []byte) (Checkpoint, error) {
	text, _, ok := strings.Cut(string(msg), "\n\n")
	if !ok {
		return Checkpoint{}, fmt.Errorf("not a signed note")
	}
	return ParseCheckpoint(text + "\n")
}

func joinInts(xs []int64) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
