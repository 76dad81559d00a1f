package http_test

import (
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	stakhttp "github.com/stakhanov/stakhanov/http"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestHealthz(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		var got map[string]string
		res := e.do("GET", "/healthz", "", nil)
		res.want(t, http.StatusOK)
		res.decode(t, &got)
		if got["status"] != "ok" {
			t.Fatalf("healthz: got %v, want status ok", got)
		}
	})
}

func TestAuth(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		res := e.do("GET", "/api/v1/units", "", nil)
		res.wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		if got := res.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Fatalf("WWW-Authenticate: got %q, want a Bearer challenge", got)
		}
		e.do("POST", "/api/v1/goods", "", map[string]any{"name": "coal", "measure": "t"}).
			wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		e.do("GET", "/api/v1/units", e.admin+"x", nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		e.do("GET", "/api/v1/units", "stk_nonsense", nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")

		// Schemes other than Bearer are refused.
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Basic "+e.admin)
		raw, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw.Body.Close()
		if raw.StatusCode != http.StatusUnauthorized {
			t.Fatalf("Basic auth: got %d, want 401", raw.StatusCode)
		}

		// Public routes need no token, but a bad one is still refused.
		e.do("GET", "/api/v1/openapi.json", "", nil).want(t, http.StatusOK)
		e.do("GET", "/healthz", "stk_nonsense", nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")

		var me stakhanov.User
		e.call("GET", "/api/v1/me", nil, http.StatusOK, &me)
		if me.Name != "admin" || me.Role != stakhanov.RoleAdmin {
			t.Fatalf("me: got %+v, want the admin", me)
		}
		if strings.Contains(string(e.do("GET", "/api/v1/me", e.admin, nil).body), "scope") {
			t.Fatal("me: the scope path is internal and must not be shown")
		}
	})
}

func TestOrganisation(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		var unit stakhanov.Unit
		e.call("GET", fmt.Sprintf("/api/v1/units/%d", w.brigade.ID), nil, http.StatusOK, &unit)
		if unit.Name != "Stakhanov's brigade" || unit.ParentID != w.mine.ID || unit.Kind != stakhanov.UnitCollective || unit.Path != w.brigade.Path {
			t.Fatalf("brigade: got %+v", unit)
		}
		var units list[stakhanov.Unit]
		e.call("GET", fmt.Sprintf("/api/v1/units?within=%d", w.mine.ID), nil, http.StatusOK, &units)
		if units.Total != 2 || len(units.Items) != 2 || units.Items[0].ID != w.mine.ID {
			t.Fatalf("units within the mine: got %+v", units)
		}
		e.call("GET", "/api/v1/units?parent=0", nil, http.StatusOK, &units)
		if units.Total != 1 || units.Items[0].ID != w.ministry.ID {
			t.Fatalf("top-level units: got %+v", units)
		}
		e.call("GET", "/api/v1/units?kind=enterprise", nil, http.StatusOK, &units)
		if units.Total != 2 {
			t.Fatalf("enterprises: got %d, want 2", units.Total)
		}
		e.do("GET", "/api/v1/units/9999", e.admin, nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
		e.do("GET", "/api/v1/units/abc", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "id")

		var p stakhanov.Person
		e.call("GET", fmt.Sprintf("/api/v1/people/%d", w.miner.ID), nil, http.StatusOK, &p)
		if p.Name != "Alexei Stakhanov" || p.UnitID != w.brigade.ID || p.Profession != "hewer" || p.CreatedAt.IsZero() {
			t.Fatalf("miner: got %+v", p)
		}
		var people list[stakhanov.Person]
		e.call("GET", fmt.Sprintf("/api/v1/people?unit=%d", w.mine.ID), nil, http.StatusOK, &people)
		if people.Total != 3 {
			t.Fatalf("people of the mine: got %d, want 3", people.Total)
		}
		e.call("GET", "/api/v1/people?name=STAKHANOV", nil, http.StatusOK, &people)
		if people.Total != 1 || people.Items[0].ID != w.miner.ID {
			t.Fatalf("people named stakhanov: got %+v", people.Items)
		}

		var g stakhanov.Good
		e.call("GET", fmt.Sprintf("/api/v1/goods/%d", w.coal.ID), nil, http.StatusOK, &g)
		if g.Name != "coal" || g.Measure != "t" {
			t.Fatalf("coal: got %+v", g)
		}
		e.do("POST", "/api/v1/goods", e.admin, map[string]any{"name": "coal", "measure": "t"}).
			wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "name")
		e.do("POST", "/api/v1/units", e.admin, map[string]any{"kind": "galaxy", "name": "x"}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "kind")
		res := e.call("POST", "/api/v1/goods", map[string]any{"name": "ore", "measure": "t"}, http.StatusCreated, &g)
		if got, want := res.header.Get("Location"), fmt.Sprintf("/api/v1/goods/%d", g.ID); got != want {
			t.Fatalf("Location: got %q, want %q", got, want)
		}
	})
}

