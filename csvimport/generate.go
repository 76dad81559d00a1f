package csvimport

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/stakhanov/stakhanov"
)

// GenerateReports writes a valid reports file of n lines for the given
// people and good, for tests, benchmarks and demonstrations. Line i is a
// shift of people[i % len(people)] on day start + i / len(people), so each
// person works one shift a day, on consecutive days; the shift number
// (1 to 4) is staggered across people. Figures are plausible (6 to 10
// produced, a little less accepted, 360 minutes). The file has no key
// column: each line is its own shift, no two lines sharing a subject, date
// and shift.
func GenerateReports(w io.Writer, n int, people []int64, goodID int64, start stakhanov.Date) error {
	switch {
	case n < 0:
		return errors.New("generate reports: n must not be negative")
	case n > 0 && len(people) == 0:
		return errors.New("generate reports: no people to report on")
	case goodID <= 0:
		return errors.New("generate reports: good must be an id")
	case start.IsZero():
		return errors.New("generate reports: no start date")
	}
	if n > 0 {
		if last := start.AddDays((n - 1) / len(people)); last.Year() > 9999 {
			return fmt.Errorf("generate reports: %d lines over %d people run past the year 9999", n, len(people))
		}
	}
	bw := bufio.NewWriterSize(w, bufferSize)
	bw.WriteString("subject,good,date,shift,produced,accepted,minutes\n")
	var b []byte
	var day []byte
	good := strconv.AppendInt(nil, goodID, 10)
	for i := 0; i < n; i++ {
		p := i % len(people)
		if p == 0 {
			day = start.AddDays(i/len(people)).Time().AppendFormat(day[:0], "2006-01-02")
		}
		produced := 60 + (i*7)%40 // tenths
		accepted := produced - i%3
		b = append(b[:0], "person:"...)
		b = strconv.AppendInt(b, people[p], 10)
		b = append(b, ',')
		b = append(b, good...)
		b = append(b, ',')
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

func appendTenths(b []byte, tenths int) []byte {
	b = strconv.AppendInt(b, int64(tenths/10), 10)
	return append(b, '.', byte('0'+tenths%10))
}
