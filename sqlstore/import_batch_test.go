package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// The bulk import paths (SQLite's batched INSERT, PostgreSQL's COPY) find
// what was written after many lines were read; these cases check that they
// still answer line by line as a row-by-row import would.

var system = stakhanov.NewContext(context.Background(), stakhanov.System)

func TestImportBatchSQLite(t *testing.T) {
	testImportBatch(t, func(t *testing.T) *sqlstore.DB {
		s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

func TestImportBatchPostgres(t *testing.T) {
	pgtest.URL(t)
	testImportBatch(t, func(t *testing.T) *sqlstore.DB { return pgtest.Open(t, time.Now) })
}

type batchWorld struct {
	s      *sqlstore.DB
	people []int64
	good   int64
}

func newBatchWorld(t *testing.T, s *sqlstore.DB) *batchWorld {
	w := &batchWorld{s: s}
	u := &stakhanov.Unit{Kind: stakhanov.UnitEnterprise, Name: "mine"}
	must(t, s.CreateUnit(system, u))
	for i := range 5 {
		p := &stakhanov.Person{UnitID: u.ID, Name: fmt.Sprint("miner ", i), Profession: "hewer"}
		must(t, s.CreatePerson(system, p))
		w.people = append(w.people, p.ID)
	}
	g := &stakhanov.Good{Name: "coal", Measure: "t"}
	must(t, s.CreateGood(system, g))
	w.good = g.ID
	return w
}

// reports returns n reports of the first person on consecutive days, keys
// prefix-0 to prefix-(n-1) (none if prefix is empty).
func (w *batchWorld) reports(n int, prefix string) []*stakhanov.Report {
	var rs []*stakhanov.Report
	start := stakhanov.NewDate(1935, time.January, 1)
	for i := range n {
		rs = append(rs, &stakhanov.Report{Subject: stakhanov.PersonSubject(w.people[0]), GoodID: w.good, Date: start.AddDays(i),
			Shift: 1, Produced: 8, Accepted: 7.5})
		if prefix != "" {
			rs[i].Key = fmt.Sprint(prefix, "-", i)
		}
	}
	return rs
}

func lines(rs ...*stakhanov.Report) iter.Seq[stakhanov.ImportRow[stakhanov.Report]] {
	return func(yield func(stakhanov.ImportRow[stakhanov.Report]) bool) {
		for i, r := range rs {
			if !yield(stakhanov.ImportRow[stakhanov.Report]{Line: i + 2, Value: r}) {
				return
			}
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantResult(t *testing.T, what string, got stakhanov.ImportResult, err error, created, existing int) {
	t.Helper()
	must(t, err)
	if got.Created != created || got.Existing != existing {
		t.Fatalf("%s: got %+v, want %d created, %d existing", what, got, created, existing)
	}
}

func wantLines(t *testing.T, what string, err error, want ...stakhanov.LineError) {
	t.Helper()
	var e *stakhanov.ImportError
	if !errors.As(err, &e) {
		t.Fatalf("%s: got %v, want an import error", what, err)
	}
	if len(e.Lines) != len(want) {
		t.Fatalf("%s: got %+v, want %+v", what, e.Lines, want)
	}
	for i, l := range e.Lines {
		if l.Line != want[i].Line || l.Field != want[i].Field || l.Message == "" {
			t.Fatalf("%s: line error %d: got %+v, want line %d field %s", what, i, l, want[i].Line, want[i].Field)
		}
	}
}

func count(t *testing.T, s *sqlstore.DB) int {
	t.Helper()
	_, n, err := s.FindReports(context.Background(), stakhanov.ReportFilter{})
	must(t, err)
	return n
}

func testImportBatch(t *testing.T, open func(*testing.T) *sqlstore.DB) {
	t.Run("duplicates in the file", func(t *testing.T) {
		s := open(t)
		w := newBatchWorld(t, s)
		rs := w.reports(600, "")
		same := *rs[5]
		rs = append(rs, &same)                                                        // the same shift again, in another batch
		rs = append(rs[:10], append([]*stakhanov.Report{ptr(*rs[9])}, rs[10:]...)...) // and in the same batch
		rs[10].Produced = 9
		_, err := s.ImportReports(system, lines(rs...))
		wantLines(t, "a shift twice", err, stakhanov.LineError{Line: 12, Field: "shift"}, stakhanov.LineError{Line: 603, Field: "shift"})
		var e *stakhanov.ImportError
		errors.As(err, &e)
		if !strings.Contains(e.Lines[0].Message, "line 11") || !strings.Contains(e.Lines[1].Message, "line 7") {
			t.Fatalf("a shift twice: got %+v, want lines 11 and 7 named", e.Lines)
		}
		if n := count(t, s); n != 0 {
			t.Fatalf("reports: got %d, want 0", n)
		}
		keyed := w.reports(600, "dup")
		changed := *keyed[300]
		changed.Date = changed.Date.AddDays(1000)
		keyed = append(keyed, &changed)
		_, err = s.ImportReports(system, lines(keyed...))
		wantLines(t, "a key twice", err, stakhanov.LineError{Line: 602, Field: "key"})
		res, err := s.ImportReports(system, lines(keyed[:600]...))
		wantResult(t, "import", res, err, 600, 0)
		res, err = s.ImportReports(system, lines(w.reports(600, "")...))
		wantResult(t, "the same shifts without keys", res, err, 0, 600)
	})
	t.Run("some held before", func(t *testing.T) {
		s := open(t)
		w := newBatchWorld(t, s)
		first := w.reports(700, "held")
		res, err := s.ImportReports(system, lines(first[100:150]...))
		wantResult(t, "first import", res, err, 50, 0)
		first[200].Witnesses = []int64{w.people[1]}
		first[201].Helpers = []stakhanov.Helper{{PersonID: w.people[2]}}
		res, err = s.ImportReports(system, lines(first...))
		wantResult(t, "second import", res, err, 650, 50)
		again := w.reports(700, "held")
		again[200].Witnesses = []int64{w.people[1]}
		again[201].Helpers = []stakhanov.Helper{{PersonID: w.people[2]}}
		res, err = s.ImportReports(system, lines(again...))
		wantResult(t, "re-import", res, err, 0, 700)
		rs, _, err := s.FindReports(context.Background(), stakhanov.ReportFilter{Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
		must(t, err)
		keys := map[int64]string{}
		for _, r := range rs {
			keys[r.ID] = r.Key
			if r.Key == "held-200" && (len(r.Witnesses) != 1 || r.Witnesses[0] != w.people[1]) {
				t.Fatalf("witnesses of %s: got %v", r.Key, r.Witnesses)
			}
			if r.Key == "held-201" && (len(r.Helpers) != 1 || r.Helpers[0].PersonID != w.people[2]) {
				t.Fatalf("helpers of %s: got %v", r.Key, r.Helpers)
			}
		}
		if len(keys) != 700 {
			t.Fatalf("reports: got %d, want 700", len(keys))
		}
		// The witness differs: the key is refused, on its line.
		again[200].Witnesses = []int64{w.people[3]}
		_, err = s.ImportReports(system, lines(again...))
		wantLines(t, "another witness", err, stakhanov.LineError{Line: 202, Field: "key"})
	})
	t.Run("errors in line order", func(t *testing.T) {
		s := open(t)
		w := newBatchWorld(t, s)
		rs := w.reports(600, "order")
		res, err := s.ImportReports(system, lines(rs[10:11]...))
		wantResult(t, "first import", res, err, 1, 0)
		rs = w.reports(600, "order")
		rs[10].Produced = 9 // held with other figures: found when its batch is written
		rs[100].Accepted = 99
		rs[400].GoodID = 9999
		rs[500].Produced = 1 // after a bad line: still compared
		rs[500].Accepted = 1
		rs[500].Key = "order-10"
		_, err = s.ImportReports(system, lines(rs...))
		wantLines(t, "bad file", err, stakhanov.LineError{Line: 12, Field: "key"}, stakhanov.LineError{Line: 102, Field: "accepted"},
			stakhanov.LineError{Line: 402, Field: "good"}, stakhanov.LineError{Line: 502, Field: "key"})
		if n := count(t, s); n != 1 {
			t.Fatalf("a refused import wrote: %d reports, want 1", n)
		}
	})
	t.Run("corrections", func(t *testing.T) {
		s := open(t)
		w := newBatchWorld(t, s)
		rs := w.reports(300, "orig")
		res, err := s.ImportReports(system, lines(rs...))
		wantResult(t, "originals", res, err, 300, 0)
		fixes := w.reports(600, "next")[300:]
		held, _, err := s.FindReports(context.Background(), stakhanov.ReportFilter{Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
		must(t, err)
		var id int64
		for _, r := range held {
			if r.Key == "orig-7" {
				id = r.ID
			}
		}
		fix := *w.reports(8, "orig")[7]
		fix.Key, fix.Corrects, fix.Accepted = "fix-7", id, 7
		fixes = append(fixes[:150], append([]*stakhanov.Report{&fix}, fixes[150:]...)...)
		res, err = s.ImportReports(system, lines(fixes...))
		wantResult(t, "with a correction", res, err, 301, 0)
		res, err = s.ImportReports(system, lines(fixes...))
		wantResult(t, "again", res, err, 0, 301)
		taken := fix
		taken.Key = "fix-7-again"
		missing := fix
		missing.Key, missing.Corrects = "fix-missing", 999999
		_, err = s.ImportReports(system, lines(append(w.reports(1020, "more")[1000:], &taken, &missing)...))
		wantLines(t, "corrections refused", err, stakhanov.LineError{Line: 22, Field: "corrects"}, stakhanov.LineError{Line: 23, Field: "corrects"})
		if n := count(t, s); n != 601 {
			t.Fatalf("reports: got %d, want 601", n)
		}
	})
}

func ptr[T any](v T) *T { return &v }
