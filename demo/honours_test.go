package demo_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/demo"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
)

// The May Day 2013 ceremony, replayed step by step on each engine.
func TestMayDay2013SQLite(t *testing.T)   { testMayDay(t, openSQLite(t)) }
func TestMayDay2013Postgres(t *testing.T) { testMayDay(t, pgtest.Open(t, time.Now)) }

// TestSeedPlaysMayDay checks that Seed leaves the five Heroes of 2013 in the
// registry.
func TestSeedPlaysMayDay(t *testing.T) {
	s := openSQLite(t)
	start := time.Now()
	w, err := demo.Seed(bg, s, time.Now())
	must(t, err)
	t.Logf("seeded with the ceremony in %v", time.Since(start))
	if len(w.MayDay.Conferrals) != 5 || w.MayDay.Ceremony == 0 {
		t.Fatalf("May Day: got %+v", w.MayDay)
	}
	checkRegistry2013(t, s, w)
}

// names maps the demo's user names to their ids.
type names map[string]int64

func (n names) id(t *testing.T, s stakhanov.Store, name string) int64 {
	t.Helper()
	if id, ok := n[name]; ok {
		return id
	}
	u, err := s.FindUserByName(bg, name)
	must(t, err)
	n[name] = u.ID
	return u.ID
}

func as(t *testing.T, s stakhanov.Store, name string) *stakhanov.User {
	t.Helper()
	u, err := s.FindUserByName(bg, name)
	must(t, err)
	return u
}

