package http_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// personToken creates a user tied to a person and returns a token for it.
func (e *env) personToken(name, role string, unitID, personID int64) string {
	e.t.Helper()
	u := &stakhanov.User{Name: name, Role: role, UnitID: unitID, PersonID: personID}
	if err := e.store.CreateUser(system, u); err != nil {
		e.t.Fatalf("create user %s: %v", name, err)
	}
	tok, err := e.store.CreateToken(system, u.ID)
	if err != nil {
		e.t.Fatalf("create token for %s: %v", name, err)
	}
	return tok
}

func TestUnitHidesRanks(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		e.call("POST", "/api/v1/reports", map[string]any{"reports": []any{
			report(w, w.miner, "1935-08-30", 1, 102, "m"),
			report(w, w.helper1, "1935-08-30", 1, 14, "h1"),
			report(w, w.helper2, "1935-08-30", 1, 7, "h2"),
		}}, http.StatusCreated, nil)
		settings := func(u stakhanov.Unit) string { return fmt.Sprintf("/api/v1/units/%d/settings", u.ID) }
		board := func(u stakhanov.Unit) string {
			return fmt.Sprintf("/api/v1/leaderboard?unit=%d&good=%d&from=1935-08-01&to=1935-08-31", u.ID, w.coal.ID)
		}
		mustHide := func(u stakhanov.Unit, want bool) {
			t.Helper()
			var got stakhanov.Unit
			e.call("GET", fmt.Sprintf("/api/v1/units/%d", u.ID), nil, http.StatusOK, &got)
			if got.HidesRanks != want {
				t.Fatalf("%s: hide_ranks %v, want %v", u.Name, got.HidesRanks, want)
			}
		}
		mustHide(w.brigade, false)

		// Bad bodies.
		e.do("PUT", settings(w.brigade), e.admin, `{}`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "hide_ranks")
		e.do("PUT", settings(w.brigade), e.admin, `{"hide_ranks": "yes"}`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "hide_ranks")
		e.do("PUT", settings(w.brigade), e.admin, `{"hide_ranks": true, "rank": 1}`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")
		e.do("PUT", "/api/v1/units/9999/settings", e.admin, `{"hide_ranks": true}`).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
		// Who may.
		foreman := e.token("foreman", stakhanov.RoleForeman, w.mine.ID)
		e.do("PUT", settings(w.brigade), foreman, `{"hide_ranks": true}`).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		plantPlanner := e.token("plant-planner", stakhanov.RolePlanner, w.factory.ID)
		e.do("PUT", settings(w.brigade), plantPlanner, `{"hide_ranks": true}`).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("PUT", settings(w.brigade), "", `{"hide_ranks": true}`).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		mustHide(w.brigade, false)

		planner := e.token("mine-planner", stakhanov.RolePlanner, w.mine.ID)
		res := e.do("PUT", settings(w.brigade), planner, `{"hide_ranks": true}`)
		res.want(t, http.StatusOK)
		var u stakhanov.Unit
		res.decode(t, &u)
		if u.ID != w.brigade.ID || !u.HidesRanks {
			t.Fatalf("PUT settings: got %+v", u)
		}
		mustHide(w.brigade, true)
		mustHide(w.mine, false)

		worker := e.personToken("helper1", stakhanov.RoleWorker, w.brigade.ID, w.helper1.ID)
		turner := e.personToken("turner", stakhanov.RoleWorker, w.factory.ID, w.turner.ID)
		auditor := e.token("auditor", stakhanov.RoleAuditor, 0)
		get := func(token, path string) (leaderboard, string) {
			t.Helper()
			res := e.do("GET", path, token, nil)
			res.want(t, http.StatusOK)
			var lb leaderboard
			res.decode(t, &lb)
			return lb, string(res.body)
		}
		for _, unit := range []stakhanov.Unit{w.brigade, w.mine} {
			// Admin, planner and auditor see the whole board, told that
			// ranks are hidden.
			for _, tok := range []string{e.admin, planner, auditor} {
				lb, body := get(tok, board(unit))
				if lb.Total != 3 || lb.Items[0].Rank != 1 || lb.Items[0].Person.ID != w.miner.ID || !strings.Contains(body, `"ranks_hidden":true`) {
					t.Fatalf("%s, full board: got %s", unit.Name, body)
				}
			}
			// A worker sees only their own row, without a rank.
			lb, body := get(worker, board(unit))
			if lb.Total != 1 || len(lb.Items) != 1 || lb.Items[0].Person.ID != w.helper1.ID || !near(lb.Items[0].Percent, 200) ||
				strings.Contains(body, `"rank"`) || !strings.Contains(body, `"ranks_hidden":true`) {
				t.Fatalf("%s, worker's board: got %s", unit.Name, body)
			}
			// Someone not on the board sees nothing of it.
			lb, body = get(turner, board(unit))
			if lb.Total != 0 || len(lb.Items) != 0 {
				t.Fatalf("%s, turner's board: got %s", unit.Name, body)
			}
			// A caller with no person is refused, saying why.
			er := e.do("GET", board(unit), foreman, nil).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
			if !strings.Contains(er.Error.Message, "hide ranks") {
				t.Fatalf("403 message: %q", er.Error.Message)
			}
		}
		// The factory's board ranks nobody from the brigade: not hidden.
		lb, body := get(foreman, board(w.factory))
		if lb.Total != 0 || !strings.Contains(body, `"ranks_hidden":false`) {
			t.Fatalf("factory board: got %s", body)
		}

		// Shown again: the worker sees every rank.
		e.call("PUT", settings(w.brigade), map[string]any{"hide_ranks": false}, http.StatusOK, &u)
		if u.HidesRanks {
			t.Fatalf("after showing: got %+v", u)
		}
		lb, body = get(worker, board(w.brigade))
		if lb.Total != 3 || lb.Items[1].Rank != 2 || lb.Items[1].Person.ID != w.helper1.ID || !strings.Contains(body, `"ranks_hidden":false`) {
			t.Fatalf("board shown again: got %s", body)
		}
	})
}
