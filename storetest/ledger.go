package storetest

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/ledger"
)

// LedgerWorld is a store whose ledger holds three signed decrees:
//
//	0 decree 1 (record: Hero of Labour to the miner)   1 conferral Revoked
//	2 decree 2 (record: Hero of Socialist Labour to the turner)
//	3 conferral Title                                   4 conferral Companion (Order of Lenin)
//	5 decree 3 (revoke)                                 6 revocation of Revoked
type LedgerWorld struct {
	Miner, Turner                      int64
	Revoked, Title, Companion          int64
	RecordDecree, SecondDecree, Revoke int64
}

// NewLedgerWorld signs the decrees of a LedgerWorld in s.
func NewLedgerWorld(t *testing.T, s stakhanov.Store) *LedgerWorld {
	t.Helper()
	h := newHonours(t, s)
	w := &LedgerWorld{Miner: h.miner.ID, Turner: h.turner.ID}
	d1, err := h.decree(t, s, "1", "1936-01-01", stakhanov.DecreeRecord, record(h.ussr, h.miner))
	must(t, err)
	d2, err := h.decree(t, s, "2", "1939-12-27", stakhanov.DecreeRecord, record(h.hsl, h.turner))
	must(t, err)
	w.Revoked, w.Title, w.Companion = d1.Conferrals[0], d2.Conferrals[0], d2.Conferrals[1]
	d3, err := h.decree(t, s, "3", "1990-01-01", stakhanov.DecreeRevoke, stakhanov.DecreeEntry{ConferralID: w.Revoked, Grounds: "records found false"})
	must(t, err)
	w.RecordDecree, w.SecondDecree, w.Revoke = d1.ID, d2.ID, d3.ID
	return w
}

func testLedgerAppends(t *testing.T, s stakhanov.Store) {
	w := NewLedgerWorld(t, s)
	size, err := s.LedgerSize(bg)
	must(t, err)
	if size != 7 {
		t.Fatalf("ledger size: got %d, want 7", size)
	}
	recs, err := s.LedgerRecords(bg, 0, 100)
	must(t, err)
	want := []struct {
		kind string
		id   int64
	}{
		{stakhanov.LedgerDecree, w.RecordDecree}, {stakhanov.LedgerConferral, w.Revoked},
		{stakhanov.LedgerDecree, w.SecondDecree}, {stakhanov.LedgerConferral, w.Title}, {stakhanov.LedgerConferral, w.Companion},
		{stakhanov.LedgerDecree, w.Revoke}, {stakhanov.LedgerRevocation, w.Revoked},
	}
	if len(recs) != len(want) {
		t.Fatalf("records: got %d, want %d", len(recs), len(want))
	}
	leaves := make([]tlog.Hash, len(recs))
	for i, r := range recs {
		rec, err := ledger.Decode(r.Data)
		if err != nil {
			t.Fatalf("record %d: %v (%s)", i, err, r.Data)
		}
		if r.Index != int64(i) || r.Kind != want[i].kind || r.RefID != want[i].id || rec.Kind != want[i].kind || rec.RefID() != want[i].id || r.CreatedAt.IsZero() {
			t.Fatalf("record %d: got %+v %s, want %s %d", i, r, r.Data, want[i].kind, want[i].id)
		}
		leaves[i] = tlog.RecordHash(r.Data)
	}
	// The conferral's record carries what matters.
	c, err := s.FindConferralByID(bg, w.Title)
	must(t, err)
	if got, want := string(recs[3].Data), string(ledger.ConferralRecord(c).Encode()); got != want {
		t.Fatalf("conferral record: got %s, want %s", got, want)
	}
	idx, err := s.LedgerRecordIndex(bg, stakhanov.LedgerRevocation, w.Revoked)
	must(t, err)
	if idx != 6 {
		t.Fatalf("revocation's record: got %d, want 6", idx)
	}
	_, err = s.LedgerRecordIndex(bg, stakhanov.LedgerConferral, 9999)
	wantCode(t, err, stakhanov.ENOTFOUND, "")
	part, err := s.LedgerRecords(bg, 5, 1)
	must(t, err)
	if len(part) != 1 || part[0].Index != 5 {
		t.Fatalf("LedgerRecords(5, 1): got %+v", part)
	}

	// The stored hashes are those tlog computes from the records, and
	// rebuild the root.
	var mem []tlog.Hash
	memr := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = mem[x]
		}
		return out, nil
	})
	for i, leaf := range leaves {
		hs, err := tlog.StoredHashesForRecordHash(int64(i), leaf, memr)
		must(t, err)
		mem = append(mem, hs...)
	}
	all, err := s.LedgerHashRange(bg, 0, 1000)
	must(t, err)
	if int64(len(all)) != tlog.StoredHashCount(7) {
		t.Fatalf("stored hashes: got %d, want %d", len(all), tlog.StoredHashCount(7))
	}
	for i, h := range all {
		if h.Index != int64(i) || h.Hash != mem[i] {
			t.Fatalf("stored hash %d: got %+v, want %v", i, h, mem[i])
		}
	}
	root, err := ledger.TreeHash(bg, s, 7)
	must(t, err)
	wantRoot, err := tlog.TreeHash(7, memr)
	must(t, err)
	if root != wantRoot {
		t.Fatalf("root: got %v, want %v", root, wantRoot)
	}
	_, err = s.LedgerHashes(bg, []int64{tlog.StoredHashCount(7)})
	if err == nil {
		t.Fatal("LedgerHashes of a hash not stored: no error")
	}

	// Inclusion of every record in every tree that holds it, and
	// consistency of every tree with every later one.
	for n := int64(1); n <= 7; n++ {
		th, err := ledger.TreeHash(bg, s, n)
		must(t, err)
		for i := int64(0); i < n; i++ {
			p, err := ledger.ProveInclusion(bg, s, i, n)
			must(t, err)
			if err := tlog.CheckRecord(p.Hashes, n, th, i, leaves[i]); err != nil || p.LeafHash != leaves[i] {
				t.Fatalf("inclusion of %d in %d: %v", i, n, err)
			}
		}
		for m := n; m <= 7; m++ {
			tm, err := ledger.TreeHash(bg, s, m)
			must(t, err)
			p, err := ledger.ProveConsistency(bg, s, n, m)
			must(t, err)
			if err := tlog.CheckTree(p.Hashes, m, tm, n, th); err != nil {
				t.Fatalf("consistency of %d with %d: %v", n, m, err)
			}
		}
	}
	_, err = ledger.ProveInclusion(bg, s, 7, 7)
	wantCode(t, err, stakhanov.EINVALID, "index")
	_, err = ledger.ProveInclusion(bg, s, 0, 8)
	wantCode(t, err, stakhanov.EINVALID, "size")
	_, err = ledger.ProveConsistency(bg, s, 5, 3)
	wantCode(t, err, stakhanov.EINVALID, "old")

	// A decree that fails to sign appends nothing.
	authority := account(t, s, "authority-2", stakhanov.RoleAuthority, nil, nil)
	bad := &stakhanov.Decree{Number: "4", Date: date(t, "1991-01-01"), Authority: "Presidium", Kind: stakhanov.DecreeRevoke,
		Entries: []stakhanov.DecreeEntry{{ConferralID: w.Revoked, Grounds: "conviction"}}}
	must(t, s.CreateDecree(as(authority), bad))
	_, err = s.SignDecree(as(authority), bad.ID)
	wantCode(t, err, stakhanov.EINVALID, "entries[0]")
	if n, err := s.LedgerSize(bg); err != nil || n != 7 {
		t.Fatalf("size after a refused decree: got %d, %v", n, err)
	}

	// Checkpoints: kept once per size, largest first.
	key, err := ledger.GenerateKey("stakhanov.test/ledger")
	must(t, err)
	log := ledger.NewLog(s, key)
	first, err := log.Sign(bg, 3)
	must(t, err)
	latest, err := log.Checkpoint(bg)
	must(t, err)
	again, err := log.Checkpoint(bg)
	must(t, err)
	if string(latest) != string(again) {
		t.Fatalf("checkpoint of an unchanged ledger changed:\n%s\n%s", latest, again)
	}
	must(t, s.SaveLedgerCheckpoint(bg, &stakhanov.LedgerCheckpoint{Size: 3, Text: []byte("other")}))
	kept, total, err := s.LedgerCheckpoints(bg, stakhanov.Page{})
	must(t, err)
	if total != 2 || kept[0].Size != 7 || string(kept[0].Text) != string(latest) || kept[1].Size != 3 || string(kept[1].Text) != string(first) {
		t.Fatalf("checkpoints kept: got %d %+v", total, kept)
	}
	cp, err := ledger.OpenCheckpoint(latest, key.Verifier)
	must(t, err)
	if cp.Size != 7 || cp.Hash != root || cp.Origin != "stakhanov.test/ledger" {
		t.Fatalf("checkpoint: got %+v", cp)
	}

	// And the database agrees with its ledger.
	rep, err := ledger.Verify(bg, s, key.Verifier)
	must(t, err)
	if !rep.OK() || rep.Decrees != 3 || rep.Conferrals != 3 || rep.Revocations != 1 || rep.Checkpoints != 2 || rep.Root != root {
		t.Fatalf("verify: got %+v", rep)
	}
}