func TestNormsAndNeeds(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		var v2 stakhanov.Norm
		e.call("POST", "/api/v1/norms", map[string]any{
			"subject": subject(w.miner), "good_id": w.coal.ID, "amount": 9, "effective_from": "1936-01-01", "reason": "raised after the record",
		}, http.StatusCreated, &v2)
		if v2.Version != 2 || v2.Subject != stakhanov.PersonSubject(w.miner.ID) || v2.EffectiveFrom.String() != "1936-01-01" {
			t.Fatalf("second version: got %+v", v2)
		}
		var norms list[stakhanov.Norm]
		e.call("GET", "/api/v1/norms?subject="+subject(w.miner), nil, http.StatusOK, &norms)
		if norms.Total != 2 || norms.Items[0].Amount != 7 || norms.Items[1].Amount != 9 {
			t.Fatalf("norm history: got %+v", norms.Items)
		}
		for on, want := range map[string]float64{"1935-08-31": 7, "1936-06-01": 9} {
			e.call("GET", fmt.Sprintf("/api/v1/norms?subject=%s&good=%d&on=%s", subject(w.miner), w.coal.ID, on), nil, http.StatusOK, &norms)
			if norms.Total != 1 || norms.Items[0].Amount != want {
				t.Fatalf("norm in force on %s: got %+v, want %g", on, norms.Items, want)
			}
		}
		e.do("POST", "/api/v1/norms", e.admin, map[string]any{
			"subject": "person:x", "good_id": w.coal.ID, "amount": 9, "effective_from": "1936-01-01", "reason": "r",
		}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "subject")
		e.do("POST", "/api/v1/norms", e.admin, map[string]any{
			"subject": subject(w.miner), "good_id": w.coal.ID, "amount": 9, "effective_from": "1 Jan 1936", "reason": "r",
		}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "effective_from")
		e.do("POST", "/api/v1/norms", e.admin, map[string]any{
			"subject": subject(w.miner), "good_id": w.coal.ID, "amount": 9, "effective_from": "1936-01-01",
		}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "reason")

		var need stakhanov.Need
		e.call("POST", "/api/v1/needs", map[string]any{
			"unit_id": w.factory.ID, "good_id": w.coal.ID, "from": "1935-09-01", "to": "1935-09-30", "quantity": 5000, "note": "furnaces",
		}, http.StatusCreated, &need)
		if need.ID == 0 || need.Quantity != 5000 || need.To.String() != "1935-09-30" {
			t.Fatalf("need: got %+v", need)
		}
		var needs list[stakhanov.Need]
		e.call("GET", fmt.Sprintf("/api/v1/needs?unit=%d&from=1935-09-15&to=1935-10-15", w.factory.ID), nil, http.StatusOK, &needs)
		if needs.Total != 1 || needs.Items[0].Note != "furnaces" {
			t.Fatalf("needs: got %+v", needs)
		}
		e.call("GET", "/api/v1/needs?from=1935-10-01", nil, http.StatusOK, &needs)
		if needs.Total != 0 {
			t.Fatalf("needs after September: got %d, want 0", needs.Total)
		}
		e.do("GET", "/api/v1/needs?from=1935-10-01&to=1935-09-01", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "to")
	})
}

