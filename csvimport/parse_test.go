package csvimport_test

import (
	"errors"
	"io"
	"iter"
	"reflect"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/csvimport"
)

func collect[T any](seq iter.Seq[stakhanov.ImportRow[T]]) []stakhanov.ImportRow[T] {
	var out []stakhanov.ImportRow[T]
	for r := range seq {
		out = append(out, r)
	}
	return out
}

func reports(file string) []stakhanov.ImportRow[stakhanov.Report] {
	return collect(csvimport.Reports(strings.NewReader(file)))
}

// fields lists the line and field of every error of the rows.
func fields[T any](rows []stakhanov.ImportRow[T]) []stakhanov.LineError {
	var out []stakhanov.LineError
	for _, r := range rows {
		for _, e := range r.Errors {
			if e.Message == "" || e.Line != r.Line {
				panic("an error without a message or on another line: " + e.String())
			}
			out = append(out, stakhanov.LineError{Line: e.Line, Field: e.Field})
		}
		if len(r.Errors) > 0 && r.Value != nil {
			panic("a row with errors and a value")
		}
	}
	return out
}

func wantErrors(t *testing.T, got []stakhanov.LineError, want ...stakhanov.LineError) {
	t.Helper()
	if len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
		t.Fatalf("errors: got %v, want %v", got, want)
	}
}

func TestHeaderErrors(t *testing.T) {
	for _, tt := range []struct {
		name, file string
		want       []stakhanov.LineError
	}{
		{"empty file", "", []stakhanov.LineError{{Line: 1}}},
		{"unknown column", "subject,good,date,shift,produced,accepted,colour\n", []stakhanov.LineError{{Line: 1, Field: "colour"}}},
		{"missing columns", "subject,good,date,produced\n", []stakhanov.LineError{{Line: 1, Field: "shift"}, {Line: 1, Field: "accepted"}}},
		{"column twice", "subject,good,date,shift,produced,accepted,good\n", []stakhanov.LineError{{Line: 1, Field: "good"}}},
		{"column without a name", "subject,good,date,shift,produced,accepted,\n", []stakhanov.LineError{{Line: 1, Field: ""}}},
		{"unreadable header", "subject,go\"od\n", []stakhanov.LineError{{Line: 1, Field: ""}}},
		{"semicolons", "subject;good;date;shift;produced;accepted\n", []stakhanov.LineError{{Line: 1, Field: ""}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// The data line is not read once the header is refused.
			rows := reports(tt.file + "person:1,1,1935-08-31,1,8,7\n")
			if tt.file == "" {
				rows = reports("")
			}
			if len(rows) != 1 || rows[0].Line != 1 {
				t.Fatalf("rows: got %+v, want one row for line 1", rows)
			}
			wantErrors(t, fields(rows), tt.want...)
		})
	}
	// Lines may end in CRLF.
	if rows := reports("subject,good,date,shift,produced,accepted,note\r\nperson:1,3,1935-08-31,1,8,7,x\r\n"); len(rows) != 1 || rows[0].Value == nil || rows[0].Value.Note != "x" {
		t.Fatalf("CRLF: got %+v", rows)
	}
	// Names are matched without case, spaces or a byte-order mark, in any order.
	rows := reports("\uFEFFAccepted , PRODUCED,shift,date,good,subject\n7,8,1,1935-08-31,3,person:1\n")
	wantErrors(t, fields(rows))
	if len(rows) != 1 || rows[0].Line != 2 || rows[0].Value.Produced != 8 || rows[0].Value.Accepted != 7 {
		t.Fatalf("rows: got %+v", rows)
	}
	if rows := collect(csvimport.People(strings.NewReader("code,name\n"))); len(rows) != 1 || rows[0].Errors[0].Field != "unit" {
		t.Fatalf("people without unit: got %+v", rows)
	}
	if rows := collect(csvimport.Norms(strings.NewReader("subject,good,amount,effective_from\n"))); len(rows) != 1 || rows[0].Errors[0].Field != "reason" {
		t.Fatalf("norms without reason: got %+v", rows)
	}
}

const allColumns = "subject,good,date,shift,produced,accepted,helpers,witnesses,minutes,note,key,corrects\n"

