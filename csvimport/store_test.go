package csvimport_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/csvimport"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
)

var system = stakhanov.NewContext(context.Background(), stakhanov.System)

// world is a real SQLite store with a mine, a brigade, people and coal.
type world struct {
	s       *sqlstore.DB
	mine    *stakhanov.Unit
	brigade *stakhanov.Unit
	people  []int64
	coal    *stakhanov.Good
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// newWorld opens a fresh store in dir and puts n people in the brigade,
// imported from a people file in one transaction.
func newWorld(t testing.TB, dir string, n int) *world {
	t.Helper()
	s, err := sqlite.Open(context.Background(), filepath.Join(dir, "t.db"), time.Now)
	must(t, err)
	t.Cleanup(func() { s.Close() })
	w := &world{s: s}
	w.mine = &stakhanov.Unit{Kind: stakhanov.UnitEnterprise, Name: "Tsentralnaya-Irmino mine"}
	must(t, s.CreateUnit(system, w.mine))
	w.brigade = &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "Stakhanov's brigade", ParentID: w.mine.ID}
	must(t, s.CreateUnit(system, w.brigade))
	w.coal = &stakhanov.Good{Name: "coal", Measure: "t"}
	must(t, s.CreateGood(system, w.coal))
	var file strings.Builder
	file.WriteString("code,name,profession,unit\n")
	for i := range n {
		fmt.Fprintf(&file, "M-%d,Miner %d,hewer,%d\n", i, i, w.brigade.ID)
	}
	res, err := s.ImportPeople(system, csvimport.People(strings.NewReader(file.String())))
	must(t, err)
	if res.Created != n {
		t.Fatalf("people: got %+v, want %d created", res, n)
	}
	people, _, err := s.FindPeople(context.Background(), stakhanov.PersonFilter{Page: stakhanov.Page{Limit: stakhanov.MaxLimit}})
	must(t, err)
	for _, p := range people {
		w.people = append(w.people, p.ID)
	}
	if len(w.people) != n {
		t.Fatalf("people: found %d, want %d", len(w.people), n)
	}
	return w
}

func (w *world) reportCount(t testing.TB) int {
	t.Helper()
	_, total, err := w.s.FindReports(context.Background(), stakhanov.ReportFilter{})
	must(t, err)
	return total
}

func importError(t *testing.T, err error) *stakhanov.ImportError {
	t.Helper()
	var e *stakhanov.ImportError
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an import error", err)
	}
	return e
}

// wantLines checks that an import error lists exactly these lines and
// fields, in order, each with a message.
func wantLines(t *testing.T, err error, want ...stakhanov.LineError) {
	t.Helper()
	e := importError(t, err)
	if len(e.Lines) != len(want) || e.Truncated != 0 {
		t.Fatalf("bad lines: got %v, want %v", e.Lines, want)
	}
	for i, l := range e.Lines {
		if l.Line != want[i].Line || l.Field != want[i].Field || l.Message == "" {
			t.Fatalf("bad line %d: got %v, want line %d field %q", i, l, want[i].Line, want[i].Field)
		}
	}
}

var day1 = stakhanov.NewDate(1935, time.August, 1)

