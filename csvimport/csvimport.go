// Package csvimport reads the CSV files that `stakhanov import` takes and
// turns them, one line at a time, into the rows a Store imports.
//
// Every file starts with a header line naming its columns, in any order;
// a column the kind does not know, a column named twice or a required
// column that is missing is an error on line 1, and then nothing else is
// read. Lines are numbered from 1, the header, so the first data line is
// line 2; a quoted value that spans several lines gives its record the
// number of the line it starts on, and blank lines are skipped but still
// counted. A line that cannot be read or whose values do not parse becomes
// a row whose Errors name the line, the column and what is wrong, and
// reading goes on with the next line, so that every bad line of a file is
// reported at once. Values are trimmed of surrounding spaces (a note is
// kept as written).
//
// The parsers stream: they hold one record at a time, whatever the size of
// the file, and a record larger than MaxRecordBytes (a quote left open)
// ends the file with an error instead of filling memory. An error reading
// the file ends the sequence with a last row that carries it.
package csvimport

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// MaxRecordBytes bounds one record (one line, or several when a quoted
// value holds line breaks).
const MaxRecordBytes = 1 << 20

// bufferSize is the read buffer: large reads keep system calls (and the
// progress bar's bookkeeping) rare.
const bufferSize = 64 << 10

// kind describes one kind of file: its columns and which of them the
// header must name.
type kind struct {
	columns  []string
	required []bool
}

func newKind(columns []string, required ...string) kind {
	k := kind{columns: columns, required: make([]bool, len(columns))}
	for _, r := range required {
		i := k.index(r)
		if i < 0 {
			panic("csvimport: required column " + r + " is not a column")
		}
		k.required[i] = true
	}
	return k
}

func (k kind) index(name string) int {
	for i, c := range k.columns {
		if c == name {
			return i
		}
	}
	return -1
}

// describe lists the columns for messages: "subject, good, ... (optional: note)".
func (k kind) describe() string {
	var req, opt []string
	for i, c := range k.columns {
		if k.required[i] {
			req = append(req, c)
		} else {
			opt = append(opt, c)
		}
	}
	s := strings.Join(req, ", ")
	if len(opt) > 0 {
		s += " (optional: " + strings.Join(opt, ", ") + ")"
	}
	return s
}

// line is the record being parsed, with what its columns map to and the
// problems found so far.
type line struct {
	k      *kind
	n      int
	fields []string
	// pos is, for each column of the kind, its index in the record or -1.
	pos  []int
	errs []stakhanov.LineError
}

// raw returns the value of column c as written, or "" if the file has no
// such column.
func (l *line) raw(c int) string {
	if p := l.pos[c]; p >= 0 {
		return l.fields[p]
	}
	return ""
}

// value returns the value of column c trimmed of surrounding spaces.
func (l *line) value(c int) string {
	return strings.TrimSpace(l.raw(c))
}

func (l *line) fail(c int, format string, args ...any) {
	// A value quoted in the message is shortened: a 400-digit number
	// must not fill the list of errors.
	for i, a := range args {
		if v, ok := a.(string); ok && len(v) > 40 {
			args[i] = long(v)
		}
	}
	l.errs = append(l.errs, stakhanov.LineError{Line: l.n, Field: l.k.columns[c], Message: fmt.Sprintf(format, args...)})
}

// long is a value too long to quote whole in a message.
type long string

func (v long) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprint(f, stakhanov.ShortQuote(string(v)))
		return
	}
	fmt.Fprintf(f, "%s... (%d characters)", v[:30], len(v))
}

// text returns a required text value, noting its absence.
func (l *line) text(c int) string {
	v := l.value(c)
	if v == "" {
		l.fail(c, "%s is required", l.k.columns[c])
	}
	return v
}

// id parses a positive whole number; an empty value is 0, and an error if
// required.
func (l *line) id(c int, required bool) int64 {
	v := l.value(c)
	if v == "" {
		if required {
			l.fail(c, "%s is required", l.k.columns[c])
		}
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		l.fail(c, "%q is not an id: write a positive whole number", v)
		return 0
	}
	return n
}

// integer parses a whole number; an empty value is 0, and an error if
// required.
func (l *line) integer(c int, required bool) int {
	v := l.value(c)
	if v == "" {
		if required {
			l.fail(c, "%s is required", l.k.columns[c])
		}
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		l.fail(c, "%q is not a whole number", v)
		return 0
	}
	return n
}

// number parses a finite decimal number such as 7 or 7.25.
func (l *line) number(c int, required bool) float64 {
	v := l.value(c)
	if v == "" {
		if required {
			l.fail(c, "%s is required", l.k.columns[c])
		}
		return 0
	}
	f, err := stakhanov.ParseDecimal(v)
	if err != nil {
		l.fail(c, "%s", err)
		return 0
	}
	return f
}

func (l *line) date(c int) stakhanov.Date {
	v := l.value(c)
	if v == "" {
		l.fail(c, "%s is required (YYYY-MM-DD)", l.k.columns[c])
		return stakhanov.Date{}
	}
	if d, ok := quickDate(v); ok {
		return d
	}
	d, err := stakhanov.ParseDate(v)
	if err != nil {
		l.fail(c, "%s", err)
	}
	return d
}

