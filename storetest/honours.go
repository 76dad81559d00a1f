package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// honours is the world with an award catalogue and the people who run it.
type honours struct {
	*world
	// Committee members: of the mine (the candidate's enterprise), unscoped,
	// the miner himself, the turner (who recommends the miner), and two of
	// the state commission.
	cMine, cFree, cSelf, cRec, c3, c4 *stakhanov.User
	nominator, authority, registrar   *stakhanov.User
	minerWorker, turnerWorker         *stakhanov.User
	ussr, lenin, hsl, rf              *stakhanov.Award
}

func account(t *testing.T, s stakhanov.Store, name, role string, unit *stakhanov.Unit, person *stakhanov.Person) *stakhanov.User {
	t.Helper()
	u := &stakhanov.User{Name: name, Role: role}
	if unit != nil {
		u.UnitID = unit.ID
	}
	if person != nil {
		u.PersonID = person.ID
	}
	must(t, s.CreateUser(system, u))
	got, err := s.FindUserByName(bg, name)
	must(t, err)
	return got
}

func star(metal string) stakhanov.Insignia {
	return stakhanov.Insignia{Description: "a five-pointed star", Shape: "star", Metal: metal, Emblem: "hammer-and-sickle", Ribbon: []string{"red"}}
}

func stage(name string, quorum int, members ...*stakhanov.User) stakhanov.Stage {
	s := stakhanov.Stage{Name: name, Quorum: quorum, Majority: 0.5}
	for _, m := range members {
		s.Members = append(s.Members, m.ID)
	}
	return s
}

func newHonours(t *testing.T, s stakhanov.Store) *honours {
	t.Helper()
	h := &honours{world: newWorld(t, s)}
	h.cMine = account(t, s, "committee-mine", stakhanov.RoleCommittee, h.mine, nil)
	h.cFree = account(t, s, "committee-free", stakhanov.RoleCommittee, nil, nil)
	h.cSelf = account(t, s, "committee-self", stakhanov.RoleCommittee, nil, h.miner)
	h.cRec = account(t, s, "committee-rec", stakhanov.RoleCommittee, nil, h.turner)
	h.c3 = account(t, s, "commission-3", stakhanov.RoleCommittee, nil, nil)
	h.c4 = account(t, s, "commission-4", stakhanov.RoleCommittee, nil, nil)
	h.nominator = account(t, s, "nominator", stakhanov.RoleNominator, nil, nil)
	h.authority = account(t, s, "authority", stakhanov.RoleAuthority, nil, nil)
	h.registrar = account(t, s, "registrar", stakhanov.RoleRegistrar, nil, nil)
	h.minerWorker = account(t, s, "miner", stakhanov.RoleWorker, h.brigade, h.miner)
	h.turnerWorker = account(t, s, "turner", stakhanov.RoleWorker, h.factory, h.turner)

	h.ussr = &stakhanov.Award{Name: "Hero of Labour", Kind: stakhanov.AwardTitle, Country: "USSR", Authority: "Central Executive Committee of the USSR",
		Established: date(t, "1927-07-27"), Abolished: date(t, "1938-12-27"), Insignia: star("silver"),
		Rules: stakhanov.AwardRules{Stages: []stakhanov.Stage{stage("commission", 1, h.c3)}}}
	must(t, s.CreateAward(system, h.ussr))
	h.lenin = &stakhanov.Award{Name: "Order of Lenin", Kind: stakhanov.AwardOrder, Country: "USSR", Authority: "Presidium of the Supreme Soviet of the USSR",
		Established: date(t, "1930-04-06"), Abolished: date(t, "1991-12-26"), Insignia: stakhanov.Insignia{Shape: "disc", Metal: "gold", Emblem: "lenin"},
		Rules: stakhanov.AwardRules{Stages: []stakhanov.Stage{stage("commission", 1, h.c3)}}}
	must(t, s.CreateAward(system, h.lenin))
	h.hsl = &stakhanov.Award{Name: "Hero of Socialist Labour", Kind: stakhanov.AwardTitle, Country: "USSR", Authority: "Presidium of the Supreme Soviet of the USSR",
		Established: date(t, "1938-12-27"), Abolished: date(t, "1991-12-26"), Insignia: star("gold"), PredecessorID: h.ussr.ID,
		Rules: stakhanov.AwardRules{MaxTimes: 3, Companions: []int64{h.lenin.ID},
			RepeatBrings: []stakhanov.RepeatBenefit{{Times: 2, Brings: "bronze bust in the home town"}},
			Stages:       []stakhanov.Stage{stage("commission", 1, h.c3)}}}
	must(t, s.CreateAward(system, h.hsl))
	h.rf = &stakhanov.Award{Name: "Hero of Labour of the Russian Federation", Kind: stakhanov.AwardTitle, Country: "Russia", Authority: "President of the Russian Federation",
		Established: date(t, "2013-03-29"), Insignia: star("gold"), PredecessorID: h.hsl.ID,
		Rules: stakhanov.AwardRules{MaxTimes: 1, RecommendationsNeeded: 1,
			Candidacy: &stakhanov.CandidacyRule{Kind: stakhanov.RuleKOfN, Subject: stakhanov.SubjectPerson, GoodID: h.coal.ID, Percent: 120, K: 3, N: 5},
			Stages: []stakhanov.Stage{
				stage("enterprise collective", 1, h.cMine, h.cFree, h.cSelf, h.cRec),
				stage("state commission", 2, h.c3, h.c4),
			}}}
	must(t, s.CreateAward(system, h.rf))
	return h
}

// qualify gives the miner a coal norm and five shifts well above it in the
// days before today, so that he meets the Russian Federation's rule.
func (h *honours) qualify(t *testing.T, s stakhanov.Store) {
	t.Helper()
	miner := stakhanov.PersonSubject(h.miner.ID)
	h.norm(t, s, miner, h.coal, 7, "2000-01-01")
	today := stakhanov.DateOf(time.Now())
	for i := 1; i <= 5; i++ {
		d := today.AddDays(-i)
		_, err := s.CreateReports(system, []*stakhanov.Report{report(miner, h.coal, d, 1, 10, 10, "q"+d.String())})
		must(t, err)
	}
}

func (h *honours) recommend(t *testing.T, s stakhanov.Store, by *stakhanov.User, cand stakhanov.Subject, a *stakhanov.Award) {
	t.Helper()
	must(t, s.CreateRecommendation(as(by), &stakhanov.Recommendation{Candidate: cand, AwardID: a.ID, Text: "a worthy comrade"}))
}

func (h *honours) dossier(t *testing.T, s stakhanov.Store, cand stakhanov.Subject, a *stakhanov.Award) *stakhanov.Nomination {
	t.Helper()
	n := &stakhanov.Nomination{AwardID: a.ID, Candidate: cand, Source: stakhanov.SourceDossier, Dossier: "years of selfless work"}
	must(t, s.CreateNomination(as(h.nominator), n))
	return n
}

func vote(t *testing.T, s stakhanov.Store, u *stakhanov.User, n *stakhanov.Nomination, v string) *stakhanov.Nomination {
	t.Helper()
	got, err := s.CastVote(as(u), &stakhanov.Vote{NominationID: n.ID, Vote: v, Comment: "voted by test"})
	must(t, err)
	return got
}

