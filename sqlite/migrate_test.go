package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
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

// TestMigrationForeignKeysOff: a migration marked to run with foreign keys
// off is refused, and rolled back, if it leaves a row whose foreign key
// names no row; foreign keys are on again after it either way.
func TestMigrationForeignKeysOff(t *testing.T) {
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(t.TempDir(), "fk.db")+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	base := fstest.MapFS{"0001_base.sql": {Data: []byte(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id));
INSERT INTO parent (id) VALUES (1), (2);
INSERT INTO child (id, parent_id) VALUES (1, 1), (2, 2);`)}}
	if err := sqlstore.Migrate(ctx, db, dialect{}, base); err != nil {
		t.Fatal(err)
	}
	// A rebuild of parent: with foreign keys on, the DROP would fail.
	rebuild := fstest.MapFS{"0001_base.sql": base["0001_base.sql"], "0002_rebuild.sql": {Data: []byte(`-- stakhanov: foreign keys off
CREATE TABLE parent_new (id INTEGER PRIMARY KEY, name TEXT NOT NULL DEFAULT '');
INSERT INTO parent_new (id) SELECT id FROM parent;
DROP TABLE parent;
ALTER TABLE parent_new RENAME TO parent;`)}}
	broken := fstest.MapFS{"0001_base.sql": base["0001_base.sql"], "0002_rebuild.sql": {Data: []byte(`-- stakhanov: foreign keys off
DELETE FROM parent WHERE id = 2;`)}}
	if err := sqlstore.Migrate(ctx, db, dialect{}, broken); err == nil || !strings.Contains(err.Error(), "foreign keys") {
		t.Fatalf("a migration breaking a foreign key: got %v, want it refused", err)
	}
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM parent").Scan(&n); err != nil || n != 2 {
		t.Fatalf("parents after a refused migration: got %d (%v), want 2", n, err)
	}
	if err := sqlstore.Migrate(ctx, db, dialect{}, rebuild); err != nil {
		t.Fatalf("a rebuild: %v", err)
	}
	if err := db.QueryRow("PRAGMA foreign_keys").Scan(&n); err != nil || n != 1 {
		t.Fatalf("foreign keys after the migration: got %d (%v), want on", n, err)
	}
	if _, err := db.Exec("DELETE FROM parent WHERE id = 1"); err == nil {
		t.Fatal("the rebuilt parent table is not referenced by child any more")
	}
}