func testMayDay(t *testing.T, s stakhanov.Store) {
	start := time.Now()
	w, err := demo.SeedBase(bg, s, time.Now())
	must(t, err)
	t.Logf("base world seeded in %v", time.Since(start))
	if !t.Run("Catalogue", func(t *testing.T) { testCatalogue(t, s, w) }) {
		t.FailNow()
	}
	t.Run("KnownHolders", func(t *testing.T) { testKnownHolders(t, s, w) })

	ids := names{}
	hlrf := w.Awards.HeroOfLabourRF
	melnik, chumanov, konnov := w.Honoured2013[0], w.Honoured2013[1], w.Honoured2013[3]
	nomination := func(t *testing.T, i int) *stakhanov.Nomination {
		t.Helper()
		n, err := s.FindNominationByID(bg, w.MayDay.Nominations[i])
		must(t, err)
		if n.AwardID != hlrf || n.Candidate != stakhanov.PersonSubject(w.Honoured2013[i]) {
			t.Fatalf("nomination %d: got %+v", i, n)
		}
		return n
	}
	registry := func(t *testing.T, f stakhanov.RegistryFilter) *stakhanov.Registry {
		t.Helper()
		r, err := s.Registry(bg, f)
		must(t, err)
		return r
	}

	checks := []func(t *testing.T){
		// 1. The candidacy rule finds the coal miner and the lathe operator
		// on their shifts, and with them the farm machine operator, whose
		// 60 harvest shifts of 2012 all stand above 120% too. Nobody of
		// 1935 qualifies, nor anyone without a norm.
		func(t *testing.T) {
			var got []int64
			for _, c := range w.MayDay.Candidates {
				if c.AwardID != hlrf || c.Subject.Kind != stakhanov.SubjectPerson {
					t.Fatalf("candidate %+v", c)
				}
				if c.Considered != 60 || c.Met < 50 || len(c.Shifts) != c.Considered || c.Rule.K != 50 || c.Rule.N != 60 {
					t.Fatalf("%s: met %d of %d (%d shifts of evidence), rule %+v", c.Name, c.Met, c.Considered, len(c.Shifts), c.Rule)
				}
				got = append(got, c.Subject.ID)
			}
			slices.Sort(got)
			want := []int64{melnik, chumanov, konnov}
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("candidates: got people %v, want Melnik, Chumanov and Konnov %v", got, want)
			}
			// FindCandidates answers the same today: the last 60 shifts are
			// those of 2013, however long ago.
			a, err := s.FindAwardByID(bg, hlrf)
			must(t, err)
			today, err := stakhanov.RecomputeCandidates(bg, s, a, stakhanov.DateOf(time.Now()))
			must(t, err)
			if len(today) != len(got) {
				t.Fatalf("candidates today: got %d, want %d", len(today), len(got))
			}
		},
		// 2. Nominated from the rule by the demo nominator, with the
		// evidence; they wait for their recommendations.
		func(t *testing.T) {
			for _, i := range demo.ByRule {
				n := nomination(t, i)
				if n.Source != stakhanov.SourceRule || n.Evidence == nil || n.Evidence.Met < 50 || n.Evidence.Considered != 60 {
					t.Fatalf("rule nomination %d: source %q, evidence %+v", i, n.Source, n.Evidence)
				}
				if n.State != stakhanov.NominationProposed || n.NominatorID != ids.id(t, s, stakhanov.RoleNominator) {
					t.Fatalf("rule nomination %d: state %q, nominator %d", i, n.State, n.NominatorID)
				}
			}
			// The rule does not nominate someone it does not find.
			err := s.CreateNomination(stakhanov.NewContext(bg, as(t, s, stakhanov.RoleNominator)), &stakhanov.Nomination{
				AwardID: hlrf, Candidate: stakhanov.PersonSubject(w.Honoured2013[4]), Source: stakhanov.SourceRule})
			if err == nil {
				t.Fatal("the conductor, who has no shifts, nominated from the candidacy rule")
			}
			t.Logf("rule nomination of the conductor refused: %v", err)
		},
		// 3. The three others, with dossiers.
		func(t *testing.T) {
			for _, i := range demo.ByDossier {
				n := nomination(t, i)
				if n.Source != stakhanov.SourceDossier || n.Dossier == "" || n.Evidence != nil || n.State != stakhanov.NominationProposed {
					t.Fatalf("dossier nomination %d: %+v", i, n)
				}
			}
			_, total, err := s.FindNominations(bg, stakhanov.NominationFilter{AwardID: hlrf})
			must(t, err)
			if total != 5 {
				t.Fatalf("nominations: got %d, want 5", total)
			}
		},
		// 4. Two colleagues recommend each; every nomination enters review
		// at the first stage. Nobody recommends themselves, nor twice.
		func(t *testing.T) {
			for i, id := range w.Honoured2013 {
				n := nomination(t, i)
				if n.State != stakhanov.NominationInReview || n.Stage != 0 {
					t.Fatalf("nomination %d after its recommendations: state %q stage %d", i, n.State, n.Stage)
				}
				var from []int64
				for _, r := range n.Recommendations {
					if r.RecommenderID == id || r.AwardID != hlrf {
						t.Fatalf("nomination %d: recommendation %+v", i, r)
					}
					from = append(from, r.RecommenderID)
				}
				slices.Sort(from)
				if !slices.Equal(from, w.Recommenders2013[i]) {
					t.Fatalf("nomination %d: recommended by %v, want %v", i, from, w.Recommenders2013[i])
				}
			}
			admin := stakhanov.NewContext(bg, as(t, s, stakhanov.RoleAdmin))
			err := s.CreateRecommendation(admin, &stakhanov.Recommendation{
				RecommenderID: melnik, Candidate: stakhanov.PersonSubject(melnik), AwardID: hlrf, Text: "myself"})
			if err == nil {
				t.Fatal("Melnik recommended himself")
			}
			err = s.CreateRecommendation(admin, &stakhanov.Recommendation{
				RecommenderID: w.Recommenders2013[0][0], Candidate: stakhanov.PersonSubject(melnik), AwardID: hlrf, Text: "again"})
			if stakhanov.ErrorCode(err) != stakhanov.ECONFLICT {
				t.Fatalf("a second recommendation from the same colleague: got %v, want a conflict", err)
			}

			// The committee member from Melnik's mine may not vote on him.
			if w.Conflicted == "" || !slices.ContainsFunc(w.Committee[0], func(a demo.Account) bool { return a.Name == w.Conflicted }) {
				t.Fatalf("conflicted member %q is not on the first stage", w.Conflicted)
			}
			member := as(t, s, w.Conflicted)
			if member.Role != stakhanov.RoleCommittee {
				t.Fatalf("%s: role %q", w.Conflicted, member.Role)
			}
			_, err = s.CastVote(stakhanov.NewContext(bg, member), &stakhanov.Vote{
				NominationID: w.MayDay.Nominations[0], Stage: 0, MemberID: member.ID, Vote: stakhanov.VoteApprove, Comment: "our man"})
			if stakhanov.ErrorCode(err) != stakhanov.EFORBIDDEN {
				t.Fatalf("%s voting on Melnik, of the same mine: got %v, want forbidden", w.Conflicted, err)
			}
			if n := nomination(t, 0); len(n.Votes) != 0 {
				t.Fatalf("Melnik's nomination: the refused vote is recorded: %+v", n.Votes)
			}
		},
	}
	// 5. Each stage approves each nomination, by members not conflicted.
	for k := range w.Committee {
		checks = append(checks, func(t *testing.T) {
			for i := range w.Honoured2013 {
				n := nomination(t, i)
				if k+1 < len(w.Committee) {
					if n.State != stakhanov.NominationInReview || n.Stage != k+1 {
						t.Fatalf("nomination %d after stage %d: state %q stage %d", i, k+1, n.State, n.Stage)
					}
				} else if n.State != stakhanov.NominationApproved {
					t.Fatalf("nomination %d after the last stage: state %q", i, n.State)
				}
				var voters []int64
				for _, v := range n.Votes {
					if v.Stage != k {
						continue
					}
					if v.Vote != stakhanov.VoteApprove {
						t.Fatalf("nomination %d, stage %d: vote %+v", i, k+1, v)
					}
					voters = append(voters, v.MemberID)
				}
				if len(voters) != 2 {
					t.Fatalf("nomination %d, stage %d: %d votes, want the quorum of 2", i, k+1, len(voters))
				}
				for _, a := range w.Committee[k] {
					if a.Name == w.Conflicted && i == 0 && slices.Contains(voters, ids.id(t, s, a.Name)) {
						t.Fatalf("Melnik's nomination: %s voted", a.Name)
					}
				}
				for _, v := range voters {
					if !slices.ContainsFunc(w.Committee[k], func(a demo.Account) bool { return ids.id(t, s, a.Name) == v }) {
						t.Fatalf("nomination %d, stage %d: user %d voted, not a member", i, k+1, v)
					}
				}
			}
		})
	}
	var conferrals []*stakhanov.Conferral
	checks = append(checks,
		// 6. Decree No. 427 of 1 May 2013, drafted: nothing conferred yet.
		func(t *testing.T) {
			d, err := s.FindDecreeByID(bg, w.MayDay.Decree)
			must(t, err)
			if d.Number != demo.MayDayDecree || d.Date != demo.MayDayDate || d.Kind != stakhanov.DecreeConfer ||
				d.Authority != demo.AuthorityPresident || d.SignedAt != nil || len(d.Entries) != 5 || len(d.Conferrals) != 0 {
				t.Fatalf("drafted decree: %+v", d)
			}
			if r := registry(t, stakhanov.RegistryFilter{AwardID: hlrf}); len(r.Recipients) != 0 {
				t.Fatalf("registry before signing: %+v", r)
			}
		},
		// 7. Signed: five conferrals, serials 1 to 5 in the decree's order.
		func(t *testing.T) {
			d, err := s.FindDecreeByID(bg, w.MayDay.Decree)
			must(t, err)
			if d.SignedAt == nil || d.SignedBy != ids.id(t, s, stakhanov.RoleAuthority) || len(d.Conferrals) != 5 {
				t.Fatalf("signed decree: %+v", d)
			}
			for i, id := range w.MayDay.Conferrals {
				c, err := s.FindConferralByID(bg, id)
				must(t, err)
				if c.AwardID != hlrf || c.Recipient != stakhanov.PersonSubject(w.Honoured2013[i]) || c.DecreeID != d.ID ||
					c.NominationID != w.MayDay.Nominations[i] || c.Serial != i+1 || c.Times != 1 || c.Date != demo.MayDayDate ||
					c.Brings != "" || c.CompanionOf != 0 || c.Revocation != nil || c.PresentedAt != nil {
					t.Fatalf("conferral %d: %+v", i, c)
				}
				conferrals = append(conferrals, c)
				if n := nomination(t, i); n.State != stakhanov.NominationConferred {
					t.Fatalf("nomination %d after signing: state %q", i, n.State)
				}
			}
		},
		// 8. The ceremony at the Konstantinovsky Palace, scheduled.
		func(t *testing.T) {
			c, err := s.FindCeremonyByID(bg, w.MayDay.Ceremony)
			must(t, err)
			if c.Date != demo.MayDayDate || c.Place != demo.MayDayPlace || c.Presenter != demo.MayDayPresenter ||
				!sameIDs(c.Conferrals, w.MayDay.Conferrals) || len(c.Presented) != 0 {
				t.Fatalf("ceremony: %+v", c)
			}
		},
		// 9. Each Hero presented; the registry lists the five.
		func(t *testing.T) {
			c, err := s.FindCeremonyByID(bg, w.MayDay.Ceremony)
			must(t, err)
			if !sameIDs(c.Presented, w.MayDay.Conferrals) {
				t.Fatalf("ceremony presented %v, want %v", c.Presented, w.MayDay.Conferrals)
			}
			for _, id := range w.MayDay.Conferrals {
				cf, err := s.FindConferralByID(bg, id)
				must(t, err)
				if cf.PresentedAt == nil || cf.PresentedAt.CeremonyID != c.ID || cf.PresentedAt.Date != demo.MayDayDate {
					t.Fatalf("conferral %d: presented %+v", id, cf.PresentedAt)
				}
			}
			checkRegistry2013(t, s, w)
		},
	)

	steps := demo.MayDay2013Steps(w)
	if len(steps) != len(checks) {
		t.Fatalf("%d steps, %d checks", len(steps), len(checks))
	}
	for i, st := range steps {
		ok := t.Run(st.Name, func(t *testing.T) {
			if err := st.Run(bg, s); err != nil {
				t.Fatalf("step %d: %v", i+1, err)
			}
			checks[i](t)
		})
		if !ok {
			t.Fatalf("stopped at step %d, %s", i+1, st.Name)
		}
	}
	t.Logf("played in %v", time.Since(start))
}

