package ledger_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/ledger"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
	"github.com/stakhanov/stakhanov/storetest"
)

var bg = context.Background()

func openSQLite(t *testing.T) *sqlstore.DB {
	db, err := sqlite.Open(bg, filepath.Join(t.TempDir(), "t.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openPostgres(t *testing.T) *sqlstore.DB { return pgtest.Open(t, time.Now) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRecordEncoding(t *testing.T) {
	c := &stakhanov.Conferral{ID: 12, AwardID: 3, Recipient: stakhanov.PersonSubject(7), DecreeID: 4, Serial: 1,
		Date: stakhanov.NewDate(1939, 12, 27), Times: 2, Brings: "bronze bust & <honour>", CompanionOf: 0}
	got := string(ledger.ConferralRecord(c).Encode())
	want := `{"award_id":3,"brings":"bronze bust & <honour>","conferral_id":12,"date":"1939-12-27","decree_id":4,"kind":"conferral","recipient":"person:7","serial":1,"times":2,"v":1}`
	if got != want {
		t.Fatalf("conferral record:\n got %s\nwant %s", got, want)
	}
	signed := time.Date(1939, 12, 27, 10, 11, 12, 987654321, time.FixedZone("MSK", 3*3600))
	d := &stakhanov.Decree{ID: 4, Number: "17/3", Date: stakhanov.NewDate(1939, 12, 27), Authority: "Presidium", Kind: stakhanov.DecreeRecord, SignedAt: &signed, SignedBy: 2}
	got = string(ledger.DecreeRecord(d).Encode())
	want = `{"authority":"Presidium","date":"1939-12-27","decree_id":4,"decree_kind":"record","kind":"decree","number":"17/3","signed_at":"1939-12-27T07:11:12Z","signed_by":2,"v":1}`
	if got != want {
		t.Fatalf("decree record:\n got %s\nwant %s", got, want)
	}
	r, err := ledger.Decode([]byte(want))
	must(t, err)
	if r.Key() != "decree 4" {
		t.Fatalf("key: got %q", r.Key())
	}
	for _, bad := range []string{
		`{"date":"1939-12-27", "decree_id":4,"kind":"decree","v":1}`, // whitespace
		`{"decree_id":4,"date":"1939-12-27","kind":"decree","v":1}`,  // key order
		`{"date":"1939-12-27","decree_id":4,"kind":"medal","v":1}`,
		`{"date":"1939-12-27","decree_id":4,"kind":"decree","v":1,"x":1}`,
	} {
		if _, err := ledger.Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%s): no error", bad)
		}
	}
	diff := ledger.Diff(ledger.ConferralRecord(c), ledger.ConferralRecord(&stakhanov.Conferral{ID: 12, AwardID: 3, Recipient: stakhanov.PersonSubject(5),
		DecreeID: 4, Serial: 1, Date: c.Date, Times: 2, Brings: c.Brings}))
	if len(diff) != 1 || diff[0] != "recipient is person:7 in the database but person:5" {
		t.Fatalf("diff: got %q", diff)
	}
}

func TestCheckpointFormat(t *testing.T) {
	key, err := ledger.GenerateKey("stakhanov.example/ledger")
	must(t, err)
	cp := ledger.Checkpoint{Origin: "stakhanov.example/ledger", Size: 7, Hash: tlog.RecordHash([]byte("x"))}
	msg, err := ledger.SignCheckpoint(cp, key.Signer)
	must(t, err)
	text, sig, _ := strings.Cut(string(msg), "\n\n")
	lines := strings.Split(text, "\n")
	if len(lines) != 3 || lines[0] != "stakhanov.example/ledger" || lines[1] != "7" || len(lines[2]) != 44 || !strings.HasPrefix(sig, "— stakhanov.example/ledger ") {
		t.Fatalf("checkpoint:\n%s", msg)
	}
	got, err := ledger.CheckCheckpoint(key.Public, msg)
	must(t, err)
	if got != cp {
		t.Fatalf("checkpoint: got %+v, want %+v", got, cp)
	}
	again, err := ledger.ParseKey(key.Secret)
	must(t, err)
	if again.Public != key.Public {
		t.Fatalf("public key derived from the secret: got %s, want %s", again.Public, key.Public)
	}
	// One changed character in the text breaks the signature.
	forged := []byte(strings.Replace(string(msg), "\n7\n", "\n8\n", 1))
	if _, err := ledger.CheckCheckpoint(key.Public, forged); err == nil || !strings.Contains(err.Error(), "does not verify") {
		t.Fatalf("altered checkpoint: got %v", err)
	}
	// A key file: created 0600, refused when others may read it.
	path := filepath.Join(t.TempDir(), "keys", "ledger-key")
	k1, created, err := ledger.LoadKey(path, "", true)
	must(t, err)
	k2, created2, err := ledger.LoadKey(path, "", true)
	must(t, err)
	if !created || created2 || k1.Public != k2.Public || k1.Origin() != ledger.DefaultOrigin {
		t.Fatalf("key file: created %v then %v, %s and %s", created, created2, k1.Public, k2.Public)
	}
	if _, _, err := ledger.LoadKey(path, "other.example/log", false); err == nil {
		t.Fatal("key named otherwise than the origin: no error")
	}
	k3, _, err := ledger.LoadKey(key.Secret, "", false)
	must(t, err)
	if k3.Public != key.Public {
		t.Fatal("key given by configuration: not the same key")
	}
}