func wantState(t *testing.T, n *stakhanov.Nomination, state string, stage int) {
	t.Helper()
	if n.State != state || n.Stage != stage {
		t.Fatalf("nomination %d: state %s at stage %d, want %s at %d (history %+v)", n.ID, n.State, n.Stage, state, stage, n.History)
	}
}

// decree drafts and signs a decree as the authority.
func (h *honours) decree(t *testing.T, s stakhanov.Store, number, on, kind string, entries ...stakhanov.DecreeEntry) (*stakhanov.Decree, error) {
	t.Helper()
	d := &stakhanov.Decree{Number: number, Date: date(t, on), Authority: "Presidium", Kind: kind, Entries: entries}
	must(t, s.CreateDecree(as(h.authority), d))
	return s.SignDecree(as(h.authority), d.ID)
}

func record(a *stakhanov.Award, p *stakhanov.Person) stakhanov.DecreeEntry {
	return stakhanov.DecreeEntry{AwardID: a.ID, Recipient: stakhanov.PersonSubject(p.ID)}
}

func testAwards(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	got, err := s.FindAwardByID(bg, h.rf.ID)
	must(t, err)
	if got.Name != h.rf.Name || got.Established != date(t, "2013-03-29") || !got.Abolished.IsZero() || got.PredecessorID != h.hsl.ID ||
		got.Rules.MaxTimes != 1 || got.Rules.Candidacy == nil || got.Rules.Candidacy.K != 3 || len(got.Rules.Stages) != 2 ||
		len(got.Rules.Stages[0].Members) != 4 || got.Insignia.Metal != "gold" || got.CreatedAt.IsZero() {
		t.Fatalf("FindAwardByID: got %+v", got)
	}
	hsl, err := s.FindAwardByID(bg, h.hsl.ID)
	must(t, err)
	if len(hsl.Rules.Companions) != 1 || hsl.Rules.Companions[0] != h.lenin.ID || hsl.Rules.RepeatBrings[0].Brings != "bronze bust in the home town" {
		t.Fatalf("Hero of Socialist Labour rules: got %+v", hsl.Rules)
	}
	all, total, err := s.FindAwards(bg, stakhanov.AwardFilter{})
	must(t, err)
	if total != 4 || len(all) != 4 || all[0].ID != h.ussr.ID {
		t.Fatalf("FindAwards: got %d", total)
	}
	titles, total, err := s.FindAwards(bg, stakhanov.AwardFilter{Kind: stakhanov.AwardTitle})
	must(t, err)
	if total != 3 || len(titles) != 3 {
		t.Fatalf("titles: got %d", total)
	}
	_, err = s.FindAwardByID(bg, 9999)
	wantCode(t, err, stakhanov.ENOTFOUND, "")

	base := func() *stakhanov.Award {
		return &stakhanov.Award{Name: "Medal for Labour Valour", Kind: stakhanov.AwardMedal, Authority: "Presidium",
			Established: date(t, "1938-12-27"), Insignia: stakhanov.Insignia{Shape: "disc", Metal: "silver"},
			Rules: stakhanov.AwardRules{Stages: []stakhanov.Stage{stage("commission", 1, h.c3)}}}
	}
	for _, tc := range []struct {
		change func(a *stakhanov.Award)
		field  string
	}{
		{func(a *stakhanov.Award) { a.Name = " " }, "name"},
		{func(a *stakhanov.Award) { a.Kind = "trophy" }, "kind"},
		{func(a *stakhanov.Award) { a.Abolished = date(t, "1930-01-01") }, "abolished"},
		{func(a *stakhanov.Award) { a.Insignia.Shape = "cube" }, "insignia.shape"},
		{func(a *stakhanov.Award) { a.Rules.Stages = nil }, "rules.stages"},
		{func(a *stakhanov.Award) { a.Rules.Stages[0].Quorum = 2 }, "rules.stages[0].quorum"},
		{func(a *stakhanov.Award) { a.Rules.Stages[0].Members = []int64{h.c3.ID, h.nominator.ID} }, "rules.stages[0].members[1]"},
		{func(a *stakhanov.Award) { a.Rules.Stages[0].Members = []int64{9999} }, "rules.stages[0].members[0]"},
		{func(a *stakhanov.Award) { a.PredecessorID = 9999 }, "predecessor_id"},
		{func(a *stakhanov.Award) { a.Rules.Companions = []int64{h.lenin.ID, 9999} }, "rules.companions[1]"},
		{func(a *stakhanov.Award) { a.Rules.Prerequisites = []int64{9999} }, "rules.prerequisites[0]"},
		{func(a *stakhanov.Award) {
			a.Rules.MaxTimes = 2
			a.Rules.RepeatBrings = []stakhanov.RepeatBenefit{{Times: 3}}
		}, "rules.repeat_brings[0].times"},
		{func(a *stakhanov.Award) {
			a.Rules.Candidacy = &stakhanov.CandidacyRule{Kind: stakhanov.RuleKOfN, Subject: stakhanov.SubjectPerson, Percent: 120, K: 6, N: 5}
		}, "rules.candidacy.k"},
		{func(a *stakhanov.Award) {
			a.Rules.Candidacy = &stakhanov.CandidacyRule{Kind: stakhanov.RuleStreak, Subject: stakhanov.SubjectPerson, Percent: 120, Length: 5, GoodID: 9999}
		}, "rules.candidacy.good_id"},
	} {
		a := base()
		tc.change(a)
		wantCode(t, s.CreateAward(system, a), stakhanov.EINVALID, tc.field)
	}
	_, total, err = s.FindAwards(bg, stakhanov.AwardFilter{})
	must(t, err)
	if total != 4 {
		t.Fatalf("refused awards were saved: %d awards", total)
	}
}

