package csvimport_test

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/csvimport"
	"github.com/stakhanov/stakhanov/postgres"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// BenchmarkImportReports measures `stakhanov import reports` against
// SQLite's own bulk loader on the same rows:
//
//	go test ./csvimport -run '^$' -bench ImportReports -benchtime 1x -timeout 30m
//
// It generates a file of STAKHANOV_BENCH_ROWS reports (1,000,000 by
// default) over 1,000 people, then
//
//   - parses it alone with csvimport.Reports (parse_rows/s), to tell the
//     parser's cost from the store's;
//   - imports it into a fresh SQLite store through csvimport.Reports and
//     Store.ImportReports (stakhanov_reports/s; ns/op is this import);
//   - loads the same rows with the sqlite3 shell's `.import --csv` into a
//     fresh database holding a copy of the store's reports table (same
//     columns, indexes and UNIQUE constraints, journal_mode=WAL,
//     synchronous=FULL), timing the sqlite3 process (sqlite3_rows/s).
//
// ratio is stakhanov_reports/s over sqlite3_rows/s: at least 1 meets the
// design's target. sqlite3 is given a file whose columns are the table's
// (but id, which both leave to SQLite), written before the clock starts,
// with every value the store writes (unit, subject share, key, creation
// time). One thing the shell cannot do is read an empty field as NULL, and
// the UNIQUE corrects_id column must be NULL; so the shell imports into a
// TEMP table of the same columns and copies that with INSERT ... SELECT,
// turning empty corrects_id and reporter_id into NULL with NULLIF. That is
// the quickest correct load we found: importing straight into the table
// through a view with an INSTEAD OF trigger was three times slower, and
// importing rows one field short, which the shell fills with NULL and
// warns about on every line, a little slower.
//
// peak_RSS_MiB is the benchmark process's peak resident memory (Linux).
func BenchmarkImportReports(b *testing.B) {
	n := 1_000_000
	if v := os.Getenv("STAKHANOV_BENCH_ROWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("STAKHANOV_BENCH_ROWS=%q: want a positive number of rows", v)
		}
	}
	sqlite3, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("sqlite3 is not on PATH: install the SQLite shell (apt-get install sqlite3) to compare the import with its .import")
	}
	const people = 1000
	var ours, parse, theirs time.Duration
	for i := range b.N {
		b.StopTimer()
		dir := b.TempDir()
		w := newWorld(b, dir, min(people, n))
		file := filepath.Join(dir, "reports.csv")
		writeFile(b, file, func(f *bufio.Writer) error {
			return csvimport.GenerateReports(f, n, w.people, w.coal.ID, stakhanov.NewDate(1935, time.January, 1))
		})

		// The parser alone.
		start := time.Now()
		f := open(b, file)
		rows := 0
		for row := range csvimport.Reports(f) {
			if row.Value == nil {
				b.Fatalf("line %d: %v", row.Line, row.Errors)
			}
			rows++
		}
		f.Close()
		parse += time.Since(start)
		if rows != n {
			b.Fatalf("parsed %d rows, want %d", rows, n)
		}

		// Our import.
		b.StartTimer()
		start = time.Now()
		f = open(b, file)
		res, err := w.s.ImportReports(system, csvimport.Reports(f))
		f.Close()
		ours += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if res.Created != n {
			b.Fatalf("import: got %+v, want %d created", res, n)
		}
		if i == 0 {
			b.Logf("stakhanov: %d reports imported in %v", n, ours.Round(time.Millisecond))
		}

		// sqlite3's .import of the same rows.
		theirs += loadWithSQLite3(b, sqlite3, dir, file, w, n)
	}
	total := float64(n) * float64(b.N)
	oursRate, theirRate := total/ours.Seconds(), total/theirs.Seconds()
	b.ReportMetric(total/parse.Seconds(), "parse_rows/s")
	b.ReportMetric(oursRate, "stakhanov_reports/s")
	b.ReportMetric(theirRate, "sqlite3_rows/s")
	b.ReportMetric(oursRate/theirRate, "ratio")
	peak := peakRSS()
	if peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "peak_RSS_MiB")
	}
	fmt.Printf("ImportReports: %d rows: stakhanov import %.0f reports/s (%v), sqlite3 .import %.0f rows/s (%v): ratio %.2f; parser alone %.0f rows/s; peak RSS %d MiB\n",
		n, oursRate, (ours / time.Duration(b.N)).Round(time.Millisecond), theirRate, (theirs / time.Duration(b.N)).Round(time.Millisecond),
		oursRate/theirRate, total/parse.Seconds(), peak>>20)
}

