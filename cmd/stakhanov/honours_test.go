package main

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/demo"
	"github.com/stakhanov/stakhanov/sqlite"
)

func TestCandidatesCommand(t *testing.T) {
	db, w := seededDB(t)
	e, out, errOut := testEnv(nil)
	args := []string{"candidates", "-db", db, "-award", itoa(w.Awards.HeroOfLabourRF)}
	if code := run(context.Background(), args, e); code != 0 {
		t.Fatalf("candidates: exit %d: %s", code, errOut)
	}
	for _, want := range []string{"3 candidates", "Melnik", "Chumanov"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("candidates output lacks %q:\n%s", want, out)
		}
	}
	e, out, _ = testEnv(nil)
	if code := run(context.Background(), []string{"candidates", "-db", db, "-award", itoa(w.Awards.OrderOfLenin)}, e); code != 0 {
		t.Fatalf("candidates for an award without a rule: exit %d", code)
	}
	if !strings.Contains(out.String(), "no candidacy rule") {
		t.Errorf("got %q, want it to say there is no candidacy rule", out)
	}
}

// draft writes a record decree as the demo authority and returns its id.
func draft(t *testing.T, db string, w *demo.World, number string, date stakhanov.Date, award int64, recipient int64) int64 {
	t.Helper()
	s, err := sqlite.Open(context.Background(), db, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	authority, err := s.FindUserByName(context.Background(), "authority")
	if err != nil {
		t.Fatal(err)
	}
	d := &stakhanov.Decree{Number: number, Date: date, Authority: demo.AuthorityPresident, Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{{AwardID: award, Recipient: stakhanov.PersonSubject(recipient)}}}
	if err := s.CreateDecree(stakhanov.NewContext(context.Background(), authority), d); err != nil {
		t.Fatal(err)
	}
	return d.ID
}

func TestDecreeSignCommand(t *testing.T) {
	db, w := seededDB(t)
	// Hero of Labour of the Russian Federation is held once only: a second
	// one for Melnik is refused, naming the entry.
	again := draft(t, db, w, "T-1", stakhanov.NewDate(2014, 5, 1), w.Awards.HeroOfLabourRF, w.Honoured2013[0])
	e, _, errOut := testEnv(nil)
	if code := run(context.Background(), []string{"decree", "sign", "-db", db, "-user", "authority", itoa(again)}, e); code != 1 {
		t.Fatalf("signing a second once-only title: exit %d, want 1; stderr %s", code, errOut)
	}
	if !strings.Contains(errOut.String(), "entries[0]") {
		t.Errorf("stderr does not name the failing entry: %s", errOut)
	}
	ok := draft(t, db, w, "T-2", stakhanov.NewDate(1936, 1, 1), w.Awards.OrderOfLenin, w.Stakhanov)
	e, out, errOut := testEnv(nil)
	if code := run(context.Background(), []string{"decree", "sign", "-db", db, "-user", "authority", itoa(ok)}, e); code != 0 {
		t.Fatalf("sign: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "decree T-2 of 1936-01-01 signed: 1 conferrals") {
		t.Errorf("got %q", out)
	}
	e, _, errOut = testEnv(nil)
	if code := run(context.Background(), []string{"decree", "sign", "-db", db, "-user", "worker", itoa(ok)}, e); code != 1 || !strings.Contains(errOut.String(), "may not") {
		t.Errorf("signing as a worker: exit %d, stderr %q, want a refusal", code, errOut)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