// reportResult is the answer to a single report.
type reportResult struct {
	Report     stakhanov.Report           `json:"report"`
	Fulfilment stakhanov.ReportFulfilment `json:"fulfilment"`
	Created    *bool                      `json:"created"`
}

type batchResult struct {
	Reports []stakhanov.Report `json:"reports"`
	Created []bool             `json:"created"`
}

// TestRecordWithHelpers replays 31 August 1935: 102 t in one shift against
// a norm of 7 t, with two helpers. The team of three shares the output, so
// the hewer is credited 34 t (485.71%), not the claimed 1457.14%.
func TestRecordWithHelpers(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		body := report(w, w.miner, "1935-08-31", 1, 102, "irmino/1935-08-31/1")
		body["minutes"] = 345
		body["helpers"] = []map[string]any{{"person_id": w.helper1.ID}, {"person_id": w.helper2.ID}}
		var got reportResult
		res := e.call("POST", "/api/v1/reports", body, http.StatusCreated, &got)
		if got.Created == nil || !*got.Created {
			t.Fatalf("created: got %s, want true", res.body)
		}
		if got, want := res.header.Get("Location"), fmt.Sprintf("/api/v1/reports/%d", got.Report.ID); got != want {
			t.Fatalf("Location: got %q, want %q", got, want)
		}
		checkRecord := func(r stakhanov.Report, f stakhanov.ReportFulfilment) {
			t.Helper()
			if r.ID == 0 || r.Produced != 102 || r.Minutes != 345 || len(r.Helpers) != 2 || !near(r.SubjectShare, 1.0/3) || r.ReporterID == 0 {
				t.Fatalf("report: got %+v", r)
			}
			if f.ReportID != r.ID || f.Team != 3 || f.Norm != 7 || !near(f.Credited, 34) {
				t.Fatalf("fulfilment: got %+v, want team 3, norm 7, credited 34", f)
			}
			if f.Percent == nil || !near(*f.Percent, 34.0/7*100) || f.ReportedPercent == nil || !near(*f.ReportedPercent, 102.0/7*100) {
				t.Fatalf("fulfilment percent: got %v, %v, want 485.71..., 1457.14...", f.Percent, f.ReportedPercent)
			}
		}
		checkRecord(got.Report, got.Fulfilment)
		if math.Abs(*got.Fulfilment.Percent-485.714) > 0.001 || math.Abs(*got.Fulfilment.ReportedPercent-1457.143) > 0.001 {
			t.Fatalf("percent: got %g and %g", *got.Fulfilment.Percent, *got.Fulfilment.ReportedPercent)
		}

		var again reportResult
		e.call("GET", fmt.Sprintf("/api/v1/reports/%d", got.Report.ID), nil, http.StatusOK, &again)
		checkRecord(again.Report, again.Fulfilment)
		if again.Created != nil {
			t.Fatal("GET /reports/{id} says created: only POST answers that")
		}

		// Each member of the team is credited a third.
		for _, p := range []stakhanov.Person{w.miner, w.helper1, w.helper2} {
			var f stakhanov.Fulfilment
			e.call("GET", fmt.Sprintf("/api/v1/fulfilment?subject=%s&good=%d&period=month&from=1935-08-01&to=1935-08-31", subject(p), w.coal.ID), nil, http.StatusOK, &f)
			if len(f.Rows) != 1 || f.Rows[0].Period != "1935-08" || !near(f.Rows[0].Accepted, 34) || f.Rows[0].Norm != 7 {
				t.Fatalf("%s's fulfilment: got %+v, want 34 t over 7", p.Name, f.Rows)
			}
		}
		// The brigade has no norm of its own: its members' norms add up.
		var f stakhanov.Fulfilment
		e.call("GET", fmt.Sprintf("/api/v1/fulfilment?subject=unit:%d", w.brigade.ID), nil, http.StatusOK, &f)
		if len(f.Rows) != 1 || !near(f.Rows[0].Accepted, 102) || f.Rows[0].Norm != 21 || f.Period != stakhanov.PeriodShift {
			t.Fatalf("brigade's fulfilment: got %+v, want 102 t over 21", f)
		}
		e.do("GET", "/api/v1/fulfilment", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "subject")
		e.do("GET", "/api/v1/fulfilment?subject=unit:1&period=decade", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "period")
	})
}