func sameIDs(a, b []int64) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// checkRegistry2013 checks that the registry lists exactly the five Heroes of
// Labour of 1 May 2013, with serials 1 to 5 and the counts.
func checkRegistry2013(t *testing.T, s stakhanov.Store, w *demo.World) {
	t.Helper()
	hlrf := w.Awards.HeroOfLabourRF
	for _, f := range []stakhanov.RegistryFilter{{AwardID: hlrf}, {AwardID: hlrf, Year: 2013}} {
		r, err := s.Registry(bg, f)
		must(t, err)
		if len(r.Recipients) != 5 || r.Total != 5 {
			t.Fatalf("registry %+v: %d recipients of %d, want 5", f, len(r.Recipients), r.Total)
		}
		serials := map[stakhanov.Subject]int{}
		for _, rc := range r.Recipients {
			if len(rc.Conferrals) != 1 {
				t.Fatalf("registry: %s has %+v", rc.Name, rc.Conferrals)
			}
			e := rc.Conferrals[0]
			if e.AwardID != hlrf || e.DecreeNumber != demo.MayDayDecree || e.Date != demo.MayDayDate || e.Times != 1 || e.Revocation != nil {
				t.Fatalf("registry: %s: %+v", rc.Name, e)
			}
			serials[rc.Recipient] = e.Serial
		}
		for i, id := range w.Honoured2013 {
			if got := serials[stakhanov.PersonSubject(id)]; got != i+1 {
				t.Fatalf("registry: person %d has serial %d, want %d (serials: %v)", id, got, i+1, serials)
			}
		}
		if len(r.ByAward) != 1 || r.ByAward[0].AwardID != hlrf || r.ByAward[0].Count != 5 {
			t.Fatalf("registry by award: %+v", r.ByAward)
		}
		if len(r.ByYear) != 1 || r.ByYear[0].Year != 2013 || r.ByYear[0].Count != 5 {
			t.Fatalf("registry by year: %+v", r.ByYear)
		}
	}
	r, err := s.Registry(bg, stakhanov.RegistryFilter{AwardID: hlrf, Year: 2012})
	must(t, err)
	if len(r.Recipients) != 0 || r.Total != 0 {
		t.Fatalf("registry, 2012: %+v", r)
	}
	r, err = s.Registry(bg, stakhanov.RegistryFilter{Q: "Gergiev"})
	must(t, err)
	if len(r.Recipients) != 1 || r.Recipients[0].Recipient != stakhanov.PersonSubject(w.Honoured2013[4]) {
		t.Fatalf("registry, q=Gergiev: %+v", r)
	}
}

