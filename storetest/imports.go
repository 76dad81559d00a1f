package storetest

import (
	"fmt"
	"iter"
	"testing"

	"github.com/stakhanov/stakhanov"
)

func rowsOf[T any](vs ...*T) iter.Seq[stakhanov.ImportRow[T]] {
	return func(yield func(stakhanov.ImportRow[T]) bool) {
		for i, v := range vs {
			if !yield(stakhanov.ImportRow[T]{Line: i + 2, Value: v}) {
				return
			}
		}
	}
}

func shiftReports(t *testing.T, w *world, n int) []*stakhanov.Report {
	var rs []*stakhanov.Report
	start := date(t, "1935-01-01")
	for i := 0; i < n; i++ {
		rs = append(rs, report(stakhanov.PersonSubject(w.miner.ID), w.coal, start.AddDays(i), 1, 8, 7.5, fmt.Sprintf("imp-%d", i)))
	}
	return rs
}

func testImportReports(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	rs := shiftReports(t, w, 50)
	rs[3].Helpers = []stakhanov.Helper{{PersonID: w.helper1.ID}}
	res, err := s.ImportReports(system, rowsOf(rs...))
	must(t, err)
	if res.Lines != 50 || res.Created != 50 || res.Existing != 0 {
		t.Fatalf("first import: got %+v", res)
	}
	again := shiftReports(t, w, 50)
	again[3].Helpers = []stakhanov.Helper{{PersonID: w.helper1.ID}}
	res, err = s.ImportReports(system, rowsOf(again...))
	must(t, err)
	if res.Created != 0 || res.Existing != 50 {
		t.Fatalf("second import: got %+v, want 0 created, 50 existing", res)
	}
	// The same key with another team is not the same report.
	other := shiftReports(t, w, 50)
	other[3].Helpers = []stakhanov.Helper{{PersonID: w.helper2.ID}}
	_, err = s.ImportReports(system, rowsOf(other...))
	if e, ok := isImportError(err); !ok || len(e.Lines) != 1 || e.Lines[0].Line != 5 || e.Lines[0].Field != "key" {
		t.Fatalf("re-import with another helper: got %v, want line 5 refused on its key", err)
	}
	_, total, err := s.FindReports(bg, stakhanov.ReportFilter{})
	must(t, err)
	if total != 50 {
		t.Fatalf("reports: got %d, want 50", total)
	}
	helped, err := s.Credits(bg, stakhanov.CreditFilter{Subject: stakhanov.PersonSubject(w.helper1.ID)})
	must(t, err)
	if len(helped) != 1 || !helped[0].Helped || !near(helped[0].Share, 0.5) {
		t.Fatalf("helper's credit from an imported report: got %+v", helped)
	}
	// A foreman of the factory may not import the mine's reports.
	foreman := user(t, s, "factory-foreman", stakhanov.RoleForeman, w.factory)
	_, err = s.ImportReports(as(foreman), rowsOf(report(stakhanov.PersonSubject(w.miner.ID), w.coal, date(t, "1936-01-01"), 1, 1, 1, "x")))
	if e, ok := isImportError(err); !ok || len(e.Lines) != 1 || e.Lines[0].Field != "subject" {
		t.Fatalf("import outside scope: got %v", err)
	}
}

