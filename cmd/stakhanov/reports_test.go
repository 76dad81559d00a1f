package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov/sqlstore"
	"github.com/stakhanov/stakhanov/storetest"
)

// oldDialect lets the test apply the SQLite migrations of an older
// release with sqlstore.Migrate.
type oldDialect struct{}

func (oldDialect) Name() string                 { return "sqlite" }
func (oldDialect) Placeholder(int) string       { return "?" }
func (oldDialect) LastInsertID() bool           { return true }
func (oldDialect) IsUniqueViolation(error) bool { return false }

func TestReportsDuplicates(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.db")
	e, out, errOut := testEnv(nil)
	if code := run(context.Background(), []string{"reports", "duplicates", "-db", fresh}, e); code != 0 {
		t.Fatalf("reports duplicates on a fresh database: exit %d: %s", code, errOut)
	}
	if got := out.String(); got != "no duplicate shift reports\n" {
		t.Fatalf("fresh database: got %q", got)
	}

	// A database of the release before, holding duplicates, upgraded by
	// the command itself.
	path := filepath.Join(dir, "old.db")
	old, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	old.SetMaxOpenConns(1)
	if err := sqlstore.Migrate(context.Background(), old, oldDialect{}, storetest.MigrationsBefore(t, os.DirFS("../../sqlite/migrations"), "0010")); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range storetest.OldDuplicates {
		if _, err := old.Exec(stmt); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	e, out, errOut = testEnv(nil)
	if code := run(context.Background(), []string{"reports", "duplicates", "-db", path}, e); code != 0 {
		t.Fatalf("reports duplicates: exit %d: %s", code, errOut)
	}
	got := out.String()
	for _, want := range []string{
		"2 shifts with duplicate reports, 3 reports set aside",
		"Alexei Stakhanov (person:1), coal, 1935-08-30, shift 1\n" +
			"  current    report 3: 8 produced, 8 accepted, reported by ivan at 1935-08-30 12:00\n" +
			"  set aside  report 1: 7.33 produced, 7.33 accepted, reported by ivan at 1935-08-30 10:00\n" +
			"  set aside  report 2: 8 produced, 8 accepted, with 1 helper, reported by ivan at 1935-08-30 11:00\n",
		"Lone Worker (person:2), coal, 1935-08-30, shift 1\n" +
			"  current    report 7: 6 produced, 6 accepted, reported by ivan at 1935-08-30 11:00\n" +
			"  set aside  report 6: 5 produced, 5 accepted, reported by ivan at 1935-08-30 10:00\n",
	} {
		if !strings.Contains(got, want) {
			t.Fatalf("reports duplicates: got\n%s\nwant it to contain\n%s", got, want)
		}
	}
	if strings.Contains(got, "report 4") {
		t.Fatalf("reports duplicates lists a corrected report:\n%s", got)
	}
}
