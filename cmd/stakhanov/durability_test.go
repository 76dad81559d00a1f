package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/csvimport"
	"github.com/stakhanov/stakhanov/demo"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
)

// The durability tests hold the design's targets at the level of processes:
// they build the real binary, run it as a child, kill it with SIGKILL in the
// middle of its work and look at what the database kept. Each runs on
// SQLite and, when STAKHANOV_TEST_POSTGRES is set, on PostgreSQL.
//
// A SIGKILL ends the process, not the machine: what the process handed to
// the kernel survives it, fsync or not. These tests show that nothing is
// acknowledged before it is committed and that a transaction cut short
// leaves nothing behind; they do not show what a power cut would leave.

// durabilityBackends are the stores each test runs on.
var durabilityBackends = []string{"sqlite", "postgres"}

// buildStakhanov builds this command into a temporary directory.
func buildStakhanov(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("durability tests skipped in -short mode: they build and kill the binary")
	}
	bin := filepath.Join(t.TempDir(), "stakhanov")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// durableDB is a seeded database for a child process to work on.
type durableDB struct {
	backend string
	dsn     string // the -db argument
	dir     string // a working directory for the child and its files
	world   *demo.World
	poll    *sql.DB // PostgreSQL, for written
}

// seedDurable makes a database holding the demo world.
func seedDurable(t *testing.T, backend string) *durableDB {
	t.Helper()
	d := &durableDB{backend: backend, dir: t.TempDir()}
	switch backend {
	case "sqlite":
		d.dsn = filepath.Join(d.dir, "durable.db")
	case "postgres":
		d.dsn = pgtest.Schema(t) // skips without STAKHANOV_TEST_POSTGRES
		d.poll = d.raw(t)
		t.Cleanup(func() { d.poll.Close() })
	default:
		t.Fatalf("unknown backend %q", backend)
	}
	ctx := context.Background()
	s, err := openStore(ctx, d.dsn, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if d.world, err = demo.Seed(ctx, s, time.Now()); err != nil {
		t.Fatal(err)
	}
	return d
}

// account returns the demo account of a role.
func (d *durableDB) account(t *testing.T, role string) demo.Account {
	t.Helper()
	for _, a := range d.world.Accounts {
		if a.Role == role {
			return a
		}
	}
	t.Fatalf("the demo world has no %s account", role)
	return demo.Account{}
}

// reopen opens the database the way the program does (for SQLite this
// recovers the WAL a killed process left) and checks that the store
// answers.
func (d *durableDB) reopen(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	s, err := openStore(ctx, d.dsn, time.Now)
	if err != nil {
		t.Fatalf("reopen after the kill: %v", err)
	}
	defer s.Close()
	if _, _, err := s.FindReports(ctx, stakhanov.ReportFilter{}); err != nil {
		t.Fatalf("find reports after the kill: %v", err)
	}
}

// raw opens the database with database/sql alone, to look at its tables.
func (d *durableDB) raw(t *testing.T) *sql.DB {
	t.Helper()
	driver := "sqlite3"
	if d.backend == "postgres" {
		driver = "pgx"
	}
	db, err := sql.Open(driver, d.dsn)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// count returns the number of rows of a table.
func (d *durableDB) count(t *testing.T, table string) int {
	t.Helper()
	db := d.raw(t)
	defer db.Close()
	var n int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// written returns how many bytes the database has had written by
// transactions, committed or not: the size of SQLite's WAL file (0 if
// none), or of PostgreSQL's reports table, which keeps the rows of a
// transaction rolled back until it is vacuumed.
func (d *durableDB) written(t *testing.T) int64 {
	t.Helper()
	if d.backend == "sqlite" {
		st, err := os.Stat(d.dsn + "-wal")
		if err != nil {
			return 0
		}
		return st.Size()
	}
	var n int64
	if err := d.poll.QueryRow("SELECT pg_relation_size('reports')").Scan(&n); err != nil {
		t.Fatalf("size of reports: %v", err)
	}
	return n
}

// checkIntegrity runs SQLite's integrity and foreign-key checks.
func (d *durableDB) checkIntegrity(t *testing.T) {
	t.Helper()
	if d.backend != "sqlite" {
		return
	}
	db := d.raw(t)
	defer db.Close()
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	rows.Close()
	if len(got) != 1 || got[0] != "ok" {
		t.Errorf("PRAGMA integrity_check: got %q, want ok", got)
	}
	rows, err = db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fk int
		rows.Scan(&table, &rowid, &parent, &fk)
		t.Errorf("PRAGMA foreign_key_check: row %v of %s refers to a missing %s", rowid, table, parent)
	}
}

// child is a stakhanov process.
type child struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan struct{} // closed when it has exited
	err            error         // what Wait returned, once done
}

// startChild runs the binary with args in dir, without the STAKHANOV_ variables
// of the environment, so that only the flags configure it. It is killed, if
// still running, when the test ends.
func startChild(t *testing.T, bin, dir string, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(bin, args...), stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan struct{})}
	c.cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "STAKHANOV_") {
			c.cmd.Env = append(c.cmd.Env, kv)
		}
	}
	c.cmd.Stdout, c.cmd.Stderr = c.stdout, c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.err = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		c.cmd.Process.Kill()
		<-c.done
	})
	return c
}