func testHonoursFullPath(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	h.qualify(t, s)
	miner := stakhanov.PersonSubject(h.miner.ID)

	// The rule proposes the miner; he waits for a recommendation.
	n := &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: miner, Source: stakhanov.SourceRule}
	must(t, s.CreateNomination(as(h.nominator), n))
	wantState(t, n, stakhanov.NominationProposed, 0)
	if n.Evidence == nil || n.Evidence.Met != 5 || n.Evidence.Considered != 5 || n.Evidence.Name != h.miner.Name || n.NominatorID != h.nominator.ID {
		t.Fatalf("evidence: got %+v", n.Evidence)
	}
	err := s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: miner, Source: stakhanov.SourceDossier, Dossier: "again"})
	wantCode(t, err, stakhanov.ECONFLICT, "candidate")
	_, err = s.CastVote(as(h.cFree), &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")

	h.recommend(t, s, h.turnerWorker, miner, h.rf)
	got, err := s.FindNominationByID(bg, n.ID)
	must(t, err)
	wantState(t, got, stakhanov.NominationInReview, 0)
	if len(got.Recommendations) != 1 || got.Recommendations[0].RecommenderID != h.turner.ID || len(got.History) != 2 {
		t.Fatalf("nomination: got %+v", got)
	}
	waiting, total, err := s.FindNominations(bg, stakhanov.NominationFilter{Member: h.cFree.ID})
	must(t, err)
	if total != 1 || waiting[0].ID != n.ID {
		t.Fatalf("nominations waiting for committee-free: got %d", total)
	}
	filed, total, err := s.FindNominations(bg, stakhanov.NominationFilter{Nominator: h.nominator.ID})
	must(t, err)
	if total != 1 || filed[0].ID != n.ID {
		t.Fatalf("nominations filed by the nominator: got %d", total)
	}
	_, total, err = s.FindNominations(bg, stakhanov.NominationFilter{Nominator: h.cFree.ID})
	must(t, err)
	if total != 0 {
		t.Fatalf("nominations filed by committee-free, who filed none: got %d", total)
	}
	waiting, _, err = s.FindNominations(bg, stakhanov.NominationFilter{Member: h.c3.ID})
	must(t, err)
	if len(waiting) != 0 {
		t.Fatalf("nominations waiting for commission-3 before stage 1: got %d", len(waiting))
	}

	// Through both stages.
	_, err = s.CastVote(as(h.cFree), &stakhanov.Vote{NominationID: n.ID, Vote: "maybe"})
	wantCode(t, err, stakhanov.EINVALID, "vote")
	_, err = s.CastVote(as(h.c3), &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	got = vote(t, s, h.cFree, n, stakhanov.VoteApprove)
	wantState(t, got, stakhanov.NominationInReview, 1)
	got = vote(t, s, h.c3, n, stakhanov.VoteApprove)
	wantState(t, got, stakhanov.NominationInReview, 1)
	_, err = s.CastVote(as(h.c3), &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.ECONFLICT, "")
	got = vote(t, s, h.c4, n, stakhanov.VoteApprove)
	wantState(t, got, stakhanov.NominationApproved, 1)
	if len(got.Votes) != 3 || got.Votes[0].MemberID != h.cFree.ID || got.Votes[0].Stage != 0 || got.Votes[2].Stage != 1 {
		t.Fatalf("votes: got %+v", got.Votes)
	}
	approved, total, err := s.FindNominations(bg, stakhanov.NominationFilter{State: stakhanov.NominationApproved})
	must(t, err)
	if total != 1 || approved[0].ID != n.ID {
		t.Fatalf("approved nominations: got %d", total)
	}

	// The decree confers it.
	today := stakhanov.DateOf(time.Now())
	d := &stakhanov.Decree{Number: "No. 1", Date: today, Authority: h.rf.Authority, Kind: stakhanov.DecreeConfer,
		Entries: []stakhanov.DecreeEntry{{NominationID: n.ID}}}
	must(t, s.CreateDecree(as(h.authority), d))
	err = s.CreateDecree(as(h.authority), &stakhanov.Decree{Number: "No. 1", Date: today, Authority: h.rf.Authority, Kind: stakhanov.DecreeConfer,
		Entries: []stakhanov.DecreeEntry{{NominationID: n.ID}}})
	wantCode(t, err, stakhanov.ECONFLICT, "number")
	draft, err := s.FindDecreeByID(bg, d.ID)
	must(t, err)
	if draft.SignedAt != nil || len(draft.Entries) != 1 || draft.Entries[0].NominationID != n.ID || len(draft.Conferrals) != 0 {
		t.Fatalf("draft: got %+v", draft)
	}
	signed, err := s.SignDecree(as(h.authority), d.ID)
	must(t, err)
	if signed.SignedAt == nil || signed.SignedBy != h.authority.ID || len(signed.Conferrals) != 1 {
		t.Fatalf("signed decree: got %+v", signed)
	}
	_, err = s.SignDecree(as(h.authority), d.ID)
	wantCode(t, err, stakhanov.ECONFLICT, "")
	c, err := s.FindConferralByID(bg, signed.Conferrals[0])
	must(t, err)
	if c.AwardID != h.rf.ID || c.Recipient != miner || c.Serial != 1 || c.Times != 1 || c.Date != today || c.NominationID != n.ID ||
		c.DecreeID != d.ID || c.Revocation != nil || c.PresentedAt != nil {
		t.Fatalf("conferral: got %+v", c)
	}
	got, err = s.FindNominationByID(bg, n.ID)
	must(t, err)
	wantState(t, got, stakhanov.NominationConferred, 1)

	// The ceremony presents it.
	cer := &stakhanov.Ceremony{Date: today, Place: "Kremlin, St Catherine's Hall", Presenter: "the President", Conferrals: []int64{c.ID}}
	must(t, s.CreateCeremony(as(h.registrar), cer))
	err = s.CreateCeremony(as(h.registrar), &stakhanov.Ceremony{Date: today, Place: "x", Presenter: "y", Conferrals: []int64{9999}})
	wantCode(t, err, stakhanov.EINVALID, "conferrals[0]")
	must(t, s.MarkPresented(as(h.registrar), cer.ID, c.ID))
	wantCode(t, s.MarkPresented(as(h.registrar), cer.ID, c.ID), stakhanov.ECONFLICT, "")
	gotCer, err := s.FindCeremonyByID(bg, cer.ID)
	must(t, err)
	if len(gotCer.Conferrals) != 1 || len(gotCer.Presented) != 1 || gotCer.Presented[0] != c.ID || gotCer.Place != cer.Place {
		t.Fatalf("ceremony: got %+v", gotCer)
	}
	c, err = s.FindConferralByID(bg, c.ID)
	must(t, err)
	if c.PresentedAt == nil || c.PresentedAt.CeremonyID != cer.ID || c.PresentedAt.Date != today || c.PresentedAt.RecordedAt.IsZero() {
		t.Fatalf("presented: got %+v", c.PresentedAt)
	}
	ceremonies, total, err := s.FindCeremonies(bg, stakhanov.CeremonyFilter{})
	must(t, err)
	if total != 1 || len(ceremonies[0].Presented) != 1 {
		t.Fatalf("ceremonies: got %+v", ceremonies)
	}

	// The registry lists him.
	for _, q := range []string{"STAKHANOV", "hewer", "brigade"} {
		reg, err := s.Registry(bg, stakhanov.RegistryFilter{Q: q})
		must(t, err)
		if reg.Total != 1 || len(reg.Recipients) != 1 {
			t.Fatalf("registry %q: got %+v", q, reg)
		}
		r := reg.Recipients[0]
		if r.Recipient != miner || r.Name != h.miner.Name || r.Profession != "hewer" || r.Unit != h.brigade.Name || len(r.Conferrals) != 1 {
			t.Fatalf("registry %q: got %+v", q, r)
		}
		e := r.Conferrals[0]
		if e.Award != h.rf.Name || e.DecreeNumber != "No. 1" || e.Serial != 1 || e.Times != 1 || e.Date != today {
			t.Fatalf("registry entry: got %+v", e)
		}
		if len(reg.ByAward) != 1 || reg.ByAward[0].AwardID != h.rf.ID || reg.ByAward[0].Count != 1 ||
			len(reg.ByYear) != 1 || reg.ByYear[0].Year != today.Year() || reg.ByYear[0].Count != 1 {
			t.Fatalf("registry counts: got %+v %+v", reg.ByAward, reg.ByYear)
		}
	}
	for _, f := range []stakhanov.RegistryFilter{{Q: "%"}, {Q: "turner"}, {AwardID: h.hsl.ID}, {Year: 1935}} {
		reg, err := s.Registry(bg, f)
		must(t, err)
		if reg.Total != 0 || len(reg.Recipients) != 0 {
			t.Fatalf("registry %+v: got %+v", f, reg)
		}
	}
	reg, err := s.Registry(bg, stakhanov.RegistryFilter{AwardID: h.rf.ID, Year: today.Year()})
	must(t, err)
	if reg.Total != 1 {
		t.Fatalf("registry by award and year: got %+v", reg)
	}

	// A dossier for someone without a norm: the turner, recommended by a
	// helper whose letter the admin records on his behalf.
	turner := stakhanov.PersonSubject(h.turner.ID)
	err = s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: turner, Source: stakhanov.SourceDossier})
	wantCode(t, err, stakhanov.EINVALID, "dossier")
	must(t, s.CreateRecommendation(system, &stakhanov.Recommendation{RecommenderID: h.helper2.ID, Candidate: turner, AwardID: h.rf.ID, Text: "letter"}))
	dn := h.dossier(t, s, turner, h.rf)
	wantState(t, dn, stakhanov.NominationInReview, 0)
	if dn.Evidence != nil || dn.Source != stakhanov.SourceDossier || dn.Dossier == "" {
		t.Fatalf("dossier nomination: got %+v", dn)
	}
	got = vote(t, s, h.cMine, dn, stakhanov.VoteReject)
	wantState(t, got, stakhanov.NominationRejected, 0)
	// Once rejected, a new nomination may be filed.
	again := h.dossier(t, s, turner, h.rf)
	wantState(t, again, stakhanov.NominationInReview, 0)
	_, total, err = s.FindNominations(bg, stakhanov.NominationFilter{Candidate: turner})
	must(t, err)
	if total != 2 {
		t.Fatalf("nominations of the turner: got %d", total)
	}

	// Revoked, the title's nomination says so in its history.
	_, err = h.decree(t, s, "R-1", today.String(), stakhanov.DecreeRevoke, stakhanov.DecreeEntry{ConferralID: c.ID, Grounds: "records found false"})
	must(t, err)
	got, err = s.FindNominationByID(bg, n.ID)
	must(t, err)
	if last := got.History[len(got.History)-1]; got.State != stakhanov.NominationRevoked || !strings.Contains(last.Reason, "records found false") {
		t.Fatalf("the nomination after its title was revoked: state %s, history %+v", got.State, got.History)
	}
}

