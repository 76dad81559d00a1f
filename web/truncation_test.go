package web_test

import (
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

var system = stakhanov.System

// crowd adds n people named "Hewer 1" to "Hewer n" to the demo's mine (the
// foreman's unit) and returns their ids by number.
func crowd(t *testing.T, f *fixture, n int) map[int]int64 {
	t.Helper()
	ctx := stakhanov.NewContext(t.Context(), system)
	rows := func(yield func(stakhanov.ImportRow[stakhanov.Person]) bool) {
		for i := 1; i <= n; i++ {
			p := &stakhanov.Person{Code: fmt.Sprintf("H-%d", i), Name: fmt.Sprintf("Hewer %d", i), Profession: "hewer", UnitID: f.world.Mine}
			if !yield(stakhanov.ImportRow[stakhanov.Person]{Line: i + 1, Value: p}) {
				return
			}
		}
	}
	res, err := f.store.ImportPeople(ctx, iter.Seq[stakhanov.ImportRow[stakhanov.Person]](rows))
	if err != nil || res.Created != n {
		t.Fatalf("import %d people: %+v, %v", n, res, err)
	}
	ids := map[int]int64{}
	people, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Person, int, error) {
		return f.store.FindPeople(ctx, stakhanov.PersonFilter{UnitID: f.world.Mine, Name: "Hewer ", Page: p})
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		var i int
		if _, err := fmt.Sscanf(p.Name, "Hewer %d", &i); err == nil {
			ids[i] = p.ID
		}
	}
	if len(ids) != n {
		t.Fatalf("found %d of the %d people", len(ids), n)
	}
	return ids
}

// TestForemanPicksFromALargeUnit: in a unit of 1,500 people the report
// form lists no one until asked, finds person 1,234 by name, by part of
// it and by number, and writes a report for them with helpers and a
// witness chosen the same way.
func TestForemanPicksFromALargeUnit(t *testing.T) {
	f := newFixture(t)
	ids := crowd(t, f, 1500)
	c := f.client(t)
	c.signIn("foreman")

	r := c.get("/foreman")
	mustContain(t, r.body, `id="f-subject_q"`, `name="find" value="subject"`, "to choose from: type part of a name")
	if strings.Contains(r.body, "Hewer 1234") {
		t.Fatal("the form lists everyone of a unit of 1,500 people")
	}

	// Find: the matches come back to choose from, the report unsaved.
	form := reportForm(f, "9", "9")
	form.Del("subject")
	form.Set("subject_q", "ewer 123")
	form.Set("find", "subject")
	r = c.submit("/foreman", "/foreman/reports", form)
	if r.status != http.StatusOK {
		t.Fatalf("find: status %d\n%s", r.status, r.body)
	}
	want := fmt.Sprintf(`<option value="person:%d">Hewer 1234 (hewer)</option>`, ids[1234])
	mustContain(t, r.body, want, "11 found for “ewer 123”", "entered in the web form")
	if strings.Contains(r.body, ">Hewer 1240 (hewer)<") {
		t.Error("a person who does not match is in the list")
	}

	// Part of a name does not choose on its own when saving.
	form.Del("find")
	r = c.submit("/foreman", "/foreman/reports", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("save with part of a name: status %d", r.status)
	}
	mustContain(t, r.body, `id="f-subject-error"`, "is not the whole name", want)

	// Chosen from the list, with a helper by whole name (any case) and a
	// witness by number: saved.
	form.Del("subject_q")
	form.Set("subject", fmt.Sprintf("person:%d", ids[1234]))
	form.Set("helpers_q", "HEWER 1499")
	form.Set("witnesses_q", fmt.Sprint(ids[1001]))
	r = c.submit("/foreman", "/foreman/reports", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", r.status, r.body)
	}
	reps, _, err := f.store.FindReports(t.Context(), stakhanov.ReportFilter{Subject: stakhanov.PersonSubject(ids[1234])})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 1 {
		t.Fatalf("reports of Hewer 1234: got %d, want 1", len(reps))
	}
	rep := reps[0]
	if len(rep.Helpers) != 1 || rep.Helpers[0].PersonID != ids[1499] || len(rep.Witnesses) != 1 || rep.Witnesses[0] != ids[1001] {
		t.Fatalf("helpers %+v and witnesses %v, want Hewer 1499 (%d) and Hewer 1001 (%d)", rep.Helpers, rep.Witnesses, ids[1499], ids[1001])
	}

	// Correcting it: the form comes back with the three chosen by name.
	r = c.get(fmt.Sprintf("/foreman/reports/%d/correct", rep.ID))
	mustContain(t, r.body, want[:len(want)-len(`">Hewer 1234 (hewer)</option>`)]+`" selected>Hewer 1234 (hewer)</option>`,
		fmt.Sprintf(`<option value="%d" selected>Hewer 1499 (hewer)</option>`, ids[1499]),
		fmt.Sprintf(`<option value="%d" selected>Hewer 1001 (hewer)</option>`, ids[1001]))

	// A name no one has, and a person outside the foreman's units.
	form = reportForm(f, "9", "9")
	form.Del("subject")
	form.Set("subject_q", "Hewer 9999")
	r = c.submit("/foreman", "/foreman/reports", form)
	mustContain(t, r.body, `id="f-subject-error"`, "No one in your units is named “Hewer 9999”")
	form.Set("subject_q", strings.Repeat("я", 201))
	r = c.submit("/foreman", "/foreman/reports", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("a search of 201 characters: status %d", r.status)
	}
	mustContain(t, r.body, `id="f-subject-error"`, "at most 200 characters")
	form.Set("subject_q", fmt.Sprint(f.world.Honoured2013[0]))
	r = c.submit("/foreman", "/foreman/reports", form)
	if r.status == http.StatusSeeOther {
		t.Fatal("a report for someone outside the foreman's units was saved")
	}
	mustContain(t, r.body, "outside")
}