// kill9 sends SIGKILL and waits for the process to end; it fails the test
// if the process had already ended by itself.
func (c *child) kill9(t *testing.T) {
	t.Helper()
	select {
	case <-c.done:
		t.Fatalf("%s ended by itself before the kill: %v\nstdout:\n%s\nstderr:\n%s", c.cmd.Args[1], c.err, c.stdout, logTail(c.stderr.String()))
	default:
	}
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill: %v", err)
	}
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the process did not end 30 s after SIGKILL")
	}
	if !killedBySignal(c.cmd.ProcessState) {
		t.Fatalf("%s ended with %v, not by SIGKILL", c.cmd.Args[1], c.cmd.ProcessState)
	}
}

// wait waits for the process to end by itself and returns its exit code.
func (c *child) wait(t *testing.T, timeout time.Duration) int {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(timeout):
		t.Fatalf("%s still running after %v\nstderr:\n%s", c.cmd.Args[1], timeout, logTail(c.stderr.String()))
	}
	return c.cmd.ProcessState.ExitCode()
}

// killedBySignal reports whether a process ended by a signal (on Unix, SIGKILL is
// the only one sent here).
func killedBySignal(ps *os.ProcessState) bool {
	if runtime.GOOS == "windows" {
		return true
	}
	return ps.ExitCode() == -1 && !ps.Success()
}

// logTail returns the end of a long log.
func logTail(s string) string {
	if len(s) > 4000 {
		return "...\n" + s[len(s)-4000:]
	}
	return s
}

var servingURL = regexp.MustCompile(`msg=serving url=(\S+)`)

