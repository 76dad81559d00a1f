package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"io/fs"
	neturl "net/url"
	"os"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/sqlstore"
	"github.com/stakhanov/stakhanov/storetest"
)

// TestShiftMigration runs migration 0010 on a database that holds several
// reports for one shift.
func TestShiftMigration(t *testing.T) {
	// pgtest imports this package: its helpers are written out here.
	base := os.Getenv("STAKHANOV_TEST_POSTGRES")
	if base == "" {
		t.Skip("STAKHANOV_TEST_POSTGRES is not set")
	}
	old, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := old.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		old.Exec("DROP SCHEMA " + schema + " CASCADE")
		old.Close()
	})
	old.SetMaxOpenConns(1)
	if _, err := old.Exec("SET search_path TO " + schema); err != nil {
		t.Fatal(err)
	}
	u, err := neturl.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	url := u.String()
	sub, _ := fs.Sub(migrations, "migrations")
	if err := sqlstore.Migrate(context.Background(), old, dialect{}, storetest.MigrationsBefore(t, sub, "0010")); err != nil {
		t.Fatal(err)
	}
	storetest.ShiftMigration(t, old, func(t *testing.T) stakhanov.Store {
		s, err := Open(context.Background(), url, time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
