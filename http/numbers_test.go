package http_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// extremes are numbers a client may send where a number is expected. Each
// must be refused with a 400 naming the field, or accepted when it is a
// legitimate value; never a 500, never a non-finite or huge figure stored.
var extremes = []string{
	"1e308", "-1e308", "1.7976931348623157e308", "-0", "-0.0", "1e-320", "5e-324", "1e-999", "0e99999",
	"1e999", "-1e999", "1E+400", "1e9223372036854775807", "1e-9223372036854775808",
	"1" + strings.Repeat("0", 400), "-1" + strings.Repeat("0", 400), "0." + strings.Repeat("0", 400) + "1",
	"9223372036854775808", "-9223372036854775809", "1e15",
	"NaN", "-NaN", "Infinity", "-Infinity", "Inf", "+1", "0x10", "1_000", "01", `"NaN"`, `"1e308"`, "true", "null",
}

// legit lists, per field, the extremes that are ordinary values there and
// the value each must be stored as; every other extreme is refused.
type legit map[string]float64

// zeroes are the extremes that are 0 exactly, or round to it.
var zeroes = legit{"-0": 0, "-0.0": 0, "1e-999": 0, "0e99999": 0, "1e-9223372036854775808": 0, "0." + strings.Repeat("0", 400) + "1": 0}

// null leaves a field at its zero value in a new record, and a rule at the
// value in force in a PUT.
func null(v float64) legit { return legit{"null": v} }