// serveChild starts `stakhanov serve` on the database and returns its base URL
// once it listens.
func serveChild(t *testing.T, bin string, d *durableDB) (*child, string) {
	t.Helper()
	c := startChild(t, bin, d.dir, "serve", "-db", d.dsn, "-addr", "127.0.0.1:0",
		"-ledger-key", filepath.Join(d.dir, "ledger-key"), "-credential-key", filepath.Join(d.dir, "credential-key.pem"))
	deadline := time.After(60 * time.Second)
	for {
		if m := servingURL.FindStringSubmatch(c.stderr.String()); m != nil {
			return c, m[1]
		}
		select {
		case <-c.done:
			t.Fatalf("serve ended: %v\n%s", c.err, c.stderr)
		case <-deadline:
			t.Fatalf("serve did not say it was serving within 60 s:\n%s", c.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// kill9Report is the body of report i: one shift of Stakhanov on a day of
// its own, under the key kill9-i. The same i gives the same body, so that a
// retry is a replay.
func kill9Report(w *demo.World, i int64) (key string, body []byte) {
	key = fmt.Sprintf("kill9-%d", i)
	date := stakhanov.NewDate(1960, 1, 1).AddDays(int(i))
	body = fmt.Appendf(nil, `{"subject":"person:%d","good_id":%d,"date":%q,"shift":1,"minutes":360,"produced":8,"accepted":7.5,"key":%q}`,
		w.Stakhanov, w.Coal, date, key)
	return key, body
}

// postReport sends report i and returns its key, the status and body of
// the answer, or an error when no answer came.
func postReport(client *http.Client, base, token string, w *demo.World, i int64) (string, int, string, error) {
	key, body := kill9Report(w, i)
	req, err := http.NewRequest("POST", base+"/api/v1/reports", bytes.NewReader(body))
	if err != nil {
		return key, 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return key, 0, "", err
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	return key, resp.StatusCode, string(answer), nil
}

// TestKill9KeepsAcknowledgedWrites posts single reports from several
// clients at once to a served database, kills the server with SIGKILL while
// requests are in flight, and checks that every report whose 201 came back
// is in the reopened database, which is sound. Restarted, the server
// answers a retry of an acknowledged report as a replay.
func TestKill9KeepsAcknowledgedWrites(t *testing.T) {
	bin := buildStakhanov(t)
	for _, backend := range durabilityBackends {
		t.Run(backend, func(t *testing.T) { testKill9(t, bin, backend) })
	}
}

func testKill9(t *testing.T, bin, backend string) {
	const (
		workers = 8
		load    = 1500 * time.Millisecond // at least this long
		minAcks = 100                     // and at least this many acknowledged, unless...
		maxLoad = 20 * time.Second        // ...this long has passed
	)
	d := seedDurable(t, backend)
	before := d.count(t, "reports")
	token := d.account(t, stakhanov.RoleForeman).Token
	srv, base := serveChild(t, bin, d)

	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
	defer client.CloseIdleConnections()
	var (
		next, inFlight, sent, failed atomic.Int64
		killing                      atomic.Bool
		mu                           sync.Mutex
		acked                        = map[string]int64{} // key -> i
		lost                         []int64              // sent, unanswered
		stop                         = make(chan struct{})
		wg                           sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				i := next.Add(1)
				inFlight.Add(1)
				sent.Add(1)
				key, status, answer, err := postReport(client, base, token, d.world, i)
				inFlight.Add(-1)
				switch {
				case err != nil:
					failed.Add(1)
					if !killing.Load() {
						t.Errorf("POST %s before the kill: %v", key, err)
					}
					mu.Lock()
					lost = append(lost, i)
					mu.Unlock()
					// The server is gone; one failure per worker says so.
					<-stop
					return
				case status == http.StatusCreated:
					mu.Lock()
					acked[key] = i
					mu.Unlock()
				default:
					t.Errorf("POST %s: got %d, want 201: %s", key, status, answer)
				}
			}
		})
	}
	began := time.Now()
	for {
		time.Sleep(50 * time.Millisecond)
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if el := time.Since(began); el >= load && (n >= minAcks || el >= maxLoad) {
			break
		}
	}
	killing.Store(true)
	flying := inFlight.Load()
	srv.kill9(t)
	close(stop)
	wg.Wait()
	if t.Failed() {
		return
	}
	if len(acked) == 0 {
		t.Fatalf("no report was acknowledged in %v:\n%s", time.Since(began), logTail(srv.stderr.String()))
	}
	t.Logf("%s: %d reports sent and %d acknowledged in %v by %d clients; %d in flight at the kill, %d unanswered",
		backend, sent.Load(), len(acked), time.Since(began).Round(time.Millisecond), workers, flying, failed.Load())

	// What the database kept.
	d.reopen(t)
	kept := map[string]bool{}
	db := d.raw(t)
	defer db.Close()
	rows, err := db.Query("SELECT idem_key FROM reports WHERE idem_key LIKE 'kill9-%'")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			t.Fatal(err)
		}
		kept[k] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var missing []string
	for k := range acked {
		if !kept[k] {
			missing = append(missing, k)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("%d of %d acknowledged reports are missing after the kill, e.g. %v", len(missing), len(acked), missing[:min(10, len(missing))])
	}
	if n := d.count(t, "reports"); n != before+len(kept) {
		t.Errorf("reports after the kill: got %d, want %d before and %d written", n, before, len(kept))
	}
	d.checkIntegrity(t)
	t.Logf("%s: %d of %d acknowledged reports kept, and %d unacknowledged ones that committed before the kill",
		backend, len(acked)-len(missing), len(acked), len(kept)-(len(acked)-len(missing)))

	// Restarted, the server answers retries: an acknowledged report as a
	// replay (200), an unanswered one as a replay if it committed, else it
	// writes it now (201).
	_, base = serveChild(t, bin, d)
	var some int64
	for _, i := range acked {
		some = i
		break
	}
	retry := append([]int64{some}, lost...)
	for _, i := range retry {
		key, status, answer, err := postReport(client, base, token, d.world, i)
		if err != nil {
			t.Fatalf("retry %s: %v", key, err)
		}
		want := http.StatusCreated
		if kept[key] {
			want = http.StatusOK
		}
		if status != want {
			t.Errorf("retry of %s (kept: %v) after the restart: got %d, want %d: %s", key, kept[key], status, want, answer)
		}
	}
}

// TestFailedImportLeavesNothing kills `stakhanov import` midway through a
// large valid file, runs one of a file with a bad line near its end, and
// kills one as it writes its rows for good: the database holds not one
// report more (or, if the last import won the race with the kill, all of
// its file). An import after the kills then goes through.
func TestFailedImportLeavesNothing(t *testing.T) {
	bin := buildStakhanov(t)
	for _, backend := range durabilityBackends {
		t.Run(backend, func(t *testing.T) { testFailedImport(t, bin, backend) })
	}
}

// importSizes are the lines of the files imported on each backend: the one
// killed early, the one with a bad line, the one killed late. SQLite's
// first is large enough that the transaction outgrows the writer's 64 MiB
// page cache (sqlite.Open) and spills into the WAL before the kill.
var importSizes = map[string]struct{ early, bad, late int }{
	"sqlite":   {300_000, 100_000, 100_000},
	"postgres": {100_000, 20_000, 40_000},
}

func testFailedImport(t *testing.T, bin, backend string) {
	d := seedDurable(t, backend)
	before := d.count(t, "reports")
	foreman := d.account(t, stakhanov.RoleForeman).Name
	w := d.world
	sizes := importSizes[backend]
	// writeFile writes a valid reports file of n lines from a day on, four
	// shifts a day, so that even the largest ends in the past: no shift may
	// be dated after today.
	writeFile := func(name string, n int, from stakhanov.Date) (string, []byte) {
		var csv bytes.Buffer
		if err := csvimport.GenerateReports(&csv, n, []int64{w.Stakhanov, w.Stakhanov, w.Stakhanov, w.Stakhanov}, w.Coal, from); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(d.dir, name)
		if err := os.WriteFile(path, csv.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return path, csv.Bytes()
	}
	// killImport imports file and kills the import once stop says so of
	// how far it has read. It returns how far that was, and whether the
	// import had ended by itself before (allowed only if mayFinish).
	// Without Linux's /proc to tell how far the import has read, it kills
	// after 500 ms.
	killImport := func(t *testing.T, file string, size int64, stop func(pos int64) bool, mayFinish bool) (pos int64, finished bool) {
		t.Helper()
		base := d.written(t)
		imp := startChild(t, bin, d.dir, "import", "reports", "-db", d.dsn, "-user", foreman, file)
		if !procFdinfo() {
			t.Log("no /proc/self/fdinfo: killing the import after 500 ms")
			time.Sleep(500 * time.Millisecond)
		} else {
			deadline := time.After(2 * time.Minute)
			for {
				select {
				case <-imp.done:
					if !mayFinish || imp.cmd.ProcessState.ExitCode() != 0 {
						t.Fatalf("the import ended before it could be killed (%d of %d bytes read): %v\nstdout:\n%s\nstderr:\n%s",
							pos, size, imp.err, imp.stdout, logTail(imp.stderr.String()))
					}
					t.Logf("%s: the import ended before it could be killed: %s", backend, strings.TrimSpace(imp.stdout.String()))
					return pos, true
				case <-deadline:
					t.Fatalf("the import read %d of %d bytes in 2 minutes", pos, size)
				case <-time.After(5 * time.Millisecond):
				}
				p, ok := readPosition(imp.cmd.Process.Pid, file)
				if !ok {
					continue // not open yet
				}
				if pos = p; stop(pos) {
					break
				}
			}
		}
		imp.kill9(t)
		what := map[string]string{"sqlite": "WAL file", "postgres": "reports table"}[backend]
		t.Logf("%s: killed with %d of %d bytes read; the %s grew from %d to %d bytes", backend, pos, size, what, base, d.written(t))
		return pos, false
	}

	// Killed a third of the way through the file on PostgreSQL; on SQLite,
	// once the transaction has spilled into the WAL (or nine tenths of the
	// way through, if it does not).
	t.Run("killed early", func(t *testing.T) {
		file, text := writeFile("early.csv", sizes.early, stakhanov.NewDate(1700, 1, 1))
		size := int64(len(text))
		base := d.written(t)
		killImport(t, file, size, func(pos int64) bool {
			if backend == "sqlite" {
				return d.written(t) > base+1<<20 || pos >= size/10*9
			}
			return pos >= size/3
		}, false)
		d.reopen(t)
		if n := d.count(t, "reports"); n != before {
			t.Errorf("reports after the killed import: got %d rows, want %d", n, before)
		}
		d.checkIntegrity(t)
	})

	t.Run("bad line", func(t *testing.T) {
		// The last line but one is bad: every line before it is written in
		// the transaction before the import gives up.
		_, text := writeFile("good.csv", sizes.bad, stakhanov.NewDate(1700, 1, 1))
		end := bytes.LastIndexByte(text[:len(text)-1], '\n') // start of the last line
		prev := bytes.LastIndexByte(text[:end], '\n')        // of the last but one
		fields := strings.Split(string(text[prev+1:end]), ",")
		fields[4] = "-5" // produced
		bad := slices.Concat(text[:prev+1], []byte(strings.Join(fields, ",")), text[end:])
		file := filepath.Join(d.dir, "bad.csv")
		if err := os.WriteFile(file, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		imp := startChild(t, bin, d.dir, "import", "reports", "-db", d.dsn, "-user", foreman, file)
		code := imp.wait(t, 5*time.Minute)
		if code == 0 {
			t.Fatalf("import of a file with a bad line: exit code 0, want non-zero\nstdout:\n%s", imp.stdout)
		}
		want := fmt.Sprintf("line %d: produced:", sizes.bad) // the header is line 1
		if !strings.Contains(imp.stderr.String(), want) {
			t.Errorf("stderr does not name %q:\n%s", want, logTail(imp.stderr.String()))
		}
		if n := d.count(t, "reports"); n != before {
			t.Errorf("reports after the refused import: got %d, want %d", n, before)
		}
		d.checkIntegrity(t)
	})

	// Killed once the whole file is read and the rows are being written
	// where they will stay: on SQLite, the commit writing the WAL; on
	// PostgreSQL, the staged rows being moved into reports. If the import
	// wins the race, all of it is there; else none.
	t.Run("killed late", func(t *testing.T) {
		file, text := writeFile("late.csv", sizes.late, stakhanov.NewDate(1700, 1, 1))
		size := int64(len(text))
		base := d.written(t)
		_, finished := killImport(t, file, size, func(pos int64) bool { return pos >= size && d.written(t) > base }, true)
		d.reopen(t)
		want := before
		if finished {
			want += sizes.late
		}
		if n := d.count(t, "reports"); n != want {
			t.Errorf("reports after the import killed late (finished: %v): got %d rows, want %d", finished, n, want)
		}
		d.checkIntegrity(t)
		before = want
	})

	t.Run("after", func(t *testing.T) {
		// A file of days no other file has: all of it is new.
		file, _ := writeFile("small.csv", 100, stakhanov.NewDate(1600, 1, 1))
		imp := startChild(t, bin, d.dir, "import", "reports", "-db", d.dsn, "-user", foreman, file)
		if code := imp.wait(t, time.Minute); code != 0 {
			t.Fatalf("import after the kills: exit code %d\n%s", code, logTail(imp.stderr.String()))
		}
		if want := "100 reports imported, 0 already present"; !strings.Contains(imp.stdout.String(), want) {
			t.Errorf("import after the kills: got %q, want %q", imp.stdout, want)
		}
		if n := d.count(t, "reports"); n != before+100 {
			t.Errorf("reports after a good import: got %d, want %d", n, before+100)
		}
	})
}

// procFdinfo reports whether /proc tells how far a process has read a file.
func procFdinfo() bool {
	_, err := os.Stat("/proc/self/fdinfo")
	return err == nil
}

// readPosition returns how far process pid has read the file at path, from
// Linux's /proc; false when it cannot tell (no /proc, file not yet open).
func readPosition(pid int, path string) (int64, bool) {
	fds := fmt.Sprintf("/proc/%d/fd", pid)
	entries, err := os.ReadDir(fds)
	if err != nil {
		return 0, false
	}
	for _, e := range entries {
		if target, err := os.Readlink(filepath.Join(fds, e.Name())); err != nil || target != path {
			continue
		}
		f, err := os.Open(fmt.Sprintf("/proc/%d/fdinfo/%s", pid, e.Name()))
		if err != nil {
			return 0, false
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "pos:"); ok {
				n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
				return n, err == nil
			}
		}
		return 0, false
	}
	return 0, false
}
