package http_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// TestAccounts: an admin adds a foreman, issues it a week's token and
// disables it: the token is refused at once, with the reason; enabled
// again, a new token works and the old one does not. A foreman revokes its
// own token and may not list accounts.
func TestAccounts(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		var u stakhanov.User
		e.call("POST", "/api/v1/users", map[string]any{"name": "ivan", "role": "foreman", "unit_id": w.mine.ID}, http.StatusCreated, &u)
		var issued struct {
			Token string
			Info  stakhanov.Token
		}
		e.call("POST", "/api/v1/tokens", map[string]any{"user_id": u.ID, "expires_in_days": 7}, http.StatusCreated, &issued)
		if !strings.HasPrefix(issued.Token, "stk_") || issued.Info.ExpiresAt.Sub(issued.Info.CreatedAt) != 7*24*time.Hour {
			t.Fatalf("issued: got %+v", issued)
		}
		var me stakhanov.User
		e.as(issued.Token, "GET", "/api/v1/me", nil, http.StatusOK, &me)
		if me.ID != u.ID {
			t.Fatalf("me: got %+v", me)
		}
		e.do("GET", "/api/v1/users", issued.Token, nil).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")

		var users list[stakhanov.User]
		e.call("GET", "/api/v1/users?name=IVA", nil, http.StatusOK, &users)
		if users.Total != 1 || users.Items[0].Name != "ivan" {
			t.Fatalf("users named iva: got %+v", users)
		}
		e.call("POST", fmt.Sprintf("/api/v1/users/%d/disable", u.ID), map[string]any{"reason": "dismissed"}, http.StatusOK, &u)
		if !u.Disabled {
			t.Fatalf("disabled: got %+v", u)
		}
		res := e.do("GET", "/api/v1/me", issued.Token, nil)
		if apiErr := res.wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, ""); !strings.Contains(apiErr.Error.Message, "disabled") {
			t.Fatalf("a disabled account's token: got %q", apiErr.Error.Message)
		}
		e.call("POST", fmt.Sprintf("/api/v1/users/%d/enable", u.ID), map[string]any{}, http.StatusOK, &u)
		e.do("GET", "/api/v1/me", issued.Token, nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		e.call("POST", "/api/v1/tokens", map[string]any{"user_id": u.ID}, http.StatusCreated, &issued)
		e.as(issued.Token, "GET", "/api/v1/me", nil, http.StatusOK, nil)

		e.call("PUT", fmt.Sprintf("/api/v1/users/%d/role", u.ID), map[string]any{"role": "planner", "reason": "promoted"}, http.StatusOK, &u)
		e.call("PUT", fmt.Sprintf("/api/v1/users/%d/unit", u.ID), map[string]any{"unit_id": w.brigade.ID}, http.StatusOK, &u)
		if u.Role != "planner" || u.UnitID != w.brigade.ID {
			t.Fatalf("changed: got %+v", u)
		}
		var changes struct{ Items []stakhanov.AccountChange }
		e.call("GET", fmt.Sprintf("/api/v1/users/%d/changes", u.ID), nil, http.StatusOK, &changes)
		if len(changes.Items) != 4 || changes.Items[0].Reason != "dismissed" {
			t.Fatalf("changes: got %+v", changes.Items)
		}
		e.do("PUT", fmt.Sprintf("/api/v1/users/%d/role", u.ID), e.admin, map[string]any{"role": "tsar"}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "role")
		e.do("PUT", fmt.Sprintf("/api/v1/users/%d/unit", u.ID), e.admin, map[string]any{}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "unit_id")
		e.do("POST", "/api/v1/tokens", e.admin, map[string]any{"user_id": u.ID, "expires_in_days": 5000}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "expires_in_days")

		// Its own tokens: listed and revoked by it.
		var tokens list[stakhanov.Token]
		e.as(issued.Token, "GET", "/api/v1/tokens", nil, http.StatusOK, &tokens)
		if tokens.Total != 2 {
			t.Fatalf("its tokens: got %+v", tokens)
		}
		var revoked stakhanov.Token
		e.as(issued.Token, "POST", fmt.Sprintf("/api/v1/tokens/%d/revocation", tokens.Items[0].ID), nil, http.StatusOK, &revoked)
		if revoked.RevokedAt == nil {
			t.Fatalf("revoked: got %+v", revoked)
		}
		e.do("GET", "/api/v1/me", issued.Token, nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
	})
}