func testImportRefusesBadFile(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	rs := shiftReports(t, w, 100)
	rs[10].Accepted = 9 // more than produced
	rs[40].GoodID = 9999
	rs[70].Subject = stakhanov.PersonSubject(9999)
	rows := func(yield func(stakhanov.ImportRow[stakhanov.Report]) bool) {
		for i, r := range rs {
			row := stakhanov.ImportRow[stakhanov.Report]{Line: i + 2, Value: r}
			if i == 90 { // a line the parser could not read
				row = stakhanov.ImportRow[stakhanov.Report]{Line: i + 2, Errors: []stakhanov.LineError{{Line: i + 2, Field: "date", Message: "not a date"}}}
			}
			if !yield(row) {
				return
			}
		}
	}
	_, err := s.ImportReports(system, rows)
	e, ok := isImportError(err)
	if !ok {
		t.Fatalf("got %v, want an import error", err)
	}
	want := []stakhanov.LineError{{Line: 12, Field: "accepted"}, {Line: 42, Field: "good"}, {Line: 72, Field: "subject"}, {Line: 92, Field: "date"}}
	if len(e.Lines) != len(want) {
		t.Fatalf("bad lines: got %+v, want %+v", e.Lines, want)
	}
	for i, l := range e.Lines {
		if l.Line != want[i].Line || l.Field != want[i].Field || l.Message == "" {
			t.Fatalf("bad line %d: got %+v, want line %d field %s", i, l, want[i].Line, want[i].Field)
		}
	}
	_, total, err := s.FindReports(bg, stakhanov.ReportFilter{})
	must(t, err)
	if total != 0 {
		t.Fatalf("a refused import wrote %d reports", total)
	}
}

func testImportNormsAndPeople(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	people := []*stakhanov.Person{
		{Code: "M-100", Name: "Nikita Izotov", Profession: "hewer", UnitID: w.brigade.ID},
		{Code: "M-101", Name: "Pyotr Krivonos", Profession: "engine driver", UnitID: w.mine.ID},
	}
	res, err := s.ImportPeople(system, rowsOf(people...))
	must(t, err)
	if res.Created != 2 {
		t.Fatalf("people import: got %+v", res)
	}
	again := []*stakhanov.Person{
		{Code: "M-100", Name: "Nikita Izotov", Profession: "hewer", UnitID: w.brigade.ID},
		{Code: "M-101", Name: "Pyotr Krivonos", Profession: "engine driver", UnitID: w.mine.ID},
	}
	res, err = s.ImportPeople(system, rowsOf(again...))
	must(t, err)
	if res.Created != 0 || res.Existing != 2 {
		t.Fatalf("people re-import: got %+v", res)
	}
	_, err = s.ImportPeople(system, rowsOf(&stakhanov.Person{Code: "M-100", Name: "Someone else", Profession: "hewer", UnitID: w.brigade.ID}))
	if e, ok := isImportError(err); !ok || e.Lines[0].Field != "code" {
		t.Fatalf("code reused for someone else: got %v", err)
	}
	norms := []*stakhanov.Norm{
		{Subject: stakhanov.PersonSubject(w.miner.ID), GoodID: w.coal.ID, Amount: 7, EffectiveFrom: date(t, "1935-01-01"), Reason: "plan"},
		{Subject: stakhanov.PersonSubject(w.miner.ID), GoodID: w.coal.ID, Amount: 10, EffectiveFrom: date(t, "1936-01-01"), Reason: "raised"},
	}
	res, err = s.ImportNorms(system, rowsOf(norms...))
	must(t, err)
	if res.Created != 2 {
		t.Fatalf("norms import: got %+v", res)
	}
	norms2 := []*stakhanov.Norm{
		{Subject: stakhanov.PersonSubject(w.miner.ID), GoodID: w.coal.ID, Amount: 7, EffectiveFrom: date(t, "1935-01-01"), Reason: "plan"},
		{Subject: stakhanov.PersonSubject(w.miner.ID), GoodID: w.coal.ID, Amount: 10, EffectiveFrom: date(t, "1936-01-01"), Reason: "raised"},
	}
	res, err = s.ImportNorms(system, rowsOf(norms2...))
	must(t, err)
	if res.Created != 0 || res.Existing != 2 {
		t.Fatalf("norms re-import: got %+v", res)
	}
	history, _, err := s.FindNorms(bg, stakhanov.NormFilter{Subject: stakhanov.PersonSubject(w.miner.ID)})
	must(t, err)
	if len(history) != 2 || history[1].Version != 2 {
		t.Fatalf("norm history: got %+v", history)
	}
}