// sqliteReportsTable reads, from a store's database, the statements that
// made its reports table and indexes, so that the loader the import is
// measured against writes to the very table the store does.
func sqliteReportsTable(b *testing.B, s *sqlstore.DB) string {
	rows, err := s.WriteDB().Query(`SELECT sql FROM sqlite_master WHERE tbl_name = 'reports' AND sql IS NOT NULL ORDER BY type DESC`)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var stmt string
		if err := rows.Scan(&stmt); err != nil {
			b.Fatal(err)
		}
		out = append(out, stmt+";")
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	if len(out) < 2 {
		b.Fatal("no reports table and indexes found in the store")
	}
	return strings.Join(out, "\n") + "\n"
}

// importColumns are the table's columns but id, which SQLite assigns as
// the store lets it, and superseded_by, NULL for a new report.
const importColumns = "subject_kind, subject_id, unit_id, enterprise_id, good_id, date, shift, minutes, produced, accepted, subject_share, note, idem_key, corrects_id, reporter_id, created_at"

// loadWithSQLite3 writes the rows of file as the table's columns, creates
// a database with the reports table, and times sqlite3 loading them.
func loadWithSQLite3(b *testing.B, sqlite3, dir, file string, w *world, n int) time.Duration {
	b.Helper()
	rowsFile := filepath.Join(dir, "reports-table.csv")
	writeTableRows(b, file, rowsFile, w.brigade.ID, w.mine.ID)
	db := filepath.Join(dir, "sqlite3.db")
	shell(b, sqlite3, db, "PRAGMA journal_mode=WAL;\n"+sqliteReportsTable(b, w.s))
	// The same pragmas as the store's connection (sqlite/sqlite.go).
	script := fmt.Sprintf(`PRAGMA synchronous=FULL;
PRAGMA cache_size=-65536;
CREATE TEMP TABLE staging AS SELECT %[1]s FROM main.reports WHERE 0;
.import --csv --schema temp %[2]s staging
INSERT INTO main.reports (%[1]s) SELECT %[3]s FROM temp.staging;
`, importColumns, quote(rowsFile), strings.NewReplacer("idem_key", "NULLIF(idem_key, '')", "corrects_id", "NULLIF(corrects_id, '')", "reporter_id", "NULLIF(reporter_id, '')").Replace(importColumns))
	start := time.Now()
	shell(b, sqlite3, db, script)
	took := time.Since(start)
	out := shell(b, sqlite3, db, "PRAGMA journal_mode; SELECT COUNT(*), COUNT(corrects_id), COUNT(reporter_id), typeof(produced), typeof(subject_id) FROM reports;")
	if want := fmt.Sprintf("wal\n%d|0|0|real|integer\n", n); out != want {
		b.Fatalf("sqlite3 loaded %q, want %q", out, want)
	}
	b.Logf("sqlite3: %d rows loaded in %v", n, took.Round(time.Millisecond))
	return took
}

// writeTableRows writes the rows of the reports file as the columns of the
// reports table (importColumns), every value as the store writes it (unit,
// enterprise, subject share, key, creation time), corrects_id and
// reporter_id empty.
func writeTableRows(b *testing.B, file, rowsFile string, unit, enterprise int64) {
	b.Helper()
	created := time.Now().UTC().Format("2006-01-02 15:04:05.999999999-07:00") // as the Go driver writes a time
	writeFile(b, rowsFile, func(out *bufio.Writer) error {
		f := open(b, file)
		defer f.Close()
		var line []byte
		for row := range csvimport.Reports(f) {
			r := row.Value
			if r == nil {
				return fmt.Errorf("line %d: %v", row.Line, row.Errors)
			}
			if err := r.Validate(); err != nil { // fills in the subject's share, as the store does
				return err
			}
			line = append(line[:0], r.Subject.Kind...)
			line = append(line, ',')
			line = strconv.AppendInt(line, r.Subject.ID, 10)
			line = append(line, ',')
			line = strconv.AppendInt(line, unit, 10)
			line = append(line, ',')
			line = strconv.AppendInt(line, enterprise, 10)
			line = append(line, ',')
			line = strconv.AppendInt(line, r.GoodID, 10)
			line = append(line, ',')
			line = append(line, r.Date.String()...)
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(r.Shift), 10)
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(r.Minutes), 10)
			line = append(line, ',')
			line = strconv.AppendFloat(line, r.Produced, 'g', -1, 64)
			line = append(line, ',')
			line = strconv.AppendFloat(line, r.Accepted, 'g', -1, 64)
			line = append(line, ',')
			line = strconv.AppendFloat(line, r.SubjectShare, 'g', -1, 64)
			line = append(line, ',')
			line = append(line, r.Note...) // empty in generated files: no quoting needed
			line = append(line, ',')
			line = append(line, r.Key...)
			line = append(line, ",,,"...) // corrects_id and reporter_id: NULL
			line = append(line, created...)
			line = append(line, '\n')
			if _, err := out.Write(line); err != nil {
				return err
			}
		}
		return nil
	})
}