func TestReportReplay(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		body := report(w, w.miner, "1935-08-30", 1, 8, "same-key")
		var first, replay reportResult
		e.call("POST", "/api/v1/reports", body, http.StatusCreated, &first)
		e.call("POST", "/api/v1/reports", body, http.StatusOK, &replay)
		if replay.Created == nil || *replay.Created || replay.Report.ID != first.Report.ID {
			t.Fatalf("replay: got created %v, id %d, want not created, id %d", replay.Created, replay.Report.ID, first.Report.ID)
		}
		if !near(*replay.Fulfilment.Percent, 8.0/7*100) {
			t.Fatalf("replay's fulfilment: got %+v", replay.Fulfilment)
		}
		clash := report(w, w.miner, "1935-08-30", 1, 9, "same-key")
		e.do("POST", "/api/v1/reports", e.admin, clash).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "key")
		var reports list[stakhanov.Report]
		e.call("GET", "/api/v1/reports", nil, http.StatusOK, &reports)
		if reports.Total != 1 {
			t.Fatalf("reports: got %d, want 1", reports.Total)
		}
	})
}

// A second report for a shift: 409, naming the current report in the
// message and in error.report; without a key, the same figures are a
// replay.
func TestSecondReportForShift(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		var first reportResult
		body := report(w, w.miner, "1935-08-30", 1, 8, "")
		delete(body, "key")
		e.call("POST", "/api/v1/reports", body, http.StatusCreated, &first)
		id := first.Report.ID
		for _, key := range []string{"", "another-entry"} {
			second := report(w, w.miner, "1935-08-30", 1, 7.33, key)
			if key == "" {
				delete(second, "key")
			}
			got := e.do("POST", "/api/v1/reports", e.admin, second).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "shift")
			if got.Error.Report != id || !strings.Contains(got.Error.Message, fmt.Sprintf("report %d", id)) ||
				!strings.Contains(got.Error.Message, "Alexei Stakhanov") || !strings.Contains(got.Error.Message, fmt.Sprintf(`"corrects": %d`, id)) {
				t.Fatalf("second report: got %+v, want report %d named, with how to correct it", got.Error, id)
			}
		}
		var replay reportResult
		e.call("POST", "/api/v1/reports", body, http.StatusOK, &replay)
		if replay.Created == nil || *replay.Created || replay.Report.ID != id {
			t.Fatalf("replay without a key: got created %v, id %d, want the first, %d", replay.Created, replay.Report.ID, id)
		}
		// A correction replaces it; correcting it again names the correction.
		fix := report(w, w.miner, "1935-08-30", 1, 7.33, "")
		fix["corrects"] = id
		var fixed reportResult
		e.call("POST", "/api/v1/reports", fix, http.StatusCreated, &fixed)
		got := e.do("POST", "/api/v1/reports", e.admin, map[string]any{"subject": subject(w.miner), "good_id": w.coal.ID,
			"date": "1935-08-30", "shift": 1, "produced": 6, "accepted": 6, "corrects": id}).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "corrects")
		if got.Error.Report != fixed.Report.ID {
			t.Fatalf("correction of a corrected report: got %+v, want report %d named", got.Error, fixed.Report.ID)
		}
		var old reportResult
		e.call("GET", fmt.Sprintf("/api/v1/reports/%d", id), nil, http.StatusOK, &old)
		if old.Report.SupersededBy != fixed.Report.ID || old.Report.CorrectedBy != fixed.Report.ID {
			t.Fatalf("corrected report: got %+v", old.Report)
		}
		// A batch with one shift twice is refused whole.
		e.do("POST", "/api/v1/reports", e.admin, map[string]any{"reports": []any{
			report(w, w.miner, "1935-09-01", 1, 8, "a"),
			report(w, w.miner, "1935-09-01", 1, 8, "b"),
		}}).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "reports[1].shift")
	})
}

