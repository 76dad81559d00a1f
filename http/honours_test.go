package http_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	stakhttp "github.com/stakhanov/stakhanov/http"
)

// user creates a user, tied to a person if personID is not 0, and returns
// its id and a token.
func (e *env) user(name, role string, unitID, personID int64) (int64, string) {
	e.t.Helper()
	u := &stakhanov.User{Name: name, Role: role, UnitID: unitID, PersonID: personID}
	if err := e.store.CreateUser(system, u); err != nil {
		e.t.Fatalf("create user %s: %v", name, err)
	}
	tok, err := e.store.CreateToken(system, u.ID)
	if err != nil {
		e.t.Fatalf("create token for %s: %v", name, err)
	}
	return u.ID, tok
}

// as sends a request with a token, checks the status and decodes the
// answer into out (if not nil).
func (e *env) as(token, method, path string, body any, want int, out any) *response {
	e.t.Helper()
	res := e.do(method, path, token, body)
	res.want(e.t, want)
	if out != nil {
		res.decode(e.t, out)
	}
	return res
}

type awardView struct {
	Award        stakhanov.Award   `json:"award"`
	Predecessors []stakhanov.Award `json:"predecessors"`
	Successors   []stakhanov.Award `json:"successors"`
}

type registry struct {
	Recipients []stakhanov.RegistryRecipient `json:"recipients"`
	Total      int                           `json:"total"`
	ByAward    []stakhanov.AwardCount        `json:"by_award"`
	ByYear     []stakhanov.YearCount         `json:"by_year"`
	Offset     int                           `json:"offset"`
	Limit      int                           `json:"limit"`
}

func awardNames(as []stakhanov.Award) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return out
}

// catalogue is the awards of the honours tests and the committee that
// reviews them.
type catalogue struct {
	lenin, hol, hsl, holRF stakhanov.Award
	// c1 and c2 sit on the first stage, c3 on the second; conflicted sits
	// on the first but is the person who recommends the miner.
	c1, c2, c3, conflicted       int64
	c1Tok, c2Tok, c3Tok, conflTk string
}

// stages is two review stages: the enterprise collective (two votes of
// three members) and the state commission (one member).
func (c *catalogue) stages() []map[string]any {
	return []map[string]any{
		{"name": "enterprise collective", "members": []int64{c.c1, c.c2, c.conflicted}, "quorum": 2, "majority": 0.5},
		{"name": "state commission", "members": []int64{c.c3}, "quorum": 1, "majority": 0.5},
	}
}

// catalogue creates, as the admin, the Order of Lenin and the line of
// labour titles: Hero of Labour (1927-1938), Hero of Socialist Labour
// (1938-1991), Hero of Labour of the Russian Federation (2013-).
func (e *env) catalogue(w *world) *catalogue {
	e.t.Helper()
	c := &catalogue{}
	c.c1, c.c1Tok = e.user("committee one", stakhanov.RoleCommittee, 0, 0)
	c.c2, c.c2Tok = e.user("committee two", stakhanov.RoleCommittee, 0, 0)
	c.c3, c.c3Tok = e.user("state commission", stakhanov.RoleCommittee, 0, 0)
	c.conflicted, c.conflTk = e.user("committee colleague", stakhanov.RoleCommittee, 0, w.helper1.ID)

	e.call("POST", "/api/v1/awards", map[string]any{
		"name": "Order of Lenin", "kind": "order", "country": "USSR",
		"description": "The highest order of the Soviet Union.", "criteria": "Outstanding services.",
		"insignia": map[string]any{"description": "A gold disc with a platinum medallion of Lenin", "shape": "disc", "metal": "gold",
			"emblem": "lenin", "ribbon": []string{"#ffd700", "#c8102e", "#c8102e", "#ffd700"}},
		"authority": "Presidium of the Supreme Soviet of the USSR", "established": "1930-04-06", "established_by": "Decree of the Central Executive Committee",
		"rules": map[string]any{"max_times": 0, "recommendations_needed": 0, "stages": c.stages()[1:]},
	}, http.StatusCreated, &c.lenin)
	res := e.call("POST", "/api/v1/awards", map[string]any{
		"name": "Hero of Labour", "kind": "title", "country": "USSR",
		"insignia":  map[string]any{"shape": "disc", "metal": "silver", "emblem": "hammer-and-sickle", "ribbon": []string{"#c8102e"}},
		"authority": "Central Executive Committee of the USSR", "established": "1927-07-27", "abolished": "1938-12-27",
		"rules": map[string]any{"max_times": 1, "recommendations_needed": 0, "stages": c.stages()},
	}, http.StatusCreated, &c.hol)
	if got, want := res.header.Get("Location"), fmt.Sprintf("/api/v1/awards/%d", c.hol.ID); got != want {
		e.t.Fatalf("Location: got %q, want %q", got, want)
	}
	e.call("POST", "/api/v1/awards", map[string]any{
		"name": "Hero of Socialist Labour", "kind": "title", "country": "USSR",
		"description": "The highest degree of distinction for outstanding achievements in the national economy and culture.",
		"criteria":    "Exceptional services in industry, agriculture, transport, trade, science or culture.",
		"insignia": map[string]any{"description": "The Hammer and Sickle gold medal", "shape": "star", "metal": "gold",
			"emblem": "hammer-and-sickle", "ribbon": []string{"#c8102e"}},
		"authority": "Presidium of the Supreme Soviet of the USSR", "established": "1938-12-27", "established_by": "Decree of the Presidium",
		"abolished": "1991-12-26", "predecessor_id": c.hol.ID,
		"rules": map[string]any{
			"max_times": 3, "companions": []int64{c.lenin.ID}, "recommendations_needed": 1,
			"repeat_brings": []map[string]any{{"times": 2, "brings": "a bronze bust in the home town"}},
			"candidacy":     map[string]any{"kind": "k_of_n", "subject": "person", "good_id": w.coal.ID, "percent": 120, "k": 1, "n": 5},
			"stages":        c.stages(),
		},
	}, http.StatusCreated, &c.hsl)
	e.call("POST", "/api/v1/awards", map[string]any{
		"name": "Hero of Labour of the Russian Federation", "kind": "title", "country": "Russia",
		"insignia": map[string]any{"shape": "star", "metal": "gold", "emblem": "two-headed-eagle",
			"ribbon": []string{"#ffffff", "#0039a6", "#d52b1e"}},
		"authority": "President of the Russian Federation", "established": "2013-03-29", "predecessor_id": c.hsl.ID,
		"rules": map[string]any{"max_times": 1, "recommendations_needed": 0, "stages": c.stages()},
	}, http.StatusCreated, &c.holRF)
	return c
}

