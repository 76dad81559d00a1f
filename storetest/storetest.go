// Package storetest is the contract every Stakhanov store must meet. Each
// backend's tests call Run with a function that opens a fresh, empty store.
package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// Opener opens a new, empty store for one test, with now as its clock;
// the backend cleans it up when the test ends.
type Opener func(t *testing.T, now func() time.Time) stakhanov.Store

// Run runs the whole contract against stores made by open.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(*testing.T, stakhanov.Store)
	}{
		{"Units", testUnits},
		{"People", testPeople},
		{"Goods", testGoods},
		{"NormVersions", testNormVersions},
		{"Plans", testPlans},
		{"Shortages", testShortages},
		{"PublishedShortages", testPublishedShortages},
		{"Storming", testStorming},
		{"PeriodClose", testPeriodClose},
		{"Ratchet", testRatchet},
		{"NormPreview", testNormPreview},
		{"Needs", testNeeds},
		{"Reports", testReports},
		{"ReportIdempotency", testReportIdempotency},
		{"ReportBatchAtomic", testReportBatchAtomic},
		{"ConcurrentReports", testConcurrentReports},
		{"ConcurrentState", testConcurrentState},
		{"OneReportPerShift", testOneReportPerShift},
		{"CorrectionReplaces", testCorrectionReplaces},
		{"BatchSameShift", testBatchSameShift},
		{"ConcurrentSameShift", testConcurrentSameShift},
		{"ImportShifts", testImportShifts},
		{"Corrections", testCorrections},
		{"Helpers", testHelpers},
		{"CollectiveFulfilment", testCollectiveFulfilment},
		{"Scope", testScope},
		{"Tokens", testTokens},
		{"AccountAdmin", testAccountAdmin},
		{"RefusalRecorded", testRefusalRecorded},
		{"Passwords", testPasswords},
		{"Sessions", testSessions},
		{"ImportReports", testImportReports},
		{"ImportRefusesBadFile", testImportRefusesBadFile},
		{"ImportNormsAndPeople", testImportNormsAndPeople},
		{"FlagMultipleOfNorm", testFlagMultipleOfNorm},
		{"FlagPeers", testFlagPeers},
		{"FlagStorm", testFlagStorm},
		{"FlagImported", testFlagImported},
		{"FlagStormOutlier", testFlagStormOutlier},
		{"Verification", testVerification},
		{"Rejection", testRejection},
		{"Awards", testAwards},
		{"HonoursFullPath", testHonoursFullPath},
		{"SelfRecommendation", testSelfRecommendation},
		{"SecondRecommendation", testSecondRecommendation},
		{"VoteByEnterpriseMember", testVoteByEnterpriseMember},
		{"VoteByCandidate", testVoteByCandidate},
		{"VoteByRecommender", testVoteByRecommender},
		{"SecondHeroOfLabourRF", testSecondHeroOfLabourRF},
		{"AbolishedAward", testAbolishedAward},
		{"CompanionAndRepeat", testCompanionAndRepeat},
		{"Revocation", testRevocation},
		{"DraftDecreeMended", testDraftDecreeMended},
		{"ReviewCannotGetStuck", testReviewCannotGetStuck},
		{"HonoursScope", testHonoursScope},
		{"RevocationTakesCompanions", testRevocationTakesCompanions},
		{"RegistrySearch", testRegistrySearch},
		{"CredentialSalt", testCredentialSalt},
		{"Prerequisites", testPrerequisites},
		{"NominationRuleNotMet", testNominationRuleNotMet},
		{"HonoursRoles", testHonoursRoles},
		{"LedgerAppends", testLedgerAppends},
		{"LedgerConcurrentSigning", testLedgerConcurrentSigning},
		{"UnitHidesRanks", testUnitHidesRanks},
		{"StateProperty", testStateProperty},
		{"ReportNotInFuture", testReportNotInFuture},
		{"DecreeNotBeforeItsDate", testDecreeNotBeforeItsDate},
		{"PresentationDates", testPresentationDates},
		{"QuantityBounds", testQuantityBounds},
		{"NormAlreadyPresent", testNormAlreadyPresent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t, time.Now))
		})
	}
	// The tests that move the store's clock.
	for _, tt := range []struct {
		name string
		fn   func(*testing.T, stakhanov.Store, *clock)
	}{
		{"TokenExpiry", testTokenExpiry},
		{"SignInThrottle", testSignInThrottle},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &clock{at: time.Now()}
			tt.fn(t, open(t, c.now), c)
		})
	}
}

