package http_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// TestPeriodClose: a planner closes August for the mine over HTTP; a
// report for August is then a conflict naming its date, and accepted when
// sent as late with a note, marked late in the report and the month's
// figures; the final figures are read by those who oversee the mine, not
// by a worker.
func TestPeriodClose(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		_, planner := e.user("planner", stakhanov.RolePlanner, w.mine.ID, 0)
		e.call("POST", "/api/v1/reports", report(w, w.miner, "1935-08-30", 1, 12, "a1"), http.StatusCreated, nil)

		body := map[string]any{"unit_id": w.mine.ID, "month": "1935-08", "reason": "August's accounts are done"}
		var c stakhanov.PeriodClose
		e.as(planner, "POST", "/api/v1/closes", body, http.StatusCreated, &c)
		if c.Month.String() != "1935-08-01" || c.Results == 0 || c.Unit != w.mine.Name {
			t.Fatalf("close: got %+v", c)
		}
		e.do("POST", "/api/v1/closes", planner, body).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "month")
		e.do("POST", "/api/v1/closes", planner, map[string]any{"unit_id": w.mine.ID, "month": "August 1935", "reason": "x"}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "month")

		late := report(w, w.miner, "1935-08-31", 1, 11, "a2")
		e.do("POST", "/api/v1/reports", e.admin, late).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "date")
		late["late"], late["note"] = true, "the sheet was found in September"
		var res struct{ Report stakhanov.Report }
		e.call("POST", "/api/v1/reports", late, http.StatusCreated, &res)
		if !res.Report.Late {
			t.Fatalf("late report: got %+v, want it marked late", res.Report)
		}
		var f stakhanov.Fulfilment
		e.call("GET", fmt.Sprintf("/api/v1/fulfilment?subject=%s&period=month&from=1935-08-01&to=1935-08-31", subject(w.miner)), nil, http.StatusOK, &f)
		if len(f.Rows) != 1 || f.Rows[0].Late != 1 || f.Rows[0].Shifts != 2 {
			t.Fatalf("August: got %+v, want 2 shifts, 1 late", f.Rows)
		}

		var closes list[stakhanov.PeriodClose]
		e.call("GET", fmt.Sprintf("/api/v1/closes?unit=%d&month=1935-08", w.brigade.ID), nil, http.StatusOK, &closes)
		if closes.Total != 1 || closes.Items[0].ID != c.ID {
			t.Fatalf("closes: got %+v", closes)
		}
		var results list[stakhanov.PeriodResult]
		e.as(planner, "GET", fmt.Sprintf("/api/v1/closes/%d/results", c.ID), nil, http.StatusOK, &results)
		if results.Total != c.Results {
			t.Fatalf("final figures: got %d, want %d", results.Total, c.Results)
		}
		for _, r := range results.Items {
			if r.Subject == stakhanov.PersonSubject(w.miner.ID) && (r.Fulfilment.Shifts != 1 || r.Fulfilment.Late != 0) {
				t.Fatalf("the miner's final August: got %+v, want the one shift before the close", r.Fulfilment)
			}
		}
		_, worker := e.user("worker", stakhanov.RoleWorker, w.mine.ID, w.miner.ID)
		e.do("GET", fmt.Sprintf("/api/v1/closes/%d/results", c.ID), worker, nil).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("GET", "/api/v1/closes/999999/results", planner, nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
	})
}

// TestNormPreviewAndRatchets: a planner previews a raise of the miner's
// norm (his last twenty shifts under 7 t and under 10 t), then sets it
// from next month; the ratchet report finds it after his months above the
// old norm. A worker may not preview.
func TestNormPreviewAndRatchets(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		_, planner := e.user("planner", stakhanov.RolePlanner, w.mine.ID, 0)
		today := stakhanov.DateOf(time.Now())
		for d := 1; d <= 20; d++ {
			e.call("POST", "/api/v1/reports", report(w, w.miner, today.AddDays(-d).String(), 1, 14, fmt.Sprint("r", d)), http.StatusCreated, nil)
		}
		next := stakhanov.NewDate(today.Year(), today.Month()+1, 1)
		norm := map[string]any{"subject": subject(w.miner), "good_id": w.coal.ID, "amount": 10, "effective_from": next.String(), "reason": "raised"}
		var p stakhanov.NormPreview
		e.as(planner, "POST", "/api/v1/norms/preview", norm, http.StatusOK, &p)
		shifts := 0
		for _, m := range p.Months {
			shifts += m.Shifts
			if m.Percent == nil || *m.Percent != 200 || m.ProposedPercent == nil || *m.ProposedPercent != 140 {
				t.Fatalf("preview month: got %+v, want 200 %% under 7 t and 140 %% under 10 t", m)
			}
		}
		if shifts != 20 || p.Name != w.miner.Name {
			t.Fatalf("preview: got %d shifts of %q, want 20 of %s", shifts, p.Name, w.miner.Name)
		}
		_, worker := e.user("worker", stakhanov.RoleWorker, w.mine.ID, w.miner.ID)
		e.do("POST", "/api/v1/norms/preview", worker, norm).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		bad := map[string]any{"subject": subject(w.miner), "good_id": w.coal.ID, "amount": -1, "effective_from": "1935-09-01", "reason": "x"}
		e.do("POST", "/api/v1/norms/preview", planner, bad).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "amount")

		e.as(planner, "POST", "/api/v1/norms", norm, http.StatusCreated, nil)
		var rep stakhanov.RatchetReport
		e.as(planner, "GET", fmt.Sprintf("/api/v1/ratchets?unit=%d&from=%s&to=%s", w.ministry.ID, next, next), nil, http.StatusOK, &rep)
		if len(rep.Raises) != 1 || !rep.Raises[0].AfterOverfulfilment || rep.Raises[0].Name != w.miner.Name || len(rep.Units) != 1 {
			t.Fatalf("ratchets: got %+v", rep)
		}
		e.do("GET", "/api/v1/ratchets", planner, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "unit")
	})
}