func TestAwards(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		c := e.catalogue(w)
		if c.hsl.ID == 0 || c.hsl.PredecessorID != c.hol.ID || c.hsl.CreatedAt.IsZero() || c.hsl.Rules.Candidacy == nil ||
			c.hsl.Rules.Candidacy.K != 1 || len(c.hsl.Rules.Stages) != 2 || c.hsl.Insignia.Metal != "gold" {
			t.Fatalf("created award: got %+v", c.hsl)
		}
		if !c.holRF.Abolished.IsZero() {
			t.Fatalf("an award in force has no abolished date: got %s", c.holRF.Abolished)
		}

		// The catalogue is public.
		var awards list[stakhanov.Award]
		e.as("", "GET", "/api/v1/awards", nil, http.StatusOK, &awards)
		if awards.Total != 4 || len(awards.Items) != 4 {
			t.Fatalf("awards: got %d", awards.Total)
		}
		e.as("", "GET", "/api/v1/awards?kind=order", nil, http.StatusOK, &awards)
		if awards.Total != 1 || awards.Items[0].ID != c.lenin.ID {
			t.Fatalf("orders: got %+v", awards.Items)
		}
		e.do("GET", "/api/v1/awards?kind=badge", "", nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "kind")

		// The lineage, both ways from each title.
		for _, tc := range []struct {
			award        stakhanov.Award
			preds, succs []string
		}{
			{c.hol, nil, []string{"Hero of Socialist Labour", "Hero of Labour of the Russian Federation"}},
			{c.hsl, []string{"Hero of Labour"}, []string{"Hero of Labour of the Russian Federation"}},
			{c.holRF, []string{"Hero of Labour", "Hero of Socialist Labour"}, nil},
			{c.lenin, nil, nil},
		} {
			var v awardView
			res := e.as("", "GET", fmt.Sprintf("/api/v1/awards/%d", tc.award.ID), nil, http.StatusOK, &v)
			if v.Award.ID != tc.award.ID || v.Award.Name != tc.award.Name || v.Award.Established.String() != tc.award.Established.String() {
				t.Fatalf("award %d: got %+v", tc.award.ID, v.Award)
			}
			if got := awardNames(v.Predecessors); !slices.Equal(got, tc.preds) {
				t.Fatalf("%s's predecessors: got %v, want %v", tc.award.Name, got, tc.preds)
			}
			if got := awardNames(v.Successors); !slices.Equal(got, tc.succs) {
				t.Fatalf("%s's successors: got %v, want %v", tc.award.Name, got, tc.succs)
			}
			if !strings.Contains(string(res.body), `"predecessors":[`) || !strings.Contains(string(res.body), `"successors":[`) {
				t.Fatalf("lineage lists must be arrays, never null: %s", res.body)
			}
		}
		e.do("GET", "/api/v1/awards/9999", "", nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")

		// Only an admin adds awards; the award is checked.
		_, worker := e.user("worker", stakhanov.RoleWorker, w.brigade.ID, w.miner.ID)
		body := func(change func(map[string]any)) map[string]any {
			b := map[string]any{
				"name": "Medal For Labour Valour", "kind": "medal", "country": "USSR",
				"insignia":  map[string]any{"shape": "disc", "metal": "silver", "ribbon": []string{"#808080"}},
				"authority": "Presidium of the Supreme Soviet of the USSR", "established": "1938-12-27",
				"rules": map[string]any{"max_times": 0, "recommendations_needed": 0, "stages": c.stages()},
			}
			change(b)
			return b
		}
		same := func(map[string]any) {}
		e.do("POST", "/api/v1/awards", worker, body(same)).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", "/api/v1/awards", "", body(same)).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		for _, tc := range []struct {
			change func(map[string]any)
			field  string
		}{
			{func(b map[string]any) { b["established"] = "27.12.1938" }, "established"},
			{func(b map[string]any) { b["abolished"] = "1938-01-01" }, "abolished"},
			{func(b map[string]any) { b["kind"] = "badge" }, "kind"},
			{func(b map[string]any) { b["insignia"] = map[string]any{"shape": "cross", "metal": "gold"} }, "insignia.shape"},
			{func(b map[string]any) { b["insignia"] = map[string]any{"shape": "disc", "colour": "gold"} }, "insignia.colour"},
			{func(b map[string]any) { b["id"] = 5 }, "id"},
			{func(b map[string]any) {
				b["rules"] = map[string]any{"stages": []map[string]any{c.stages()[0], {"name": "x", "colour": "red"}}}
			}, "rules.stages[1].colour"},
			{func(b map[string]any) { b["predecessor_id"] = 9999 }, "predecessor_id"},
			{func(b map[string]any) {
				b["rules"] = map[string]any{"stages": []map[string]any{{"name": "x", "members": []int64{c.c1}, "quorum": 2}}}
			}, "rules.stages[0].quorum"},
			{func(b map[string]any) {
				b["rules"] = map[string]any{"candidacy": map[string]any{"kind": "k_of_n", "subject": "person", "percent": 120, "k": 9, "n": 5},
					"stages": c.stages()}
			}, "rules.candidacy.k"},
		} {
			e.do("POST", "/api/v1/awards", e.admin, body(tc.change)).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, tc.field)
		}
		e.call("POST", "/api/v1/awards", body(same), http.StatusCreated, nil)
	})
}

