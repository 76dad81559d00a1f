package storetest

import (
	"database/sql"
	"io/fs"
	"strconv"
	"testing"
	"testing/fstest"

	"github.com/stakhanov/stakhanov"
)

// MigrationsBefore returns the migrations of fsys numbered below version
// ("0010"), to make a database as an older release left it.
func MigrationsBefore(t *testing.T, fsys fs.FS, version string) fs.FS {
	t.Helper()
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	for _, n := range names {
		if n < version {
			b, err := fs.ReadFile(fsys, n)
			if err != nil {
				t.Fatal(err)
			}
			m[n] = &fstest.MapFile{Data: b}
		}
	}
	return m
}

// OldDuplicates are rows, in plain SQL that both engines take, of a
// database from before one current report per shift (migration 0010),
// into fresh tables (ids from 1): a ministry (1) with a mine (2, an
// enterprise) and its brigade (3), a unit outside any enterprise (4);
// Alexei Stakhanov (person 1, in the brigade) and a lone worker (person 2,
// in unit 4); coal; the foreman ivan (user 1). Reports: 1, 2 and 3 are
// one shift of Stakhanov's (7.33, 8 and 8 t; 2 with the lone worker as
// helper, 1 witnessed by him and flagged); 4 is corrected by 5; 6 and 7
// are one shift of the lone worker's. Keys: 1 "web/a", 2 "api-b", 4 "k4",
// 5 "k5"; 3, 6 and 7 have keys the CSV import made up.
var OldDuplicates = []string{
	`INSERT INTO units (parent_id, kind, name, path, created_at) VALUES (NULL, 'ministry', 'Commissariat', '/1/', '1935-01-01 00:00:00')`,
	`INSERT INTO units (parent_id, kind, name, path, created_at) VALUES (1, 'enterprise', 'Tsentralnaya-Irmino mine', '/1/2/', '1935-01-01 00:00:00')`,
	`INSERT INTO units (parent_id, kind, name, path, created_at) VALUES (2, 'collective', 'Stakhanov''s brigade', '/1/2/3/', '1935-01-01 00:00:00')`,
	`INSERT INTO units (parent_id, kind, name, path, created_at) VALUES (NULL, 'collective', 'Artel', '/4/', '1935-01-01 00:00:00')`,
	`INSERT INTO people (unit_id, code, name, profession, created_at) VALUES (3, 'M-1', 'Alexei Stakhanov', 'hewer', '1935-01-01 00:00:00')`,
	`INSERT INTO people (unit_id, code, name, profession, created_at) VALUES (4, 'A-1', 'Lone Worker', 'hewer', '1935-01-01 00:00:00')`,
	`INSERT INTO goods (name, measure, created_at) VALUES ('coal', 't', '1935-01-01 00:00:00')`,
	`INSERT INTO users (name, role, created_at) VALUES ('ivan', 'foreman', '1935-01-01 00:00:00')`,
	oldReport(1, 3, "1935-08-30", 7.33, 1, "'web/a'", "NULL", "10:00"),
	oldReport(1, 3, "1935-08-30", 8, 0.5, "'api-b'", "NULL", "11:00"),
	oldReport(1, 3, "1935-08-30", 8, 1, "'csv:00000000000000000000000000000001'", "NULL", "12:00"),
	oldReport(1, 3, "1935-08-31", 10, 1, "'k4'", "NULL", "10:00"),
	oldReport(1, 3, "1935-08-31", 9, 1, "'k5'", "4", "11:00"),
	oldReport(2, 4, "1935-08-30", 5, 1, "'csv:00000000000000000000000000000006'", "NULL", "10:00"),
	oldReport(2, 4, "1935-08-30", 6, 1, "'csv:00000000000000000000000000000007'", "NULL", "11:00"),
	`INSERT INTO report_helpers (report_id, person_id, share) VALUES (2, 2, 0.5)`,
	`INSERT INTO report_witnesses (report_id, person_id) VALUES (1, 2)`,
	`INSERT INTO report_flags (report_id, rule, figures, message, created_at) VALUES (1, 'multiple_of_norm', '{}', 'flagged', '1935-08-30 10:00:00')`,
}

func oldReport(person, unit int, day string, amount, share float64, key, corrects, at string) string {
	return "INSERT INTO reports (subject_kind, subject_id, unit_id, good_id, date, shift, minutes, produced, accepted, subject_share, note, idem_key, corrects_id, reporter_id, created_at) VALUES " +
		"('person', " + itoa(person) + ", " + itoa(unit) + ", 1, '" + day + "', 1, 360, " + ftoa(amount) + ", " + ftoa(amount) + ", " + ftoa(share) + ", '', " +
		key + ", " + corrects + ", 1, '" + day + " " + at + ":00')"
}

