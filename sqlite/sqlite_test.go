package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
	"github.com/stakhanov/stakhanov/storetest"
)

func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) stakhanov.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestStateImportsInParts runs the state's property test with imports
// that add their credits to the state every two credits, one subject a
// run, as a large import does every million, 250,000 credits a run.
func TestStateImportsInParts(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), time.Now, sqlstore.WithImportStateEvery(2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.StateProperty(t, db)
}

// TestCloseLeavesTheFileWhole checks that a closed database is its file
// alone, without its write-ahead log, after reads too: the file is what
// gets copied (stakhanov gen -out writes one to be imported into).
func TestCloseLeavesTheFileWhole(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := sqlite.Open(ctx, path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	u := &stakhanov.Unit{Kind: stakhanov.UnitMinistry, Name: "Ministry"}
	if err := db.CreateUnit(stakhanov.NewContext(ctx, stakhanov.System), u); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.FindUnits(ctx, stakhanov.UnitFilter{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(alone, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err = sqlite.Open(ctx, alone, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, n, err := db.FindUnits(ctx, stakhanov.UnitFilter{}); err != nil || n != 1 {
		t.Fatalf("the file alone holds %d units (%v), want 1", n, err)
	}
}
