package storetest

import (
	"strings"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// testPasswords: a password is set by the user itself or an admin, checked
// without telling which part of a sign-in was wrong, and replaced by the
// next one set.
func testPasswords(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	worker := user(t, s, "miner", stakhanov.RoleWorker, w.brigade)
	other := user(t, s, "turner", stakhanov.RoleWorker, w.factory)
	mineAdmin := user(t, s, "mine-admin", stakhanov.RoleAdmin, w.mine)

	// Nobody has a password yet: sign-in fails like any other mismatch.
	_, err := s.CheckPassword(bg, "miner", "whatever-it-is")
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	noPassword := stakhanov.ErrorMessage(err)

	wantCode(t, s.SetPassword(bg, worker.ID, "correct horse"), stakhanov.EUNAUTHORIZED, "")
	wantCode(t, s.SetPassword(as(other), worker.ID, "correct horse"), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetPassword(as(mineAdmin), other.ID, "correct horse"), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetPassword(as(worker), worker.ID, "short"), stakhanov.EINVALID, "password")
	wantCode(t, s.SetPassword(system, 99999, "correct horse"), stakhanov.ENOTFOUND, "")

	must(t, s.SetPassword(as(worker), worker.ID, "correct horse"))
	u, err := s.CheckPassword(bg, "miner", "correct horse")
	must(t, err)
	if u.ID != worker.ID || u.Role != stakhanov.RoleWorker || u.ScopePath != worker.ScopePath {
		t.Fatalf("CheckPassword: got %+v, want %+v", u, worker)
	}
	_, err = s.CheckPassword(bg, "miner", "Correct horse")
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	wrongPassword := stakhanov.ErrorMessage(err)
	_, err = s.CheckPassword(bg, "nobody", "correct horse")
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	if m := stakhanov.ErrorMessage(err); m != wrongPassword || m != noPassword {
		t.Fatalf("messages differ: unknown name %q, wrong password %q, no password %q", m, wrongPassword, noPassword)
	}
	if strings.Contains(wrongPassword, "password is wrong") || strings.Contains(wrongPassword, "no such user") {
		t.Fatalf("message %q says which part was wrong", wrongPassword)
	}

	// An admin of the mine sets a new one; the old one stops working.
	must(t, s.SetPassword(as(mineAdmin), worker.ID, "battery staple"))
	_, err = s.CheckPassword(bg, "miner", "correct horse")
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	_, err = s.CheckPassword(bg, "miner", "battery staple")
	must(t, err)
	// The operator may set anyone's.
	must(t, s.SetPassword(system, other.ID, "lathe operator"))
	_, err = s.CheckPassword(bg, "turner", "lathe operator")
	must(t, err)
}

// testSessions: a session is started by its own user, found by its token
// until it is ended, and unknown tokens are refused.
func testSessions(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	worker := user(t, s, "miner", stakhanov.RoleWorker, w.brigade)
	other := user(t, s, "turner", stakhanov.RoleWorker, w.factory)

	_, err := s.CreateSession(bg, worker.ID)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	_, err = s.CreateSession(as(other), worker.ID)
	wantCode(t, err, stakhanov.EFORBIDDEN, "")

	token, err := s.CreateSession(as(worker), worker.ID)
	must(t, err)
	second, err := s.CreateSession(as(worker), worker.ID)
	must(t, err)
	if token == second || len(token) < 40 {
		t.Fatalf("tokens %q and %q: want distinct, long random tokens", token, second)
	}
	u, err := s.SessionUser(bg, token)
	must(t, err)
	if u.ID != worker.ID || u.Name != "miner" || u.ScopePath != worker.ScopePath {
		t.Fatalf("SessionUser: got %+v", u)
	}
	// A session token is not an API token, nor the other way round.
	_, err = s.Authenticate(bg, token)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	api, err := s.CreateToken(system, worker.ID)
	must(t, err)
	_, err = s.SessionUser(bg, api)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	for _, bad := range []string{"", "sks_", token + "x", strings.ToUpper(token)} {
		_, err = s.SessionUser(bg, bad)
		wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	}

	// Signing out ends that session only, once; ending again is no error.
	must(t, s.EndSession(bg, token))
	_, err = s.SessionUser(bg, token)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	must(t, s.EndSession(bg, token))
	must(t, s.EndSession(bg, "sks_unknown"))
	_, err = s.SessionUser(bg, second)
	must(t, err)

	// An admin may start a session for a user (e.g. for tests).
	third, err := s.CreateSession(system, other.ID)
	must(t, err)
	u, err = s.SessionUser(bg, third)
	must(t, err)
	if u.ID != other.ID {
		t.Fatalf("admin-started session belongs to %d, want %d", u.ID, other.ID)
	}
}