// TestOffline checks checkpoints, inclusion and consistency from what the
// API serves, with nothing but the public key.
func TestOffline(t *testing.T) {
	s := openSQLite(t)
	// A ledger of three records (the first decree and its conferral, and
	// the second decree's record), then of seven.
	storetest.NewLedgerWorld(t, s)
	key, err := ledger.GenerateKey("stakhanov.example/ledger")
	must(t, err)
	log := ledger.NewLog(s, key)
	oldMsg, err := log.Sign(bg, 3)
	must(t, err)
	newMsg, err := log.Checkpoint(bg)
	must(t, err)

	old, err := ledger.CheckCheckpoint(key.Public, oldMsg)
	must(t, err)
	cur, err := ledger.CheckCheckpoint(key.Public, newMsg)
	must(t, err)
	if old.Size != 3 || cur.Size != 7 {
		t.Fatalf("sizes: %d, %d", old.Size, cur.Size)
	}
	proof, err := ledger.ProveConsistency(bg, s, 3, 7)
	must(t, err)
	must(t, ledger.CheckConsistency(old, cur, proof))

	for i := int64(0); i < 7; i++ {
		rec, _, err := ledger.ReadRecord(bg, s, i)
		must(t, err)
		p, err := ledger.ProveInclusion(bg, s, i, 7)
		must(t, err)
		must(t, ledger.CheckInclusion(cur, rec.Data, p))
		// An altered record is not in the tree.
		altered := []byte(strings.Replace(string(rec.Data), `"v":1`, `"v":2`, 1))
		p.LeafHash = tlog.Hash{}
		if err := ledger.CheckInclusion(cur, altered, p); err == nil {
			t.Fatalf("altered record %d: included", i)
		}
	}

	// A checkpoint signed by another key, even under the log's name, is
	// refused.
	other, err := ledger.GenerateKey("stakhanov.example/ledger")
	must(t, err)
	forged, err := ledger.SignCheckpoint(ledger.Checkpoint{Origin: cur.Origin, Size: 8, Hash: tlog.RecordHash([]byte("forged"))}, other.Signer)
	must(t, err)
	if _, err := ledger.CheckCheckpoint(key.Public, forged); err == nil || !strings.Contains(err.Error(), "not signed by the log's key") {
		t.Fatalf("checkpoint signed by another key: got %v", err)
	}
	// A tree that shrank is refused, even signed by the log's key.
	shrunkMsg, err := ledger.SignCheckpoint(ledger.Checkpoint{Origin: cur.Origin, Size: 2, Hash: tlog.RecordHash([]byte("x"))}, key.Signer)
	must(t, err)
	shrunk, err := ledger.CheckCheckpoint(key.Public, shrunkMsg)
	must(t, err)
	if err := ledger.CheckConsistency(cur, shrunk, &ledger.ConsistencyProof{Old: 7, New: 2}); err == nil || !strings.Contains(err.Error(), "shrank from 7 to 2") {
		t.Fatalf("shrunk tree: got %v", err)
	}
	// A rewritten log (same size, other root) fails the proof.
	rewritten := cur
	rewritten.Hash = tlog.RecordHash([]byte("rewritten"))
	if err := ledger.CheckConsistency(old, rewritten, proof); err == nil || !strings.Contains(err.Error(), "rewritten") {
		t.Fatalf("rewritten log: got %v", err)
	}
}

func TestTamperSQLite(t *testing.T) { testTamper(t, openSQLite) }

func TestTamperPostgres(t *testing.T) {
	pgtest.URL(t)
	testTamper(t, openPostgres)
}

