package http_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

type reportWithFulfilment struct {
	Report     stakhanov.Report           `json:"report"`
	Fulfilment stakhanov.ReportFulfilment `json:"fulfilment"`
}

func TestVerification(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		body := report(w, w.miner, "1935-08-31", 1, 102, "irmino/1935-08-31/1")
		body["helpers"] = []map[string]any{{"person_id": w.helper1.ID}, {"person_id": w.helper2.ID}}
		body["witnesses"] = []int64{w.turner.ID}
		var rec reportWithFulfilment
		e.call("POST", "/api/v1/reports", body, http.StatusCreated, &rec)
		if rec.Report.Review != stakhanov.ReviewFlagged || len(rec.Report.Flags) != 1 || rec.Report.Flags[0].Rule != stakhanov.RuleMultipleOfNorm ||
			rec.Report.Flags[0].Figures["credited"] != 34 || rec.Report.Flags[0].Figures["norm"] != 7 {
			t.Fatalf("POST: got review %q, flags %+v", rec.Report.Review, rec.Report.Flags)
		}
		path := fmt.Sprintf("/api/v1/reports/%d", rec.Report.ID)
		var got reportWithFulfilment
		e.call("GET", path, nil, http.StatusOK, &got)
		if got.Report.Review != stakhanov.ReviewFlagged || len(got.Report.Flags) != 1 || got.Report.Flags[0].Figures["multiple"] == 0 ||
			!strings.Contains(got.Report.Flags[0].Message, "times the norm") {
			t.Fatalf("GET: got %+v", got.Report)
		}
		var queue list[stakhanov.Report]
		e.call("GET", "/api/v1/reports?status=flagged", nil, http.StatusOK, &queue)
		if queue.Total != 1 || queue.Items[0].ID != rec.Report.ID || len(queue.Items[0].Flags) != 1 {
			t.Fatalf("flagged: got %+v", queue)
		}
		e.do("GET", "/api/v1/reports?status=held", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "status")

		inspector := stakhanov.Person{}
		e.call("POST", "/api/v1/people", map[string]any{"unit_id": w.ministry.ID, "name": "Inspector", "profession": "inspector"}, http.StatusCreated, &inspector)
		_, witness := e.user("verifier-witness", stakhanov.RoleVerifier, 0, w.turner.ID)
		_, verifier := e.user("verifier", stakhanov.RoleVerifier, w.ministry.ID, inspector.ID)
		_, foreman := e.user("foreman", stakhanov.RoleForeman, w.mine.ID, 0)
		vpath := path + "/verification"
		ok := map[string]any{"decision": "verified", "note": "tally and timbering checked"}

		e.do("POST", vpath, "", ok).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		e.do("POST", vpath, foreman, ok).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		res := e.do("POST", vpath, witness, ok).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		if !strings.Contains(res.Error.Message, "witnessed") {
			t.Fatalf("witness refused: %q", res.Error.Message)
		}
		e.do("POST", vpath, verifier, map[string]any{"decision": "approved", "note": "x"}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "decision")
		e.do("POST", vpath, verifier, map[string]any{"decision": "verified"}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "note")
		e.do("POST", vpath, verifier, map[string]any{"decision": "verified", "note": "x", "by": 3}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "by")
		e.do("POST", vpath, verifier, map[string]any{"decision": 1, "note": "x"}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "decision")
		e.do("POST", "/api/v1/reports/9999/verification", verifier, ok).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
		e.do("POST", "/api/v1/reports/x/verification", verifier, ok).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")

		var verified reportWithFulfilment
		e.as(verifier, "POST", vpath, ok, http.StatusCreated, &verified)
		if verified.Report.Review != stakhanov.ReviewVerified || verified.Report.Verification == nil ||
			verified.Report.Verification.Decision != "verified" || verified.Report.Verification.PersonID != inspector.ID || len(verified.Report.Flags) != 1 {
			t.Fatalf("verified: got %+v", verified.Report)
		}
		e.do("POST", vpath, verifier, map[string]any{"decision": "rejected", "note": "second thoughts"}).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "")
		e.call("GET", "/api/v1/reports?status=verified", nil, http.StatusOK, &queue)
		if queue.Total != 1 || queue.Items[0].Verification == nil {
			t.Fatalf("verified: got %+v", queue)
		}

		// A rejected report leaves the figures.
		var claim reportWithFulfilment
		e.call("POST", "/api/v1/reports", report(w, w.miner, "1935-09-19", 1, 227, "claim"), http.StatusCreated, &claim)
		e.as(verifier, "POST", fmt.Sprintf("/api/v1/reports/%d/verification", claim.Report.ID),
			map[string]any{"decision": "rejected", "note": "no tally"}, http.StatusCreated, nil)
		var f stakhanov.Fulfilment
		e.call("GET", fmt.Sprintf("/api/v1/fulfilment?subject=person:%d&period=month", w.miner.ID), nil, http.StatusOK, &f)
		for _, row := range f.Rows {
			if row.Period == "1935-09" {
				t.Fatalf("the rejected claim still counts: %+v", f.Rows)
			}
		}
		e.call("GET", "/api/v1/reports?status=rejected", nil, http.StatusOK, &queue)
		if queue.Total != 1 || queue.Items[0].ID != claim.Report.ID || queue.Items[0].Review != stakhanov.ReviewRejected {
			t.Fatalf("rejected: got %+v", queue)
		}
	})
}

func TestPlausibilityRules(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		path := fmt.Sprintf("/api/v1/goods/%d/plausibility", w.coal.ID)
		var p struct {
			GoodID int64 `json:"good_id"`
			stakhanov.PlausibilityRules
		}
		e.call("GET", path, nil, http.StatusOK, &p)
		if p.GoodID != w.coal.ID || p.PlausibilityRules != stakhanov.DefaultPlausibilityRules {
			t.Fatalf("defaults: got %+v", p)
		}
		// Fields left out keep their value.
		e.call("PUT", path, map[string]any{"multiple_of_norm": 5, "storm_share": 0}, http.StatusOK, &p)
		want := stakhanov.DefaultPlausibilityRules
		want.MultipleOfNorm, want.StormShare = 5, 0
		if p.PlausibilityRules != want {
			t.Fatalf("after PUT: got %+v, want %+v", p, want)
		}
		e.call("GET", path, nil, http.StatusOK, &p)
		if p.PlausibilityRules != want {
			t.Fatalf("GET after PUT: got %+v, want %+v", p, want)
		}
		e.do("PUT", path, e.admin, map[string]any{"multiple_of_norm": 0.5}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "multiple_of_norm")
		e.do("PUT", path, e.admin, map[string]any{"good_id": 3}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "good_id")
		e.do("PUT", path, e.admin, map[string]any{"peer_minimum": "five"}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "peer_minimum")
		e.do("PUT", "/api/v1/goods/9999/plausibility", e.admin, map[string]any{}).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
		_, foreman := e.user("foreman", stakhanov.RoleForeman, w.mine.ID, 0)
		e.do("PUT", path, foreman, map[string]any{"multiple_of_norm": 4}).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		// 34 t credited is under 5 times 7 t: not flagged now.
		body := report(w, w.miner, "1935-08-31", 1, 102, "k")
		body["helpers"] = []map[string]any{{"person_id": w.helper1.ID}, {"person_id": w.helper2.ID}}
		var rec reportWithFulfilment
		e.call("POST", "/api/v1/reports", body, http.StatusCreated, &rec)
		if len(rec.Report.Flags) != 0 {
			t.Fatalf("under the good's own limit: got %+v", rec.Report.Flags)
		}
	})
}
