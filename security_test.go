package stakhanov

import (
	"strings"
	"testing"
	"time"
)

func TestSignInDelay(t *testing.T) {
	for _, tt := range []struct {
		failures int
		want     time.Duration
	}{{0, 0}, {4, 0}, {5, time.Second}, {6, 2 * time.Second}, {10, 32 * time.Second}, {15, SignInMaxWait}, {1000, SignInMaxWait}} {
		if got := SignInDelay(tt.failures); got != tt.want {
			t.Errorf("SignInDelay(%d): got %v, want %v", tt.failures, got, tt.want)
		}
	}
}

func TestSignInWait(t *testing.T) {
	now := time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)
	if wait, err := SignInWait(SignInFailures{ByName: 4, LastName: now, ByAddress: 19, LastAddress: now}, now); wait != 0 || err != nil {
		t.Fatalf("under both limits: got %v, %v", wait, err)
	}
	wait, err := SignInWait(SignInFailures{ByAddress: 26, LastAddress: now.Add(-10 * time.Second)}, now)
	if wait != 54*time.Second || ErrorCode(err) != ETOOMANY || !strings.Contains(ErrorMessage(err), "wait 54 seconds") {
		t.Fatalf("an address over its limit: got %v, %v", wait, err)
	}
	if wait, _ := SignInWait(SignInFailures{ByName: 12, LastName: now.Add(-time.Hour)}, now); wait != 0 {
		t.Fatalf("a wait long over: got %v", wait)
	}
}

func TestCleanText(t *testing.T) {
	got := CleanText("a\x00b\xffc"+strings.Repeat("й", 400), 20)
	if strings.ContainsRune(got, 0) || len(got) > 20 || !strings.HasPrefix(got, "a\uFFFDb\uFFFDc") || !strings.HasSuffix(got, "й") {
		t.Fatalf("CleanText: got %q", got)
	}
}