// The acceptance case: a generated file of 1,000 lines with three lines
// spoilt is refused whole, naming exactly those lines; the clean file
// imports once, and a second time adds nothing.
func TestImportGeneratedReports(t *testing.T) {
	w := newWorld(t, t.TempDir(), 10)
	var file bytes.Buffer
	must(t, csvimport.GenerateReports(&file, 1000, w.people, w.coal.ID, day1))
	lines := strings.Split(strings.TrimSuffix(file.String(), "\n"), "\n")
	if len(lines) != 1001 || lines[0] != "subject,good,date,shift,produced,accepted,minutes" {
		t.Fatalf("generated %d lines, header %q", len(lines), lines[0])
	}
	bad := append([]string(nil), lines...)
	spoil := func(n, col int, v string) {
		f := strings.Split(bad[n-1], ",")
		f[col] = v
		bad[n-1] = strings.Join(f, ",")
	}
	spoil(101, 4, "-5.0")          // negative produced: the store's check
	spoil(502, 2, "1935-02-30")    // no such date: the parser's check
	spoil(903, 0, "person:999999") // unknown person: the store's check

	_, err := w.s.ImportReports(system, csvimport.Reports(strings.NewReader(strings.Join(bad, "\n")+"\n")))
	wantLines(t, err,
		stakhanov.LineError{Line: 101, Field: "produced"},
		stakhanov.LineError{Line: 502, Field: "date"},
		stakhanov.LineError{Line: 903, Field: "subject"})
	if n := w.reportCount(t); n != 0 {
		t.Fatalf("a refused import wrote %d reports", n)
	}

	res, err := w.s.ImportReports(system, csvimport.Reports(bytes.NewReader(file.Bytes())))
	must(t, err)
	if res != (stakhanov.ImportResult{Lines: 1000, Created: 1000}) {
		t.Fatalf("first import: got %+v, want 1000 created", res)
	}
	res, err = w.s.ImportReports(system, csvimport.Reports(bytes.NewReader(file.Bytes())))
	must(t, err)
	if res != (stakhanov.ImportResult{Lines: 1000, Existing: 1000}) {
		t.Fatalf("second import: got %+v, want 0 created, 1000 existing", res)
	}
	if n := w.reportCount(t); n != 1000 {
		t.Fatalf("reports: got %d, want 1000", n)
	}
}