func with(base legit, more legit) legit {
	out := legit{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// probe is one numeric field of one request body: body holds %s where the
// number goes.
type probe struct {
	method, path, body, field string
	ok                        legit
	// got reads the stored value of the field from a 2xx answer.
	got func(t *testing.T, body []byte) float64
}

func TestExtremeNumbers(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		miner, turner := subject(w.miner), subject(w.turner)
		day := 0
		// next gives each accepted report a shift of its own.
		next := func() string { day++; return stakhanov.NewDate(2000, 1, 1).AddDays(day).String() }
		reportBody := func(field string) string {
			vals := map[string]string{"good_id": fmt.Sprint(w.coal.ID), "shift": "1", "minutes": "360", "produced": "10", "accepted": "0"}
			vals[field] = "%s"
			return fmt.Sprintf(`{"subject":%q,"good_id":%s,"date":"DATE","shift":%s,"minutes":%s,"produced":%s,"accepted":%s,"key":"KEY"}`,
				miner, vals["good_id"], vals["shift"], vals["minutes"], vals["produced"], vals["accepted"])
		}
		field := func(name string) func(t *testing.T, body []byte) float64 {
			return func(t *testing.T, body []byte) float64 {
				var m map[string]any
				if err := json.Unmarshal(body, &m); err != nil {
					t.Fatalf("decode %s: %v", body, err)
				}
				if r, ok := m["reports"].([]any); ok {
					m = r[0].(map[string]any)
				}
				if r, ok := m["report"].(map[string]any); ok {
					m = r
				}
				v, _ := m[name].(float64)
				return v
			}
		}
		plaus := fmt.Sprintf("/api/v1/goods/%d/plausibility", w.parts.ID)
		probes := []probe{
			{"POST", "/api/v1/reports", reportBody("produced"), "produced", with(zeroes, legit{"1e-320": 1e-320, "5e-324": 5e-324, "null": 0}), field("produced")},
			{"POST", "/api/v1/reports", reportBody("accepted"), "accepted", with(zeroes, legit{"1e-320": 1e-320, "5e-324": 5e-324, "null": 0}), field("accepted")},
			{"POST", "/api/v1/reports", reportBody("shift"), "shift", nil, nil},
			{"POST", "/api/v1/reports", reportBody("minutes"), "minutes", legit{"-0": 0, "null": 0}, field("minutes")},
			{"POST", "/api/v1/reports", reportBody("good_id"), "good_id", nil, nil},
			{"POST", "/api/v1/reports", fmt.Sprintf(`{"subject":%q,"good_id":%d,"date":"DATE","shift":1,"produced":10,"accepted":10,"key":"KEY","helpers":[{"person_id":%d,"share":%%s}]}`,
				miner, w.coal.ID, w.helper1.ID), "helpers[0].share", legit{"null": 0, "1e-320": 1e-320, "5e-324": 5e-324}, nil},
			{"POST", "/api/v1/reports", fmt.Sprintf(`{"subject":%q,"good_id":%d,"date":"DATE","shift":1,"produced":10,"accepted":10,"key":"KEY","witnesses":[%%s]}`,
				miner, w.coal.ID), "witnesses[0]", nil, nil},
			{"POST", "/api/v1/reports", fmt.Sprintf(`{"reports":[{"subject":%q,"good_id":%d,"date":"DATE","shift":1,"produced":%%s,"accepted":0,"key":"KEY"}]}`,
				miner, w.coal.ID), "reports[0].produced", with(zeroes, legit{"1e-320": 1e-320, "5e-324": 5e-324, "null": 0}), field("produced")},
			{"POST", "/api/v1/norms", fmt.Sprintf(`{"subject":%q,"good_id":%d,"amount":%%s,"effective_from":"DATE","reason":"probe"}`, turner, w.parts.ID),
				"amount", nil, field("amount")},
			{"POST", "/api/v1/norms", fmt.Sprintf(`{"subject":%q,"good_id":%%s,"amount":5,"effective_from":"DATE","reason":"probe"}`, turner),
				"good_id", nil, nil},
			{"POST", "/api/v1/needs", fmt.Sprintf(`{"unit_id":%d,"good_id":%d,"from":"DATE","to":"DATE","quantity":%%s}`, w.mine.ID, w.parts.ID),
				"quantity", legit{"1e-320": 1e-320, "5e-324": 5e-324}, field("quantity")},
			{"POST", "/api/v1/needs", fmt.Sprintf(`{"unit_id":%%s,"good_id":%d,"from":"DATE","to":"DATE","quantity":5}`, w.parts.ID),
				"unit_id", nil, nil},
			{"POST", "/api/v1/plans", fmt.Sprintf(`{"unit_id":%d,"good_id":%d,"period":"month","start":"2000-01-01","quantity":%%s,"reason":"KEY"}`, w.mine.ID, w.parts.ID),
				"quantity", legit{"1e-320": 1e-320, "5e-324": 5e-324}, field("quantity")},
			{"PUT", plaus, `{"max_per_shift":%s}`, "max_per_shift", null(1e6), field("max_per_shift")},
			{"PUT", plaus, `{"multiple_of_norm":%s}`, "multiple_of_norm", with(zeroes, null(3)), field("multiple_of_norm")},
			{"PUT", plaus, `{"peer_mads":%s}`, "peer_mads", with(zeroes, legit{"1e-320": 1e-320, "5e-324": 5e-324, "null": 6}), field("peer_mads")},
			{"PUT", plaus, `{"peer_minimum":%s}`, "peer_minimum", null(5), nil},
			{"PUT", plaus, `{"storm_share":%s}`, "storm_share", with(zeroes, legit{"1e-320": 1e-320, "5e-324": 5e-324, "null": 0.4}), field("storm_share")},
			{"PUT", plaus, `{"storm_days":%s}`, "storm_days", null(3), nil},
			{"PUT", plaus, `{"storm_min_shifts":%s}`, "storm_min_shifts", null(10), nil},
		}
		counts := func() string {
			var rs, ns, ds list[json.RawMessage]
			e.call("GET", "/api/v1/reports", nil, http.StatusOK, &rs)
			e.call("GET", "/api/v1/norms", nil, http.StatusOK, &ns)
			e.call("GET", "/api/v1/needs", nil, http.StatusOK, &ds)
			var p map[string]any
			e.call("GET", plaus, nil, http.StatusOK, &p)
			return fmt.Sprintf("%d reports, %d norms, %d needs, rules %v", rs.Total, ns.Total, ds.Total, p)
		}
		before := counts()
		for _, p := range probes {
			for _, x := range extremes {
				want, ok := p.ok[x]
				body := strings.NewReplacer("DATE", next(), "KEY", fmt.Sprintf("probe-%d", day)).Replace(fmt.Sprintf(p.body, x))
				res := e.do(p.method, p.path, e.admin, body)
				if res.status >= 500 {
					t.Fatalf("%s %s with %s = %s: status %d, body %s", p.method, p.path, p.field, x, res.status, res.body)
				}
				if !ok {
					apiErr := res.wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "")
					if apiErr.Error.Field != p.field {
						t.Errorf("%s %s with %s = %s: error names %q, want %q (%s)", p.method, p.path, p.field, x, apiErr.Error.Field, p.field, apiErr.Error.Message)
					}
					if len(apiErr.Error.Message) > 300 {
						t.Errorf("%s = %s: a message of %d characters: %s", p.field, x, len(apiErr.Error.Message), apiErr.Error.Message)
					}
					if after := counts(); after != before {
						t.Errorf("%s = %s was refused but changed something: %s, then %s", p.field, x, before, after)
					}
					continue
				}
				if res.status != http.StatusOK && res.status != http.StatusCreated {
					t.Errorf("%s %s with %s = %s: status %d, want it accepted; body %s", p.method, p.path, p.field, x, res.status, res.body)
					continue
				}
				if strings.Contains(string(res.body), "-0,") || strings.Contains(string(res.body), "-0}") {
					t.Errorf("%s = %s: the answer holds a negative zero: %s", p.field, x, res.body)
				}
				if p.got != nil {
					if got := p.got(t, res.body); got != want || math.Signbit(got) {
						t.Errorf("%s = %s: stored %g, want %g", p.field, x, got, want)
					}
				}
				if p.method == "PUT" {
					// Put the defaults back for the next probe.
					e.call("PUT", plaus, stakhanov.DefaultPlausibilityRules, http.StatusOK, nil)
				}
				before = counts()
			}
		}
	})
}