// TestRefusalsRecorded: a worker's refused write is kept, and an auditor
// reads it through the API; a worker may not read the events.
func TestRefusalsRecorded(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		_, worker := e.user("worker", stakhanov.RoleWorker, w.mine.ID, w.miner.ID)
		_, auditor := e.user("auditor", stakhanov.RoleAuditor, 0, 0)
		e.do("POST", "/api/v1/plans", worker, map[string]any{"unit_id": w.mine.ID, "good_id": w.coal.ID, "period": "month",
			"start": "1935-09-01", "quantity": 1, "reason": "x"}).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		var events list[stakhanov.SecurityEvent]
		e.as(auditor, "GET", "/api/v1/security-events?kind=forbidden", nil, http.StatusOK, &events)
		if events.Total != 1 || events.Items[0].Name != "worker" || events.Items[0].Method != "POST" || events.Items[0].Path != "/api/v1/plans" {
			t.Fatalf("refusals: got %+v", events)
		}
		e.do("GET", "/api/v1/security-events", worker, nil).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.as(auditor, "GET", "/api/v1/security-events?kind=forbidden", nil, http.StatusOK, &events)
		if events.Total != 2 {
			t.Fatalf("the worker's try to read the events is a refusal too: got %d", events.Total)
		}
	})
}

// TestStuckReview: a stage of four with a quorum of three where two must
// recuse says so at once over the API; with a chair, the chair decides.
func TestStuckReview(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		m1, _ := e.user("mine committee one", stakhanov.RoleCommittee, w.mine.ID, 0)
		m2, _ := e.user("mine committee two", stakhanov.RoleCommittee, w.mine.ID, 0)
		f1, f1Tok := e.user("free committee one", stakhanov.RoleCommittee, 0, 0)
		f2, _ := e.user("free committee two", stakhanov.RoleCommittee, 0, 0)
		_, nominator := e.user("nominator", stakhanov.RoleNominator, 0, 0)
		award := func(name string, chair int64) int64 {
			st := map[string]any{"name": "commission", "members": []int64{m1, m2, f1, f2}, "quorum": 3, "majority": 0.5}
			if chair != 0 {
				st["chair"] = chair
			}
			var a stakhanov.Award
			e.call("POST", "/api/v1/awards", map[string]any{"name": name, "kind": "order", "country": "Russia",
				"insignia":  map[string]any{"shape": "disc", "metal": "gold", "emblem": "star", "ribbon": []string{"#c8102e"}},
				"authority": "President", "established": "2000-01-01", "rules": map[string]any{"stages": []any{st}}}, http.StatusCreated, &a)
			return a.ID
		}
		nominate := func(awardID int64) int64 {
			var n stakhanov.Nomination
			e.as(nominator, "POST", "/api/v1/nominations", map[string]any{"award_id": awardID, "candidate": subject(w.miner), "source": "dossier",
				"dossier": "years of work"}, http.StatusCreated, &n)
			return n.ID
		}
		var st stakhanov.StageStanding
		stuck := nominate(award("Order of the stuck stage", 0))
		e.call("GET", fmt.Sprintf("/api/v1/nominations/%d/standing", stuck), nil, http.StatusOK, &st)
		if !st.Stuck || len(st.Eligible) != 2 || len(st.Recused) != 2 || st.WayOut == "" {
			t.Fatalf("stuck standing: got %+v", st)
		}
		chaired := nominate(award("Order with a chair", f1))
		st = stakhanov.StageStanding{}
		e.call("GET", fmt.Sprintf("/api/v1/nominations/%d/standing", chaired), nil, http.StatusOK, &st)
		if st.Stuck || !st.ChairDecides {
			t.Fatalf("chaired standing: got %+v", st)
		}
		var n stakhanov.Nomination
		e.as(f1Tok, "POST", fmt.Sprintf("/api/v1/nominations/%d/votes", chaired), map[string]any{"vote": "approve", "comment": ""}, http.StatusOK, &n)
		if n.State != stakhanov.NominationApproved {
			t.Fatalf("after the chair's vote: got %s", n.State)
		}
		e.do("POST", "/api/v1/awards", e.admin, map[string]any{"name": "Order of a bad chair", "kind": "order", "country": "Russia",
			"insignia":  map[string]any{"shape": "disc", "metal": "gold", "emblem": "star", "ribbon": []string{"#c8102e"}},
			"authority": "President", "established": "2000-01-01",
			"rules": map[string]any{"stages": []any{map[string]any{"name": "c", "members": []int64{f1}, "quorum": 1, "majority": 0.5, "chair": f2}}}}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "rules.stages[0].chair")
	})
}