func TestReportValues(t *testing.T) {
	rows := reports(allColumns +
		"person:12,3,1935-08-31,2,102,101.5,13;14,15;16,345,  a note , my-key ,7\n" +
		" unit:4 , 3 , 1935-09-01 , 4 , 7.25 , 7 , 13:0.25 ; 14:0.125 ,,,,,\n")
	wantErrors(t, fields(rows))
	share := func(f float64) *float64 { return &f }
	want := []*stakhanov.Report{
		{Subject: stakhanov.PersonSubject(12), GoodID: 3, Date: stakhanov.NewDate(1935, 8, 31), Shift: 2, Produced: 102, Accepted: 101.5,
			Helpers: []stakhanov.Helper{{PersonID: 13}, {PersonID: 14}}, Witnesses: []int64{15, 16}, Minutes: 345, Note: "  a note ", Key: "my-key", Corrects: 7},
		{Subject: stakhanov.UnitSubject(4), GoodID: 3, Date: stakhanov.NewDate(1935, 9, 1), Shift: 4, Produced: 7.25, Accepted: 7,
			Helpers: []stakhanov.Helper{{PersonID: 13, Share: share(0.25)}, {PersonID: 14, Share: share(0.125)}}},
	}
	for i, r := range rows {
		if r.Line != i+2 || !reflect.DeepEqual(r.Value, want[i]) {
			t.Fatalf("line %d: got %d %+v, want %+v", i+2, r.Line, r.Value, want[i])
		}
	}
}

// Each column's bad value is reported under the column's name.
func TestReportBadValues(t *testing.T) {
	good := []string{"person:12", "3", "1935-08-31", "2", "8", "7", "13:0.5", "15", "360", "note", "", "9"}
	for _, tt := range []struct{ column, value string }{
		{"subject", ""}, {"subject", "person"}, {"subject", "brigade:3"}, {"subject", "person:-1"}, {"subject", "person:x"},
		{"good", ""}, {"good", "coal"}, {"good", "0"}, {"good", "-3"}, {"good", "1.5"},
		{"date", ""}, {"date", "31.08.1935"}, {"date", "1935-02-30"}, {"date", "1935-8-31"},
		{"shift", ""}, {"shift", "first"}, {"shift", "1.5"},
		{"produced", ""}, {"produced", "lots"}, {"produced", "NaN"}, {"produced", "Inf"}, {"produced", "7.5.1"},
		{"accepted", ""}, {"accepted", "-Inf"}, {"accepted", "1e400"},
		{"helpers", "x"}, {"helpers", "13:"}, {"helpers", "13:half"}, {"helpers", "0"}, {"helpers", ":0.5"}, {"helpers", "13;x"},
		{"witnesses", "x"}, {"witnesses", "15:0.5"}, {"witnesses", "-15"},
		{"minutes", "six hours"}, {"minutes", "345.5"},
		{"corrects", "x"}, {"corrects", "0"}, {"corrects", "-2"},
	} {
		record := append([]string(nil), good...)
		col := -1
		for i, c := range csvimport.ReportsHeader {
			if c == tt.column {
				col = i
			}
		}
		record[col] = tt.value
		rows := reports(allColumns + strings.Join(good, ",") + "\n" + strings.Join(record, ",") + "\n" + strings.Join(good, ",") + "\n")
		if len(rows) != 3 {
			t.Fatalf("%s %q: got %d rows, want 3", tt.column, tt.value, len(rows))
		}
		got := fields(rows)
		if len(got) != 1 || got[0] != (stakhanov.LineError{Line: 3, Field: tt.column}) {
			t.Fatalf("%s %q: got errors %v, want one on line 3 for %s", tt.column, tt.value, rows[1].Errors, tt.column)
		}
		t.Logf("%s %q: %s", tt.column, tt.value, rows[1].Errors[0].Message)
	}
	// All the problems of a line are listed, not only the first.
	rows := reports(allColumns + "person:x,coal,1935-08-31,9,a,b,,,,,,\n")
	wantErrors(t, fields(rows), stakhanov.LineError{Line: 2, Field: "subject"}, stakhanov.LineError{Line: 2, Field: "good"},
		stakhanov.LineError{Line: 2, Field: "produced"}, stakhanov.LineError{Line: 2, Field: "accepted"})
}

