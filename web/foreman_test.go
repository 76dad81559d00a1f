package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// reportForm is a report of a Stakhanov shift on 21 September 1935.
func reportForm(f *fixture, produced, accepted string) url.Values {
	return url.Values{
		"key":      {"test/" + produced + "/" + accepted},
		"subject":  {stakhanov.PersonSubject(f.world.Stakhanov).String()},
		"good":     {fmt.Sprint(f.world.Coal)},
		"date":     {"1935-09-21"},
		"shift":    {"2"},
		"produced": {produced},
		"accepted": {accepted},
		"minutes":  {"360"},
		"note":     {"entered in the web form"},
	}
}

func TestForemanReports(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("foreman")

	r := c.get("/foreman")
	mustContain(t, r.body, `id="report-form"`, `name="key"`, `id="day-reports"`, "Reports of 1935-09-20", "Alexei Stakhanov")

	// A negative quantity: the error beside the field, the rest kept.
	bad := reportForm(f, "-3", "2")
	r = c.submit("/foreman", "/foreman/reports", bad)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("negative produced: status %d", r.status)
	}
	mustContain(t, r.body, `<p class="field-error" id="f-produced-error">produced must not be negative</p>`,
		`aria-describedby="f-produced-hint f-produced-error"`, `value="-3"`, `value="2"`, `value="360"`,
		"entered in the web form", `value="1935-09-21"`, `value="test/-3/2"`)
	if !regexp.MustCompile(`<option value="2"\s*selected>2</option>`).MatchString(r.body) {
		t.Error("the shift chosen is not kept")
	}

	// A good report, sent twice: one report.
	good := reportForm(f, "9", "8.5")
	r = c.submit("/foreman", "/foreman/reports", good)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/foreman?date=1935-09-21&saved=") {
		t.Fatalf("report: status %d to %q\n%s", r.status, r.location, r.body)
	}
	first := r.location
	r = c.submit("/foreman", "/foreman/reports", good)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, first) || !strings.Contains(r.location, "replayed=1") {
		t.Fatalf("second send: status %d to %q", r.status, r.location)
	}
	reports, _, err := f.store.FindReports(t.Context(), stakhanov.ReportFilter{Subject: stakhanov.PersonSubject(f.world.Stakhanov),
		From: stakhanov.NewDate(1935, 9, 21), To: stakhanov.NewDate(1935, 9, 21)})
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, rep := range reports {
		if rep.Shift == 2 {
			if id != 0 {
				t.Fatal("the second send wrote a second report")
			}
			id = rep.ID
		}
	}
	r = c.get(first)
	mustContain(t, r.body, `id="report-saved"`, fmt.Sprintf(`id="report-%d"`, id))

	// Correct it: the form comes filled in; the correction replaces it.
	r = c.get(fmt.Sprintf("/foreman/reports/%d/correct", id))
	mustContain(t, r.body, fmt.Sprintf(`name="corrects" value="%d"`, id), `value="8.5"`, "Correct report")
	corr := reportForm(f, "9", "8")
	corr.Set("key", "test/correction")
	corr.Set("corrects", fmt.Sprint(id))
	r = c.submit(fmt.Sprintf("/foreman/reports/%d/correct", id), "/foreman/reports", corr)
	if r.status != http.StatusSeeOther {
		t.Fatalf("correction: status %d\n%s", r.status, r.body)
	}
	rep, err := f.store.FindReportByID(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if rep.CorrectedBy == 0 {
		t.Fatal("the report is not corrected")
	}
	r = c.get("/foreman?date=1935-09-21")
	mustContain(t, r.body, fmt.Sprintf("corrected by %d", rep.CorrectedBy), fmt.Sprintf("corrects %d", id))

	// Another report for the same shift, from a fresh form (another key):
	// the form says the shift has a report and links to its correction.
	twice := reportForm(f, "7", "7")
	twice.Set("key", "test/second-entry")
	r = c.submit("/foreman", "/foreman/reports", twice)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a second report for the shift: status %d", r.status)
	}
	mustContain(t, r.body, fmt.Sprintf("This shift already has report %d", rep.CorrectedBy),
		fmt.Sprintf(`<a href="/foreman/reports/%[1]d/correct" id="correct-taken">Correct report %[1]d</a>`, rep.CorrectedBy), `value="7"`)
	r = c.get(fmt.Sprintf("/foreman/reports/%d/correct", rep.CorrectedBy))
	mustContain(t, r.body, fmt.Sprintf(`name="corrects" value="%d"`, rep.CorrectedBy))
	// The same without a key (a form of another client): the same answer.
	twice.Del("key")
	r = c.submit("/foreman", "/foreman/reports", twice)
	mustContain(t, r.body, fmt.Sprintf("This shift already has report %d", rep.CorrectedBy))

	// Outside the foreman's units: the store refuses, shown above the form.
	out := reportForm(f, "5", "5")
	out.Set("subject", stakhanov.PersonSubject(f.world.Honoured2013[0]).String())
	r = c.submit("/foreman", "/foreman/reports", out)
	mustContain(t, r.body, `id="form-error"`, "outside")
}

// TestForemanLateCorrection: August 1935 is closed for the mine (the
// demo's close): a report for it is refused with the reason beside the
// date; ticked as a late correction with a note it is saved, and listed
// as late.
func TestForemanLateCorrection(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	c.signIn("foreman")
	form := reportForm(f, "6", "6")
	form.Set("date", "1935-08-06")
	form.Set("key", "late/1")
	r := c.submit("/foreman", "/foreman/reports", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a report for closed August: status %d", r.status)
	}
	mustContain(t, r.body, `id="f-date-error"`, "August 1935 is closed", "late correction")
	form.Set("late", "1")
	form.Set("note", "")
	r = c.submit("/foreman", "/foreman/reports", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a late correction without a note: status %d", r.status)
	}
	mustContain(t, r.body, `id="f-note-error"`)
	form.Set("note", "the shift's sheet was found in September")
	r = c.submit("/foreman", "/foreman/reports", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("a late correction: status %d\n%s", r.status, r.body)
	}
	r = c.get(r.location)
	mustContain(t, r.body, "(late correction)")
}
