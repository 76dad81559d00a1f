package csvimport

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/stakhanov/stakhanov"
)

// Worker is a subject that works one good, for Shifts.
type Worker struct {
	ID     int64 // a person's id
	GoodID int64
}

// Shifts describes a generated reports file, the one generator of the
// benchmarks, tests and `stakhanov gen`. Line i is a shift of worker
// i % len(Workers) on Day(i / len(Workers)): each worker works one shift a
// day, day after day, in the order of Workers. The shift number (1 to 4)
// is staggered across workers. The file has no key column: each line is
// its own shift, no two lines sharing a subject, date and shift. The file
// is written as it is generated: memory does not grow with
// Lines.
type Shifts struct {
	Workers []Worker
	Lines   int
	// Day returns the date of the d-th day (from 0).
	Day func(d int) stakhanov.Date
	// Figures returns worker w's produced and accepted output on day d, in
	// tenths; accepted must not exceed produced.
	Figures func(w, d int) (produced, accepted int64)
}

// Write writes the file to w.
func (s *Shifts) Write(w io.Writer) error {
	switch {
	case s.Lines < 0:
		return errors.New("generate reports: lines must not be negative")
	case s.Lines > 0 && len(s.Workers) == 0:
		return errors.New("generate reports: no people to report on")
	case s.Day == nil || s.Figures == nil:
		return errors.New("generate reports: no days or figures")
	}
	for _, wk := range s.Workers {
		if wk.ID <= 0 || wk.GoodID <= 0 {
			return fmt.Errorf("generate reports: worker %d and good %d must be ids", wk.ID, wk.GoodID)
		}
	}
	bw := bufio.NewWriterSize(w, bufferSize)
	bw.WriteString("subject,good,date,shift,produced,accepted,minutes\n")
	var b, day []byte
	// The people and goods as text, once: most of each line.
	heads := make([][]byte, len(s.Workers))
	for i, wk := range s.Workers {
		h := strconv.AppendInt([]byte("person:"), wk.ID, 10)
		h = append(h, ',')
		heads[i] = append(strconv.AppendInt(h, wk.GoodID, 10), ',')
	}
	for i := 0; i < s.Lines; i++ {
		p, d := i%len(s.Workers), i/len(s.Workers)
		if p == 0 {
			date := s.Day(d)
			if date.IsZero() || date.Year() > 9999 {
				return fmt.Errorf("generate reports: day %d is not a date from year 1 to 9999", d)
			}
			day = date.Time().AppendFormat(day[:0], "2006-01-02")
		}
		produced, accepted := s.Figures(p, d)
		if accepted < 0 || accepted > produced {
			return fmt.Errorf("generate reports: worker %d day %d: accepted %d tenths is not from 0 to produced %d", p, d, accepted, produced)
		}
		b = append(b[:0], heads[p]...)
		b = append(b, day...)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(1+p%stakhanov.MaxShift), 10)
		b = append(b, ',')
		b = appendTenths(b, produced)
		b = append(b, ',')
		b = appendTenths(b, accepted)
		b = append(b, ",360\n"...)
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// GenerateReports writes a valid reports file of n lines for the given
// people and good, for tests and benchmarks: Shifts on consecutive days
// from start, with plausible figures (6 to 10 produced, a little less
// accepted).
func GenerateReports(w io.Writer, n int, people []int64, goodID int64, start stakhanov.Date) error {
	switch {
	case goodID <= 0:
		return errors.New("generate reports: good must be an id")
	case start.IsZero():
		return errors.New("generate reports: no start date")
	}
	if n > 0 && len(people) > 0 {
		if last := start.AddDays((n - 1) / len(people)); last.Year() > 9999 {
			return fmt.Errorf("generate reports: %d lines over %d people run past the year 9999", n, len(people))
		}
	}
	workers := make([]Worker, len(people))
	for i, p := range people {
		workers[i] = Worker{ID: p, GoodID: goodID}
	}
	s := Shifts{Workers: workers, Lines: n, Day: start.AddDays,
		Figures: func(p, d int) (int64, int64) {
			i := d*len(people) + p
			produced := int64(60 + (i*7)%40)
			return produced, produced - int64(i%3)
		}}
	return s.Write(w)
}

func appendTenths(b []byte, tenths int64) []byte {
	b = strconv.AppendInt(b, tenths/10, 10)
	return append(b, '.', byte('0'+tenths%10))
}
