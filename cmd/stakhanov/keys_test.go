package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestKeysCannotSilentlyChange: a server started again with other key
// files (as from another directory) refuses to start, naming the key the
// database signs with; a rotated credential key is used from then on and
// the old one stays in the key set.
func TestKeysCannotSilentlyChange(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "keys.db")
	start := func(ledgerKey, credentialKey string) (*Main, error) {
		t.Helper()
		m := NewMain()
		m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
		m.Config.DB, m.Config.Addr = db, "127.0.0.1:0"
		m.Config.LedgerKey, m.Config.CredentialKey = ledgerKey, credentialKey
		err := m.Open(context.Background())
		if err != nil {
			m.Close()
			return nil, err
		}
		return m, nil
	}
	ledgerKey, credKey := filepath.Join(dir, "ledger-key"), filepath.Join(dir, "credential-key.pem")
	m, err := start(ledgerKey, credKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Ledger.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	m.Close()

	elsewhere := filepath.Join(t.TempDir(), "other")
	if _, err := start(elsewhere+"-ledger-key", credKey); err == nil || !strings.Contains(err.Error(), "there is no key file") || !strings.Contains(err.Error(), "ledger is signed with the key stakhanov") {
		t.Fatalf("started with a missing ledger key: got %v", err)
	}
	if _, err := start(ledgerKey, elsewhere+"-credential-key.pem"); err == nil || !strings.Contains(err.Error(), "there is no key file") {
		t.Fatalf("started with a missing credential key: got %v", err)
	}

	// A database from before keys were recorded: its checkpoints name
	// the key that signed them.
	s, err := openStore(context.Background(), db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteDB().Exec(`DELETE FROM signing_keys WHERE purpose = 'ledger'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := start(elsewhere+"-ledger-key", credKey); err == nil || !regexp.MustCompile(`signed with the key stakhanov\.example/ledger\+[0-9a-f]{8}`).MatchString(err.Error()) {
		t.Fatalf("started with another ledger key on an older database: got %v", err)
	}

	// Rotation: the new key signs, the old one is still in the key set.
	e, out, errOut := testEnv(map[string]string{"STAKHANOV_DB": db})
	newKey := filepath.Join(dir, "credential-key-2.pem")
	if code := run(context.Background(), []string{"keys", "rotate-credential", "-new-key", newKey}, e); code != 0 {
		t.Fatalf("keys rotate-credential: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "-credential-key "+newKey) {
		t.Fatalf("rotate: got %q", out)
	}
	if _, err := start(ledgerKey, credKey); err == nil || !strings.Contains(err.Error(), "but the database's credentials are signed with") {
		t.Fatalf("started with the retired credential key: got %v", err)
	}
	m, err = start(ledgerKey, newKey)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	res, err := http.Get(m.URL() + "/api/v1/credentials/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set struct{ Keys []struct{ Kid string } }
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 2 || set.Keys[0].Kid == set.Keys[1].Kid {
		t.Fatalf("the key set after a rotation: got %+v, want the new key and the retired one", set.Keys)
	}
	e, out, _ = testEnv(map[string]string{"STAKHANOV_DB": db})
	if code := run(context.Background(), []string{"keys", "list"}, e); code != 0 || strings.Count(out.String(), "retired") != 1 || strings.Count(out.String(), "in use") != 2 {
		t.Fatalf("keys list: got\n%s", out)
	}
}
