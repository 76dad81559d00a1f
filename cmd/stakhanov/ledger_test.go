package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/ledger"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/storetest"
)

// ledgerRun runs one command line and returns its exit code and output.
func ledgerRun(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	e, out, errOut := testEnv(nil)
	code := run(context.Background(), args, e)
	t.Logf("stakhanov %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
	return code, out.String(), errOut.String()
}

func wantOutput(t *testing.T, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("output does not say %q:\n%s", w, got)
		}
	}
}

// TestLedgerCommands runs the ledger end to end: the server makes the key
// and signs a checkpoint, the ledger grows, export writes it as files,
// check verifies them offline and refuses forgeries, and verify names
// what was tampered with in the database.
func TestLedgerCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "ledger.db")
	s, err := sqlite.Open(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	w := storetest.NewLedgerWorld(t, s)
	s.Close()

	// The server makes the key at first start, readable by its owner only,
	// and serves a checkpoint of the 7 records.
	m := NewMain()
	m.Config.DB, m.Config.Addr = db, "127.0.0.1:0"
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(m.URL() + "/api/v1/ledger/checkpoint")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "\n7\n") {
		t.Fatalf("checkpoint: %d %s", res.StatusCode, body)
	}
	// The ledger grows by a decree and its conferral.
	awards, _, err := m.Store.FindAwards(ctx, stakhanov.AwardFilter{})
	if err != nil {
		t.Fatal(err)
	}
	sys := systemContext(ctx)
	d := &stakhanov.Decree{Number: "4", Date: stakhanov.NewDate(2014, 5, 1), Authority: "President", Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{{AwardID: awards[len(awards)-1].ID, Recipient: stakhanov.PersonSubject(w.Miner)}}}
	if err := m.Store.CreateDecree(sys, d); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Store.SignDecree(sys, d.ID); err != nil {
		t.Fatal(err)
	}
	m.Close()
	info, err := os.Stat(db + ".ledger-key")
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("ledger key mode: %o, want 600", info.Mode().Perm())
	}

	code, out, _ := ledgerRun(t, "ledger", "verify", "-db", db)
	if code != 0 {
		t.Fatalf("verify of an untouched database: exit %d", code)
	}
	wantOutput(t, out, "ledger: 9 records", "4 signed decrees, 4 conferrals, 1 revocations, 1 signed checkpoints (the largest of 7 records)",
		"records 7 to 8 are not yet covered", "OK: the database and its ledger agree")

	dir := filepath.Join(t.TempDir(), "export")
	code, out, _ = ledgerRun(t, "ledger", "export", "-db", db, "-dir", dir)
	if code != 0 {
		t.Fatalf("export: exit %d", code)
	}
	wantOutput(t, out, "a checkpoint of 9 records", "9 records with their inclusion proofs, 1 older checkpoints")
	f := func(name string) string { return filepath.Join(dir, name) }

	// Offline: the record of the revocation is in the tree, and the tree
	// of 9 extends the one of 7 signed before.
	code, out, _ = ledgerRun(t, "ledger", "check", "-key", f("key"), "-checkpoint", f("checkpoint"),
		"-record", f("records/6"), "-index", "6", "-proof", f("proofs/inclusion-6.json"),
		"-old-checkpoint", f("checkpoints/7"), "-consistency-proof", f("proofs/consistency-7-9.json"))
	if code != 0 {
		t.Fatalf("check: exit %d", code)
	}
	wantOutput(t, out, "9 records", "signature OK", fmt.Sprintf("record 6 (revocation %d) is in the tree of 9 records: inclusion OK", w.Revoked),
		"the tree of 9 records extends the trusted tree of 7 records: consistency OK")

	// An altered record is not in the tree.
	rec, _ := os.ReadFile(f("records/3"))
	altered := strings.Replace(string(rec), fmt.Sprintf("person:%d", w.Turner), fmt.Sprintf("person:%d", w.Miner), 1)
	os.WriteFile(f("altered"), []byte(altered), 0o644)
	code, _, errOut := ledgerRun(t, "ledger", "check", "-key", f("key"), "-checkpoint", f("checkpoint"), "-record", f("altered"), "-proof", f("proofs/inclusion-3.json"))
	if code != 1 {
		t.Fatalf("check of an altered record: exit %d", code)
	}
	wantOutput(t, errOut, "record 3 does not hash to the proof's leaf hash")

	// A checkpoint signed by another key is refused.
	other, err := ledger.GenerateKey(ledger.DefaultOrigin)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := ledger.SignCheckpoint(ledger.Checkpoint{Origin: ledger.DefaultOrigin, Size: 9}, other.Signer)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(f("forged"), forged, 0o644)
	code, _, errOut = ledgerRun(t, "ledger", "check", "-key", f("key"), "-checkpoint", f("forged"))
	if code != 1 {
		t.Fatalf("check of a forged checkpoint: exit %d", code)
	}
	wantOutput(t, errOut, "checkpoint is not signed by the log's key")

	// A tree that shrank is refused: the newer checkpoint is the smaller.
	code, _, errOut = ledgerRun(t, "ledger", "check", "-key", f("key"), "-checkpoint", f("checkpoints/7"),
		"-old-checkpoint", f("checkpoint"), "-consistency-proof", f("proofs/consistency-7-9.json"))
	if code != 1 {
		t.Fatalf("check of a shrunk tree: exit %d", code)
	}
	wantOutput(t, errOut, "the tree shrank from 9 to 7 records")

	// Tampering in the database, behind the store's back.
	s, err = sqlite.Open(ctx, db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		fmt.Sprintf("UPDATE conferrals SET recipient_id = %d WHERE id = %d", w.Miner, w.Title),
		fmt.Sprintf("DELETE FROM revocations WHERE conferral_id = %d", w.Revoked),
		"DELETE FROM ledger_records WHERE idx = 4",
		"UPDATE ledger_records SET idx = 100 WHERE idx = 7",
		"UPDATE ledger_records SET idx = 7 WHERE idx = 8",
		"UPDATE ledger_records SET idx = 8 WHERE idx = 100",
	} {
		if _, err := s.WriteDB().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
	code, out, errOut = ledgerRun(t, "ledger", "verify", "-db", db)
	if code != 1 {
		t.Fatalf("verify of a tampered database: exit %d", code)
	}
	wantOutput(t, out,
		fmt.Sprintf("PROBLEM: conferral %d: recipient is person:%d in the database but person:%d in ledger record 3", w.Title, w.Miner, w.Turner),
		"PROBLEM: ledger record 4 is missing",
		fmt.Sprintf("PROBLEM: conferral %d has no ledger record", w.Companion),
		"PROBLEM: ledger records 7 and 8 are swapped",
		fmt.Sprintf("PROBLEM: ledger record 6 revokes conferral %d", w.Revoked))
	wantOutput(t, errOut, "5 problems: the database does not agree with its ledger")

	for _, sub := range []string{"verify", "check", "export"} {
		code, _, errOut = ledgerRun(t, "ledger", sub, "-h")
		if code != 0 || !strings.Contains(errOut, "Usage: stakhanov ledger "+sub) {
			t.Errorf("ledger %s -h: exit %d, %s", sub, code, errOut)
		}
	}
	code, _, errOut = ledgerRun(t, "ledger", "frobnicate")
	if code != 2 || !strings.Contains(errOut, "verify|check|export") {
		t.Fatalf("unknown subcommand: exit %d, %s", code, errOut)
	}
}