func TestReportBatch(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		bad := report(w, w.miner, "1935-08-30", 9, 8, "b3")
		e.do("POST", "/api/v1/reports", e.admin, map[string]any{"reports": []any{
			report(w, w.miner, "1935-08-28", 1, 8, "b1"),
			report(w, w.miner, "1935-08-29", 1, 8, "b2"),
			bad,
		}}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "reports[2].shift")
		var reports list[stakhanov.Report]
		e.call("GET", "/api/v1/reports", nil, http.StatusOK, &reports)
		if reports.Total != 0 {
			t.Fatalf("a refused batch wrote %d reports", reports.Total)
		}
		// Errors the API finds itself name the report too.
		e.do("POST", "/api/v1/reports", e.admin, map[string]any{"reports": []any{
			report(w, w.miner, "1935-08-28", 1, 8, "b1"),
			map[string]any{"subject": subject(w.miner), "date": "31.08.1935"},
		}}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "reports[1].date")
		e.do("POST", "/api/v1/reports", e.admin, map[string]any{"reports": []any{
			report(w, w.miner, "1935-08-28", 1, 8, "b1"),
			map[string]any{"produced": "lots"},
		}}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "reports[1].produced")
		e.do("POST", "/api/v1/reports", e.admin, map[string]any{"reports": []any{map[string]any{"colour": "red"}}}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "reports[0].colour")
		e.do("POST", "/api/v1/reports", e.admin, map[string]any{"reports": []any{bad}}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "reports[0].shift")
		e.do("POST", "/api/v1/reports", e.admin, map[string]any{"reports": []any{}}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "reports")
		e.do("POST", "/api/v1/reports", e.admin, map[string]any{"reports": []any{}, "subject": subject(w.miner)}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "subject")

		good := map[string]any{"reports": []any{
			report(w, w.miner, "1935-08-28", 1, 8, "b1"),
			report(w, w.helper1, "1935-08-28", 1, 7, "b2"),
		}}
		var got batchResult
		e.call("POST", "/api/v1/reports", good, http.StatusCreated, &got)
		if len(got.Reports) != 2 || got.Created[0] != true || got.Created[1] != true || got.Reports[1].ID == 0 {
			t.Fatalf("batch: got %+v", got)
		}
		var replay batchResult
		e.call("POST", "/api/v1/reports", good, http.StatusOK, &replay)
		if replay.Created[0] || replay.Created[1] || replay.Reports[0].ID != got.Reports[0].ID {
			t.Fatalf("replayed batch: got %+v", replay)
		}
		// Part replay, part new: something was written.
		more := map[string]any{"reports": []any{
			report(w, w.miner, "1935-08-28", 1, 8, "b1"),
			report(w, w.miner, "1935-08-29", 1, 9, "b3"),
		}}
		e.call("POST", "/api/v1/reports", more, http.StatusCreated, &got)
		if got.Created[0] || !got.Created[1] {
			t.Fatalf("mixed batch: got created %v, want [false true]", got.Created)
		}
		e.call("GET", "/api/v1/reports", nil, http.StatusOK, &reports)
		if reports.Total != 3 {
			t.Fatalf("reports: got %d, want 3", reports.Total)
		}
	})
}

func TestCorrections(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		var orig, fix reportResult
		e.call("POST", "/api/v1/reports", report(w, w.miner, "1935-08-30", 1, 20, "orig"), http.StatusCreated, &orig)
		body := report(w, w.miner, "1935-08-30", 1, 14, "fix")
		body["corrects"] = orig.Report.ID
		e.call("POST", "/api/v1/reports", body, http.StatusCreated, &fix)
		var reports list[stakhanov.Report]
		e.call("GET", "/api/v1/reports?status=current", nil, http.StatusOK, &reports)
		if reports.Total != 1 || reports.Items[0].ID != fix.Report.ID {
			t.Fatalf("current reports: got %+v", reports.Items)
		}
		e.call("GET", "/api/v1/reports?status=corrected", nil, http.StatusOK, &reports)
		if reports.Total != 1 || reports.Items[0].CorrectedBy != fix.Report.ID {
			t.Fatalf("corrected reports: got %+v", reports.Items)
		}
		var old reportResult
		e.call("GET", fmt.Sprintf("/api/v1/reports/%d", orig.Report.ID), nil, http.StatusOK, &old)
		if !old.Fulfilment.Superseded || old.Report.Accepted != 20 {
			t.Fatalf("corrected report: got %+v", old)
		}
		e.do("GET", "/api/v1/reports?status=lost", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "status")
	})
}

