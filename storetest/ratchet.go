package storetest

import (
	"math"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// testRatchet: a norm raised after three months above it is found as a
// ratchet, with its dates and the months before and after; one raised
// after months below it is a raise, not a ratchet; a version corrected the
// same day and a lowered norm are no raise; a unit with none finds none.
func testRatchet(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner, turner, helper := stakhanov.PersonSubject(w.miner.ID), stakhanov.PersonSubject(w.turner.ID), stakhanov.PersonSubject(w.helper1.ID)
	w.norm(t, s, miner, w.coal, 10, "1935-05-01")
	w.norm(t, s, turner, w.parts, 5, "1935-05-01")
	w.norm(t, s, helper, w.coal, 10, "1935-05-01")
	var rs []*stakhanov.Report
	for d := date(t, "1935-06-01"); d.Before(date(t, "1935-09-01")); d = d.AddDays(3) {
		rs = append(rs, report(miner, w.coal, d, 1, 13, 13, ""), report(turner, w.parts, d, 1, 4, 4, ""), report(helper, w.coal, d, 1, 9, 9, ""))
	}
	for d := date(t, "1935-09-01"); d.Before(date(t, "1935-10-01")); d = d.AddDays(3) {
		rs = append(rs, report(miner, w.coal, d, 1, 10, 10, ""))
	}
	_, err := s.CreateReports(system, rs)
	must(t, err)
	w.norm(t, s, miner, w.coal, 13, "1935-09-01")
	w.norm(t, s, turner, w.parts, 7, "1935-09-01")
	w.norm(t, s, turner, w.parts, 6, "1935-09-01") // the same day's correction
	w.norm(t, s, helper, w.coal, 8, "1935-09-01")

	got, err := s.Ratchets(bg, stakhanov.RatchetQuery{UnitID: w.ministry.ID, From: date(t, "1935-01-01"), To: date(t, "1935-12-31")})
	must(t, err)
	if len(got.Raises) != 2 {
		t.Fatalf("raises: got %+v, want the miner's and the turner's", got.Raises)
	}
	by := map[stakhanov.Subject]stakhanov.NormRaise{}
	for _, r := range got.Raises {
		by[r.Subject] = r
	}
	m := by[miner]
	if !m.AfterOverfulfilment || m.PreviousAmount != 10 || m.Amount != 13 || math.Abs(m.Raise-30) > 1e-9 || m.EffectiveFrom.String() != "1935-09-01" ||
		m.Before.From.String() != "1935-06-01" || m.Before.To.String() != "1935-08-31" || m.Before.Percent == nil || math.Abs(*m.Before.Percent-130) > 1e-9 ||
		m.After.Percent == nil || math.Abs(*m.After.Percent-100.0*10/13) > 1e-9 || m.Name != w.miner.Name || m.Unit != w.brigade.Name || m.Good != "coal" {
		t.Fatalf("the miner's raise: got %+v, want 10 to 13 t after 130 %% in June to August", m)
	}
	tu := by[turner]
	if tu.AfterOverfulfilment || tu.PreviousAmount != 5 || tu.Amount != 6 || tu.Before.Percent == nil || math.Abs(*tu.Before.Percent-80) > 1e-9 || tu.After.Percent != nil {
		t.Fatalf("the turner's raise: got %+v, want 5 to 6 after 80 %%, none after", tu)
	}
	if len(got.Units) != 2 || got.Units[0].Unit != w.factory.Name || got.Units[0].AfterOverfulfilment != 0 ||
		got.Units[1].Unit != w.brigade.Name || got.Units[1].Raises != 1 || got.Units[1].AfterOverfulfilment != 1 {
		t.Fatalf("by unit: got %+v", got.Units)
	}

	none, err := s.Ratchets(bg, stakhanov.RatchetQuery{UnitID: w.factory.ID, GoodID: w.coal.ID, From: date(t, "1935-01-01"), To: date(t, "1935-12-31")})
	must(t, err)
	if len(none.Raises) != 0 || len(none.Units) != 0 {
		t.Fatalf("the factory's coal: got %+v, want no raise", none)
	}
	_, err = s.Ratchets(bg, stakhanov.RatchetQuery{})
	wantCode(t, err, stakhanov.EINVALID, "unit")
}

// testNormPreview: a preview of a higher norm shows the miner's real
// months under it and that he would no longer qualify; nothing is
// written.
func testNormPreview(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	w.norm(t, s, miner, w.coal, 10, "1935-01-01")
	var rs []*stakhanov.Report
	for d := date(t, "1935-08-01"); d.Before(date(t, "1935-10-01")); d = d.AddDays(1) {
		rs = append(rs, report(miner, w.coal, d, 1, 12, 12, ""))
	}
	_, err := s.CreateReports(system, rs)
	must(t, err)
	member := account(t, s, "commission", stakhanov.RoleCommittee, nil, nil)
	award := &stakhanov.Award{Name: "Hero of Labour", Kind: stakhanov.AwardTitle, Country: "USSR", Authority: "Central Executive Committee of the USSR",
		Established: date(t, "1927-07-27"), Insignia: star("silver"),
		Rules: stakhanov.AwardRules{Candidacy: &stakhanov.CandidacyRule{Kind: stakhanov.RuleKOfN, Subject: stakhanov.SubjectPerson, GoodID: w.coal.ID, Percent: 115, K: 50, N: 60},
			Stages: []stakhanov.Stage{stage("commission", 1, member)}}}
	must(t, s.CreateAward(system, award))

	today := date(t, "1935-10-15")
	_, err = stakhanov.PreviewNorm(as(user(t, s, "factory planner", stakhanov.RolePlanner, w.factory)), s,
		&stakhanov.Norm{Subject: miner, GoodID: w.coal.ID, Amount: 11, EffectiveFrom: today, Reason: "more"}, today)
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	p, err := stakhanov.PreviewNorm(system, s, &stakhanov.Norm{Subject: miner, GoodID: w.coal.ID, Amount: 11, EffectiveFrom: today, Reason: "more"}, today)
	must(t, err)
	if p.Name != w.miner.Name || len(p.Months) != 2 {
		t.Fatalf("preview: got %+v, want August and September", p)
	}
	aug := p.Months[0]
	if aug.Shifts != 31 || aug.Norm != 310 || math.Abs(*aug.Percent-120) > 1e-9 || aug.ProposedNorm != 341 || math.Abs(*aug.ProposedPercent-1200.0/11) > 1e-9 {
		t.Fatalf("August: got %+v, want 120 %% now and 109 %% under 11 t", aug)
	}
	if len(p.Candidacy) != 1 || !p.Candidacy[0].Qualifies || p.Candidacy[0].ProposedQualifies || p.Candidacy[0].Met != 60 || p.Candidacy[0].ProposedMet != 0 {
		t.Fatalf("candidacy: got %+v, want qualifies now and not under 11 t", p.Candidacy)
	}
	norms, _, err := s.FindNorms(bg, stakhanov.NormFilter{Subject: miner})
	must(t, err)
	if len(norms) != 1 {
		t.Fatalf("after a preview: %d norm versions, want the one", len(norms))
	}
	_, err = stakhanov.PreviewNorm(system, s, &stakhanov.Norm{Subject: stakhanov.PersonSubject(w.miner.ID + 1000), GoodID: w.coal.ID, Amount: 11, EffectiveFrom: today, Reason: "x"}, today)
	wantCode(t, err, stakhanov.EINVALID, "subject")
}