func testSelfRecommendation(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	miner := stakhanov.PersonSubject(h.miner.ID)
	err := s.CreateRecommendation(as(h.minerWorker), &stakhanov.Recommendation{Candidate: miner, AwardID: h.rf.ID, Text: "I am the best"})
	wantCode(t, err, stakhanov.EINVALID, "candidate")
	if !strings.Contains(stakhanov.ErrorMessage(err), "nobody recommends themselves") {
		t.Fatalf("message: got %q", stakhanov.ErrorMessage(err))
	}
	err = s.CreateRecommendation(system, &stakhanov.Recommendation{RecommenderID: h.miner.ID, Candidate: miner, AwardID: h.rf.ID})
	wantCode(t, err, stakhanov.EINVALID, "candidate")
	_, total, err := s.FindRecommendations(bg, stakhanov.RecommendationFilter{Candidate: miner})
	must(t, err)
	if total != 0 {
		t.Fatalf("recommendations: got %d", total)
	}
}

func testSecondRecommendation(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	miner := stakhanov.PersonSubject(h.miner.ID)
	h.recommend(t, s, h.turnerWorker, miner, h.rf)
	err := s.CreateRecommendation(as(h.turnerWorker), &stakhanov.Recommendation{Candidate: miner, AwardID: h.rf.ID, Text: "once more"})
	wantCode(t, err, stakhanov.ECONFLICT, "")
	if want := "Lathe operator has already recommended Alexei Stakhanov for Hero of Labour of the Russian Federation"; !strings.HasPrefix(stakhanov.ErrorMessage(err), want) {
		t.Fatalf("a second letter: got %q, want it to begin %q", stakhanov.ErrorMessage(err), want)
	}
	// Another award, or another candidate, is another letter.
	h.recommend(t, s, h.turnerWorker, miner, h.hsl)
	h.recommend(t, s, h.turnerWorker, stakhanov.UnitSubject(h.brigade.ID), h.rf)
	err = s.CreateRecommendation(as(h.turnerWorker), &stakhanov.Recommendation{RecommenderID: h.helper1.ID, Candidate: miner, AwardID: h.rf.ID})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	err = s.CreateRecommendation(as(h.turnerWorker), &stakhanov.Recommendation{Candidate: stakhanov.PersonSubject(9999), AwardID: h.rf.ID})
	wantCode(t, err, stakhanov.EINVALID, "candidate")
	err = s.CreateRecommendation(as(h.turnerWorker), &stakhanov.Recommendation{Candidate: miner, AwardID: 9999})
	wantCode(t, err, stakhanov.EINVALID, "award_id")
	recs, total, err := s.FindRecommendations(bg, stakhanov.RecommendationFilter{Candidate: miner, AwardID: h.rf.ID})
	must(t, err)
	if total != 1 || recs[0].RecommenderID != h.turner.ID || recs[0].Text != "a worthy comrade" || recs[0].CreatedBy != h.turnerWorker.ID {
		t.Fatalf("recommendations: got %+v", recs)
	}
}

// inReview files a dossier nomination of the miner for the Russian
// Federation's title, recommended by the turner, so that it is in review at
// the enterprise stage.
func (h *honours) inReview(t *testing.T, s stakhanov.Store) *stakhanov.Nomination {
	t.Helper()
	miner := stakhanov.PersonSubject(h.miner.ID)
	h.recommend(t, s, h.turnerWorker, miner, h.rf)
	n := h.dossier(t, s, miner, h.rf)
	wantState(t, n, stakhanov.NominationInReview, 0)
	return n
}