func TestScope(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		foreman := e.token("mine-foreman", stakhanov.RoleForeman, w.mine.ID)
		worker := e.token("worker", stakhanov.RoleWorker, w.brigade.ID)

		// The mine's foreman reports for the mine's people...
		e.do("POST", "/api/v1/reports", foreman, report(w, w.miner, "1935-08-30", 1, 8, "k1")).want(t, http.StatusCreated)
		// ...not for the factory's, alone or in a batch.
		turner := map[string]any{"subject": subject(w.turner), "good_id": w.parts.ID, "date": "1935-08-30", "shift": 1,
			"produced": 50, "accepted": 50, "key": "k2"}
		e.do("POST", "/api/v1/reports", foreman, turner).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", "/api/v1/reports", foreman, map[string]any{"reports": []any{report(w, w.miner, "1935-08-31", 1, 8, "k3"), turner}}).
			wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		// A worker reports nothing; a foreman sets no norms and makes no units.
		e.do("POST", "/api/v1/reports", worker, report(w, w.miner, "1935-08-30", 2, 8, "k4")).
			wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", "/api/v1/norms", foreman, map[string]any{
			"subject": subject(w.miner), "good_id": w.coal.ID, "amount": 7, "effective_from": "1935-01-01", "reason": "x",
		}).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", "/api/v1/units", foreman, map[string]any{"parent_id": w.mine.ID, "kind": "collective", "name": "x"}).
			wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		// Anyone signed in reads.
		var reports list[stakhanov.Report]
		res := e.do("GET", "/api/v1/reports", worker, nil)
		res.want(t, http.StatusOK)
		res.decode(t, &reports)
		if reports.Total != 1 {
			t.Fatalf("reports after refusals: got %d, want 1", reports.Total)
		}
	})
}