func TestImportReportsThroughStore(t *testing.T) {
	w := newWorld(t, t.TempDir(), 4)
	p := w.people
	file := fmt.Sprintf(`subject,good,date,shift,produced,accepted,helpers,witnesses,minutes,note,key
person:%[1]d,%[5]d,1935-08-31,1,102,102,%[2]d;%[3]d,%[4]d,345,"the record, with two timberers",
person:%[1]d,%[5]d,1935-09-01,1,14,13,%[2]d:0.25;%[3]d:0.25,,360,,mine-42
`, p[0], p[1], p[2], p[3], w.coal.ID)
	res, err := w.s.ImportReports(system, csvimport.Reports(strings.NewReader(file)))
	must(t, err)
	if res.Created != 2 {
		t.Fatalf("import: got %+v", res)
	}
	credits, err := w.s.Credits(context.Background(), stakhanov.CreditFilter{Subject: stakhanov.PersonSubject(p[0])})
	must(t, err)
	if len(credits) != 2 || credits[0].Share != 1.0/3 || credits[1].Share != 0.5 {
		t.Fatalf("subject's credits: got %+v, want shares 1/3 and 1/2", credits)
	}
	helped, err := w.s.Credits(context.Background(), stakhanov.CreditFilter{Subject: stakhanov.PersonSubject(p[1])})
	must(t, err)
	if len(helped) != 2 || !helped[0].Helped || helped[1].Share != 0.25 {
		t.Fatalf("helper's credits: got %+v", helped)
	}
	rs, _, err := w.s.FindReports(context.Background(), stakhanov.ReportFilter{})
	must(t, err)
	byDate := map[string]*stakhanov.Report{}
	for _, r := range rs {
		byDate[r.Date.String()] = r
	}
	first, second := byDate["1935-08-31"], byDate["1935-09-01"]
	if first == nil || second == nil {
		t.Fatalf("reports: got %+v", rs)
	}
	if first.Note != "the record, with two timberers" || first.Minutes != 345 || first.Key != "" {
		t.Fatalf("first report: got %+v", first)
	}
	if second.Key != "mine-42" {
		t.Fatalf("second report's key: got %q, want the file's", second.Key)
	}

	// A correction names the report it corrects and replaces it as the
	// shift's current report; the same line again is already present.
	fix := fmt.Sprintf("subject,good,date,shift,produced,accepted,corrects\nperson:%d,%d,1935-08-31,1,100,98,%d\n", p[0], w.coal.ID, first.ID)
	res, err = w.s.ImportReports(system, csvimport.Reports(strings.NewReader(fix)))
	must(t, err)
	if res.Created != 1 {
		t.Fatalf("correction: got %+v", res)
	}
	res, err = w.s.ImportReports(system, csvimport.Reports(strings.NewReader(fix)))
	must(t, err)
	if res.Existing != 1 {
		t.Fatalf("correction again: got %+v", res)
	}

	// Another line for a shift already reported, with other figures, is a
	// conflict naming the shift's current report (the correction); so are
	// two lines for one shift in one file, naming the first.
	again := fmt.Sprintf("subject,good,date,shift,produced,accepted\nperson:%d,%d,1935-08-31,1,120,120\n", p[0], w.coal.ID)
	_, err = w.s.ImportReports(system, csvimport.Reports(strings.NewReader(again)))
	wantLines(t, err, stakhanov.LineError{Line: 2, Field: "shift"})
	var ie *stakhanov.ImportError
	if errors.As(err, &ie); !strings.Contains(ie.Lines[0].Message, fmt.Sprintf("report %d", first.ID+2)) {
		t.Fatalf("a shift held: got %q, want the correction, report %d, named", ie.Lines[0].Message, first.ID+2)
	}
	twice := fmt.Sprintf("subject,good,date,shift,produced,accepted\nperson:%[1]d,%[2]d,1935-10-01,2,7,7\nperson:%[1]d,%[2]d,1935-10-01,2,8,8\n", p[0], w.coal.ID)
	_, err = w.s.ImportReports(system, csvimport.Reports(strings.NewReader(twice)))
	wantLines(t, err, stakhanov.LineError{Line: 3, Field: "shift"})
	if errors.As(err, &ie); !strings.Contains(ie.Lines[0].Message, "line 2") {
		t.Fatalf("a shift twice: got %q, want line 2 named", ie.Lines[0].Message)
	}

	// Lines the parser refuses and lines the store refuses are listed
	// together, in order.
	mixed := fmt.Sprintf(`subject,good,date,shift,produced,accepted,helpers
person:%[1]d,%[2]d,1936-01-01,1,8,9,
person:%[1]d,%[2]d,1936-01-02,x,8,7,
person:%[1]d,%[2]d,1936-01-03,1,8,7,999999
person:%[1]d,%[2]d,1936-01-04,1,8,7
person:%[1]d,%[2]d,1936-01-05,1,8,7,
`, p[0], w.coal.ID)
	_, err = w.s.ImportReports(system, csvimport.Reports(strings.NewReader(mixed)))
	wantLines(t, err,
		stakhanov.LineError{Line: 2, Field: "accepted"},
		stakhanov.LineError{Line: 3, Field: "shift"},
		stakhanov.LineError{Line: 4, Field: "helpers"},
		stakhanov.LineError{Line: 5, Field: ""})
	if n := w.reportCount(t); n != 3 {
		t.Fatalf("reports after refused imports: got %d, want 3", n)
	}
}

