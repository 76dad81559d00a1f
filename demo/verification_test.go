package demo_test

import (
	"math"
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/demo"
)

// testRecordVerification shows the record shift of 31 August 1935 flagged
// with the rule and figures, held out of candidacy, refused to Petrov (who
// witnessed it) and verified by the demo verifier, an inspector
// independent of it; then it counts.
func testRecordVerification(t *testing.T, s stakhanov.Store, w *demo.World) {
	r, err := s.FindReportByID(bg, w.RecordReport)
	must(t, err)
	if r.Review != stakhanov.ReviewFlagged || len(r.Flags) != 1 {
		t.Fatalf("record: review %q, flags %+v, want flagged by one rule", r.Review, r.Flags)
	}
	f := r.Flags[0]
	want := map[string]float64{"credited": 34, "accepted": 102, "norm": 7, "multiple": 4.8571, "limit": 3}
	for k, v := range want {
		if math.Abs(f.Figures[k]-v) > 1e-3 {
			t.Fatalf("record flag %s: figures %v, want %s = %g", f.Rule, f.Figures, k, v)
		}
	}
	if f.Rule != stakhanov.RuleMultipleOfNorm || !strings.Contains(f.Message, "credited 34 t is 4.9 times the norm of 7 t") {
		t.Fatalf("record flag: %+v", f)
	}
	claim, err := s.FindReportByID(bg, w.ClaimReport)
	must(t, err)
	if claim.Review != stakhanov.ReviewFlagged || claim.Flags[0].Figures["credited"] != 227 {
		t.Fatalf("claim: review %q, flags %+v", claim.Review, claim.Flags)
	}

	// A rule the record alone meets: one shift at 400% of the norm among
	// the last 60, on 1 September 1935.
	rule := &stakhanov.CandidacyRule{Kind: stakhanov.RuleKOfN, Subject: stakhanov.SubjectPerson, GoodID: w.Coal, Percent: 400, K: 1, N: 60}
	award := &stakhanov.Award{ID: -1, Name: "a record rule", Rules: stakhanov.AwardRules{Candidacy: rule}}
	day := stakhanov.NewDate(1935, 9, 1)
	cands, err := stakhanov.RecomputeCandidates(bg, s, award, day)
	must(t, err)
	if len(cands) != 0 {
		t.Fatalf("candidates while the record is held: %+v", cands)
	}

	petrov, err := s.Authenticate(bg, w.WitnessVerifier.Token)
	must(t, err)
	v := &stakhanov.Verification{ReportID: w.RecordReport, Decision: stakhanov.DecisionVerified, Note: "I was there"}
	err = s.VerifyReport(stakhanov.NewContext(bg, petrov), v)
	if stakhanov.ErrorCode(err) != stakhanov.EFORBIDDEN || !strings.Contains(stakhanov.ErrorMessage(err), "witnessed") {
		t.Fatalf("Petrov verifying: got %v, want forbidden: he witnessed it", err)
	}
	var verifier *stakhanov.User
	for _, a := range w.Accounts {
		if a.Role == stakhanov.RoleVerifier {
			verifier, err = s.Authenticate(bg, a.Token)
			must(t, err)
		}
	}
	if verifier.PersonID == 0 || verifier.PersonID == w.Stakhanov || r.HasHelper(verifier.PersonID) || verifier.PersonID == r.Witnesses[0] {
		t.Fatalf("the demo verifier is not independent of the record: %+v", verifier)
	}
	v = &stakhanov.Verification{ReportID: w.RecordReport, Decision: stakhanov.DecisionVerified,
		Note: "The shift's tally checked against the mine's records: 102 t hewn with two timbermen, credited a third each."}
	must(t, s.VerifyReport(stakhanov.NewContext(bg, verifier), v))
	r, err = s.FindReportByID(bg, w.RecordReport)
	must(t, err)
	if r.Review != stakhanov.ReviewVerified || r.Verification == nil || r.Verification.PersonID != verifier.PersonID || len(r.Flags) != 1 {
		t.Fatalf("record after verification: review %q, verification %+v", r.Review, r.Verification)
	}
	cands, err = stakhanov.RecomputeCandidates(bg, s, award, day)
	must(t, err)
	if len(cands) != 1 || cands[0].Subject != stakhanov.PersonSubject(w.Stakhanov) || cands[0].Met != 1 {
		t.Fatalf("candidates once verified: %+v", cands)
	}
}