// Lines that cannot be read are reported and the next lines still read.
func TestUnreadableLines(t *testing.T) {
	file := "subject,good,date,shift,produced,accepted\n" +
		"person:1,3,1935-08-31,1,8,7\n" +
		"person:1,3,1935-09-01,1,8\n" + // a field short
		"person:1,3,1935-09-02,1,8,7,extra\n" + // a field too many
		"\n" + // blank: skipped, but counted
		"person:1,3,1935-09-03,1,8,\"7\"x\n" + // bad quoting
		"person:1,3,1935-09-04,1,8,7\n" +
		"person:1,3,\"1935-09-05\nx\",1,8,7\n" + // a record over two lines: not a date
		"person:1,3,1935-09-06,1,8,7\n"
	rows := reports(file)
	wantErrors(t, fields(rows), stakhanov.LineError{Line: 3}, stakhanov.LineError{Line: 4}, stakhanov.LineError{Line: 6},
		stakhanov.LineError{Line: 8, Field: "date"})
	var lines []int
	for _, r := range rows {
		lines = append(lines, r.Line)
	}
	if !reflect.DeepEqual(lines, []int{2, 3, 4, 6, 7, 8, 10}) {
		t.Fatalf("line numbers: got %v", lines)
	}
	if rows[1].Errors[0].Message != "the line has 5 fields, the header 6" {
		t.Fatalf("field count message: got %q", rows[1].Errors[0].Message)
	}
}

type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

// An error reading the file ends the rows with one that carries it.
func TestReadError(t *testing.T) {
	disk := errors.New("disk on fire")
	rows := collect(csvimport.Reports(&failingReader{strings.NewReader(
		"subject,good,date,shift,produced,accepted\nperson:1,3,1935-08-31,1,8,7\nperson:1,3,1935-09-01,1,8,7\n"), disk}))
	if len(rows) != 3 || rows[0].Value == nil || rows[1].Value == nil || rows[2].Value != nil || rows[2].Line != 4 ||
		!strings.Contains(rows[2].Errors[0].Message, "disk on fire") {
		t.Fatalf("rows: got %+v", rows)
	}
	rows = collect(csvimport.Reports(&failingReader{strings.NewReader(""), disk}))
	if len(rows) != 1 || rows[0].Line != 1 || !strings.Contains(rows[0].Errors[0].Message, "disk on fire") {
		t.Fatalf("rows: got %+v", rows)
	}
}

// A quote left open does not make the parser hold the rest of the file.
func TestRecordTooLong(t *testing.T) {
	file := io.MultiReader(strings.NewReader("subject,good,date,shift,produced,accepted,note\nperson:1,3,1935-08-31,1,8,7,ok\nperson:1,3,1935-08-31,1,8,7,\"open\n"),
		&endless{line: []byte("person:1,3,1935-08-31,1,8,7,text\n")})
	rows := collect(csvimport.Reports(file))
	if len(rows) != 2 || rows[1].Line != 3 || !strings.Contains(rows[1].Errors[0].Message, "quote left open") {
		t.Fatalf("rows: got %+v", rows)
	}
}

// endless repeats a line for ever, counting the bytes it gives.
type endless struct {
	line []byte
	n    int64
	off  int
}

func (e *endless) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], e.line[e.off:])
		n += c
		e.off = (e.off + c) % len(e.line)
	}
	e.n += int64(n)
	return n, nil
}

// The parser streams: however long the file, it reads no more than its
// buffer ahead of the line it yields, so memory does not grow with the
// file. (It holds one record at a time: encoding/csv reuses the record,
// and each row's value is its own.)
func TestStreams(t *testing.T) {
	line := []byte("person:1,3,1935-08-31,1,8,7\n")
	header := "subject,good,date,shift,produced,accepted\n"
	src := &endless{line: line}
	const n = 200_000
	i := 0
	for row := range csvimport.Reports(io.MultiReader(strings.NewReader(header), src)) {
		if row.Value == nil {
			t.Fatalf("line %d: %v", row.Line, row.Errors)
		}
		i++
		consumed := int64(i * len(line))
		if ahead := src.n - consumed; ahead > 128<<10 {
			t.Fatalf("after %d lines the parser has read %d bytes ahead", i, ahead)
		}
		if i == n {
			break
		}
	}
	if i != n {
		t.Fatalf("read %d lines, want %d", i, n)
	}
}

