package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/sqlstore"
	"github.com/stakhanov/stakhanov/storetest"
)

// TestShiftMigration runs migration 0010 (a table rebuild, with foreign
// keys off) on a database that holds several reports for one shift.
func TestShiftMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on&_journal_mode=WAL")
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	old.SetMaxOpenConns(1)
	sub, _ := fs.Sub(migrations, "migrations")
	if err := sqlstore.Migrate(context.Background(), old, dialect{}, storetest.MigrationsBefore(t, sub, "0010")); err != nil {
		t.Fatal(err)
	}
	storetest.ShiftMigration(t, old, func(t *testing.T) stakhanov.Store {
		s, err := Open(context.Background(), path, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		var fk int
		if err := s.WriteDB().QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
			t.Fatalf("foreign keys after the migration: got %d (%v), want on", fk, err)
		}
		return s
	})
}