func TestBadRequests(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		post := func(path, body string) *response { return e.do("POST", path, e.admin, body) }
		const good = `{"name": "ore", "measure": "t"}`

		unknown := post("/api/v1/goods", `{"name": "ore", "measure": "t", "colour": "red"}`).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "colour")
		if !strings.Contains(unknown.Error.Message, "colour") {
			t.Fatalf("unknown field: message %q does not name it", unknown.Error.Message)
		}
		post("/api/v1/goods", `{"name": 12, "measure": "t"}`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "name")
		post("/api/v1/people", `{"unit_id": "one", "name": "x"}`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "unit_id")
		body := fmt.Sprintf(`{"subject": "%s", "good_id": %d, "date": "1935-08-30", "shift": 1.5, "produced": 1, "accepted": 1, "key": "k"}`, subject(w.miner), w.coal.ID)
		post("/api/v1/reports", body).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "shift")
		body = fmt.Sprintf(`{"subject": "%s", "good_id": %d, "date": "1935-08-30", "shift": 1, "produced": 1, "accepted": 1, "key": "k",
			"helpers": [{"person_id": "two"}]}`, subject(w.miner), w.coal.ID)
		post("/api/v1/reports", body).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "helpers[0].person_id")
		post("/api/v1/reports", `{"date": "yesterday"}`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "date")
		post("/api/v1/reports", `{"id": 5}`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "id")

		post("/api/v1/goods", ``).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")
		post("/api/v1/goods", `null`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")
		post("/api/v1/goods", `["ore"]`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")
		post("/api/v1/goods", `{"name": "ore",`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")
		post("/api/v1/goods", `{"name": "ore" "measure": "t"}`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")
		post("/api/v1/goods", good+` {"name": "ore2", "measure": "t"}`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")
		post("/api/v1/goods", good+`x`).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")
		var goods list[stakhanov.Good]
		res := e.do("GET", "/api/v1/goods?name=ore", e.admin, nil)
		res.want(t, http.StatusOK)
		res.decode(t, &goods)
		if goods.Total != 0 {
			t.Fatalf("a refused body wrote %d goods", goods.Total)
		}
		post("/api/v1/goods", good+"\n").want(t, http.StatusCreated)

		for _, tc := range []struct{ path, field string }{
			{"/api/v1/reports?subject=foo", "subject"},
			{"/api/v1/reports?subject=person:0", "subject"},
			{"/api/v1/reports?from=not-a-date", "from"},
			{"/api/v1/reports?to=1935-02-30", "to"},
			{"/api/v1/reports?good=coal", "good"},
			{"/api/v1/reports?limit=abc", "limit"},
			{"/api/v1/reports?limit=0", "limit"},
			{"/api/v1/reports?limit=1001", "limit"},
			{"/api/v1/reports?offset=-1", "offset"},
			{"/api/v1/reports?subjcet=person:1", "subjcet"},
			{"/api/v1/reports?unit=1&unit=2", "unit"},
			{"/api/v1/units?kind=galaxy", "kind"},
			{"/api/v1/units?parent=-1", "parent"},
			{"/api/v1/norms?on=1935", "on"},
			{"/api/v1/fulfilment?subject=person:1&from=1935-09-01&to=1935-08-01", "to"},
		} {
			e.do("GET", tc.path, e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, tc.field)
		}
	})
}

func TestBodyTooLarge(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			e := newEnv(t, b.open(t), stakhttp.Config{MaxBodyBytes: 256})
			big := fmt.Sprintf(`{"name": "ore", "measure": %q}`, strings.Repeat("t", 300))
			e.do("POST", "/api/v1/goods", e.admin, big).wantError(t, http.StatusRequestEntityTooLarge, stakhanov.ETOOLARGE, "")
			// Past the limit only in trailing data: still too large.
			e.do("POST", "/api/v1/goods", e.admin, `{"name": "ore", "measure": "t"}`+strings.Repeat(" ", 300)).
				wantError(t, http.StatusRequestEntityTooLarge, stakhanov.ETOOLARGE, "")
			e.do("POST", "/api/v1/goods", e.admin, `{"name": "ore", "measure": "t"}`).want(t, http.StatusCreated)
		})
	}
}

func TestPagination(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		var ids []int64
		for i := range 5 {
			var g stakhanov.Good
			e.call("POST", "/api/v1/goods", map[string]any{"name": fmt.Sprintf("good %d", i), "measure": "pieces"}, http.StatusCreated, &g)
			ids = append(ids, g.ID)
		}
		var page list[stakhanov.Good]
		e.call("GET", "/api/v1/goods?offset=1&limit=2", nil, http.StatusOK, &page)
		if page.Total != 5 || page.Offset != 1 || page.Limit != 2 || len(page.Items) != 2 || page.Items[0].ID != ids[1] || page.Items[1].ID != ids[2] {
			t.Fatalf("page: got %+v, want goods %v of 5", page, ids[1:3])
		}
		e.call("GET", "/api/v1/goods?offset=4&limit=2", nil, http.StatusOK, &page)
		if page.Total != 5 || len(page.Items) != 1 || page.Items[0].ID != ids[4] {
			t.Fatalf("last page: got %+v", page)
		}
		res := e.call("GET", "/api/v1/goods?offset=10", nil, http.StatusOK, &page)
		if page.Total != 5 || len(page.Items) != 0 || page.Limit != stakhanov.DefaultLimit || !strings.Contains(string(res.body), `"items":[]`) {
			t.Fatalf("past the end: got %s", res.body)
		}
	})
}