func testCatalogue(t *testing.T, s stakhanov.Store, w *demo.World) {
	all, total, err := s.FindAwards(bg, stakhanov.AwardFilter{})
	must(t, err)
	if total != 4 || len(all) != 4 {
		t.Fatalf("awards: got %d, want 4", total)
	}
	get := func(id int64) *stakhanov.Award {
		t.Helper()
		a, err := s.FindAwardByID(bg, id)
		must(t, err)
		return a
	}
	hl, hsl, lenin, hlrf := get(w.Awards.HeroOfLabourUSSR), get(w.Awards.HeroOfSocialistLabour), get(w.Awards.OrderOfLenin), get(w.Awards.HeroOfLabourRF)

	if hl.Kind != stakhanov.AwardTitle || hl.Established != stakhanov.NewDate(1927, 7, 27) || hl.Abolished != stakhanov.NewDate(1938, 12, 27) ||
		hl.Authority != demo.AuthorityCEC || hl.Rules.Candidacy != nil || len(hl.Rules.Stages) != 1 {
		t.Fatalf("Hero of Labour (USSR): %+v", hl)
	}
	if hsl.Kind != stakhanov.AwardTitle || hsl.Established != stakhanov.NewDate(1938, 12, 27) || hsl.Abolished != stakhanov.NewDate(1991, 12, 26) ||
		hsl.Authority != demo.AuthorityPresidium || hsl.PredecessorID != hl.ID || hsl.Rules.MaxTimes != 3 ||
		!slices.Equal(hsl.Rules.Companions, []int64{lenin.ID}) || len(hsl.Rules.RepeatBrings) == 0 ||
		hsl.Rules.RepeatBrings[0] != (stakhanov.RepeatBenefit{Times: 2, Brings: demo.BronzeBust}) {
		t.Fatalf("Hero of Socialist Labour: %+v", hsl)
	}
	if in := hsl.Insignia; in.Shape != "star" || in.Metal != "gold" || in.Emblem != "hammer-and-sickle" || !slices.Equal(in.Ribbon, []string{"#cc0000"}) {
		t.Fatalf("Hero of Socialist Labour insignia: %+v", in)
	}
	if lenin.Kind != stakhanov.AwardOrder || lenin.Established != stakhanov.NewDate(1930, 4, 6) || lenin.Rules.MaxTimes != 0 ||
		lenin.Insignia.Shape != "disc" || lenin.Insignia.Emblem != "lenin" {
		t.Fatalf("Order of Lenin: %+v", lenin)
	}
	if hlrf.Kind != stakhanov.AwardTitle || hlrf.Established != stakhanov.NewDate(2013, 3, 29) || !hlrf.Abolished.IsZero() ||
		hlrf.Authority != demo.AuthorityPresident || hlrf.PredecessorID != hsl.ID || hlrf.Rules.MaxTimes != 1 ||
		hlrf.Rules.RecommendationsNeeded != 2 {
		t.Fatalf("Hero of Labour of the Russian Federation: %+v", hlrf)
	}
	if in := hlrf.Insignia; in.Shape != "star" || in.Metal != "gold" || in.Emblem != "two-headed-eagle" ||
		!slices.Equal(in.Ribbon, []string{"#ffffff", "#0039a6", "#d52b1e"}) {
		t.Fatalf("Hero of Labour of the Russian Federation insignia: %+v", in)
	}
	want := stakhanov.CandidacyRule{Kind: stakhanov.RuleKOfN, Subject: stakhanov.SubjectPerson, Percent: 120, K: 50, N: 60}
	if hlrf.Rules.Candidacy == nil || *hlrf.Rules.Candidacy != want {
		t.Fatalf("candidacy rule: got %+v, want %+v", hlrf.Rules.Candidacy, want)
	}
	if len(hlrf.Rules.Stages) != 3 || len(w.Committee) != 3 {
		t.Fatalf("stages: %+v, committee accounts %+v", hlrf.Rules.Stages, w.Committee)
	}
	ids := names{}
	for k, st := range hlrf.Rules.Stages {
		if st.Quorum != 2 || st.Majority != 0.5 || len(st.Members) != 3 || len(w.Committee[k]) != 3 {
			t.Fatalf("stage %d: %+v", k+1, st)
		}
		for j, a := range w.Committee[k] {
			u, err := s.Authenticate(bg, a.Token)
			must(t, err)
			if u.Name != a.Name || u.Role != stakhanov.RoleCommittee || st.Members[j] != ids.id(t, s, a.Name) {
				t.Fatalf("stage %d member %d: %+v, account %+v", k+1, j, u, a)
			}
		}
	}
	if !hlrf.InForceOn(demo.MayDayDate) || hsl.InForceOn(demo.MayDayDate) || !hsl.InForceOn(stakhanov.NewDate(1976, 7, 28)) {
		t.Fatal("awards in force on the wrong dates")
	}
}

