package http_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// TestPlans: a planner sets an enterprise's quarter plan, phased by
// month, and one collective's; the list shows what was accepted against
// them and that the cascade does not add up; the same plan again is
// already present, a foreman may not set one, bad input names its field.
func TestPlans(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		_, planner := e.user("planner", stakhanov.RolePlanner, w.mine.ID, 0)
		body := func(unit int64, qty float64, phases ...float64) map[string]any {
			m := map[string]any{"unit_id": unit, "good_id": w.coal.ID, "period": "quarter", "start": "1935-07-01", "quantity": qty, "reason": "third quarter"}
			if len(phases) > 0 {
				m["phases"] = phases
			}
			return m
		}
		var p stakhanov.Plan
		e.as(planner, "POST", "/api/v1/plans", body(w.mine.ID, 300, 90, 100, 110), http.StatusCreated, &p)
		if p.ID == 0 || p.Version != 1 || len(p.Phases) != 3 || p.Start.String() != "1935-07-01" {
			t.Fatalf("plan: got %+v", p)
		}
		e.as(planner, "POST", "/api/v1/plans", body(w.mine.ID, 300, 90, 100, 110), http.StatusOK, &p)
		if p.Version != 1 {
			t.Fatalf("the same plan again: version %d, want 1", p.Version)
		}
		e.as(planner, "POST", "/api/v1/plans", body(w.brigade.ID, 200), http.StatusCreated, nil)
		e.call("POST", "/api/v1/reports", report(w, w.miner, "1935-08-30", 1, 12, "q3"), http.StatusCreated, nil)

		var plans list[stakhanov.PlanStanding]
		e.as(planner, "GET", fmt.Sprintf("/api/v1/plans?unit=%d&period=quarter", w.mine.ID), nil, http.StatusOK, &plans)
		if plans.Total != 1 || len(plans.Items) != 1 {
			t.Fatalf("plans of the mine: got %+v", plans)
		}
		st := plans.Items[0]
		if st.Accepted != 12 || st.Parts == nil || st.Parts.AddsUp || st.Parts.Difference != 100 || len(st.ByMonth) != 3 {
			t.Fatalf("the mine's plan: got %+v parts %+v", st, st.Parts)
		}
		var versions struct{ Items []stakhanov.Plan }
		e.as(planner, "GET", fmt.Sprintf("/api/v1/plans/versions?unit=%d&good=%d&period=quarter&start=1935-07-01", w.mine.ID, w.coal.ID), nil, http.StatusOK, &versions)
		if len(versions.Items) != 1 {
			t.Fatalf("versions: got %+v", versions.Items)
		}

		_, foreman := e.user("foreman", stakhanov.RoleForeman, w.mine.ID, 0)
		e.do("POST", "/api/v1/plans", foreman, body(w.mine.ID, 301)).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", "/api/v1/plans", planner, body(w.mine.ID, 300, 1, 2, 3)).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "phases")
		bad := body(w.mine.ID, 300)
		bad["start"] = "1 July 1935"
		e.do("POST", "/api/v1/plans", planner, bad).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "start")
		bad = body(w.mine.ID, 300)
		bad["period"] = "decade"
		e.do("POST", "/api/v1/plans", planner, bad).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "period")
		e.do("GET", "/api/v1/plans?period=decade", planner, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "period")
		e.do("GET", "/api/v1/plans/versions?good=1", planner, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "unit")
		e.do("GET", "/api/v1/plans", "", nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
	})
}

// TestShortages: a ministry's need for coal against the mine's output,
// over HTTP; the unit is required. Without a token they are read only
// once the ministry publishes them.
func TestShortages(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		e.call("POST", "/api/v1/needs", map[string]any{
			"unit_id": w.ministry.ID, "good_id": w.coal.ID, "from": "1935-08-01", "to": "1935-08-31", "quantity": 100,
		}, http.StatusCreated, nil)
		e.call("POST", "/api/v1/reports", report(w, w.miner, "1935-08-30", 1, 12, "s1"), http.StatusCreated, nil)
		var got struct{ Items []stakhanov.Shortage }
		e.call("GET", fmt.Sprintf("/api/v1/shortages?unit=%d&good=%d&from=1935-08-01&to=1935-08-31", w.ministry.ID, w.coal.ID), nil, http.StatusOK, &got)
		if len(got.Items) != 1 || got.Items[0].Needed != 100 || got.Items[0].Accepted != 12 || got.Items[0].Shortage != 88 || got.Items[0].Good != "coal" {
			t.Fatalf("shortages: got %+v", got.Items)
		}
		e.do("GET", "/api/v1/shortages", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "unit")
		e.do("GET", fmt.Sprintf("/api/v1/shortages?unit=%d&period=week", w.mine.ID), e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "period")

		public := fmt.Sprintf("/api/v1/shortages?unit=%d&good=%d&from=1935-08-01&to=1935-08-31", w.ministry.ID, w.coal.ID)
		e.do("GET", public, "", nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
		var unit stakhanov.Unit
		e.call("PUT", fmt.Sprintf("/api/v1/units/%d/settings", w.ministry.ID), map[string]any{"publish_shortages": true}, http.StatusOK, &unit)
		if !unit.PublishesShortages || unit.HidesRanks {
			t.Fatalf("ministry after publishing: got %+v", unit)
		}
		e.as("", "GET", public, nil, http.StatusOK, &got)
		if len(got.Items) != 1 || got.Items[0].Shortage != 88 {
			t.Fatalf("published shortages: got %+v", got.Items)
		}
		e.do("GET", fmt.Sprintf("/api/v1/shortages?unit=%d", w.mine.ID), "", nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
		e.do("PUT", fmt.Sprintf("/api/v1/units/%d/settings", w.mine.ID), e.admin, map[string]any{"publish_shortages": true}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "publish_shortages")
	})
}

// TestStorming: a month whose output comes in its last third is found
// over HTTP; the unit is required.
func TestStorming(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		var rs []any
		for d := 1; d <= 30; d++ {
			tonnes := 1.0
			if d > 20 {
				tonnes = 9
			}
			rs = append(rs, report(w, w.miner, fmt.Sprintf("1935-09-%02d", d), 1, tonnes, fmt.Sprint("st", d)))
		}
		e.call("POST", "/api/v1/reports", map[string]any{"reports": rs}, http.StatusCreated, nil)
		var got struct{ Items []stakhanov.StormingMonth }
		e.call("GET", fmt.Sprintf("/api/v1/storming?unit=%d&from=1935-09-01&to=1935-09-30", w.ministry.ID), nil, http.StatusOK, &got)
		if len(got.Items) != 1 || !got.Items[0].Storming || got.Items[0].Accepted != 110 || got.Items[0].Enterprise != "Tsentralnaya-Irmino mine" {
			t.Fatalf("storming: got %+v", got.Items)
		}
		e.do("GET", "/api/v1/storming", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "unit")
	})
}