func testVoteByEnterpriseMember(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	n := h.inReview(t, s)
	_, err := s.CastVote(as(h.cMine), &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	if !strings.Contains(stakhanov.ErrorMessage(err), "enterprise") {
		t.Fatalf("message: got %q", stakhanov.ErrorMessage(err))
	}
	got, err := s.FindNominationByID(bg, n.ID)
	must(t, err)
	if len(got.Votes) != 0 {
		t.Fatalf("votes: got %+v", got.Votes)
	}
	// The same member may vote on a candidate of another enterprise.
	turner := stakhanov.PersonSubject(h.turner.ID)
	must(t, s.CreateRecommendation(system, &stakhanov.Recommendation{RecommenderID: h.helper1.ID, Candidate: turner, AwardID: n.AwardID}))
	other := h.dossier(t, s, turner, h.rf)
	got = vote(t, s, h.cMine, other, stakhanov.VoteApprove)
	wantState(t, got, stakhanov.NominationInReview, 1)
}

func testVoteByCandidate(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	n := h.inReview(t, s)
	_, err := s.CastVote(as(h.cSelf), &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	if !strings.Contains(stakhanov.ErrorMessage(err), "candidate") {
		t.Fatalf("message: got %q", stakhanov.ErrorMessage(err))
	}
}

func testVoteByRecommender(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	n := h.inReview(t, s)
	_, err := s.CastVote(as(h.cRec), &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	if !strings.Contains(stakhanov.ErrorMessage(err), "recommended") {
		t.Fatalf("message: got %q", stakhanov.ErrorMessage(err))
	}
	got := vote(t, s, h.cFree, n, stakhanov.VoteApprove)
	wantState(t, got, stakhanov.NominationInReview, 1)
}

func testSecondHeroOfLabourRF(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	_, err := h.decree(t, s, "1", "2014-05-01", stakhanov.DecreeRecord, record(h.rf, h.miner))
	must(t, err)
	// A nomination that could never be signed says why before it is filed.
	why, err := s.NominationObstacles(bg, h.rf.ID, stakhanov.PersonSubject(h.miner.ID))
	must(t, err)
	if len(why) != 1 || !strings.Contains(why[0], "Alexei Stakhanov already holds Hero of Labour of the Russian Federation once") {
		t.Fatalf("obstacles to a second title: got %q", why)
	}
	if why, err := s.NominationObstacles(bg, h.rf.ID, stakhanov.PersonSubject(h.turner.ID)); err != nil || len(why) != 0 {
		t.Fatalf("obstacles to the turner's first title: got %q, %v", why, err)
	}
	err = s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: stakhanov.PersonSubject(h.miner.ID),
		Source: stakhanov.SourceDossier, Dossier: "a second title"})
	wantCode(t, err, stakhanov.ECONFLICT, "candidate")
	if !strings.Contains(stakhanov.ErrorMessage(err), "Alexei Stakhanov cannot be nominated for Hero of Labour of the Russian Federation") {
		t.Fatalf("a nomination that could never be signed: got %q", stakhanov.ErrorMessage(err))
	}
	// An abolished award may still be conferred by a decree dated while
	// it was in force.
	if why, err := s.NominationObstacles(bg, h.ussr.ID, stakhanov.PersonSubject(h.turner.ID)); err != nil || len(why) != 0 {
		t.Fatalf("obstacles to an abolished title: got %q, %v", why, err)
	}
	// The turner's entry is fine; the miner's second title is not.
	d := &stakhanov.Decree{Number: "2", Date: date(t, "2015-05-01"), Authority: "Presidium", Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{record(h.rf, h.turner), record(h.rf, h.miner)}}
	must(t, s.CreateDecree(as(h.authority), d))
	_, err = s.SignDecree(as(h.authority), d.ID)
	wantCode(t, err, stakhanov.EINVALID, "entries[1]")
	if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, "entry 2: Alexei Stakhanov already holds Hero of Labour of the Russian Federation once") || strings.Contains(msg, "entry 1") {
		t.Fatalf("message: got %q", msg)
	}
	got, err := s.FindDecreeByID(bg, d.ID)
	must(t, err)
	if got.SignedAt != nil || len(got.Conferrals) != 0 {
		t.Fatalf("refused decree: got %+v", got)
	}
	_, total, err := s.FindConferrals(bg, stakhanov.ConferralFilter{AwardID: h.rf.ID})
	must(t, err)
	if total != 1 {
		t.Fatalf("conferrals of the title: got %d, want the first only", total)
	}
	// Twice in one decree is refused too, naming both failing entries.
	d = &stakhanov.Decree{Number: "3", Date: date(t, "2015-05-01"), Authority: "Presidium", Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{record(h.rf, h.miner), record(h.rf, h.turner), record(h.rf, h.turner)}}
	must(t, s.CreateDecree(as(h.authority), d))
	_, err = s.SignDecree(as(h.authority), d.ID)
	wantCode(t, err, stakhanov.EINVALID, "entries[0]")
	if msg := stakhanov.ErrorMessage(err); !strings.Contains(msg, "entry 1: Alexei Stakhanov") || !strings.Contains(msg, "entry 3: Lathe operator") || strings.Contains(msg, "entry 2") {
		t.Fatalf("message: got %q", msg)
	}
	_, total, err = s.FindConferrals(bg, stakhanov.ConferralFilter{Recipient: stakhanov.PersonSubject(h.turner.ID)})
	must(t, err)
	if total != 0 {
		t.Fatalf("conferrals of the turner: got %d", total)
	}
}

func testAbolishedAward(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	_, err := h.decree(t, s, "1", "1939-05-01", stakhanov.DecreeRecord, record(h.ussr, h.miner))
	wantCode(t, err, stakhanov.EINVALID, "entries[0]")
	if !strings.Contains(stakhanov.ErrorMessage(err), "not in force") {
		t.Fatalf("message: got %q", stakhanov.ErrorMessage(err))
	}
	_, err = h.decree(t, s, "2", "1926-05-01", stakhanov.DecreeRecord, record(h.ussr, h.miner))
	wantCode(t, err, stakhanov.EINVALID, "entries[0]")
	d, err := h.decree(t, s, "3", "1936-05-01", stakhanov.DecreeRecord, record(h.ussr, h.miner))
	must(t, err)
	if len(d.Conferrals) != 1 {
		t.Fatalf("conferrals: got %+v", d.Conferrals)
	}
}

func testCompanionAndRepeat(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	first, err := h.decree(t, s, "1", "1939-12-27", stakhanov.DecreeRecord, record(h.hsl, h.miner))
	must(t, err)
	if len(first.Conferrals) != 2 {
		t.Fatalf("conferrals of the first decree: got %v, want the title and the Order of Lenin", first.Conferrals)
	}
	title, err := s.FindConferralByID(bg, first.Conferrals[0])
	must(t, err)
	order, err := s.FindConferralByID(bg, first.Conferrals[1])
	must(t, err)
	if title.AwardID != h.hsl.ID || title.Times != 1 || title.Brings != "" || title.Serial != 1 || title.CompanionOf != 0 {
		t.Fatalf("title: got %+v", title)
	}
	if order.AwardID != h.lenin.ID || order.CompanionOf != title.ID || order.Times != 1 || order.Serial != 1 || order.Date != title.Date {
		t.Fatalf("companion: got %+v", order)
	}
	second, err := h.decree(t, s, "2", "1943-01-05", stakhanov.DecreeRecord, record(h.hsl, h.miner), record(h.hsl, h.turner))
	must(t, err)
	if len(second.Conferrals) != 4 {
		t.Fatalf("conferrals of the second decree: got %v", second.Conferrals)
	}
	again, err := s.FindConferralByID(bg, second.Conferrals[0])
	must(t, err)
	if again.Times != 2 || again.Brings != "bronze bust in the home town" || again.Serial != 2 {
		t.Fatalf("second title: got %+v", again)
	}
	turners, err := s.FindConferralByID(bg, second.Conferrals[2])
	must(t, err)
	if turners.Times != 1 || turners.Brings != "" || turners.Serial != 3 || turners.Recipient != stakhanov.PersonSubject(h.turner.ID) {
		t.Fatalf("turner's title: got %+v", turners)
	}
	reg, err := s.Registry(bg, stakhanov.RegistryFilter{AwardID: h.hsl.ID})
	must(t, err)
	if reg.Total != 2 || len(reg.Recipients) != 2 || reg.Recipients[0].Name != "Alexei Stakhanov" || len(reg.Recipients[0].Conferrals) != 4 {
		t.Fatalf("registry: got %+v", reg)
	}
	if len(reg.ByAward) != 1 || reg.ByAward[0].Count != 3 {
		t.Fatalf("by award: got %+v", reg.ByAward)
	}
	if len(reg.ByYear) != 2 || reg.ByYear[0] != (stakhanov.YearCount{Year: 1939, Count: 1}) || reg.ByYear[1] != (stakhanov.YearCount{Year: 1943, Count: 2}) {
		t.Fatalf("by year: got %+v", reg.ByYear)
	}
	all, err := s.Registry(bg, stakhanov.RegistryFilter{})
	must(t, err)
	if all.Total != 2 || len(all.ByAward) != 2 || all.ByAward[0].Count+all.ByAward[1].Count != 6 {
		t.Fatalf("whole registry: got %+v", all.ByAward)
	}
	page, err := s.Registry(bg, stakhanov.RegistryFilter{Page: stakhanov.Page{Limit: 1, Offset: 1}})
	must(t, err)
	if page.Total != 2 || len(page.Recipients) != 1 || page.Recipients[0].Name != h.turner.Name || len(page.Recipients[0].Conferrals) != 2 {
		t.Fatalf("second page: got %+v", page)
	}
	y1939, err := s.Registry(bg, stakhanov.RegistryFilter{Year: 1939})
	must(t, err)
	if y1939.Total != 1 || len(y1939.Recipients[0].Conferrals) != 4 || len(y1939.ByYear) != 1 || y1939.ByYear[0].Count != 2 {
		t.Fatalf("1939: got %+v", y1939)
	}
}