// testTamper changes the database behind the store's back, one way per
// case, and checks that Verify names what is wrong.
func testTamper(t *testing.T, open func(t *testing.T) *sqlstore.DB) {
	cases := []struct {
		name   string
		tamper func(w *storetest.LedgerWorld) []string
		want   func(w *storetest.LedgerWorld) []string
	}{
		{"RecipientChanged", func(w *storetest.LedgerWorld) []string {
			return []string{fmt.Sprintf("UPDATE conferrals SET recipient_id = %d WHERE id = %d", w.Miner, w.Title)}
		}, func(w *storetest.LedgerWorld) []string {
			return []string{fmt.Sprintf("conferral %d: recipient is person:%d in the database but person:%d in ledger record 3", w.Title, w.Miner, w.Turner)}
		}},
		{"RecordDeleted", func(w *storetest.LedgerWorld) []string {
			return []string{"DELETE FROM ledger_records WHERE idx = 4"}
		}, func(w *storetest.LedgerWorld) []string {
			return []string{"ledger record 4 is missing", fmt.Sprintf("conferral %d has no ledger record", w.Companion)}
		}},
		{"RecordsSwapped", func(w *storetest.LedgerWorld) []string {
			return []string{
				"UPDATE ledger_records SET idx = 100 WHERE idx = 2",
				"UPDATE ledger_records SET idx = 2 WHERE idx = 3",
				"UPDATE ledger_records SET idx = 3 WHERE idx = 100",
			}
		}, func(w *storetest.LedgerWorld) []string {
			return []string{"ledger records 2 and 3 are swapped: each holds the other's record (hash mismatch)"}
		}},
		{"RevocationRemoved", func(w *storetest.LedgerWorld) []string {
			return []string{fmt.Sprintf("DELETE FROM revocations WHERE conferral_id = %d", w.Revoked)}
		}, func(w *storetest.LedgerWorld) []string {
			return []string{fmt.Sprintf("ledger record 6 revokes conferral %d (decree %d, records found false) but the database has no revocation of it", w.Revoked, w.Revoke)}
		}},
		{"RecordRewritten", func(w *storetest.LedgerWorld) []string {
			// The record and the conferral are changed alike: only the
			// hashes tell.
			return []string{
				fmt.Sprintf("UPDATE conferrals SET recipient_id = %d WHERE id = %d", w.Miner, w.Title),
				fmt.Sprintf("UPDATE ledger_records SET record = REPLACE(record, '\"recipient\":\"person:%d\"', '\"recipient\":\"person:%d\"') WHERE idx = 3", w.Turner, w.Miner),
			}
		}, func(w *storetest.LedgerWorld) []string {
			return []string{"ledger record 3 was altered after it was appended: it does not match its stored hash"}
		}},
		{"HashesRewritten", func(w *storetest.LedgerWorld) []string {
			// The record and the conferral are changed alike, and every
			// stored hash recomputed: only the signed checkpoint tells.
			return []string{
				fmt.Sprintf("UPDATE conferrals SET serial = 9 WHERE id = %d", w.Title),
				"UPDATE ledger_records SET record = REPLACE(record, '\"serial\":1', '\"serial\":9') WHERE idx = 3",
				rehash,
			}
		}, func(w *storetest.LedgerWorld) []string {
			return []string{"the first 7 ledger records no longer make the root hash signed in the checkpoint of"}
		}},
		{"Shrunk", func(w *storetest.LedgerWorld) []string {
			return []string{
				"DELETE FROM ledger_records WHERE idx = 6",
				"DELETE FROM ledger_hashes WHERE idx >= 10",
				"UPDATE ledger_head SET size = 6",
				fmt.Sprintf("DELETE FROM revocations WHERE conferral_id = %d", w.Revoked),
			}
		}, func(w *storetest.LedgerWorld) []string {
			return []string{"the ledger shrank: a checkpoint signed", "covers 7 records but the ledger holds 6"}
		}},
		{"CheckpointForged", func(w *storetest.LedgerWorld) []string {
			other, _ := ledger.GenerateKey("stakhanov.test/ledger")
			msg, _ := ledger.SignCheckpoint(ledger.Checkpoint{Origin: "stakhanov.test/ledger", Size: 7}, other.Signer)
			return []string{fmt.Sprintf("UPDATE ledger_checkpoints SET checkpoint = '%s' WHERE size = 7", msg)}
		}, func(w *storetest.LedgerWorld) []string {
			return []string{"checkpoint of size 7 signed", "is not signed by the log's key stakhanov.test/ledger"}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := open(t)
			w := storetest.NewLedgerWorld(t, s)
			key, err := ledger.GenerateKey("stakhanov.test/ledger")
			must(t, err)
			_, err = ledger.NewLog(s, key).Checkpoint(bg)
			must(t, err)
			rep, err := ledger.Verify(bg, s, key.Verifier)
			must(t, err)
			if !rep.OK() {
				t.Fatalf("before tampering: %q", rep.Problems)
			}
			for _, q := range tc.tamper(w) {
				if q == rehash {
					rehashAll(t, s)
					continue
				}
				if _, err := s.WriteDB().ExecContext(bg, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			rep, err = ledger.Verify(bg, s, key.Verifier)
			must(t, err)
			if rep.OK() {
				t.Fatal("tampering not detected")
			}
			all := strings.Join(rep.Problems, "\n")
			for _, want := range tc.want(w) {
				if !strings.Contains(all, want) {
					t.Errorf("problems do not say %q:\n%s", want, all)
				}
			}
			t.Logf("verify says:\n%s", all)
		})
	}
}

// rehash, among a case's statements, recomputes every stored hash from the
// records as they are, as a forger with the database but not the key would.
const rehash = "rehash"

func rehashAll(t *testing.T, s *sqlstore.DB) {
	recs, err := s.LedgerRecords(bg, 0, 1000)
	must(t, err)
	var mem []tlog.Hash
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = mem[x]
		}
		return out, nil
	})
	for _, rec := range recs {
		hs, err := tlog.StoredHashes(rec.Index, rec.Data, r)
		must(t, err)
		mem = append(mem, hs...)
	}
	for i, h := range mem {
		_, err := s.WriteDB().ExecContext(bg, fmt.Sprintf("UPDATE ledger_hashes SET hash = '%s' WHERE idx = %d", base64.StdEncoding.EncodeToString(h[:]), i))
		must(t, err)
	}
}