func TestImportPeopleAndNorms(t *testing.T) {
	w := newWorld(t, t.TempDir(), 1)
	people := fmt.Sprintf("Name,Unit,Code,Profession\nNikita Izotov,%[1]d,M-100,hewer\n\"Krivonos, Pyotr\",%[2]d,M-101,\n", w.brigade.ID, w.mine.ID)
	res, err := w.s.ImportPeople(system, csvimport.People(strings.NewReader(people)))
	must(t, err)
	if res != (stakhanov.ImportResult{Lines: 2, Created: 2}) {
		t.Fatalf("people: got %+v", res)
	}
	res, err = w.s.ImportPeople(system, csvimport.People(strings.NewReader(people)))
	must(t, err)
	if res != (stakhanov.ImportResult{Lines: 2, Existing: 2}) {
		t.Fatalf("people again: got %+v", res)
	}
	found, _, err := w.s.FindPeople(context.Background(), stakhanov.PersonFilter{Name: "Krivonos"})
	must(t, err)
	if len(found) != 1 || found[0].Name != "Krivonos, Pyotr" || found[0].Code != "M-101" || found[0].UnitID != w.mine.ID || found[0].Profession != "" {
		t.Fatalf("imported person: got %+v", found)
	}
	badPeople := fmt.Sprintf("code,name,unit\nM-100,Not Izotov,%[1]d\nM-200,,%[1]d\n,Nobody,%[1]d\nM-201,Somebody,mine\nM-202,Elsewhere,999999\n", w.brigade.ID)
	_, err = w.s.ImportPeople(system, csvimport.People(strings.NewReader(badPeople)))
	wantLines(t, err,
		stakhanov.LineError{Line: 2, Field: "code"}, // already names someone else
		stakhanov.LineError{Line: 3, Field: "name"},
		stakhanov.LineError{Line: 4, Field: "code"},
		stakhanov.LineError{Line: 5, Field: "unit"},
		stakhanov.LineError{Line: 6, Field: "unit_id"}) // the store's name for an unknown unit

	miner := found[0].ID
	norms := fmt.Sprintf("subject,good,amount,effective_from,reason\nperson:%[1]d,%[2]d,7,1935-01-01,the plan\nperson:%[1]d,%[2]d,10.5,1936-01-01,\"raised, after the record\"\nunit:%[3]d,%[2]d,70,1935-01-01,brigade plan\n",
		miner, w.coal.ID, w.brigade.ID)
	res, err = w.s.ImportNorms(system, csvimport.Norms(strings.NewReader(norms)))
	must(t, err)
	if res != (stakhanov.ImportResult{Lines: 3, Created: 3}) {
		t.Fatalf("norms: got %+v", res)
	}
	res, err = w.s.ImportNorms(system, csvimport.Norms(strings.NewReader(norms)))
	must(t, err)
	if res != (stakhanov.ImportResult{Lines: 3, Existing: 3}) {
		t.Fatalf("norms again: got %+v", res)
	}
	history, _, err := w.s.FindNorms(context.Background(), stakhanov.NormFilter{Subject: stakhanov.PersonSubject(miner)})
	must(t, err)
	if len(history) != 2 || history[1].Amount != 10.5 || history[1].Reason != "raised, after the record" || history[1].Version != 2 {
		t.Fatalf("norm history: got %+v", history)
	}
	badNorms := fmt.Sprintf("subject,good,amount,effective_from,reason\nperson:%[1]d,%[2]d,0,1935-01-01,zero\nperson:%[1]d,%[2]d,7,1935-13-01,x\nperson:%[1]d,999,7,1935-01-01,x\nperson:%[1]d,%[2]d,7,1935-01-01,\n", miner, w.coal.ID)
	_, err = w.s.ImportNorms(system, csvimport.Norms(strings.NewReader(badNorms)))
	wantLines(t, err,
		stakhanov.LineError{Line: 2, Field: "amount"},
		stakhanov.LineError{Line: 3, Field: "effective_from"},
		stakhanov.LineError{Line: 4, Field: "good"},
		stakhanov.LineError{Line: 5, Field: "reason"})
}

// A header the parser refuses is a line 1 error, and the store writes
// nothing.
func TestImportBadHeader(t *testing.T) {
	w := newWorld(t, t.TempDir(), 1)
	_, err := w.s.ImportReports(system, csvimport.Reports(strings.NewReader("subject,good,date,produced,accepted,colour\n")))
	wantLines(t, err, stakhanov.LineError{Line: 1, Field: "colour"}, stakhanov.LineError{Line: 1, Field: "shift"})
}