// A line without a key has none: the store recognises it by its shift.
func TestNoKeyMadeUp(t *testing.T) {
	rows := reports("subject,good,date,shift,produced,accepted,key,corrects\n" +
		"person:12,3,1935-08-31,1,8,7,,\n" +
		"person:12,3,1935-08-31,1,8,7,,40\n" +
		"person:12,3,1935-08-31,1,8,7,given,\n")
	wantErrors(t, fields(rows))
	if rows[0].Value.Key != "" || rows[1].Value.Key != "" || rows[2].Value.Key != "given" {
		t.Fatalf("keys: got %q, %q, %q; want none, none, given", rows[0].Value.Key, rows[1].Value.Key, rows[2].Value.Key)
	}
}

func TestStopEarly(t *testing.T) {
	file := "subject,good,date,shift,produced,accepted\nperson:1,3,1935-08-31,1,8,7\nbad\nperson:1,3,1935-08-31,1,8,7\n"
	n := 0
	for range csvimport.Reports(strings.NewReader(file)) {
		n++
		break
	}
	for row := range csvimport.Reports(strings.NewReader(file)) {
		if row.Errors != nil {
			break
		}
	}
	if n != 1 {
		t.Fatal(n)
	}
}

func TestPeopleAndNormsValues(t *testing.T) {
	people := collect(csvimport.People(strings.NewReader("unit,code,name\n3, M-1 , Nikita Izotov \n3,,Nobody\n,M-2,Nowhere\n")))
	wantErrors(t, fields(people), stakhanov.LineError{Line: 3, Field: "code"}, stakhanov.LineError{Line: 4, Field: "unit"})
	if p := people[0].Value; *p != (stakhanov.Person{UnitID: 3, Code: "M-1", Name: "Nikita Izotov"}) {
		t.Fatalf("person: got %+v", p)
	}
	norms := collect(csvimport.Norms(strings.NewReader("subject,good,amount,effective_from,reason\nperson:1,3,7.5,1935-01-01,plan\nperson:1,3,,1935-01-01,plan\nperson:1,3,7,,plan\nperson:1,3,x,1935-01-01,\n")))
	wantErrors(t, fields(norms), stakhanov.LineError{Line: 3, Field: "amount"}, stakhanov.LineError{Line: 4, Field: "effective_from"},
		stakhanov.LineError{Line: 5, Field: "amount"}, stakhanov.LineError{Line: 5, Field: "reason"})
	if n := norms[0].Value; *n != (stakhanov.Norm{Subject: stakhanov.PersonSubject(1), GoodID: 3, Amount: 7.5, EffectiveFrom: stakhanov.NewDate(1935, 1, 1), Reason: "plan"}) {
		t.Fatalf("norm: got %+v", n)
	}
}

// Dates read quickly are the dates stakhanov.ParseDate reads.
func TestDates(t *testing.T) {
	for _, v := range []string{"1935-08-31", "2000-02-29", "1900-02-29", "2024-02-29", "2023-02-29", "0000-01-01", "9999-12-31",
		"1935-00-10", "1935-13-01", "1935-04-31", "1935-04-00", "1935-4-30", "1935/04/30", "1935-04-3x", "-935-04-30", "19350-04-3"} {
		rows := reports("subject,good,date,shift,produced,accepted\nperson:1,3," + v + ",1,8,7\n")
		want, err := stakhanov.ParseDate(v)
		if err != nil {
			if rows[0].Value != nil || rows[0].Errors[0].Field != "date" {
				t.Fatalf("%s: got %+v, want an error", v, rows[0])
			}
			continue
		}
		if rows[0].Value == nil || rows[0].Value.Date != want {
			t.Fatalf("%s: got %+v, want %v", v, rows[0], want)
		}
	}
}