type leaderboard struct {
	UnitID int64          `json:"unit_id"`
	GoodID int64          `json:"good_id"`
	From   stakhanov.Date `json:"from"`
	To     stakhanov.Date `json:"to"`
	Items  []struct {
		Rank     int              `json:"rank"`
		Person   stakhanov.Person `json:"person"`
		Shifts   int              `json:"shifts"`
		Accepted float64          `json:"accepted"`
		Norm     float64          `json:"norm"`
		Percent  float64          `json:"percent"`
	} `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

func TestLeaderboard(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		record := report(w, w.miner, "1935-08-31", 1, 102, "record")
		record["helpers"] = []map[string]any{{"person_id": w.helper1.ID}}
		e.call("POST", "/api/v1/reports", map[string]any{"reports": []any{
			record, // 51 t each for the miner and helper1
			report(w, w.helper1, "1935-08-30", 1, 14, "h1"),
			report(w, w.helper2, "1935-08-30", 1, 14, "h2"),
			report(w, w.helper2, "1935-09-01", 1, 70, "outside the window"),
		}}, http.StatusCreated, nil)
		var lb leaderboard
		path := fmt.Sprintf("/api/v1/leaderboard?unit=%d&good=%d&from=1935-08-01&to=1935-08-31", w.mine.ID, w.coal.ID)
		e.call("GET", path, nil, http.StatusOK, &lb)
		if lb.Total != 3 || len(lb.Items) != 3 || lb.From.String() != "1935-08-01" || lb.UnitID != w.mine.ID {
			t.Fatalf("leaderboard: got %+v", lb)
		}
		first, second, third := lb.Items[0], lb.Items[1], lb.Items[2]
		if first.Rank != 1 || first.Person.ID != w.miner.ID || !near(first.Accepted, 51) || first.Norm != 7 || !near(first.Percent, 51.0/7*100) {
			t.Fatalf("first: got %+v, want the miner at 51 t over 7", first)
		}
		if second.Rank != 2 || second.Person.ID != w.helper1.ID || !near(second.Accepted, 65) || second.Norm != 14 || second.Shifts != 2 {
			t.Fatalf("second: got %+v, want helper1 at 65 t over 14", second)
		}
		if third.Rank != 3 || third.Person.ID != w.helper2.ID || !near(third.Percent, 200) {
			t.Fatalf("third: got %+v, want helper2 at 200%%", third)
		}
		e.call("GET", path+"&offset=1&limit=1", nil, http.StatusOK, &lb)
		if lb.Total != 3 || len(lb.Items) != 1 || lb.Items[0].Rank != 2 {
			t.Fatalf("leaderboard page: got %+v", lb)
		}
		// The factory has nobody with a coal norm.
		e.call("GET", fmt.Sprintf("/api/v1/leaderboard?unit=%d&good=%d&from=1935-08-01&to=1935-08-31", w.factory.ID, w.coal.ID), nil, http.StatusOK, &lb)
		if lb.Total != 0 || lb.Items == nil {
			t.Fatalf("factory's leaderboard: got %+v, want empty", lb)
		}
		// Without a window, the current period by the server's clock.
		e.call("GET", fmt.Sprintf("/api/v1/leaderboard?unit=%d&good=%d&period=year", w.mine.ID, w.coal.ID), nil, http.StatusOK, &lb)
		if lb.Total != 0 || lb.From.Month() != time.January || lb.To.String()[5:] != "12-31" {
			t.Fatalf("this year's leaderboard: got %+v", lb)
		}
		e.do("GET", "/api/v1/leaderboard?good=1", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "unit")
		e.do("GET", fmt.Sprintf("/api/v1/leaderboard?unit=%d", w.mine.ID), e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "good")
		e.do("GET", path+"&period=month", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "period")
		e.do("GET", fmt.Sprintf("/api/v1/leaderboard?unit=%d&good=%d&from=1935-08-01", w.mine.ID, w.coal.ID), e.admin, nil).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "to")
		e.do("GET", fmt.Sprintf("/api/v1/leaderboard?unit=9999&good=%d", w.coal.ID), e.admin, nil).
			wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
	})
}

func TestNoRoute(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		e.do("GET", "/api/v1/nowhere", e.admin, nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
		res := e.do("DELETE", "/api/v1/units", e.admin, nil)
		res.wantError(t, http.StatusMethodNotAllowed, "method_not_allowed", "")
		if allow := res.header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "POST") {
			t.Fatalf("Allow: got %q, want GET and POST", allow)
		}
	})
}