var reportRowRE = regexp.MustCompile(`<tr class="report[^"]*" id="report-(\d+)">`)
var nextRE = regexp.MustCompile(`<a rel="next" href="([^"]+)">`)

// TestForemanPagesTheDay: a day with more than 1,000 reports lists them
// all, a page at a time, with "N of M".
func TestForemanPagesTheDay(t *testing.T) {
	f := newFixture(t)
	ids := crowd(t, f, 1050)
	ctx := stakhanov.NewContext(t.Context(), system)
	day := stakhanov.NewDate(1935, 9, 10)
	var rs []*stakhanov.Report
	for i := 1; i <= 1050; i++ {
		rs = append(rs, &stakhanov.Report{Key: fmt.Sprintf("day/%d", i), Subject: stakhanov.PersonSubject(ids[i]), GoodID: f.world.Coal,
			Date: day, Shift: 1 + i%3, Produced: 7, Accepted: 7})
	}
	if _, err := f.store.CreateReports(ctx, rs); err != nil {
		t.Fatal(err)
	}
	all, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Report, int, error) {
		return f.store.FindReports(ctx, stakhanov.ReportFilter{UnitID: f.world.Mine, From: day, To: day, Page: p})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) <= 1000 {
		t.Fatalf("the day has %d reports, want more than 1,000", len(all))
	}

	c := f.client(t)
	c.signIn("foreman")
	seen := map[string]bool{}
	page := "/foreman?date=" + day.String()
	for pages := 0; page != ""; pages++ {
		if pages > len(all) {
			t.Fatal("the pages do not end")
		}
		r := c.get(page)
		if pages == 0 {
			mustContain(t, r.body, fmt.Sprintf("1–100 of %d reports", len(all)))
		}
		for _, m := range reportRowRE.FindAllStringSubmatch(r.body, -1) {
			if seen[m[1]] {
				t.Fatalf("report %s is on two pages", m[1])
			}
			seen[m[1]] = true
		}
		page = ""
		if m := nextRE.FindStringSubmatch(r.body); m != nil {
			page = strings.ReplaceAll(m[1], "&amp;", "&")
			if u, err := url.Parse(page); err != nil || u.Query().Get("date") != day.String() {
				t.Fatalf("next page %q leaves the day", page)
			}
		} else {
			mustContain(t, r.body, fmt.Sprintf("%d–%d of %d reports", (len(all)-1)/100*100+1, len(all), len(all)))
		}
	}
	for _, rep := range all {
		if !seen[fmt.Sprint(rep.ID)] {
			t.Fatalf("report %d of the day is on no page (%d of %d seen)", rep.ID, len(seen), len(all))
		}
	}
}