// testLedgerConcurrentSigning signs decrees at the same time: the ledger
// orders their appends, and stays whole.
func testLedgerConcurrentSigning(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	var decrees []*stakhanov.Decree
	for i, e := range []struct {
		a  *stakhanov.Award
		p  *stakhanov.Person
		on string
	}{{h.ussr, h.miner, "1936-01-01"}, {h.lenin, h.turner, "1950-01-01"}, {h.rf, h.helper1, "2014-05-01"}, {h.hsl, h.helper2, "1960-01-01"}} {
		d := &stakhanov.Decree{Number: fmt.Sprint("c", i), Date: date(t, e.on), Authority: "Presidium", Kind: stakhanov.DecreeRecord,
			Entries: []stakhanov.DecreeEntry{record(e.a, e.p)}}
		must(t, s.CreateDecree(as(h.authority), d))
		decrees = append(decrees, d)
	}
	errs := make(chan error, len(decrees))
	for _, d := range decrees {
		go func() {
			for {
				_, err := s.SignDecree(as(h.authority), d.ID)
				// Two decrees conferring the Order of Lenin at once: one is
				// told to try again.
				if stakhanov.ErrorCode(err) == stakhanov.ECONFLICT && !strings.Contains(stakhanov.ErrorMessage(err), "signed already") {
					continue
				}
				errs <- err
				return
			}
		}()
	}
	for range decrees {
		must(t, <-errs)
	}
	size, err := s.LedgerSize(bg)
	must(t, err)
	if size != 9 {
		t.Fatalf("ledger size: got %d, want 9 (4 decrees, 5 conferrals)", size)
	}
	rep, err := ledger.Verify(bg, s, nil)
	must(t, err)
	if !rep.OK() || rep.Decrees != 4 || rep.Conferrals != 5 {
		t.Fatalf("verify: got %+v", rep)
	}
}
