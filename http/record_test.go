package http_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	stakhttp "github.com/stakhanov/stakhanov/http"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// clockBackends open stores with a fixed clock and a time zone.
func clockBackends(now time.Time, loc *time.Location) []backend {
	clock := func() time.Time { return now }
	return []backend{
		{"sqlite", func(t *testing.T) stakhanov.Store {
			db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "t.db"), clock, sqlstore.WithLocation(loc))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}},
		{"postgres", func(t *testing.T) stakhanov.Store {
			return pgtest.Open(t, clock, sqlstore.WithLocation(loc))
		}},
	}
}

// TestReportDatedTomorrow: today is the store's clock's date in its time
// zone; a shift dated after it is a 400 naming date, and nothing is saved.
func TestReportDatedTomorrow(t *testing.T) {
	// 22:30 UTC on 1 December is already 2 December three hours east.
	now := time.Date(2026, 12, 1, 22, 30, 0, 0, time.UTC)
	east := time.FixedZone("UTC+3", 3*3600)
	for _, tc := range []struct {
		loc             *time.Location
		today, tomorrow string
	}{
		{time.UTC, "2026-12-01", "2026-12-02"},
		{east, "2026-12-02", "2026-12-03"},
	} {
		for _, b := range clockBackends(now, tc.loc) {
			t.Run(tc.loc.String()+"/"+b.name, func(t *testing.T) {
				e := newEnv(t, b.open(t), stakhttp.Config{})
				w := e.world()
				res := e.do("POST", "/api/v1/reports", e.admin, report(w, w.miner, tc.tomorrow, 1, 8, "tomorrow"))
				apiErr := res.wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "date")
				if msg := apiErr.Error.Message; !strings.Contains(msg, tc.tomorrow) || !strings.Contains(msg, "today, "+tc.today) {
					t.Fatalf("message: got %q, want the date %s and today %s", msg, tc.tomorrow, tc.today)
				}
				res = e.do("POST", "/api/v1/reports", e.admin, map[string]any{"reports": []any{
					report(w, w.miner, tc.today, 1, 8, "today"), report(w, w.miner, tc.tomorrow, 2, 8, "tomorrow-2")}})
				res.wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "reports[1].date")
				var got list[stakhanov.Report]
				e.call("GET", "/api/v1/reports", nil, http.StatusOK, &got)
				if got.Total != 0 {
					t.Fatalf("reports after refusals: got %d, want 0", got.Total)
				}
				e.call("POST", "/api/v1/reports", report(w, w.miner, tc.today, 1, 8, "today"), http.StatusCreated, nil)
			})
		}
	}
}

// TestNormAlreadyPresent: the same norm twice answers 201, then 200 with
// the version held; no second version is written.
func TestNormAlreadyPresent(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		body := map[string]any{"subject": subject(w.turner), "good_id": w.parts.ID, "amount": 50, "effective_from": "1936-01-01", "reason": "the lathe norm"}
		var first, again stakhanov.Norm
		e.call("POST", "/api/v1/norms", body, http.StatusCreated, &first)
		e.call("POST", "/api/v1/norms", body, http.StatusOK, &again)
		if again.ID != first.ID || again.Version != first.Version || again.Amount != 50 {
			t.Fatalf("the same norm again: got %+v, want norm %d as held", again, first.ID)
		}
		var versions list[stakhanov.Norm]
		e.call("GET", "/api/v1/norms?subject="+subject(w.turner), nil, http.StatusOK, &versions)
		if versions.Total != 1 {
			t.Fatalf("versions: got %d, want 1", versions.Total)
		}
		body["amount"] = 55
		e.call("POST", "/api/v1/norms", body, http.StatusCreated, &again)
		if again.Version != 2 {
			t.Fatalf("a new amount: got version %d, want 2", again.Version)
		}
	})
}
