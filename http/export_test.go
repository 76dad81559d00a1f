package http_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// csvOf checks an answer is CSV as RFC 4180 writes it (every line ended
// CRLF) and reads its records, header first.
func csvOf(t *testing.T, res *response) [][]string {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("status: got %d (%s), want 200", res.status, res.body)
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type: got %q, want text/csv", ct)
	}
	if !bytes.HasSuffix(res.body, []byte("\r\n")) || bytes.Count(res.body, []byte("\n")) != bytes.Count(res.body, []byte("\r\n")) {
		t.Fatalf("CSV lines must end CRLF: got %q", res.body)
	}
	lines, err := csv.NewReader(bytes.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v in %q", err, res.body)
	}
	return lines
}

// TestExports: fulfilment, plans and shortages as CSV, with the API's
// filters; a name with a comma and a quote survives.
func TestExports(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		var shoes struct{ ID int64 }
		e.call("POST", "/api/v1/goods", map[string]any{"name": `shoes, children's "Skorokhod"`, "measure": "pairs"}, http.StatusCreated, &shoes)
		e.call("POST", "/api/v1/needs", map[string]any{"unit_id": w.ministry.ID, "good_id": shoes.ID, "from": "1935-08-01", "to": "1935-08-31", "quantity": 12000}, http.StatusCreated, nil)
		for d := 1; d <= 3; d++ {
			e.call("POST", "/api/v1/reports", report(w, w.miner, fmt.Sprintf("1935-08-%02d", d), 1, 14, fmt.Sprint("x", d)), http.StatusCreated, nil)
		}
		e.call("POST", "/api/v1/plans", map[string]any{"unit_id": w.mine.ID, "good_id": w.coal.ID, "period": "month", "start": "1935-08-01",
			"quantity": 40, "reason": "August"}, http.StatusCreated, nil)
		e.call("POST", "/api/v1/needs", map[string]any{"unit_id": w.ministry.ID, "good_id": w.coal.ID, "from": "1935-08-01", "to": "1935-08-31", "quantity": 100}, http.StatusCreated, nil)

		f := csvOf(t, e.do("GET", fmt.Sprintf("/api/v1/fulfilment?subject=%s&period=month&from=1935-08-01&to=1935-08-31&format=csv", subject(w.miner)), e.admin, nil))
		if len(f) != 2 || f[0][0] != "subject" || f[1][1] != "Alexei Stakhanov" || f[1][2] != "1935-08" || f[1][6] != "coal" || f[1][10] != "42" || f[1][13] != "200.00" {
			t.Fatalf("fulfilment CSV: got %q", f)
		}
		p := csvOf(t, e.do("GET", fmt.Sprintf("/api/v1/plans?unit=%d&format=csv", w.mine.ID), e.admin, nil))
		if len(p) != 2 || p[1][2] != w.mine.Name || p[1][7] != "40" || p[1][10] != "42" || p[1][11] != "105.00" {
			t.Fatalf("plans CSV: got %q", p)
		}
		if none := csvOf(t, e.do("GET", fmt.Sprintf("/api/v1/plans?unit=%d&period=year&format=csv", w.mine.ID), e.admin, nil)); len(none) != 1 {
			t.Fatalf("plans CSV for year plans: got %q, want the header alone", none)
		}
		s := csvOf(t, e.do("GET", fmt.Sprintf("/api/v1/shortages?unit=%d&from=1935-08-01&to=1935-08-31&format=csv", w.ministry.ID), e.admin, nil))
		if len(s) != 3 || s[1][1] != "coal" || s[1][6] != "100" || s[1][9] != "42" || s[1][10] != "58" || s[2][1] != `shoes, children's "Skorokhod"` || s[2][10] != "12000" {
			t.Fatalf("shortages CSV: got %q", s)
		}
		goods := csvOf(t, e.do("GET", fmt.Sprintf("/api/v1/plans?unit=%d&format=csv", w.mine.ID), e.admin, nil))
		if !slices.Equal(goods[0][:5], []string{"plan_id", "unit_id", "unit", "good_id", "good"}) {
			t.Fatalf("plans CSV header: got %q", goods[0])
		}
		e.do("GET", "/api/v1/shortages?format=xml&unit=1", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "format")
		e.do("GET", fmt.Sprintf("/api/v1/plans?unit=%d&format=csv&offset=2", w.mine.ID), e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "offset")
	})
}
