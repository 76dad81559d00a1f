package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/csvimport"
	"github.com/stakhanov/stakhanov/demo"
	"github.com/stakhanov/stakhanov/sqlite"
)

// syncBuffer is written by a command running in another goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testEnv(vars map[string]string) (*env, *syncBuffer, *syncBuffer) {
	out, errOut := &syncBuffer{}, &syncBuffer{}
	return &env{stdin: strings.NewReader(""), stdout: out, stderr: errOut, getenv: func(k string) string { return vars[k] }, now: time.Now}, out, errOut
}

func TestMainServes(t *testing.T) {
	m := NewMain()
	m.Config.DB = filepath.Join(t.TempDir(), "main.db")
	m.Config.Addr = "127.0.0.1:0"
	if err := m.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	resp, err := http.Get(m.URL() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /healthz: got %d, want 200", resp.StatusCode)
	}
}

func TestConfigFromEnvAndFlags(t *testing.T) {
	c, err := DefaultConfig().FromEnv(func(k string) string {
		return map[string]string{"STAKHANOV_DB": "postgres://x/y", "STAKHANOV_ADDR": ":9000"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.DB != "postgres://x/y" || c.Addr != ":9000" || c.MaxBodyBytes != DefaultConfig().MaxBodyBytes {
		t.Fatalf("config from env: got %+v", c)
	}
	_, err = DefaultConfig().FromEnv(func(k string) string {
		if k == "STAKHANOV_MAX_BODY_BYTES" {
			return "lots"
		}
		return ""
	})
	if err == nil || !strings.Contains(err.Error(), "STAKHANOV_MAX_BODY_BYTES") {
		t.Fatalf("bad env value: got %v, want an error naming the variable", err)
	}
}

func TestConfigTimeZone(t *testing.T) {
	if got := DefaultConfig().TimeZone; got != time.UTC {
		t.Fatalf("default time zone: got %v, want UTC", got)
	}
	c, err := DefaultConfig().FromEnv(func(k string) string {
		return map[string]string{"STAKHANOV_TIME_ZONE": "Europe/Moscow"}[k]
	})
	if err != nil || c.TimeZone.String() != "Europe/Moscow" {
		t.Fatalf("time zone from env: got %v, %v", c.TimeZone, err)
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.dbFlag(fs)
	if err := fs.Parse([]string{"-time-zone", "Asia/Vladivostok"}); err != nil || c.TimeZone.String() != "Asia/Vladivostok" {
		t.Fatalf("-time-zone: got %v, %v; the flag wins over the environment", c.TimeZone, err)
	}
	if err := fs.Parse([]string{"-time-zone", "Mars/Olympus"}); err == nil {
		t.Fatal("-time-zone Mars/Olympus: got no error")
	}
	_, err = DefaultConfig().FromEnv(func(k string) string {
		return map[string]string{"STAKHANOV_TIME_ZONE": "Local"}[k]
	})
	if err == nil || !strings.Contains(err.Error(), "STAKHANOV_TIME_ZONE") {
		t.Fatalf("bad env value: got %v, want an error naming the variable", err)
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	for _, args := range [][]string{{"serve", "-h"}, {"demo", "-h"}, {"import", "-h"}, {"migrate", "-h"},
		{"user", "add", "-h"}, {"token", "create", "-h"}, {"version", "-h"}} {
		e, _, errOut := testEnv(nil)
		if code := run(context.Background(), args, e); code != 0 {
			t.Errorf("%v: exit code %d, want 0", args, code)
		}
		if !strings.Contains(errOut.String(), "Usage: stakhanov") {
			t.Errorf("%v: got %q, want usage", args, errOut.String())
		}
	}
}

// seededDB makes a database holding the demo world and returns its path.
func seededDB(t testing.TB) (string, *demo.World) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "seeded.db")
	s, err := sqlite.Open(context.Background(), path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	w, err := demo.Seed(context.Background(), s, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return path, w
}

func reportCount(t *testing.T, path string) int {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, n, err := s.FindReports(context.Background(), stakhanov.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestImportCommand is the acceptance case: 1,000 lines with 3 bad
// ones are refused, naming each, and nothing is imported; a valid file
// imported twice adds nothing the second time.
func TestImportCommand(t *testing.T) {
	db, w := seededDB(t)
	before := reportCount(t, db)
	var foreman string
	for _, a := range w.Accounts {
		if a.Role == stakhanov.RoleForeman {
			foreman = a.Name
		}
	}
	var csv bytes.Buffer
	if err := csvimport.GenerateReports(&csv, 1000, []int64{w.Stakhanov}, w.Coal, stakhanov.NewDate(1940, 1, 1)); err != nil {
		t.Fatal(err)
	}
	valid := filepath.Join(t.TempDir(), "valid.csv")
	if err := os.WriteFile(valid, csv.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(csv.String(), "\n"), "\n")
	if len(lines) != 1001 {
		t.Fatalf("generated file: got %d lines, want a header and 1000 rows", len(lines))
	}
	header := strings.Split(lines[0], ",")
	col := func(name string) int {
		for i, h := range header {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %v", name, header)
		return -1
	}
	spoil := func(line int, column, value string) {
		fields := strings.Split(lines[line-1], ",")
		fields[col(column)] = value
		lines[line-1] = strings.Join(fields, ",")
	}
	spoil(11, "produced", "-5")
	spoil(500, "date", "1940-13-45")
	spoil(1001, "subject", "person:999999")
	bad := filepath.Join(t.TempDir(), "bad.csv")
	if err := os.WriteFile(bad, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	e, _, errOut := testEnv(nil)
	if code := run(context.Background(), []string{"import", "reports", "-db", db, "-user", foreman, bad}, e); code == 0 {
		t.Fatalf("import of a bad file: exit code 0, want non-zero; stderr:\n%s", errOut)
	}
	for _, want := range []string{"line 11: produced:", "line 500: date:", "line 1001: subject:"} {
		if !strings.Contains(errOut.String(), want) {
			t.Errorf("stderr does not name %q:\n%s", want, errOut)
		}
	}
	if got := regexp.MustCompile(`(?m)^line \d+`).FindAllString(errOut.String(), -1); len(got) != 3 {
		t.Errorf("bad lines reported: got %v, want 3", got)
	}
	if n := reportCount(t, db); n != before {
		t.Fatalf("reports after a refused import: got %d, want %d", n, before)
	}

	for i, want := range []string{"1000 reports imported, 0 already present", "0 reports imported, 1000 already present"} {
		e, out, errOut := testEnv(nil)
		if code := run(context.Background(), []string{"import", "reports", "-db", db, "-user", foreman, valid}, e); code != 0 {
			t.Fatalf("import %d: exit code %d; stderr:\n%s", i+1, code, errOut)
		}
		if !strings.Contains(out.String(), want) {
			t.Fatalf("import %d: got %q, want %q", i+1, out.String(), want)
		}
	}
	if n := reportCount(t, db); n != before+1000 {
		t.Fatalf("reports after importing twice: got %d, want %d", n, before+1000)
	}
}

func TestUserAndTokenCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")
	e, out, errOut := testEnv(nil)
	if code := run(context.Background(), []string{"user", "add", "-db", db, "-role", "auditor", "olga"}, e); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errOut)
	}
	first := strings.TrimSpace(out.String())
	e, out, errOut = testEnv(map[string]string{"STAKHANOV_DB": db})
	if code := run(context.Background(), []string{"token", "create", "olga"}, e); code != 0 {
		t.Fatalf("token create: exit %d: %s", code, errOut)
	}
	second := strings.TrimSpace(out.String())
	s, err := sqlite.Open(context.Background(), db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, token := range []string{first, second} {
		u, err := s.Authenticate(context.Background(), token)
		if err != nil || u.Name != "olga" || u.Role != stakhanov.RoleAuditor {
			t.Fatalf("token %q: got %+v, %v", token, u, err)
		}
	}
	e, _, errOut = testEnv(nil)
	if code := run(context.Background(), []string{"user", "add", "-db", db, "-role", "tsar", "ivan"}, e); code != 1 || !strings.Contains(errOut.String(), "role") {
		t.Fatalf("user add with a bad role: exit %d, stderr %q", code, errOut)
	}
}

// TestDemo runs `stakhanov demo` and reads Stakhanov's record shift through
// the API with the token it prints.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, out, errOut := testEnv(nil)
	done := make(chan int, 1)
	db := filepath.Join(t.TempDir(), "demo.db")
	go func() { done <- run(ctx, []string{"demo", "-db", db, "-addr", "127.0.0.1:0"}, e) }()
	curl := regexp.MustCompile(`curl -H 'Authorization: Bearer (\S+)' (\S+/api/v1/reports/\d+)`)
	var m []string
	for deadline := time.Now().Add(30 * time.Second); m == nil; {
		if m = curl.FindStringSubmatch(out.String()); m != nil {
			break
		}
		select {
		case code := <-done:
			t.Fatalf("demo exited with %d: %s", code, errOut)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo printed no API example:\n%s\n%s", out, errOut)
		}
		time.Sleep(20 * time.Millisecond)
	}
	req, _ := http.NewRequest("GET", m[2], nil)
	req.Header.Set("Authorization", "Bearer "+m[1])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		Report     stakhanov.Report           `json:"report"`
		Fulfilment stakhanov.ReportFulfilment `json:"fulfilment"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	f := body.Fulfilment
	if body.Report.Produced != 102 || f.Norm != 7 || f.Team != 3 || f.Percent == nil || fmt.Sprintf("%.1f", *f.Percent) != "485.7" {
		t.Fatalf("the record shift: got %+v %+v", body.Report, f)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("demo exit code after interrupt: %d; stderr: %s", code, errOut)
	}
}

// TestAccountCommands: the operator lists accounts, disables one (its
// token is refused at once), enables it, changes its role and unit, and
// lists and revokes tokens; user add says the new account's id.
func TestAccountCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "accounts.db")
	runOK := func(args ...string) (string, string) {
		t.Helper()
		e, out, errOut := testEnv(map[string]string{"STAKHANOV_DB": db})
		if code := run(context.Background(), args, e); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return out.String(), errOut.String()
	}
	token, said := runOK("user", "add", "-role", "foreman", "ivan")
	token = strings.TrimSpace(token)
	if !strings.Contains(said, "user ivan (id 1, foreman) added") {
		t.Fatalf("user add: said %q, want the new account's id", said)
	}
	runOK("user", "add", "-role", "auditor", "olga")
	if out, _ := runOK("user", "list"); !strings.Contains(out, "ivan") || !strings.Contains(out, "olga") || !strings.Contains(out, "enabled") {
		t.Fatalf("user list: got\n%s", out)
	}
	if out, _ := runOK("user", "disable", "-reason", "dismissed", "ivan"); !strings.Contains(out, "disabled") {
		t.Fatalf("user disable: got %q", out)
	}
	s, err := sqlite.Open(context.Background(), db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(context.Background(), token); stakhanov.ErrorCode(err) != stakhanov.EUNAUTHORIZED {
		t.Fatalf("a disabled account's token: got %v", err)
	}
	s.Close()
	if out, _ := runOK("user", "list", "-name", "iva"); !strings.Contains(out, "disabled") || strings.Contains(out, "olga") {
		t.Fatalf("user list -name iva: got\n%s", out)
	}
	runOK("user", "enable", "ivan")
	runOK("user", "set-role", "ivan", "planner")
	runOK("user", "set-unit", "ivan", "0")
	fresh, said := runOK("token", "create", "-expires-days", "7", "ivan")
	if !strings.Contains(said, "for ivan, until") {
		t.Fatalf("token create: said %q", said)
	}
	out, _ := runOK("token", "list", "ivan")
	if lines := strings.Split(strings.TrimSpace(out), "\n"); len(lines) != 3 || !strings.Contains(lines[2], "revoked") || !strings.Contains(lines[1], "live") {
		t.Fatalf("token list ivan: got\n%s", out)
	}
	id := strings.Fields(strings.Split(strings.TrimSpace(out), "\n")[1])[0]
	runOK("token", "revoke", id)
	s, err = sqlite.Open(context.Background(), db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Authenticate(context.Background(), strings.TrimSpace(fresh)); stakhanov.ErrorCode(err) != stakhanov.EUNAUTHORIZED {
		t.Fatalf("a revoked token: got %v", err)
	}
	u, err := s.FindUserByName(context.Background(), "ivan")
	if err != nil || u.Role != stakhanov.RolePlanner || u.Disabled {
		t.Fatalf("ivan after the changes: got %+v, %v", u, err)
	}
	e, _, errOut := testEnv(map[string]string{"STAKHANOV_DB": db})
	if code := run(context.Background(), []string{"user", "set-role", "ivan", "tsar"}, e); code != 1 || !strings.Contains(errOut.String(), "role") {
		t.Fatalf("set-role tsar: exit %d, %q", code, errOut)
	}
}

// TestServeAnswersOnceReady: a server with something to get ready first
// (the demo seeds its world) answers no request before it is ready, then
// answers the ones that waited.
func TestServeAnswersOnceReady(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ready.db")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e, _, _ := testEnv(map[string]string{"STAKHANOV_DB": db, "STAKHANOV_ADDR": "127.0.0.1:0"})
	c, err := config(e)
	if err != nil {
		t.Fatal(err)
	}
	c.DB, c.Addr = db, "127.0.0.1:0"
	answered := make(chan int, 1)
	served := make(chan error, 1)
	go func() {
		served <- serve(ctx, c, e, "", func(m *Main) error {
			go func() {
				client := &http.Client{Timeout: time.Minute}
				res, err := client.Get(m.URL() + "/healthz")
				if err != nil {
					answered <- -1
					return
				}
				res.Body.Close()
				answered <- res.StatusCode
			}()
			// While getting ready, the request waits: nothing answers it.
			select {
			case code := <-answered:
				t.Errorf("answered %d before the server was ready", code)
			case <-time.After(300 * time.Millisecond):
			}
			return nil
		})
	}()
	select {
	case code := <-answered:
		if code != http.StatusOK {
			t.Fatalf("healthz once ready: got %d", code)
		}
	case err := <-served:
		t.Fatalf("serve ended: %v", err)
	case <-time.After(time.Minute):
		t.Fatal("no answer a minute after the server was ready")
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
}