func TestInsigniaImage(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		c := e.catalogue(w)
		path := fmt.Sprintf("/api/v1/awards/%d/insignia.svg", c.hsl.ID)
		res := e.do("GET", path, "", nil)
		if res.status != http.StatusOK {
			t.Fatalf("insignia: got %d, %s", res.status, res.body)
		}
		if ct := res.header.Get("Content-Type"); ct != "image/svg+xml" {
			t.Fatalf("Content-Type: got %q, want image/svg+xml", ct)
		}
		if cc := res.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
			t.Fatalf("Cache-Control: got %q, want a max-age", cc)
		}
		svg := parseSVG(t, res.body)
		if svg.title != "Hero of Socialist Labour" {
			t.Fatalf("title: got %q", svg.title)
		}
		etag := res.header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("If-None-Match", etag)
		raw, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw.Body.Close()
		if raw.StatusCode != http.StatusNotModified {
			t.Fatalf("If-None-Match: got %d, want 304", raw.StatusCode)
		}
		// Each award draws its own image.
		other := e.do("GET", fmt.Sprintf("/api/v1/awards/%d/insignia.svg", c.lenin.ID), "", nil)
		if other.status != http.StatusOK || parseSVG(t, other.body).title != "Order of Lenin" || other.header.Get("ETag") == etag {
			t.Fatalf("Order of Lenin's insignia: got %d, %s", other.status, other.body)
		}
		e.do("GET", "/api/v1/awards/9999/insignia.svg", "", nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
	})
}