func testKnownHolders(t *testing.T, s stakhanov.Store, w *demo.World) {
	hsl, lenin := w.Awards.HeroOfSocialistLabour, w.Awards.OrderOfLenin
	if len(w.HistoricDecrees) != 3 {
		t.Fatalf("historic decrees: %v", w.HistoricDecrees)
	}
	for _, id := range w.HistoricDecrees {
		d, err := s.FindDecreeByID(bg, id)
		must(t, err)
		if d.Kind != stakhanov.DecreeRecord || d.SignedAt == nil || d.Authority != demo.AuthorityPresidium {
			t.Fatalf("record decree: %+v", d)
		}
	}

	r, err := s.Registry(bg, stakhanov.RegistryFilter{AwardID: hsl})
	must(t, err)
	if len(r.Recipients) != 2 {
		t.Fatalf("Heroes of Socialist Labour in the registry: %+v", r.Recipients)
	}
	entries := map[stakhanov.Subject][]stakhanov.RegistryEntry{}
	for _, rc := range r.Recipients {
		entries[rc.Recipient] = append(entries[rc.Recipient], rc.Conferrals...)
	}
	hslOnly := func(es []stakhanov.RegistryEntry) (out []stakhanov.RegistryEntry) {
		for _, e := range es {
			if e.AwardID == hsl {
				out = append(out, e)
			}
		}
		slices.SortFunc(out, func(a, b stakhanov.RegistryEntry) int { return a.Date.Compare(b.Date) })
		return out
	}
	sh := hslOnly(entries[stakhanov.PersonSubject(w.Shostakovich)])
	if len(sh) != 1 || sh[0].Date != stakhanov.NewDate(1966, 9, 24) || sh[0].Times != 1 || sh[0].Brings != "" {
		t.Fatalf("Shostakovich: %+v", sh)
	}
	ka := hslOnly(entries[stakhanov.PersonSubject(w.Kalashnikov)])
	if len(ka) != 2 || ka[0].Date.Year() != 1958 || ka[0].Times != 1 || ka[0].Brings != "" ||
		ka[1].Date.Year() != 1976 || ka[1].Times != 2 || ka[1].Brings != demo.BronzeBust {
		t.Fatalf("Kalashnikov: %+v", ka)
	}

	// Each conferral of the title came with an Order of Lenin, by the same
	// decree.
	for _, who := range []struct {
		person int64
		times  int
	}{{w.Shostakovich, 1}, {w.Kalashnikov, 2}} {
		titles, _, err := s.FindConferrals(bg, stakhanov.ConferralFilter{Recipient: stakhanov.PersonSubject(who.person), AwardID: hsl})
		must(t, err)
		orders, _, err := s.FindConferrals(bg, stakhanov.ConferralFilter{Recipient: stakhanov.PersonSubject(who.person), AwardID: lenin})
		must(t, err)
		if len(titles) != who.times || len(orders) != who.times {
			t.Fatalf("person %d: %d titles and %d Orders of Lenin, want %d of each", who.person, len(titles), len(orders), who.times)
		}
		for _, title := range titles {
			found := false
			for _, o := range orders {
				found = found || (o.CompanionOf == title.ID && o.DecreeID == title.DecreeID && o.Date == title.Date)
			}
			if !found {
				t.Fatalf("person %d: no Order of Lenin with the title of %s (orders %+v)", who.person, title.Date, orders)
			}
		}
	}
	r, err = s.Registry(bg, stakhanov.RegistryFilter{Q: "Kalashnikov"})
	must(t, err)
	if len(r.Recipients) != 1 || r.Recipients[0].Profession != demo.ProfessionDesigner {
		t.Fatalf("registry, q=Kalashnikov: %+v", r.Recipients)
	}
}
