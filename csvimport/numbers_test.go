package csvimport_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/csvimport"
)

// csvExtremes are numbers a file may hold where a number is expected.
var csvExtremes = []string{
	"1e308", "-1e308", "1.7976931348623157e308", "-0", "-0.0", "1e-320", "5e-324", "1e-999", "0e99999",
	"1e999", "-1e999", "1E+400", "1e9223372036854775807", "1e-9223372036854775808",
	"1" + strings.Repeat("0", 400), "-1" + strings.Repeat("0", 400), "0." + strings.Repeat("0", 400) + "1",
	"9223372036854775808", "-9223372036854775809", "1e15", "2e6",
	"NaN", "nan", "-NaN", "Infinity", "inf", "+Inf", "-Infinity", "0x10", "0x1p4", "1_000", "+1", "01", "1e", ".", "-", "٣",
}

// TestImportExtremeNumbers feeds every numeric column of the reports and
// norms files each extreme: each is a line error naming the column, or
// imported as the legitimate value it is; never an internal error, never
// a non-finite or huge figure stored, and a refused file adds nothing.
func TestImportExtremeNumbers(t *testing.T) {
	w := newWorld(t, t.TempDir(), 3)
	ctx := context.Background()
	subject, helper := w.people[2], w.people[0]
	zeroes := map[string]float64{"-0": 0, "-0.0": 0, "1e-999": 0, "0e99999": 0, "1e-9223372036854775808": 0, "0." + strings.Repeat("0", 400) + "1": 0}
	tiny := map[string]float64{"1e-320": 1e-320, "5e-324": 5e-324, "+1": 1, "01": 1}
	join := func(ms ...map[string]float64) map[string]float64 {
		out := map[string]float64{}
		for _, m := range ms {
			for k, v := range m {
				out[k] = v
			}
		}
		return out
	}
	ones := map[string]float64{"+1": 1, "01": 1}
	day := 0
	type column struct {
		name string
		// line is the CSV line with x in this column.
		line func(x string) string
		ok   map[string]float64
		// got reads the column's value back from the report written.
		got func(r *stakhanov.Report) float64
	}
	report := func(vals map[string]string) string {
		day++
		v := map[string]string{"subject": fmt.Sprintf("person:%d", subject), "good": fmt.Sprint(w.coal.ID), "shift": "1",
			"produced": "10", "accepted": "0", "helpers": "", "witnesses": "", "minutes": "360", "corrects": ""}
		for k, x := range vals {
			v[k] = x
		}
		return fmt.Sprintf("%s,%s,%s,%s,%s,%s,%s,%s,%s,x%d,%s", v["subject"], v["good"], stakhanov.NewDate(1900, 1, 1).AddDays(day),
			v["shift"], v["produced"], v["accepted"], v["helpers"], v["witnesses"], v["minutes"], day, v["corrects"])
	}
	in := func(col string) func(x string) string {
		return func(x string) string { return report(map[string]string{col: x}) }
	}
	columns := []column{
		{"produced", in("produced"), join(zeroes, tiny), func(r *stakhanov.Report) float64 { return r.Produced }},
		{"accepted", in("accepted"), join(zeroes, tiny), func(r *stakhanov.Report) float64 { return r.Accepted }},
		{"shift", in("shift"), ones, func(r *stakhanov.Report) float64 { return float64(r.Shift) }},
		{"minutes", in("minutes"), join(ones, map[string]float64{"-0": 0}), func(r *stakhanov.Report) float64 { return float64(r.Minutes) }},
		{"good", in("good"), ones, func(r *stakhanov.Report) float64 { return float64(r.GoodID) }},
		{"subject", func(x string) string { return report(map[string]string{"subject": "person:" + x}) }, nil, nil},
		{"helpers", func(x string) string { return report(map[string]string{"helpers": fmt.Sprintf("%d:%s", helper, x)}) },
			map[string]float64{"1e-320": 1e-320, "5e-324": 5e-324}, func(r *stakhanov.Report) float64 { return *r.Helpers[0].Share }},
		// Person 1 is neither the subject nor a helper: a witness.
		{"witnesses", in("witnesses"), ones, nil},
		// Report 1 exists: "+1" corrects it, and "01" then finds it
		// corrected already.
		{"corrects", in("corrects"), map[string]float64{"+1": 1}, func(r *stakhanov.Report) float64 { return float64(r.Corrects) }},
	}
	if w.people[0] != 1 {
		t.Fatalf("person ids start at %d: the subject probes assume person 1 is not the subject", w.people[0])
	}
	const header = "subject,good,date,shift,produced,accepted,helpers,witnesses,minutes,key,corrects\n"
	for _, c := range columns {
		for _, x := range csvExtremes {
			before := w.reportCount(t)
			line := c.line(x)
			res, err := w.s.ImportReports(system, csvimport.Reports(strings.NewReader(header+line+"\n")))
			want, ok := c.ok[x]
			if c.name == "subject" && (x == "+1" || x == "01") {
				ok, want = true, 0 // person 1: another worker, a legitimate subject
			}
			if !ok {
				e, isImport := err.(*stakhanov.ImportError)
				if !isImport {
					t.Errorf("%s = %s: got %+v, %v; want line 2 refused", c.name, shortened(x), res, err)
					continue
				}
				if len(e.Lines) != 1 || e.Lines[0].Line != 2 || !strings.HasPrefix(e.Lines[0].Field, c.name) {
					t.Errorf("%s = %s: got %v, want line 2 refused on %s", c.name, shortened(x), e.Lines, c.name)
				} else if n := len(e.Lines[0].Message); n > 300 {
					t.Errorf("%s = %s: a message of %d characters: %s", c.name, shortened(x), n, e.Lines[0].Message)
				}
				if after := w.reportCount(t); after != before {
					t.Errorf("%s = %s: refused, but reports went from %d to %d", c.name, shortened(x), before, after)
				}
				continue
			}
			if err != nil || res.Created != 1 {
				t.Errorf("%s = %s: got %+v, %v; want it imported", c.name, shortened(x), res, err)
				continue
			}
			if c.got == nil {
				continue
			}
			rs, _, err := w.s.FindReports(ctx, stakhanov.ReportFilter{From: stakhanov.NewDate(1900, 1, 1).AddDays(day), To: stakhanov.NewDate(1900, 1, 1).AddDays(day)})
			must(t, err)
			if len(rs) != 1 {
				t.Fatalf("%s = %s: found %d reports on its day", c.name, shortened(x), len(rs))
			}
			if got := c.got(rs[0]); got != want || math.Signbit(got) {
				t.Errorf("%s = %s: stored %g, want %g", c.name, shortened(x), got, want)
			}
		}
	}

	// Norms: amount and good.
	n := 0
	norm := func(good, amount string) string {
		n++
		return fmt.Sprintf("subject,good,amount,effective_from,reason\nperson:%d,%s,%s,%s,probe\n", subject, good, amount, stakhanov.NewDate(1900, 1, 1).AddDays(n))
	}
	normCount := func() int {
		_, total, err := w.s.FindNorms(ctx, stakhanov.NormFilter{})
		must(t, err)
		return total
	}
	for _, x := range csvExtremes {
		for _, c := range []struct {
			name, file string
			ok         bool
		}{
			{"amount", norm(fmt.Sprint(w.coal.ID), x), x == "+1" || x == "01"},
			{"good", norm(x, "7"), x == "+1" || x == "01"},
		} {
			before := normCount()
			res, err := w.s.ImportNorms(system, csvimport.Norms(strings.NewReader(c.file)))
			if c.ok {
				if err != nil || res.Created != 1 {
					t.Errorf("norm %s = %s: got %+v, %v; want it imported", c.name, x, res, err)
				}
				continue
			}
			e, isImport := err.(*stakhanov.ImportError)
			if !isImport {
				t.Errorf("norm %s = %s: got %+v, %v; want line 2 refused", c.name, shortened(x), res, err)
				continue
			}
			if len(e.Lines) != 1 || e.Lines[0].Field != c.name || len(e.Lines[0].Message) > 300 {
				t.Errorf("norm %s = %s: got %v, want line 2 refused on %s", c.name, shortened(x), e.Lines, c.name)
			}
			if after := normCount(); after != before {
				t.Errorf("norm %s = %s: refused, but norms went from %d to %d", c.name, shortened(x), before, after)
			}
		}
	}
}

func shortened(s string) string {
	if len(s) > 40 {
		return fmt.Sprintf("%s... (%d characters)", s[:30], len(s))
	}
	return s
}