var bg = context.Background()

// clock is a store's clock that a test moves on.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
}

// system is the operator's context: every write is allowed.
var system = stakhanov.NewContext(bg, stakhanov.System)

func as(u *stakhanov.User) context.Context { return stakhanov.NewContext(bg, u) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if got := stakhanov.ErrorCode(err); got != code {
		t.Fatalf("error code: got %q (%v), want %q", got, err, code)
	}
	if field != "" {
		if got := stakhanov.ErrorField(err); got != field {
			t.Fatalf("error field: got %q (%v), want %q", got, err, field)
		}
	}
}

// world is a small organisation: a ministry, a mine with a brigade, and a
// factory, with coal and parts.
type world struct {
	ministry, mine, brigade, factory *stakhanov.Unit
	miner, helper1, helper2, turner  *stakhanov.Person
	coal, parts                      *stakhanov.Good
}

func newWorld(t *testing.T, s stakhanov.Store) *world {
	t.Helper()
	w := &world{}
	unit := func(parent *stakhanov.Unit, kind, name string) *stakhanov.Unit {
		u := &stakhanov.Unit{Kind: kind, Name: name}
		if parent != nil {
			u.ParentID = parent.ID
		}
		must(t, s.CreateUnit(system, u))
		return u
	}
	w.ministry = unit(nil, stakhanov.UnitMinistry, "People's Commissariat of Heavy Industry")
	w.mine = unit(w.ministry, stakhanov.UnitEnterprise, "Tsentralnaya-Irmino mine")
	w.brigade = unit(w.mine, stakhanov.UnitCollective, "Stakhanov's brigade")
	w.factory = unit(w.ministry, stakhanov.UnitEnterprise, "Kirov plant")
	person := func(u *stakhanov.Unit, name, prof string) *stakhanov.Person {
		p := &stakhanov.Person{UnitID: u.ID, Name: name, Profession: prof}
		must(t, s.CreatePerson(system, p))
		return p
	}
	w.miner = person(w.brigade, "Alexei Stakhanov", "hewer")
	w.helper1 = person(w.brigade, "Timber man one", "timberer")
	w.helper2 = person(w.brigade, "Timber man two", "timberer")
	w.turner = person(w.factory, "Lathe operator", "turner")
	w.coal = &stakhanov.Good{Name: "coal", Measure: "t"}
	must(t, s.CreateGood(system, w.coal))
	w.parts = &stakhanov.Good{Name: "parts", Measure: "pieces"}
	must(t, s.CreateGood(system, w.parts))
	return w
}

func (w *world) norm(t *testing.T, s stakhanov.Store, sub stakhanov.Subject, good *stakhanov.Good, amount float64, from string) *stakhanov.Norm {
	t.Helper()
	n := &stakhanov.Norm{Subject: sub, GoodID: good.ID, Amount: amount, EffectiveFrom: date(t, from), Reason: "set by test"}
	must(t, s.CreateNorm(system, n))
	return n
}

func date(t *testing.T, s string) stakhanov.Date {
	t.Helper()
	d, err := stakhanov.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func report(sub stakhanov.Subject, good *stakhanov.Good, d stakhanov.Date, shift int, produced, accepted float64, key string) *stakhanov.Report {
	return &stakhanov.Report{Subject: sub, GoodID: good.ID, Date: d, Shift: shift, Produced: produced, Accepted: accepted, Key: key}
}

func user(t *testing.T, s stakhanov.Store, name, role string, unit *stakhanov.Unit) *stakhanov.User {
	t.Helper()
	u := &stakhanov.User{Name: name, Role: role}
	if unit != nil {
		u.UnitID = unit.ID
	}
	must(t, s.CreateUser(system, u))
	got, err := s.FindUserByName(bg, name)
	must(t, err)
	return got
}

func isImportError(err error) (*stakhanov.ImportError, bool) {
	var e *stakhanov.ImportError
	ok := errors.As(err, &e)
	return e, ok
}