// TestHonours follows Alexei Stakhanov from recommendation to the public
// registry: a colleague recommends him, a nominator files a dossier, two
// committees approve, the Presidium drafts and signs a decree (which also
// confers the Order of Lenin), he is presented with both at a ceremony, and
// anyone finds him in the registry.
func TestHonours(t *testing.T) {
	onEachBackend(t, func(t *testing.T, e *env) {
		w := e.world()
		c := e.catalogue(w)
		_, colleague := e.user("timber man", stakhanov.RoleWorker, w.brigade.ID, w.helper1.ID)
		_, miner := e.user("stakhanov", stakhanov.RoleWorker, w.brigade.ID, w.miner.ID)
		_, nominator := e.user("nominator", stakhanov.RoleNominator, 0, 0)
		_, authority := e.user("presidium", stakhanov.RoleAuthority, 0, 0)
		_, registrar := e.user("registrar", stakhanov.RoleRegistrar, 0, 0)
		minerSub := subject(w.miner)

		// Recommendations.
		letter := map[string]any{"candidate": minerSub, "award_id": c.hsl.ID, "text": "He hewed 102 t in one shift."}
		var rec stakhanov.Recommendation
		e.as(colleague, "POST", "/api/v1/recommendations", letter, http.StatusCreated, &rec)
		if rec.ID == 0 || rec.RecommenderID != w.helper1.ID || rec.Candidate != stakhanov.PersonSubject(w.miner.ID) || rec.AwardID != c.hsl.ID {
			t.Fatalf("recommendation: got %+v", rec)
		}
		e.do("POST", "/api/v1/recommendations", colleague, letter).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "")
		e.do("POST", "/api/v1/recommendations", miner, letter).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "candidate")
		onBehalf := map[string]any{"candidate": minerSub, "award_id": c.hsl.ID, "text": "So say I.", "recommender_id": w.helper2.ID}
		e.do("POST", "/api/v1/recommendations", colleague, onBehalf).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", "/api/v1/recommendations", "", letter).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		e.do("POST", "/api/v1/recommendations", colleague, map[string]any{"candidate": "stakhanov", "award_id": c.hsl.ID, "text": "x"}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "candidate")
		e.do("POST", "/api/v1/recommendations", colleague, map[string]any{"award_id": c.hsl.ID, "text": "x"}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "candidate")
		e.do("POST", "/api/v1/recommendations", colleague, map[string]any{"candidate": minerSub, "award_id": c.hsl.ID, "letter": "x"}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "letter")
		var second stakhanov.Recommendation
		e.call("POST", "/api/v1/recommendations", onBehalf, http.StatusCreated, &second)
		if second.RecommenderID != w.helper2.ID {
			t.Fatalf("a letter recorded on behalf: got recommender %d, want %d", second.RecommenderID, w.helper2.ID)
		}
		var recs list[stakhanov.Recommendation]
		e.as(miner, "GET", fmt.Sprintf("/api/v1/recommendations?candidate=%s&award=%d", minerSub, c.hsl.ID), nil, http.StatusOK, &recs)
		if recs.Total != 2 || recs.Items[0].ID != rec.ID {
			t.Fatalf("recommendations: got %+v", recs)
		}
		e.do("GET", "/api/v1/recommendations", "", nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		e.do("GET", "/api/v1/recommendations?candidate=miner", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "candidate")

		// A nomination with a dossier: it has its recommendation, so it is
		// in review at once.
		dossier := map[string]any{"award_id": c.hsl.ID, "candidate": minerSub, "source": "dossier",
			"dossier": "102 t of coal in 5 h 45 min on 31 August 1935 against a norm of 7 t."}
		e.do("POST", "/api/v1/nominations", miner, dossier).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		for field, bad := range map[string]map[string]any{
			"source":    {"award_id": c.hsl.ID, "candidate": minerSub, "source": "rumour"},
			"candidate": {"award_id": c.hsl.ID, "source": "dossier", "dossier": "x"},
			"dossier":   {"award_id": c.hsl.ID, "candidate": minerSub, "source": "dossier"},
			"state":     {"award_id": c.hsl.ID, "candidate": minerSub, "source": "dossier", "dossier": "x", "state": "approved"},
		} {
			e.do("POST", "/api/v1/nominations", nominator, bad).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, field)
		}
		var nom stakhanov.Nomination
		res := e.as(nominator, "POST", "/api/v1/nominations", dossier, http.StatusCreated, &nom)
		if nom.ID == 0 || nom.State != stakhanov.NominationInReview || nom.Stage != 0 || nom.Source != stakhanov.SourceDossier || nom.NominatorID == 0 {
			t.Fatalf("nomination: got %+v", nom)
		}
		if got, want := res.header.Get("Location"), fmt.Sprintf("/api/v1/nominations/%d", nom.ID); got != want {
			t.Fatalf("Location: got %q, want %q", got, want)
		}
		e.do("POST", "/api/v1/nominations", nominator, dossier).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "")

		// A second nomination, for the turner, waits for a recommendation.
		var turnerNom stakhanov.Nomination
		e.as(nominator, "POST", "/api/v1/nominations", map[string]any{"award_id": c.hsl.ID, "candidate": subject(w.turner),
			"source": "dossier", "dossier": "Turned parts at ten times the norm."}, http.StatusCreated, &turnerNom)
		if turnerNom.State != stakhanov.NominationProposed {
			t.Fatalf("nomination without recommendations: got state %s, want proposed", turnerNom.State)
		}

		var noms list[stakhanov.Nomination]
		e.as(c.c1Tok, "GET", "/api/v1/nominations?member=me", nil, http.StatusOK, &noms)
		if noms.Total != 1 || noms.Items[0].ID != nom.ID {
			t.Fatalf("waiting for committee one: got %+v", noms)
		}
		e.as(c.c3Tok, "GET", "/api/v1/nominations?member=me", nil, http.StatusOK, &noms)
		if noms.Total != 0 {
			t.Fatalf("waiting for the state commission before the first stage: got %d", noms.Total)
		}
		e.as(e.admin, "GET", fmt.Sprintf("/api/v1/nominations?award=%d&state=proposed", c.hsl.ID), nil, http.StatusOK, &noms)
		if noms.Total != 1 || noms.Items[0].ID != turnerNom.ID {
			t.Fatalf("proposed nominations: got %+v", noms)
		}
		e.as(e.admin, "GET", "/api/v1/nominations?candidate="+minerSub, nil, http.StatusOK, &noms)
		if noms.Total != 1 {
			t.Fatalf("the miner's nominations: got %d", noms.Total)
		}
		e.do("GET", "/api/v1/nominations?member=you", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "member")
		e.do("GET", "/api/v1/nominations?state=pending", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "state")
		e.do("GET", "/api/v1/nominations", "", nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")

		// Votes, through both stages. The colleague who recommended the
		// miner sits on the first committee and must recuse.
		votes := fmt.Sprintf("/api/v1/nominations/%d/votes", nom.ID)
		e.do("POST", votes, c.conflTk, map[string]any{"vote": "approve"}).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", votes, miner, map[string]any{"vote": "approve"}).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", votes, c.c3Tok, map[string]any{"vote": "approve"}).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", votes, c.c1Tok, map[string]any{"vote": "maybe"}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "vote")
		e.do("POST", votes, c.c1Tok, map[string]any{}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "vote")
		e.do("POST", "/api/v1/nominations/9999/votes", c.c1Tok, map[string]any{"vote": "approve"}).
			wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
		var after stakhanov.Nomination
		e.as(c.c1Tok, "POST", votes, map[string]any{"vote": "approve", "comment": "A record for the whole Donbas."}, http.StatusOK, &after)
		if after.State != stakhanov.NominationInReview || after.Stage != 0 || len(after.Votes) != 1 || after.Votes[0].MemberID != c.c1 {
			t.Fatalf("after one vote: got %+v", after)
		}
		e.do("POST", votes, c.c1Tok, map[string]any{"vote": "approve"}).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "")
		e.as(c.c2Tok, "POST", votes, map[string]any{"vote": "approve"}, http.StatusOK, &after)
		if after.State != stakhanov.NominationInReview || after.Stage != 1 {
			t.Fatalf("after the first stage: got state %s stage %d, want in review at stage 1", after.State, after.Stage)
		}
		e.as(c.c3Tok, "GET", "/api/v1/nominations?member=me", nil, http.StatusOK, &noms)
		if noms.Total != 1 {
			t.Fatalf("waiting for the state commission: got %d", noms.Total)
		}
		e.as(c.c3Tok, "POST", votes, map[string]any{"vote": "approve", "comment": "Approved."}, http.StatusOK, &after)
		if after.State != stakhanov.NominationApproved || len(after.Votes) != 3 {
			t.Fatalf("after the last stage: got %+v", after)
		}
		var got stakhanov.Nomination
		e.as(miner, "GET", fmt.Sprintf("/api/v1/nominations/%d", nom.ID), nil, http.StatusOK, &got)
		if got.State != stakhanov.NominationApproved || len(got.Recommendations) != 2 || len(got.Votes) != 3 || len(got.History) < 4 {
			t.Fatalf("nomination: got %+v", got)
		}
		e.do("GET", "/api/v1/nominations/9999", e.admin, nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")

		// A decree that names an approved and an unapproved nomination
		// cannot be signed, and signing it changes nothing.
		const presidium = "Presidium of the Supreme Soviet of the USSR"
		decree := func(number string, noms ...int64) map[string]any {
			var entries []map[string]any
			for _, id := range noms {
				entries = append(entries, map[string]any{"nomination_id": id})
			}
			return map[string]any{"number": number, "date": "1939-01-10", "authority": presidium, "kind": "confer", "entries": entries}
		}
		e.do("POST", "/api/v1/decrees", nominator, decree("1", nom.ID)).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", "/api/v1/decrees", authority, map[string]any{"number": "1", "date": "10.01.1939", "authority": presidium,
			"kind": "confer", "entries": []map[string]any{{"nomination_id": nom.ID}}}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "date")
		e.do("POST", "/api/v1/decrees", authority, map[string]any{"number": "1", "date": "1939-01-10", "authority": presidium,
			"kind": "record", "entries": []map[string]any{{"award_id": c.hsl.ID, "recipient": "stakhanov"}}}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "entries[0].recipient")
		e.do("POST", "/api/v1/decrees", authority, decree("1")).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "entries")
		e.do("POST", "/api/v1/decrees", authority, map[string]any{"number": "1", "date": "1939-01-10", "authority": presidium,
			"kind": "confer", "entries": []map[string]any{{"nomination_id": nom.ID, "nomination": nom.ID}}}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "entries[0].nomination")
		var bad stakhanov.Decree
		e.as(authority, "POST", "/api/v1/decrees", decree("1", nom.ID, turnerNom.ID), http.StatusCreated, &bad)
		failed := e.do("POST", fmt.Sprintf("/api/v1/decrees/%d/sign", bad.ID), authority, nil).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "entries[1]")
		if msg := failed.Error.Message; !strings.Contains(msg, "entry 2:") || strings.Contains(msg, "entry 1:") ||
			!strings.Contains(msg, fmt.Sprint(turnerNom.ID)) {
			t.Fatalf("sign failure: message %q should name entry 2 (nomination %d) and only it", msg, turnerNom.ID)
		}
		var check struct {
			Signable bool
			Items    []struct {
				Entry    int
				Problems []string
			}
		}
		e.as(authority, "GET", fmt.Sprintf("/api/v1/decrees/%d/problems", bad.ID), nil, http.StatusOK, &check)
		if check.Signable || len(check.Items) != 2 || len(check.Items[0].Problems) != 0 || len(check.Items[1].Problems) != 1 || check.Items[1].Entry != 2 {
			t.Fatalf("pre-check: got %+v, want entry 2 alone to have a problem", check)
		}
		var unsigned stakhanov.Decree
		e.as(authority, "GET", fmt.Sprintf("/api/v1/decrees/%d", bad.ID), nil, http.StatusOK, &unsigned)
		if unsigned.SignedAt != nil || len(unsigned.Conferrals) != 0 || len(unsigned.Entries) != 2 {
			t.Fatalf("a decree that failed to sign: got %+v", unsigned)
		}
		// Given up, on record: it cannot be signed.
		e.do("POST", fmt.Sprintf("/api/v1/decrees/%d/entries/3/removal", bad.ID), authority, map[string]any{"reason": "x"}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "entry")
		var discarded stakhanov.Decree
		e.as(authority, "POST", fmt.Sprintf("/api/v1/decrees/%d/discard", bad.ID), map[string]any{"reason": "the turner's nomination is not approved"}, http.StatusOK, &discarded)
		if discarded.Discarded == nil || discarded.Discarded.Reason != "the turner's nomination is not approved" {
			t.Fatalf("discarded: got %+v", discarded)
		}
		e.do("POST", fmt.Sprintf("/api/v1/decrees/%d/sign", bad.ID), authority, nil).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "")

		// The right decree.
		var d stakhanov.Decree
		res = e.as(authority, "POST", "/api/v1/decrees", decree("2", nom.ID), http.StatusCreated, &d)
		if got, want := res.header.Get("Location"), fmt.Sprintf("/api/v1/decrees/%d", d.ID); got != want {
			t.Fatalf("Location: got %q, want %q", got, want)
		}
		if d.SignedAt != nil || d.Date.String() != "1939-01-10" || d.Kind != stakhanov.DecreeConfer {
			t.Fatalf("draft: got %+v", d)
		}
		e.do("POST", "/api/v1/decrees", authority, decree("2", nom.ID)).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "number")
		e.do("POST", fmt.Sprintf("/api/v1/decrees/%d/sign", d.ID), nominator, nil).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", fmt.Sprintf("/api/v1/decrees/%d/sign", d.ID), "", nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		var signed stakhanov.Decree
		e.as(authority, "POST", fmt.Sprintf("/api/v1/decrees/%d/sign", d.ID), nil, http.StatusOK, &signed)
		if signed.SignedAt == nil || signed.SignedBy == 0 || len(signed.Conferrals) != 2 {
			t.Fatalf("signed decree: got %+v, want two conferrals (the title and its companion order)", signed)
		}
		e.do("POST", fmt.Sprintf("/api/v1/decrees/%d/sign", d.ID), authority, nil).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "")
		e.do("POST", "/api/v1/decrees/9999/sign", authority, nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
		var decrees list[stakhanov.Decree]
		e.as(authority, "GET", "/api/v1/decrees?kind=confer", nil, http.StatusOK, &decrees)
		if decrees.Total != 2 {
			t.Fatalf("decrees: got %d, want 2", decrees.Total)
		}
		e.as(authority, "GET", "/api/v1/decrees?kind=revoke", nil, http.StatusOK, &decrees)
		if decrees.Total != 0 {
			t.Fatalf("revoking decrees: got %d, want 0", decrees.Total)
		}
		e.do("GET", "/api/v1/decrees", "", nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		e.do("GET", "/api/v1/decrees?kind=edict", e.admin, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "kind")
		e.as(miner, "GET", fmt.Sprintf("/api/v1/nominations/%d", nom.ID), nil, http.StatusOK, &got)
		if got.State != stakhanov.NominationConferred {
			t.Fatalf("nomination after the decree: got %s, want conferred", got.State)
		}

		// The conferrals are public.
		var title, order stakhanov.Conferral
		e.as("", "GET", fmt.Sprintf("/api/v1/conferrals/%d", signed.Conferrals[0]), nil, http.StatusOK, &title)
		e.as("", "GET", fmt.Sprintf("/api/v1/conferrals/%d", signed.Conferrals[1]), nil, http.StatusOK, &order)
		if title.AwardID != c.hsl.ID || title.Recipient != stakhanov.PersonSubject(w.miner.ID) || title.DecreeID != d.ID ||
			title.Serial != 1 || title.Times != 1 || title.Date.String() != "1939-01-10" || title.NominationID != nom.ID {
			t.Fatalf("conferral of the title: got %+v", title)
		}
		if order.AwardID != c.lenin.ID || order.CompanionOf != title.ID || order.Recipient != title.Recipient {
			t.Fatalf("companion conferral: got %+v", order)
		}
		e.do("GET", "/api/v1/conferrals/9999", "", nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")

		// The ceremony.
		ceremony := map[string]any{"date": "1939-02-01", "place": "The Kremlin, Moscow", "presenter": "Mikhail Kalinin",
			"conferrals": []int64{title.ID, order.ID}}
		e.do("POST", "/api/v1/ceremonies", authority, ceremony).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", "/api/v1/ceremonies", registrar, map[string]any{"date": "1939-02-01", "place": "The Kremlin, Moscow"}).
			wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "presenter")
		var cer stakhanov.Ceremony
		res = e.as(registrar, "POST", "/api/v1/ceremonies", ceremony, http.StatusCreated, &cer)
		if got, want := res.header.Get("Location"), fmt.Sprintf("/api/v1/ceremonies/%d", cer.ID); got != want {
			t.Fatalf("Location: got %q, want %q", got, want)
		}
		if len(cer.Conferrals) != 2 || len(cer.Presented) != 0 || !strings.Contains(string(res.body), `"presented":[]`) {
			t.Fatalf("ceremony: got %s", res.body)
		}
		var cers list[stakhanov.Ceremony]
		e.as("", "GET", "/api/v1/ceremonies", nil, http.StatusOK, &cers)
		if cers.Total != 1 || cers.Items[0].Presenter != "Mikhail Kalinin" {
			t.Fatalf("ceremonies: got %+v", cers)
		}
		present := fmt.Sprintf("/api/v1/ceremonies/%d/presentations", cer.ID)
		e.do("POST", present, "", map[string]any{"conferral_id": title.ID}).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")
		e.do("POST", present, miner, map[string]any{"conferral_id": title.ID}).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", present, registrar, map[string]any{}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "conferral_id")
		var presented stakhanov.Ceremony
		e.as(registrar, "POST", present, map[string]any{"conferral_id": title.ID}, http.StatusOK, &presented)
		if !slices.Equal(presented.Presented, []int64{title.ID}) {
			t.Fatalf("presented: got %v, want [%d]", presented.Presented, title.ID)
		}
		e.do("POST", present, registrar, map[string]any{"conferral_id": title.ID}).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "")
		e.as("", "GET", fmt.Sprintf("/api/v1/ceremonies/%d", cer.ID), nil, http.StatusOK, &presented)
		if !slices.Equal(presented.Presented, []int64{title.ID}) || presented.Place != "The Kremlin, Moscow" {
			t.Fatalf("ceremony: got %+v", presented)
		}
		res = e.as("", "GET", fmt.Sprintf("/api/v1/conferrals/%d", title.ID), nil, http.StatusOK, &title)
		if title.PresentedAt == nil || title.PresentedAt.CeremonyID != cer.ID {
			t.Fatalf("conferral after the ceremony: got %+v", title)
		}
		// Presented at a 1939 ceremony: dated that day, whenever it was marked.
		if !strings.Contains(string(res.body), fmt.Sprintf(`"presented":{"ceremony_id":%d,"date":"1939-02-01","recorded_at":"`, cer.ID)) {
			t.Fatalf("conferral JSON: got %s, want the presentation dated 1939-02-01", res.body)
		}
		e.do("GET", "/api/v1/ceremonies/9999", "", nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")

		// The registry, without a token: by name, by profession, by award
		// and year.
		var reg registry
		e.as("", "GET", "/api/v1/registry?q=stakhanov", nil, http.StatusOK, &reg)
		if reg.Total != 1 || len(reg.Recipients) != 1 || reg.Recipients[0].Name != "Alexei Stakhanov" || len(reg.Recipients[0].Conferrals) != 2 {
			t.Fatalf("registry by name: got %+v", reg)
		}
		r0 := reg.Recipients[0]
		if r0.Recipient != stakhanov.PersonSubject(w.miner.ID) || r0.Profession != "hewer" || r0.Unit != "Stakhanov's brigade" ||
			r0.Conferrals[0].DecreeNumber != "2" || r0.Conferrals[0].Serial != 1 {
			t.Fatalf("registry entry: got %+v", r0)
		}
		counts := map[int64]int{}
		for _, ac := range reg.ByAward {
			counts[ac.AwardID] = ac.Count
		}
		if len(counts) != 2 || counts[c.hsl.ID] != 1 || counts[c.lenin.ID] != 1 {
			t.Fatalf("counts by award: got %+v", reg.ByAward)
		}
		if len(reg.ByYear) != 1 || reg.ByYear[0] != (stakhanov.YearCount{Year: 1939, Count: 2}) {
			t.Fatalf("counts by year: got %+v", reg.ByYear)
		}
		// The same selection as CSV, a line per conferral.
		lines := csvOf(t, e.do("GET", "/api/v1/registry?q=stakhanov&format=csv", "", nil))
		if len(lines) != 3 || lines[1][1] != "Alexei Stakhanov" || lines[1][7] != "2" || !slices.Contains([]string{lines[1][6], lines[2][6]}, "Order of Lenin") {
			t.Fatalf("registry CSV: got %q", lines)
		}
		e.do("GET", "/api/v1/registry?format=csv&limit=5", "", nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "limit")
		e.as("", "GET", "/api/v1/registry?q=HEWER", nil, http.StatusOK, &reg)
		if reg.Total != 1 {
			t.Fatalf("registry by profession: got %d", reg.Total)
		}
		e.as("", "GET", fmt.Sprintf("/api/v1/registry?award=%d&year=1939", c.hsl.ID), nil, http.StatusOK, &reg)
		if reg.Total != 1 || reg.Recipients[0].Name != "Alexei Stakhanov" || len(reg.ByAward) != 1 || reg.ByAward[0].Count != 1 {
			t.Fatalf("registry by award and year: got %+v", reg)
		}
		res = e.as("", "GET", "/api/v1/registry?year=1940", nil, http.StatusOK, &reg)
		if reg.Total != 0 || !strings.Contains(string(res.body), `"recipients":[]`) {
			t.Fatalf("registry for 1940: got %s", res.body)
		}
		e.as("", "GET", "/api/v1/registry?q=turner", nil, http.StatusOK, &reg)
		if reg.Total != 0 {
			t.Fatalf("the turner was never conferred: got %+v", reg)
		}
		e.as("", "GET", "/api/v1/registry?offset=1&limit=5", nil, http.StatusOK, &reg)
		if reg.Total != 1 || len(reg.Recipients) != 0 || reg.Offset != 1 || reg.Limit != 5 {
			t.Fatalf("registry past the end: got %+v", reg)
		}
		for _, q := range []struct{ query, field string }{{"year=MCMXXXIX", "year"}, {"year=0", "year"}, {"award=x", "award"}, {"name=x", "name"}} {
			e.do("GET", "/api/v1/registry?"+q.query, "", nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, q.field)
		}

		// The turner's nomination is withdrawn by its nominator.
		withdraw := fmt.Sprintf("/api/v1/nominations/%d/withdrawal", turnerNom.ID)
		e.do("POST", withdraw, miner, map[string]any{"reason": "x"}).wantError(t, http.StatusForbidden, stakhanov.EFORBIDDEN, "")
		e.do("POST", withdraw, nominator, map[string]any{"why": "x"}).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "why")
		e.as(nominator, "POST", withdraw, map[string]any{"reason": "The figures were not verified."}, http.StatusOK, &got)
		if got.State != stakhanov.NominationWithdrawn || got.History[len(got.History)-1].Reason != "The figures were not verified." {
			t.Fatalf("withdrawn nomination: got %+v", got)
		}
		e.do("POST", withdraw, nominator, map[string]any{"reason": "again"}).wantError(t, http.StatusConflict, stakhanov.ECONFLICT, "")
	})
}

