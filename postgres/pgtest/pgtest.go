// Package pgtest gives each test its own PostgreSQL schema, on the server
// named by STAKHANOV_TEST_POSTGRES, or skips the test when none is set.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/stakhanov/stakhanov/postgres"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// EnvVar names the variable holding the test server's URL.
const EnvVar = "STAKHANOV_TEST_POSTGRES"

// RequireVar, when set, turns a missing EnvVar into a failure rather than a
// skip, so that CI cannot pass without PostgreSQL.
const RequireVar = "STAKHANOV_REQUIRE_POSTGRES"

// URL returns the test server's URL, or skips the test.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvVar)
	if u == "" && os.Getenv(RequireVar) != "" {
		t.Fatalf("%s is set but %s is not: CI must run the PostgreSQL tests", RequireVar, EnvVar)
	}
	if u == "" {
		t.Skipf("PostgreSQL tests skipped: set %s to a server URL to run them, e.g. %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable", EnvVar, EnvVar)
	}
	return u
}

// Schema creates a fresh schema for the test, dropped when it ends, and
// returns a URL whose connections use it.
func Schema(t testing.TB) string {
	t.Helper()
	base := URL(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		admin.Close()
		t.Fatalf("create schema (is %s right?): %v", EnvVar, err)
	}
	t.Cleanup(func() {
		admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", EnvVar, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a store in a fresh schema, closed when the test ends.
func Open(t testing.TB, now func() time.Time, opts ...sqlstore.Option) *sqlstore.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), Schema(t), now, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
