package storetest

import (
	"sync"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// testCredentialSalt: a conferral's salt is made once, random, and the
// same ever after, even when asked for at once; each conferral has its
// own; an unknown conferral has none.
func testCredentialSalt(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	d, err := h.decree(t, s, "1", "1936-01-01", stakhanov.DecreeRecord, record(h.ussr, h.miner), record(h.ussr, h.turner))
	must(t, err)
	if len(d.Conferrals) != 2 {
		t.Fatalf("conferrals: got %v", d.Conferrals)
	}
	first, second := d.Conferrals[0], d.Conferrals[1]

	var wg sync.WaitGroup
	salts := make([]string, 4)
	errs := make([]error, 4)
	for i := range salts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// No user: credentials are public.
			salts[i], errs[i] = s.CredentialSalt(bg, first)
		}()
	}
	wg.Wait()
	for i := range salts {
		must(t, errs[i])
		if salts[i] == "" || salts[i] != salts[0] {
			t.Fatalf("salts asked for at once: got %q", salts)
		}
	}
	if len(salts[0]) < 16 {
		t.Fatalf("salt %q is too short to be random", salts[0])
	}
	again, err := s.CredentialSalt(bg, first)
	must(t, err)
	if again != salts[0] {
		t.Fatalf("salt asked for again: got %q, want %q", again, salts[0])
	}
	other, err := s.CredentialSalt(bg, second)
	must(t, err)
	if other == salts[0] {
		t.Fatalf("two conferrals share the salt %q", other)
	}
	_, err = s.CredentialSalt(bg, 999999)
	wantCode(t, err, stakhanov.ENOTFOUND, "")
}