// TestCandidates checks who qualifies on the server's clock: the same
// reports make a candidate on one day and none before them.
func TestCandidates(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			var clock atomic.Int64
			setToday := func(s string) {
				d, err := stakhanov.ParseDate(s)
				if err != nil {
					t.Fatal(err)
				}
				clock.Store(d.Time().Add(12 * time.Hour).Unix())
			}
			setToday("1935-09-01")
			now := func() time.Time { return time.Unix(clock.Load(), 0).UTC() }
			e := newEnv(t, b.open(t), stakhttp.Config{Now: now})
			w := e.world()
			c := e.catalogue(w)
			e.call("POST", "/api/v1/reports", map[string]any{"reports": []any{
				report(w, w.miner, "1935-08-30", 1, 14, "m1"),  // 200%
				report(w, w.helper1, "1935-08-30", 1, 7, "h1"), // 100%
			}}, http.StatusCreated, nil)

			type candidates struct {
				AwardID int64          `json:"award_id"`
				Date    stakhanov.Date `json:"date"`
				list[stakhanov.Candidate]
			}
			var got candidates
			path := fmt.Sprintf("/api/v1/candidates?award=%d", c.hsl.ID)
			_, worker := e.user("worker", stakhanov.RoleWorker, w.brigade.ID, 0)
			e.as(worker, "GET", path, nil, http.StatusOK, &got)
			if got.AwardID != c.hsl.ID || got.Date.String() != "1935-09-01" || got.Total != 1 || len(got.Items) != 1 {
				t.Fatalf("candidates: got %+v", got)
			}
			cand := got.Items[0]
			if cand.Subject != stakhanov.PersonSubject(w.miner.ID) || cand.Name != "Alexei Stakhanov" || cand.Met != 1 || cand.Considered != 1 ||
				len(cand.Shifts) != 1 || cand.Rule.Percent != 120 {
				t.Fatalf("candidate: got %+v", cand)
			}
			e.as(worker, "GET", path+"&offset=1", nil, http.StatusOK, &got)
			if got.Total != 1 || len(got.Items) != 0 {
				t.Fatalf("candidates past the end: got %+v", got)
			}

			// The list is of the figures written so far: a later day
			// with no new shift keeps it.
			setToday("1935-09-02")
			e.as(worker, "GET", path, nil, http.StatusOK, &got)
			if got.Total != 1 || got.Date.String() != "1935-09-02" {
				t.Fatalf("candidates a day later: got %+v", got)
			}
			// The leaderboard's default window follows the same clock.
			setToday("1935-08-29")
			var lb leaderboard
			e.call("GET", fmt.Sprintf("/api/v1/leaderboard?unit=%d&good=%d", w.mine.ID, w.coal.ID), nil, http.StatusOK, &lb)
			if lb.From.String() != "1935-08-01" || lb.To.String() != "1935-08-31" || lb.Total != 2 {
				t.Fatalf("leaderboard by the server's clock: got %+v", lb)
			}

			// An award without a candidacy rule has no candidates.
			e.as(worker, "GET", fmt.Sprintf("/api/v1/candidates?award=%d", c.lenin.ID), nil, http.StatusOK, &got)
			if got.Total != 0 {
				t.Fatalf("candidates without a rule: got %+v", got)
			}
			e.do("GET", "/api/v1/candidates", worker, nil).wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "award")
			e.do("GET", "/api/v1/candidates?award=9999", worker, nil).wantError(t, http.StatusNotFound, stakhanov.ENOTFOUND, "")
			e.do("GET", path, "", nil).wantError(t, http.StatusUnauthorized, stakhanov.EUNAUTHORIZED, "")

			// A nomination from the rule keeps its evidence.
			setToday("1935-09-01")
			_, nominator := e.user("nominator", stakhanov.RoleNominator, 0, 0)
			var nom stakhanov.Nomination
			e.as(nominator, "POST", "/api/v1/nominations", map[string]any{"award_id": c.hsl.ID, "candidate": subject(w.miner), "source": "rule"},
				http.StatusCreated, &nom)
			if nom.Source != stakhanov.SourceRule || nom.Evidence == nil || nom.Evidence.Met != 1 {
				t.Fatalf("nomination from the rule: got %+v", nom)
			}
			e.do("POST", "/api/v1/nominations", nominator, map[string]any{"award_id": c.hsl.ID, "candidate": subject(w.helper1), "source": "rule"}).
				wantError(t, http.StatusBadRequest, stakhanov.EINVALID, "candidate")
		})
	}
}