var withoutNormRE = regexp.MustCompile(`<li>Hewer (\d+) · <a href="/planner/norms/new\?subject=person%3a(\d+)">`)

// TestPlannerPagesPeople: the planner's list of people and collectives
// reaches everyone of a unit of 1,500 people, a page at a time, and the
// norm form finds one by name.
func TestPlannerPagesPeople(t *testing.T) {
	f := newFixture(t)
	ids := crowd(t, f, 1500)
	c := f.client(t)
	c.signIn("planner")
	seen := map[string]bool{}
	page := "/planner"
	total := ""
	for pages := 0; page != ""; pages++ {
		if pages > 100 {
			t.Fatal("the pages do not end")
		}
		r := c.get(page)
		if pages == 0 {
			m := regexp.MustCompile(`Collectives and people 1–50 of (\d+) in your units`).FindStringSubmatch(r.body)
			if m == nil {
				t.Fatalf("the first page does not say how many there are:\n%s", r.body)
			}
			total = m[1]
		}
		for _, m := range withoutNormRE.FindAllStringSubmatch(r.body, -1) {
			if seen[m[1]] || m[2] != fmt.Sprint(ids[atoi(t, m[1])]) {
				t.Fatalf("Hewer %s (person:%s) is on two pages or has another's id", m[1], m[2])
			}
			seen[m[1]] = true
		}
		page = ""
		if m := nextRE.FindStringSubmatch(r.body); m != nil {
			page = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
	if len(seen) != 1500 {
		t.Fatalf("the pages list %d of the 1,500 hewers (of %s in all)", len(seen), total)
	}

	// An entry as the list writes it chooses the person.
	form := url.Values{"subject_q": {"Hewer 1234 (hewer)"}, "good": {fmt.Sprint(f.world.Coal)}, "amount": {"8"},
		"effective_from": {"1935-11-01"}, "reason": {"a norm for hewer 1234"}}
	r := c.submit("/planner/norms/new", "/planner/norms", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("norm for Hewer 1234 by name: status %d\n%s", r.status, r.body)
	}
	ns, _, err := f.store.FindNorms(t.Context(), stakhanov.NormFilter{Subject: stakhanov.PersonSubject(ids[1234])})
	if err != nil || len(ns) != 1 || ns[0].Amount != 8 {
		t.Fatalf("norms of Hewer 1234: %+v, %v", ns, err)
	}
}

func atoi(t *testing.T, s string) int {
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestFormsListEveryGood: a catalogue of more than 1,000 goods is read to
// its end (stakhanov.All), so the last good can be reported.
func TestFormsListEveryGood(t *testing.T) {
	f := newFixture(t)
	ctx := stakhanov.NewContext(t.Context(), system)
	var last *stakhanov.Good
	for i := 1; i <= 1001; i++ {
		last = &stakhanov.Good{Name: fmt.Sprintf("part %d", i), Measure: "pcs"}
		if err := f.store.CreateGood(ctx, last); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t)
	c.signIn("foreman")
	r := c.get("/foreman")
	mustContain(t, r.body, fmt.Sprintf(`<option value="%d">part 1001 (pcs)</option>`, last.ID))
}
