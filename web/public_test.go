package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov/demo"
)

func TestPublicPages(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)

	r := c.get("/")
	mustContain(t, r.body, `href="/registry"`, "Hero of Labour")

	r = c.get("/registry?q=Gergiev")
	if r.status != http.StatusOK {
		t.Fatalf("registry: status %d", r.status)
	}
	if set := r.header.Values("Set-Cookie"); len(set) > 0 {
		t.Errorf("the public registry sets cookies: %q", set)
	}
	mustContain(t, r.body, "Valery Gergiev", `id="registry-results"`, "<svg", `id="counts-by-award"`, `id="counts-by-year"`, "Mariinsky")
	if strings.Contains(r.body, "Konstantin Chumanov") {
		t.Error("the search for Gergiev lists Chumanov")
	}
	link := between(t, r.body, `<a href="/recipients/`, `"`)

	r = c.get("/registry?year=2013")
	mustContain(t, r.body, "Vladimir Melnik", "Konstantin Chumanov", "Valery Gergiev")
	r = c.get("/registry?year=20x")
	if r.status != http.StatusBadRequest {
		t.Fatalf("bad year: status %d", r.status)
	}
	mustContain(t, r.body, `id="f-year-error"`)

	r = c.get("/recipients/" + link)
	if r.status != http.StatusOK {
		t.Fatalf("recipient: status %d", r.status)
	}
	// Presented at the May Day 2013 ceremony: dated that day, not the day the demo was built.
	mustContain(t, r.body, `id="recipient-name">Valery Gergiev`, `id="recipient-conferrals"`, "Hero of Labour of the Russian Federation", "No. 427",
		"presented 2013-05-01")

	// Someone who holds no award has no public page.
	if r := c.get(fmt.Sprintf("/recipients/person/%d", f.world.Recommenders2013[0][0])); r.status != http.StatusNotFound {
		t.Fatalf("non-recipient: status %d, want 404", r.status)
	}

	r = c.get("/awards")
	award := between(t, r.body, `<a href="/awards/`, `"`)
	r = c.get("/awards/" + award)
	mustContain(t, r.body, `id="insignia"`, "/insignia.svg", `id="award-rules"`, `id="award-lineage"`, `id="award-description"`)

	// Hero of Labour of the Russian Federation: its lineage reaches back to
	// the Soviet titles; the 2013 conferrals are counted.
	hl := ""
	for _, part := range strings.Split(r.body, `href="/awards/`) {
		if i := strings.Index(part, `">Hero of Labour of the Russian Federation<`); i > 0 {
			hl = part[:i]
		}
	}
	if hl == "" {
		r = c.get("/awards")
		for _, part := range strings.Split(r.body, `href="/awards/`) {
			if strings.Contains(part, "Hero of Labour of the Russian Federation") {
				hl = part[:strings.Index(part, `"`)]
			}
		}
	}
	r = c.get("/awards/" + hl)
	mustContain(t, r.body, `id="award-name">Hero of Labour of the Russian Federation`, "Hero of Socialist Labour",
		`id="chart-award-years"`, `id="award-years-table"`, "2013")

	if r := c.get("/no/such/page"); r.status != http.StatusNotFound {
		t.Fatalf("unknown page: status %d", r.status)
	}
	if r := c.get("/static/style.css"); r.status != http.StatusOK {
		t.Fatalf("style.css: status %d", r.status)
	}
}

func between(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	if i < 0 {
		t.Fatalf("no %q in page", from)
	}
	s = s[i+len(from):]
	return s[:strings.Index(s, to)]
}

// TestPublicShortages: the demo's two Commissariats publish their
// shortages: the public page shows September 1935's coal over plan and
// the children's shoes short, each chart with its table and a CSV link
// that needs no sign-in.
func TestPublicShortages(t *testing.T) {
	f := newFixture(t)
	c := f.client(t)
	r := c.get("/shortages?period=month&from=1935-09-01&to=1935-09-30")
	if r.status != http.StatusOK {
		t.Fatalf("public shortages: status %d\n%s", r.status, r.body)
	}
	mustContain(t, r.body, "People&#39;s Commissariat of Heavy Industry of the USSR", "People&#39;s Commissariat of Light Industry of the USSR",
		"<h3>coal</h3>", "<h3>children&#39;s shoes</h3>", `id="public-shortage-1-1"`, `class="public-csv"`,
		fmt.Sprintf("<td class=\"num\">%d</td>", demo.ShoesNeedSept1935))
}