// shell runs a script in the sqlite3 shell, failing on any complaint.
func shell(b *testing.B, sqlite3, db, script string) string {
	b.Helper()
	cmd := exec.Command(sqlite3, "-bail", db)
	cmd.Stdin = strings.NewReader(script)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		b.Fatalf("sqlite3: %v: %s", err, stderr.String())
	}
	return stdout.String()
}

// quote quotes a file name for a dot-command.
func quote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}

func open(b *testing.B, name string) *os.File {
	b.Helper()
	f, err := os.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	return f
}

func writeFile(b *testing.B, name string, fill func(*bufio.Writer) error) {
	b.Helper()
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	if err := fill(w); err != nil {
		b.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// peakRSS returns the process's peak resident memory in bytes, or 0.
func peakRSS() int64 {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for l := range strings.SplitSeq(string(status), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkParseReports measures the parser alone, from memory.
func BenchmarkParseReports(b *testing.B) {
	var file bytes.Buffer
	people := make([]int64, 1000)
	for i := range people {
		people[i] = int64(i + 1)
	}
	if err := csvimport.GenerateReports(&file, 100_000, people, 3, stakhanov.NewDate(1935, time.January, 1)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(file.Len()))
	b.ReportAllocs()
	for b.Loop() {
		for row := range csvimport.Reports(bytes.NewReader(file.Bytes())) {
			if row.Value == nil {
				b.Fatal(row.Errors)
			}
		}
	}
	b.ReportMetric(float64(b.N)*100_000/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkImportReportsPostgres measures `stakhanov import reports`
// against PostgreSQL's own bulk loader on the same rows:
//
//	STAKHANOV_TEST_POSTGRES=postgres://... go test ./csvimport -run '^$' -bench ImportReportsPostgres -benchtime 1x -timeout 30m
//
// It is skipped unless STAKHANOV_TEST_POSTGRES names a server. As
// BenchmarkImportReports, it generates STAKHANOV_BENCH_ROWS reports
// (1,000,000 by default) over 1,000 people, then
//
//   - imports them into a store in a fresh schema through csvimport.Reports
//     and Store.ImportReports (stakhanov_reports/s; ns/op is this import);
//   - loads the same rows with psql's \copy ... FROM ... (FORMAT csv), the
//     server's COPY fed by its own client, into a fresh schema holding a
//     copy of the store's reports table (same columns, identity, indexes,
//     UNIQUE and foreign key constraints), timing the psql process
//     (copy_rows/s). psql is given a file whose columns are the table's
//     but id, written before the clock starts, with every value the store
//     writes; empty corrects_id and reporter_id are NULL, as COPY reads
//     an unquoted empty field, and the empty note is kept empty
//     (FORCE_NOT_NULL).
//
// ratio is stakhanov_reports/s over copy_rows/s: at least 1 meets the
// design's target. peak_RSS_MiB is the process's peak resident memory
// after the import (Linux).
func BenchmarkImportReportsPostgres(b *testing.B) {
	n := 1_000_000
	if v := os.Getenv("STAKHANOV_BENCH_ROWS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("STAKHANOV_BENCH_ROWS=%q: want a positive number of rows", v)
		}
	}
	base := pgtest.URL(b)
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Skip("psql is not on PATH: install the PostgreSQL client (apt-get install postgresql-client) to compare the import with its \\copy")
	}
	const people = 1000
	var ours, theirs time.Duration
	var peak int64
	for i := range b.N {
		b.StopTimer()
		dir := b.TempDir()
		storeURL := pgtest.Schema(b)
		s, err := postgres.Open(context.Background(), storeURL, time.Now)
		if err != nil {
			b.Fatal(err)
		}
		w := populate(b, s, min(people, n))
		file := filepath.Join(dir, "reports.csv")
		writeFile(b, file, func(f *bufio.Writer) error {
			return csvimport.GenerateReports(f, n, w.people, w.coal.ID, stakhanov.NewDate(1935, time.January, 1))
		})

		b.StartTimer()
		start := time.Now()
		f := open(b, file)
		res, err := s.ImportReports(system, csvimport.Reports(f))
		f.Close()
		ours += time.Since(start)
		b.StopTimer()
		peak = max(peak, peakRSS())
		s.Close()
		if err != nil {
			b.Fatal(err)
		}
		if res.Created != n {
			b.Fatalf("import: got %+v, want %d created", res, n)
		}
		if i == 0 {
			b.Logf("stakhanov: %d reports imported in %v", n, ours.Round(time.Millisecond))
		}

		su, err := url.Parse(storeURL)
		if err != nil {
			b.Fatal(err)
		}
		theirs += loadWithPsql(b, psql, base, su.Query().Get("search_path"), dir, file, w, n)
	}
	total := float64(n) * float64(b.N)
	oursRate, theirRate := total/ours.Seconds(), total/theirs.Seconds()
	b.ReportMetric(oursRate, "stakhanov_reports/s")
	b.ReportMetric(theirRate, "copy_rows/s")
	b.ReportMetric(oursRate/theirRate, "ratio")
	if peak > 0 {
		b.ReportMetric(float64(peak)/(1<<20), "peak_RSS_MiB")
	}
	fmt.Printf("ImportReportsPostgres: %d rows: stakhanov import %.0f reports/s (%v), psql \\copy %.0f rows/s (%v): ratio %.2f; peak RSS %d MiB\n",
		n, oursRate, (ours / time.Duration(b.N)).Round(time.Millisecond), theirRate, (theirs / time.Duration(b.N)).Round(time.Millisecond),
		oursRate/theirRate, peak>>20)
}

// loadWithPsql writes the rows of file as the table's columns, creates the
// reports table in a fresh schema, and times psql's \copy loading them.
func loadWithPsql(b *testing.B, psql, base, storeSchema, dir, file string, w *world, n int) time.Duration {
	b.Helper()
	rowsFile := filepath.Join(dir, "reports-table.csv")
	writeTableRows(b, file, rowsFile, w.brigade.ID, w.mine.ID)
	u, err := url.Parse(pgtest.Schema(b))
	if err != nil {
		b.Fatal(err)
	}
	schema := u.Query().Get("search_path")
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	// The store's reports table: columns, identity, indexes and
	// constraints (LIKE copies all but foreign keys, added after).
	if _, err := db.Exec(`CREATE TABLE reports (LIKE ` + storeSchema + `.reports INCLUDING ALL)`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`ALTER TABLE reports ADD FOREIGN KEY (corrects_id) REFERENCES reports (id)`); err != nil {
		b.Fatal(err)
	}
	copyCmd := fmt.Sprintf(`\copy %s.reports (%s) FROM '%s' WITH (FORMAT csv, FORCE_NOT_NULL (note))`,
		schema, importColumns, strings.ReplaceAll(rowsFile, "'", "''"))
	start := time.Now()
	cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", base, "-c", copyCmd)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil || stderr.Len() > 0 {
		b.Fatalf("psql: %v: %s", err, stderr.String())
	}
	took := time.Since(start)
	var got, corrects, reporters int
	if err := db.QueryRow(`SELECT COUNT(*), COUNT(corrects_id), COUNT(reporter_id) FROM reports`).Scan(&got, &corrects, &reporters); err != nil {
		b.Fatal(err)
	}
	if got != n || corrects != 0 || reporters != 0 {
		b.Fatalf("psql loaded %d rows (%d corrections, %d reporters), want %d", got, corrects, reporters, n)
	}
	b.Logf("psql \\copy: %d rows loaded in %v", n, took.Round(time.Millisecond))
	return took
}

// populate puts a mine, a brigade of n people (imported from a people
// file) and coal in a store.
func populate(b *testing.B, s *sqlstore.DB, n int) *world {
	b.Helper()
	w := &world{s: s}
	w.mine = &stakhanov.Unit{Kind: stakhanov.UnitEnterprise, Name: "Tsentralnaya-Irmino mine"}
	must(b, s.CreateUnit(system, w.mine))
	w.brigade = &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "Stakhanov's brigade", ParentID: w.mine.ID}
	must(b, s.CreateUnit(system, w.brigade))
	w.coal = &stakhanov.Good{Name: "coal", Measure: "t"}
	must(b, s.CreateGood(system, w.coal))
	var file strings.Builder
	file.WriteString("code,name,profession,unit\n")
	for i := range n {
		fmt.Fprintf(&file, "M-%d,Miner %d,hewer,%d\n", i, i, w.brigade.ID)
	}
	res, err := s.ImportPeople(system, csvimport.People(strings.NewReader(file.String())))
	must(b, err)
	if res.Created != n {
		b.Fatalf("people: got %+v, want %d created", res, n)
	}
	people, _, err := s.FindPeople(context.Background(), stakhanov.PersonFilter{Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
	must(b, err)
	for _, p := range people {
		w.people = append(w.people, p.ID)
	}
	if len(w.people) != n {
		b.Fatalf("people: found %d, want %d", len(w.people), n)
	}
	return w
}