func testRevocation(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	conferred, err := h.decree(t, s, "1", "1936-01-01", stakhanov.DecreeRecord, record(h.ussr, h.miner))
	must(t, err)
	id := conferred.Conferrals[0]
	err = s.CreateDecree(as(h.authority), &stakhanov.Decree{Number: "2", Date: date(t, "1990-01-01"), Authority: "Presidium", Kind: stakhanov.DecreeRevoke,
		Entries: []stakhanov.DecreeEntry{{ConferralID: id, Grounds: "envy"}}})
	wantCode(t, err, stakhanov.EINVALID, "entries[0].grounds")
	revoke := stakhanov.DecreeEntry{ConferralID: id, Grounds: "records found false"}
	d, err := h.decree(t, s, "3", "1990-01-01", stakhanov.DecreeRevoke, revoke)
	must(t, err)
	if d.SignedAt == nil || len(d.Conferrals) != 0 {
		t.Fatalf("revocation decree: got %+v", d)
	}
	c, err := s.FindConferralByID(bg, id)
	must(t, err)
	if c.Revocation == nil || c.Revocation.DecreeID != d.ID || c.Revocation.Grounds != "records found false" || c.Revocation.Date != date(t, "1990-01-01") {
		t.Fatalf("revoked conferral: got %+v", c.Revocation)
	}
	list, total, err := s.FindConferrals(bg, stakhanov.ConferralFilter{Recipient: stakhanov.PersonSubject(h.miner.ID)})
	must(t, err)
	if total != 1 || list[0].Revocation == nil {
		t.Fatalf("conferrals: got %+v", list)
	}
	reg, err := s.Registry(bg, stakhanov.RegistryFilter{Q: "stakhanov"})
	must(t, err)
	if reg.Total != 1 || reg.Recipients[0].Conferrals[0].Revocation == nil || reg.Recipients[0].Conferrals[0].Revocation.Grounds != "records found false" {
		t.Fatalf("registry: got %+v", reg)
	}
	// The pre-check says what signing will: revoked already.
	draft := &stakhanov.Decree{Number: "3a", Date: date(t, "1991-01-01"), Authority: "Presidium", Kind: stakhanov.DecreeRevoke, Entries: []stakhanov.DecreeEntry{revoke}}
	must(t, s.CreateDecree(as(h.authority), draft))
	problems, err := s.DecreeProblems(bg, draft.ID)
	must(t, err)
	if len(problems) != 1 || len(problems[0]) != 1 || !strings.Contains(problems[0][0], "revoked already") {
		t.Fatalf("pre-check of a second revocation: got %q", problems)
	}
	_, err = h.decree(t, s, "4", "1991-01-01", stakhanov.DecreeRevoke, revoke)
	wantCode(t, err, stakhanov.EINVALID, "entries[0]")
	if !strings.Contains(stakhanov.ErrorMessage(err), "revoked already") {
		t.Fatalf("message: got %q", stakhanov.ErrorMessage(err))
	}
	// A revoked conferral is not presented.
	err = s.CreateCeremony(as(h.registrar), &stakhanov.Ceremony{Date: date(t, "1991-01-01"), Place: "Moscow", Presenter: "x", Conferrals: []int64{id}})
	wantCode(t, err, stakhanov.EINVALID, "conferrals[0]")
}

func testNominationRuleNotMet(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	h.qualify(t, s)
	// The turner has no norm: no fulfilment, no candidacy.
	err := s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: stakhanov.PersonSubject(h.turner.ID), Source: stakhanov.SourceRule})
	wantCode(t, err, stakhanov.EINVALID, "candidate")
	// A helper with a norm but below it.
	helper := stakhanov.PersonSubject(h.helper1.ID)
	h.norm(t, s, helper, h.coal, 7, "2000-01-01")
	today := stakhanov.DateOf(time.Now())
	for i := 1; i <= 5; i++ {
		d := today.AddDays(-i)
		_, err := s.CreateReports(system, []*stakhanov.Report{report(helper, h.coal, d, 1, 8, 8, fmt.Sprint("h", i))})
		must(t, err)
	}
	err = s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: helper, Source: stakhanov.SourceRule})
	wantCode(t, err, stakhanov.EINVALID, "candidate")
	// An award without a rule takes dossiers only.
	err = s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.hsl.ID, Candidate: stakhanov.PersonSubject(h.miner.ID), Source: stakhanov.SourceRule})
	wantCode(t, err, stakhanov.EINVALID, "source")
	err = s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: stakhanov.PersonSubject(9999), Source: stakhanov.SourceRule})
	wantCode(t, err, stakhanov.EINVALID, "candidate")
	_, total, err := s.FindNominations(bg, stakhanov.NominationFilter{})
	must(t, err)
	if total != 0 {
		t.Fatalf("nominations: got %d", total)
	}
	// The miner does meet it.
	must(t, s.CreateNomination(as(h.nominator), &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: stakhanov.PersonSubject(h.miner.ID), Source: stakhanov.SourceRule}))
}