// quickDate reads a valid YYYY-MM-DD date without time.Parse, which is
// most of the parser's time on a line; anything else is left to
// stakhanov.ParseDate.
func quickDate(v string) (stakhanov.Date, bool) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return stakhanov.Date{}, false
	}
	n := 0
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := v[i] - '0'
		if c > 9 {
			return stakhanov.Date{}, false
		}
		n = n*10 + int(c)
	}
	y, m, d := n/10000, time.Month(n/100%100), n%100
	if m < time.January || m > time.December || d < 1 || d > daysIn(y, m) {
		return stakhanov.Date{}, false
	}
	return stakhanov.NewDate(y, m, d), true
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func (l *line) subject(c int) stakhanov.Subject {
	v := l.value(c)
	if v == "" {
		l.fail(c, "%s is required (person:ID or unit:ID)", l.k.columns[c])
		return stakhanov.Subject{}
	}
	s, err := stakhanov.ParseSubject(v)
	if err != nil {
		l.fail(c, "%s", err)
	}
	return s
}

// header maps the header's names to the kind's columns.
func (l *line) header(rec []string) []stakhanov.LineError {
	var errs []stakhanov.LineError
	bad := func(field, format string, args ...any) {
		errs = append(errs, stakhanov.LineError{Line: 1, Field: field, Message: fmt.Sprintf(format, args...)})
	}
	for i := range l.pos {
		l.pos[i] = -1
	}
	for i, name := range rec {
		if i == 0 {
			name = strings.TrimPrefix(name, "\uFEFF") // a byte-order mark from a spreadsheet
		}
		name = strings.ToLower(strings.TrimSpace(name))
		c := l.k.index(name)
		switch {
		case name == "":
			bad("", "column %d has no name: the first line must name every column (%s)", i+1, l.k.describe())
		case c < 0 && len(rec) == 1 && strings.ContainsAny(name, ";\t"):
			bad("", "the header has one column, %q: separate the columns with commas", name)
			return errs
		case c < 0:
			bad(name, "unknown column %q: the columns are %s", name, l.k.describe())
		case l.pos[c] >= 0:
			bad(name, "column %q is named twice", name)
		default:
			l.pos[c] = i
		}
	}
	for c, name := range l.k.columns {
		if l.k.required[c] && l.pos[c] < 0 {
			bad(name, "column %q is missing: the columns are %s", name, l.k.describe())
		}
	}
	return errs
}

// guard fails a read when one record grows past MaxRecordBytes, so that a
// quote left open cannot make the reader hold the rest of the file.
type guard struct {
	r    io.Reader
	n    int64 // bytes read
	mark int64 // bytes read when the last record ended
}

var errTooLong = fmt.Errorf("a record is longer than %d bytes: is a quote left open?", MaxRecordBytes)

func (g *guard) Read(p []byte) (int, error) {
	if g.n-g.mark > MaxRecordBytes+bufferSize {
		return 0, errTooLong
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

func errorRow[T any](n int, field, format string, args ...any) stakhanov.ImportRow[T] {
	return stakhanov.ImportRow[T]{Line: n, Errors: []stakhanov.LineError{{Line: n, Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// rows reads a file of kind k; parse turns one record into a value, noting
// problems on the line.
func rows[T any](r io.Reader, k *kind, parse func(l *line) *T) iter.Seq[stakhanov.ImportRow[T]] {
	return func(yield func(stakhanov.ImportRow[T]) bool) {
		g := &guard{r: r}
		cr := csv.NewReader(bufio.NewReaderSize(g, bufferSize))
		cr.ReuseRecord = true
		cr.FieldsPerRecord = 0 // every line must have as many fields as the header
		l := &line{k: k, pos: make([]int, len(k.columns))}

		rec, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case err == io.EOF:
			yield(errorRow[T](1, "", "the file is empty: its first line must name the columns: %s", k.describe()))
			return
		case errors.As(err, &pe):
			yield(errorRow[T](1, "", "the header cannot be read: %v", pe.Err))
			return
		case err != nil:
			yield(errorRow[T](1, "", "reading the file: %v", err))
			return
		}
		if errs := l.header(rec); len(errs) > 0 {
			yield(stakhanov.ImportRow[T]{Line: 1, Errors: errs})
			return
		}
		width := len(rec)
		last := 1 // the last line read
		for {
			g.mark = g.n
			rec, err := cr.Read()
			if err == io.EOF {
				return
			}
			if errors.As(err, &pe) {
				last = pe.Line
				var row stakhanov.ImportRow[T]
				if errors.Is(pe.Err, csv.ErrFieldCount) {
					row = errorRow[T](pe.StartLine, "", "the line has %d fields, the header %d", len(rec), width)
				} else {
					row = errorRow[T](pe.StartLine, "", "the line cannot be read: column %d: %v", pe.Column, pe.Err)
				}
				if !yield(row) {
					return
				}
				continue
			} else if err != nil {
				if errors.Is(err, errTooLong) {
					yield(errorRow[T](last+1, "", "%v", err))
				} else {
					yield(errorRow[T](last+1, "", "reading the file: %v", err))
				}
				return
			}
			l.n, _ = cr.FieldPos(0)
			last, _ = cr.FieldPos(len(rec) - 1)
			l.fields, l.errs = rec, nil
			v := parse(l)
			row := stakhanov.ImportRow[T]{Line: l.n, Value: v, Errors: l.errs}
			if len(l.errs) > 0 {
				row.Value = nil
			}
			if !yield(row) {
				return
			}
		}
	}
}
