package storetest

import (
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// testSignInThrottle: fifty wrong passwords in a row are not fifty tries:
// after the free ones each try waits longer, the right password is held
// back too until the wait is over, and every attempt is recorded for the
// auditor; a success starts the name's count again; another address is
// held back only by the name's count.
func testSignInThrottle(t *testing.T, s stakhanov.Store, c *clock) {
	w := newWorld(t, s)
	foreman := user(t, s, "foreman", stakhanov.RoleForeman, w.mine)
	auditor := user(t, s, "auditor", stakhanov.RoleAuditor, nil)
	must(t, s.SetPassword(system, foreman.ID, "correct horse"))
	const addr = "192.0.2.7"
	tried, throttled := 0, 0
	for range 50 {
		_, err := stakhanov.SignIn(bg, s, "foreman", "wrong horse", addr, c.now())
		switch stakhanov.ErrorCode(err) {
		case stakhanov.EUNAUTHORIZED:
			tried++
		case stakhanov.ETOOMANY:
			throttled++
		default:
			t.Fatalf("a wrong password: got %v", err)
		}
		c.advance(10 * time.Millisecond)
	}
	if tried != stakhanov.SignInFreeFailures || throttled != 50-tried {
		t.Fatalf("50 wrong passwords at once: %d checked, %d held back; want %d checked", tried, throttled, stakhanov.SignInFreeFailures)
	}
	_, err := stakhanov.SignIn(bg, s, "foreman", "correct horse", addr, c.now())
	wantCode(t, err, stakhanov.ETOOMANY, "")
	if !strings.Contains(stakhanov.ErrorMessage(err), "wait") {
		t.Fatalf("throttled: got %q, want it to say how long to wait", stakhanov.ErrorMessage(err))
	}
	c.advance(stakhanov.SignInDelay(tried) + time.Second)
	u, err := stakhanov.SignIn(bg, s, "foreman", "correct horse", addr, c.now())
	must(t, err)
	if u.ID != foreman.ID {
		t.Fatalf("signed in as %+v", u)
	}
	// A success starts the name's count again.
	_, err = stakhanov.SignIn(bg, s, "foreman", "wrong horse", "198.51.100.1", c.now())
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")

	events, total, err := s.FindSecurityEvents(as(auditor), stakhanov.SecurityEventFilter{Name: "foreman"})
	must(t, err)
	if total != 53 || events[0].Kind != stakhanov.EventSignInFailed || events[0].Address != "198.51.100.1" || events[1].Kind != stakhanov.EventSignIn || events[1].UserID != foreman.ID {
		t.Fatalf("the auditor's events: got %d, latest %+v, %+v", total, events[0], events[1])
	}
	if _, n, err := s.FindSecurityEvents(as(auditor), stakhanov.SecurityEventFilter{Kind: stakhanov.EventSignInThrottled}); err != nil || n != throttled+1 {
		t.Fatalf("throttled events: got %d (%v), want %d", n, err, throttled+1)
	}
	_, _, err = s.FindSecurityEvents(as(foreman), stakhanov.SecurityEventFilter{})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	// What anyone sends is kept safe: no NUL, valid text, bounded.
	_, err = stakhanov.SignIn(bg, s, "bad\x00name\xff"+strings.Repeat("x", 2000), "pw", addr, c.now())
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	bad, _, err := s.FindSecurityEvents(as(auditor), stakhanov.SecurityEventFilter{Page: stakhanov.Page{Limit: 1}})
	must(t, err)
	if n := bad[0].Name; strings.ContainsRune(n, 0) || len(n) > stakhanov.MaxEventText || !strings.HasPrefix(n, "bad") {
		t.Fatalf("a name with NUL and bad UTF-8: kept %q", n)
	}
}

// testRefusalRecorded: a refusal is kept with who, what and what it was
// told.
func testRefusalRecorded(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	worker := user(t, s, "worker", stakhanov.RoleWorker, w.brigade)
	auditor := user(t, s, "auditor", stakhanov.RoleAuditor, nil)
	refusal := s.CreatePlan(as(worker), &stakhanov.Plan{UnitID: w.mine.ID, GoodID: w.coal.ID, Period: stakhanov.PlanMonth,
		Start: date(t, "1935-09-01"), Quantity: 1, Reason: "x"})
	wantCode(t, refusal, stakhanov.EFORBIDDEN, "")
	must(t, stakhanov.RecordRefusal(as(worker), s, "192.0.2.8", "POST", "/api/v1/plans", refusal))
	events, _, err := s.FindSecurityEvents(as(auditor), stakhanov.SecurityEventFilter{Kind: stakhanov.EventForbidden})
	must(t, err)
	if len(events) != 1 || events[0].UserID != worker.ID || events[0].Name != "worker" || events[0].Path != "/api/v1/plans" ||
		!strings.Contains(events[0].Detail, "may not") {
		t.Fatalf("refusals: got %+v", events)
	}
}
