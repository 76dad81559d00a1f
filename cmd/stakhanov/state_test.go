package main

import (
	"database/sql"
	"testing"

	_ "github.com/mattn/go-sqlite3"
)

// TestStateCommands checks the demo's state against its reports, names a
// difference made behind the store's back, and rebuilds the state.
func TestStateCommands(t *testing.T) {
	db, _ := seededDB(t)
	code, out, _ := ledgerRun(t, "state", "verify", "-db", db)
	if code != 0 {
		t.Fatalf("state verify on the demo: exit %d, want 0", code)
	}
	wantOutput(t, out, "OK: the fulfilment state agrees with the reports")

	// Take the month of Stakhanov's record shift out of the state alone.
	raw, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	res, err := raw.Exec(`DELETE FROM fulfilment_months
		WHERE subject_kind = 'person' AND subject_id = 1 AND scope = 'own' AND month = '1935-08-01'`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("changed %d state rows, want 1", n)
	}
	raw.Close()

	code, out, errOut := ledgerRun(t, "state", "verify", "-db", db)
	if code != 1 {
		t.Fatalf("state verify after the change: exit %d, want 1", code)
	}
	wantOutput(t, out, "PROBLEM: Alexei Stakhanov (person:1), coal, by shift: 1935-08-31/1 is in the reports (1 shifts, accepted 34) but not in the state")
	wantOutput(t, errOut, "run stakhanov state rebuild")

	if code, _, _ := ledgerRun(t, "state", "rebuild", "-db", db); code != 0 {
		t.Fatalf("state rebuild: exit %d", code)
	}
	code, out, _ = ledgerRun(t, "state", "verify", "-db", db)
	if code != 0 {
		t.Fatalf("state verify after rebuild: exit %d, want 0", code)
	}
	wantOutput(t, out, "OK")
}