func testHonoursRoles(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	miner := stakhanov.PersonSubject(h.miner.ID)
	award := &stakhanov.Award{Name: "x", Kind: stakhanov.AwardMedal, Authority: "x", Established: date(t, "2000-01-01"),
		Insignia: stakhanov.Insignia{Shape: "disc"}, Rules: stakhanov.AwardRules{Stages: []stakhanov.Stage{stage("s", 1, h.c3)}}}
	wantCode(t, s.CreateAward(bg, award), stakhanov.EUNAUTHORIZED, "")
	wantCode(t, s.CreateAward(as(h.nominator), award), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.CreateRecommendation(bg, &stakhanov.Recommendation{Candidate: miner, AwardID: h.rf.ID}), stakhanov.EUNAUTHORIZED, "")
	wantCode(t, s.CreateRecommendation(as(h.nominator), &stakhanov.Recommendation{Candidate: miner, AwardID: h.rf.ID}), stakhanov.EFORBIDDEN, "")
	dossier := &stakhanov.Nomination{AwardID: h.rf.ID, Candidate: miner, Source: stakhanov.SourceDossier, Dossier: "d"}
	wantCode(t, s.CreateNomination(bg, dossier), stakhanov.EUNAUTHORIZED, "")
	wantCode(t, s.CreateNomination(as(h.minerWorker), dossier), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.CreateNomination(as(h.authority), dossier), stakhanov.EFORBIDDEN, "")

	n := h.inReview(t, s)
	_, err := s.CastVote(bg, &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	_, err = s.CastVote(system, &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	other := account(t, s, "other-nominator", stakhanov.RoleNominator, nil, nil)
	_, err = s.WithdrawNomination(as(other), n.ID, "not mine")
	wantCode(t, err, stakhanov.EFORBIDDEN, "")

	d := &stakhanov.Decree{Number: "1", Date: date(t, "2014-01-01"), Authority: "Presidium", Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{record(h.rf, h.miner)}}
	wantCode(t, s.CreateDecree(bg, d), stakhanov.EUNAUTHORIZED, "")
	wantCode(t, s.CreateDecree(as(h.nominator), d), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.CreateDecree(as(h.registrar), d), stakhanov.EFORBIDDEN, "")
	must(t, s.CreateDecree(as(h.authority), d))
	_, err = s.SignDecree(bg, d.ID)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	_, err = s.SignDecree(as(h.registrar), d.ID)
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	_, err = s.SignDecree(as(h.c3), d.ID)
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	signed, err := s.SignDecree(as(h.authority), d.ID)
	must(t, err)

	cer := &stakhanov.Ceremony{Date: date(t, "2014-02-01"), Place: "Kremlin", Presenter: "the President", Conferrals: signed.Conferrals}
	wantCode(t, s.CreateCeremony(bg, cer), stakhanov.EUNAUTHORIZED, "")
	wantCode(t, s.CreateCeremony(as(h.authority), cer), stakhanov.EFORBIDDEN, "")
	must(t, s.CreateCeremony(as(h.registrar), cer))
	wantCode(t, s.MarkPresented(as(h.authority), cer.ID, signed.Conferrals[0]), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.MarkPresented(bg, cer.ID, signed.Conferrals[0]), stakhanov.EUNAUTHORIZED, "")

	// The nominator who filed it may withdraw it; then no more votes.
	got, err := s.WithdrawNomination(as(h.nominator), n.ID, "the candidate asked")
	must(t, err)
	wantState(t, got, stakhanov.NominationWithdrawn, 0)
	_, err = s.WithdrawNomination(as(h.nominator), n.ID, "again")
	wantCode(t, err, stakhanov.ECONFLICT, "")
	_, err = s.CastVote(as(h.cFree), &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
}

func testPrerequisites(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	// A medal only for holders of the Order of Lenin.
	medal := &stakhanov.Award{Name: "Veteran's medal", Kind: stakhanov.AwardMedal, Authority: "Presidium", Established: date(t, "1938-12-27"),
		Insignia: stakhanov.Insignia{Shape: "disc", Metal: "bronze"},
		Rules:    stakhanov.AwardRules{Prerequisites: []int64{h.lenin.ID}, Stages: []stakhanov.Stage{stage("commission", 1, h.c3)}}}
	must(t, s.CreateAward(system, medal))
	_, err := h.decree(t, s, "1", "1940-01-01", stakhanov.DecreeRecord, record(medal, h.miner))
	wantCode(t, err, stakhanov.EINVALID, "entries[0]")
	if !strings.Contains(stakhanov.ErrorMessage(err), "Order of Lenin") {
		t.Fatalf("message: got %q", stakhanov.ErrorMessage(err))
	}
	// The Order of Lenin comes with the title earlier in the same decree.
	d, err := h.decree(t, s, "2", "1940-01-01", stakhanov.DecreeRecord, record(h.hsl, h.miner), record(medal, h.miner))
	must(t, err)
	if len(d.Conferrals) != 3 {
		t.Fatalf("conferrals: got %v", d.Conferrals)
	}
}

// testRevocationTakesCompanions: revoking a Hero of Socialist Labour
// revokes the Order of Lenin conferred with it, in the same decree and
// ledger, unless the entry keeps it; the nomination's history says so.
func testRevocationTakesCompanions(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	first, err := h.decree(t, s, "1", "1939-12-27", stakhanov.DecreeRecord, record(h.hsl, h.miner), record(h.hsl, h.turner))
	must(t, err)
	if len(first.Conferrals) != 4 {
		t.Fatalf("conferrals: got %v, want two titles, each with its Order of Lenin", first.Conferrals)
	}
	minerTitle, minerOrder, turnerTitle, turnerOrder := first.Conferrals[0], first.Conferrals[1], first.Conferrals[2], first.Conferrals[3]
	before, err := s.LedgerSize(bg)
	must(t, err)
	d, err := h.decree(t, s, "2", "1990-01-01", stakhanov.DecreeRevoke,
		stakhanov.DecreeEntry{ConferralID: minerTitle, Grounds: "records found false"},
		stakhanov.DecreeEntry{ConferralID: turnerTitle, Grounds: "conviction", KeepCompanions: true})
	must(t, err)
	for _, tt := range []struct {
		id      int64
		revoked bool
	}{{minerTitle, true}, {minerOrder, true}, {turnerTitle, true}, {turnerOrder, false}} {
		c, err := s.FindConferralByID(bg, tt.id)
		must(t, err)
		if (c.Revocation != nil) != tt.revoked || (tt.revoked && c.Revocation.DecreeID != d.ID) {
			t.Fatalf("conferral %d: revocation %+v, want revoked %v by decree %d", tt.id, c.Revocation, tt.revoked, d.ID)
		}
	}
	if c, _ := s.FindConferralByID(bg, minerOrder); c.Revocation.Grounds != "records found false" {
		t.Fatalf("the companion's grounds: got %q", c.Revocation.Grounds)
	}
	after, err := s.LedgerSize(bg)
	must(t, err)
	// The decree and three revocations.
	if after != before+4 {
		t.Fatalf("ledger: %d records added, want 4", after-before)
	}
}

// testDraftDecreeMended: a draft whose entry fails has the entry removed,
// on record, and is signed; another draft is discarded: it stays, marked,
// and can no longer be signed or changed.
func testDraftDecreeMended(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	_, err := h.decree(t, s, "1", "2014-05-01", stakhanov.DecreeRecord, record(h.rf, h.miner))
	must(t, err)
	d := &stakhanov.Decree{Number: "2", Date: date(t, "2015-05-01"), Authority: "Presidium", Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{record(h.rf, h.miner), record(h.rf, h.turner)}}
	must(t, s.CreateDecree(as(h.authority), d))
	_, err = s.SignDecree(as(h.authority), d.ID)
	wantCode(t, err, stakhanov.EINVALID, "entries[0]")
	_, err = s.RemoveDecreeEntry(as(h.authority), d.ID, 1, "")
	wantCode(t, err, stakhanov.EINVALID, "reason")
	_, err = s.RemoveDecreeEntry(as(h.authority), d.ID, 3, "x")
	wantCode(t, err, stakhanov.EINVALID, "entry")
	_, err = s.RemoveDecreeEntry(as(h.nominator), d.ID, 1, "x")
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	mended, err := s.RemoveDecreeEntry(as(h.authority), d.ID, 1, "he holds it already")
	must(t, err)
	if len(mended.Entries) != 1 || mended.Entries[0].Recipient != stakhanov.PersonSubject(h.turner.ID) ||
		len(mended.Removed) != 1 || mended.Removed[0].Reason != "he holds it already" || mended.Removed[0].By != h.authority.ID {
		t.Fatalf("mended draft: got %+v", mended)
	}
	signed, err := s.SignDecree(as(h.authority), d.ID)
	must(t, err)
	if len(signed.Conferrals) != 1 {
		t.Fatalf("signed: got %+v", signed)
	}
	_, err = s.RemoveDecreeEntry(as(h.authority), d.ID, 1, "too late")
	wantCode(t, err, stakhanov.ECONFLICT, "")

	other := &stakhanov.Decree{Number: "3", Date: date(t, "2015-05-01"), Authority: "Presidium", Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{record(h.rf, h.miner)}}
	must(t, s.CreateDecree(as(h.authority), other))
	gone, err := s.DiscardDecree(as(h.authority), other.ID, "drafted in error")
	must(t, err)
	if gone.Discarded == nil || gone.Discarded.Reason != "drafted in error" {
		t.Fatalf("discarded: got %+v", gone)
	}
	_, err = s.SignDecree(as(h.authority), other.ID)
	wantCode(t, err, stakhanov.ECONFLICT, "")
	_, err = s.DiscardDecree(as(h.authority), other.ID, "again")
	wantCode(t, err, stakhanov.ECONFLICT, "")
	if kept, err := s.FindDecreeByID(bg, other.ID); err != nil || kept.Discarded == nil || len(kept.Entries) != 1 {
		t.Fatalf("the discarded draft is kept: got %+v, %v", kept, err)
	}
}

// testReviewCannotGetStuck: a stage of four with a quorum of three, where
// two must recuse (of the candidate's enterprise, the candidate), is stuck
// and says so at once; with a substitute it is decided by the members free
// and the substitute; with a chair, by the chair alone.
func testReviewCannotGetStuck(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	miner := stakhanov.PersonSubject(h.miner.ID)
	sub := account(t, s, "committee-substitute", stakhanov.RoleCommittee, nil, nil)
	award := func(name string, substitutes []int64, chair int64) *stakhanov.Award {
		st := stage("commission", 3, h.cMine, h.cSelf, h.cFree, h.c3)
		st.Substitutes, st.Chair = substitutes, chair
		a := &stakhanov.Award{Name: name, Kind: stakhanov.AwardOrder, Country: "Russia", Authority: "President", Established: date(t, "2000-01-01"),
			Insignia: star("gold"), Rules: stakhanov.AwardRules{Stages: []stakhanov.Stage{st}}}
		must(t, s.CreateAward(system, a))
		return a
	}

	stuck := h.dossier(t, s, miner, award("Order of the stuck stage", nil, 0))
	st, err := s.StageStanding(bg, stuck.ID)
	must(t, err)
	if !st.Stuck || len(st.Eligible) != 2 || len(st.Recused) != 2 || !strings.Contains(st.WayOut, "no substitute or chair") {
		t.Fatalf("the stuck stage: got %+v", st)
	}

	withSub := h.dossier(t, s, miner, award("Order with a substitute", []int64{sub.ID}, 0))
	st, err = s.StageStanding(bg, withSub.ID)
	must(t, err)
	if st.Stuck || !st.Substituted || len(st.Eligible) != 3 || st.Eligible[2] != sub.ID {
		t.Fatalf("the stage with a substitute: got %+v", st)
	}
	vote(t, s, h.cFree, withSub, stakhanov.VoteApprove)
	vote(t, s, h.c3, withSub, stakhanov.VoteApprove)
	wantState(t, vote(t, s, sub, withSub, stakhanov.VoteApprove), stakhanov.NominationApproved, 0)

	withChair := h.dossier(t, s, miner, award("Order with a chair", nil, h.cFree.ID))
	st, err = s.StageStanding(bg, withChair.ID)
	must(t, err)
	if st.Stuck || !st.ChairDecides {
		t.Fatalf("the stage with a chair: got %+v", st)
	}
	got := vote(t, s, h.cFree, withChair, stakhanov.VoteReject)
	wantState(t, got, stakhanov.NominationRejected, 0)
	if last := got.History[len(got.History)-1]; !strings.Contains(last.Reason, "by its chair committee-free alone") {
		t.Fatalf("the chair's decision: got %q", last.Reason)
	}
	_, err = s.StageStanding(bg, withChair.ID)
	wantCode(t, err, stakhanov.ECONFLICT, "")
	// A substitute does not vote where the members make the quorum.
	free := award("Order of a free stage", []int64{sub.ID}, 0)
	n := h.dossier(t, s, stakhanov.PersonSubject(h.turner.ID), free)
	_, err = s.CastVote(as(sub), &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
}

// testHonoursScope: an authority, a registrar and a planner scoped to the
// factory act on the factory's people only; a record decree does not make
// a title of today.
func testHonoursScope(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	authority := account(t, s, "factory authority", stakhanov.RoleAuthority, h.factory, nil)
	registrar := account(t, s, "factory registrar", stakhanov.RoleRegistrar, h.factory, nil)
	planner := account(t, s, "factory planner", stakhanov.RolePlanner, h.factory, nil)

	miners := &stakhanov.Decree{Number: "F-1", Date: date(t, "1939-12-27"), Authority: "Presidium", Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{record(h.hsl, h.miner)}}
	wantCode(t, s.CreateDecree(as(authority), miners), stakhanov.EFORBIDDEN, "")
	turners := &stakhanov.Decree{Number: "F-2", Date: date(t, "1939-12-27"), Authority: "Presidium", Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{record(h.hsl, h.turner)}}
	must(t, s.CreateDecree(as(authority), turners))
	if _, err := s.SignDecree(as(authority), turners.ID); err != nil {
		t.Fatalf("the factory's authority signs for the factory's turner: %v", err)
	}
	signed, err := h.decree(t, s, "1", "1939-12-27", stakhanov.DecreeRecord, record(h.hsl, h.miner))
	must(t, err)
	err = s.CreateCeremony(as(registrar), &stakhanov.Ceremony{Date: date(t, "1940-01-01"), Place: "Moscow", Presenter: "x", Conferrals: []int64{signed.Conferrals[0]}})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetPlausibilityRules(as(planner), h.coal.ID, &stakhanov.PlausibilityRules{MaxPerShift: 100}), stakhanov.EFORBIDDEN, "")

	// A record decree of a title whose register is open here is refused.
	today := stakhanov.DateOf(time.Now().UTC())
	_, err = h.decree(t, s, "2", today.String(), stakhanov.DecreeRecord, record(h.rf, h.turner))
	wantCode(t, err, stakhanov.EINVALID, "entries[0]")
	if !strings.Contains(stakhanov.ErrorMessage(err), "nomination and review") {
		t.Fatalf("a record decree of a title of today: got %q", stakhanov.ErrorMessage(err))
	}
}