// ShiftMigration checks migration 0010 on a database holding duplicates:
// old is the database with the earlier migrations applied, upgrade opens
// the store on it (applying 0010).
func ShiftMigration(t *testing.T, old *sql.DB, upgrade func(t *testing.T) stakhanov.Store) {
	for _, stmt := range OldDuplicates {
		if _, err := old.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	s := upgrade(t)
	dups, err := s.FindDuplicateShifts(bg)
	must(t, err)
	if len(dups) != 2 || dups[0].Current.ID != 3 || len(dups[0].SetAside) != 2 || dups[0].SetAside[0].ID != 1 || dups[0].SetAside[1].ID != 2 ||
		dups[1].Current.ID != 7 || len(dups[1].SetAside) != 1 || dups[1].SetAside[0].ID != 6 {
		t.Fatalf("duplicates: got %+v, want report 3 over 1 and 2, report 7 over 6", dups)
	}
	if dups[0].Subject != "Alexei Stakhanov" || dups[0].Good != "coal" || dups[0].Reporters[1] != "ivan" || len(dups[0].SetAside[1].Helpers) != 1 {
		t.Fatalf("duplicate shift: got %+v, want names and teams", dups[0])
	}
	want := map[int64]struct {
		supersededBy, correctedBy int64
		key                       string
	}{1: {3, 0, "web/a"}, 2: {3, 0, "api-b"}, 3: {0, 0, ""}, 4: {5, 5, "k4"}, 5: {0, 0, "k5"}, 6: {7, 0, ""}, 7: {0, 0, ""}}
	for id, w := range want {
		r, err := s.FindReportByID(bg, id)
		must(t, err)
		if r.SupersededBy != w.supersededBy || r.CorrectedBy != w.correctedBy || r.Key != w.key {
			t.Fatalf("report %d: got superseded by %d, corrected by %d, key %q; want %d, %d, %q", id, r.SupersededBy, r.CorrectedBy, r.Key, w.supersededBy, w.correctedBy, w.key)
		}
	}
	if r, err := s.FindReportByID(bg, 1); err != nil || len(r.Witnesses) != 1 || len(r.Flags) != 1 {
		t.Fatalf("report 1 after the migration: got %+v (%v), want its witness and flag", r, err)
	}
	// Each shift counts once, with its current report; a helper of a
	// report set aside is credited nothing from it.
	credits, err := s.Credits(bg, stakhanov.CreditFilter{Subject: stakhanov.PersonSubject(1)})
	must(t, err)
	if len(credits) != 2 || credits[0].ReportID != 3 || credits[1].ReportID != 5 {
		t.Fatalf("credits: got %+v, want reports 3 and 5", credits)
	}
	credits, err = s.Credits(bg, stakhanov.CreditFilter{Subject: stakhanov.PersonSubject(2)})
	must(t, err)
	if len(credits) != 1 || credits[0].ReportID != 7 {
		t.Fatalf("lone worker's credits: got %+v, want report 7", credits)
	}
	// The enterprise: the mine for the brigade, the root for the artel.
	for id, want := range map[int64]int64{1: 2, 6: 4} {
		var got int64
		if err := old.QueryRow("SELECT enterprise_id FROM reports WHERE id = " + itoa(int(id))).Scan(&got); err != nil || got != want {
			t.Fatalf("enterprise of report %d: got %d (%v), want %d", id, got, err, want)
		}
	}
	// One current report per shift from now on.
	_, err = s.CreateReports(system, []*stakhanov.Report{{Subject: stakhanov.PersonSubject(1), GoodID: 1, Date: date(t, "1935-08-30"), Shift: 1, Produced: 9, Accepted: 9}})
	wantConflictOver(t, err, "shift", 3)
	_, err = s.CreateReports(system, []*stakhanov.Report{{Subject: stakhanov.PersonSubject(1), GoodID: 1, Date: date(t, "1935-09-01"), Shift: 1, Produced: 9, Accepted: 9, Key: "web/a"}})
	wantConflictOver(t, err, "key", 1)
	r := &stakhanov.Report{Subject: stakhanov.PersonSubject(1), GoodID: 1, Date: date(t, "1935-09-01"), Shift: 1, Produced: 9, Accepted: 9, Key: "new"}
	created, err := s.CreateReports(system, []*stakhanov.Report{r})
	must(t, err)
	if !created[0] || r.ID != 8 {
		t.Fatalf("a new report: created %v, id %d, want 8", created, r.ID)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func ftoa(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
