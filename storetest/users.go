package storetest

import (
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

// testAccountAdmin: an admin lists, disables, enables and changes the role
// and unit of accounts within its scope, each change kept with who and
// why; disabling ends the account's sessions and tokens at once, and
// enabling it again does not bring old tokens back.
func testAccountAdmin(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	foreman := user(t, s, "dismissed foreman", stakhanov.RoleForeman, w.mine)
	mineAdmin := user(t, s, "mine admin", stakhanov.RoleAdmin, w.mine)
	factoryWorker := user(t, s, "factory worker", stakhanov.RoleWorker, w.factory)

	token, err := s.CreateToken(system, foreman.ID)
	must(t, err)
	second, err := s.CreateToken(system, foreman.ID)
	must(t, err)
	must(t, s.SetPassword(system, foreman.ID, "correct horse"))
	session, err := s.CreateSession(as(foreman), foreman.ID)
	must(t, err)

	users, total, err := s.FindUsers(as(mineAdmin), stakhanov.UserFilter{})
	must(t, err)
	if total != 2 {
		t.Fatalf("the mine admin's accounts: got %d (%v), want the foreman and itself", total, users)
	}
	if _, total, err = s.FindUsers(system, stakhanov.UserFilter{Name: "FOREMAN"}); err != nil || total != 1 {
		t.Fatalf("accounts named foreman: got %d (%v)", total, err)
	}
	_, _, err = s.FindUsers(as(foreman), stakhanov.UserFilter{})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	_, err = s.FindUserByID(as(mineAdmin), factoryWorker.ID)
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetUserDisabled(as(mineAdmin), factoryWorker.ID, true, "not mine"), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetUserDisabled(as(mineAdmin), mineAdmin.ID, true, "leaving"), stakhanov.EFORBIDDEN, "")

	must(t, s.SetUserDisabled(as(mineAdmin), foreman.ID, true, "dismissed on 1 December"))
	for _, tok := range []string{token, second} {
		_, err = s.Authenticate(bg, tok)
		wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	}
	_, err = s.SessionUser(bg, session)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	_, err = s.CheckPassword(bg, foreman.Name, "correct horse")
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	_, err = s.CreateToken(system, foreman.ID)
	wantCode(t, err, stakhanov.ECONFLICT, "")
	tokens, _, err := s.FindTokens(system, stakhanov.TokenFilter{UserID: foreman.ID})
	must(t, err)
	if len(tokens) != 2 || tokens[0].RevokedAt == nil || tokens[1].RevokedAt == nil || tokens[0].RevokedBy != mineAdmin.ID {
		t.Fatalf("the foreman's tokens: got %+v, want both revoked by the mine admin", tokens)
	}

	must(t, s.SetUserDisabled(as(mineAdmin), foreman.ID, false, "taken back"))
	_, err = s.Authenticate(bg, token)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	fresh, err := s.CreateToken(as(mineAdmin), foreman.ID)
	must(t, err)
	if u, err := s.Authenticate(bg, fresh); err != nil || u.ID != foreman.ID || u.Disabled {
		t.Fatalf("a new token after enabling: got %+v, %v", u, err)
	}

	must(t, s.SetUserRole(as(mineAdmin), foreman.ID, stakhanov.RolePlanner, "promoted"))
	wantCode(t, s.SetUserRole(as(mineAdmin), foreman.ID, "tsar", ""), stakhanov.EINVALID, "role")
	must(t, s.SetUserUnit(as(mineAdmin), foreman.ID, w.brigade.ID, "the brigade's planner"))
	wantCode(t, s.SetUserUnit(as(mineAdmin), foreman.ID, w.factory.ID, ""), stakhanov.EFORBIDDEN, "")
	wantCode(t, s.SetUserUnit(as(mineAdmin), foreman.ID, 0, ""), stakhanov.EFORBIDDEN, "")
	if u, err := s.Authenticate(bg, fresh); err != nil || u.Role != stakhanov.RolePlanner || u.UnitID != w.brigade.ID || u.ScopePath != w.brigade.Path {
		t.Fatalf("after the changes: got %+v, %v", u, err)
	}
	changes, err := s.AccountChanges(system, foreman.ID)
	must(t, err)
	var kinds []string
	for _, c := range changes {
		kinds = append(kinds, c.Change)
	}
	if len(changes) != 4 || changes[0].Change != stakhanov.ChangeDisable || changes[0].Reason != "dismissed on 1 December" ||
		changes[0].By != mineAdmin.ID || changes[2].Value != stakhanov.RolePlanner {
		t.Fatalf("the foreman's changes: got %v", kinds)
	}

	// A user lists and revokes its own tokens; no one else's.
	mine, _, err := s.FindTokens(as(foreman), stakhanov.TokenFilter{})
	must(t, err)
	if len(mine) != 3 {
		t.Fatalf("the foreman's own tokens: got %d, want 3", len(mine))
	}
	_, _, err = s.FindTokens(as(foreman), stakhanov.TokenFilter{UserID: factoryWorker.ID})
	wantCode(t, err, stakhanov.EFORBIDDEN, "")
	workerToken, _, err := s.IssueToken(system, factoryWorker.ID, 0)
	must(t, err)
	theirs, _, err := s.FindTokens(system, stakhanov.TokenFilter{UserID: factoryWorker.ID})
	must(t, err)
	wantCode(t, s.RevokeToken(as(foreman), theirs[0].ID), stakhanov.EFORBIDDEN, "")
	must(t, s.RevokeToken(as(factoryWorker), theirs[0].ID))
	must(t, s.RevokeToken(as(factoryWorker), theirs[0].ID))
	_, err = s.Authenticate(bg, workerToken)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	wantCode(t, s.RevokeToken(system, 99999), stakhanov.ENOTFOUND, "")
}

// testTokenExpiry: a token works until its lifetime ends, the default one
// or its own, and not after.
func testTokenExpiry(t *testing.T, s stakhanov.Store, c *clock) {
	w := newWorld(t, s)
	foreman := user(t, s, "foreman", stakhanov.RoleForeman, w.mine)
	long, _, err := s.IssueToken(system, foreman.ID, 0)
	must(t, err)
	short, rec, err := s.IssueToken(system, foreman.ID, time.Hour)
	must(t, err)
	if !rec.ExpiresAt.Equal(rec.CreatedAt.Add(time.Hour)) {
		t.Fatalf("token: got %+v, want it to expire an hour after it was issued", rec)
	}
	_, _, err = s.IssueToken(system, foreman.ID, 3*366*24*time.Hour)
	wantCode(t, err, stakhanov.EINVALID, "expires_in_days")
	c.advance(2 * time.Hour)
	_, err = s.Authenticate(bg, short)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
	if _, err := s.Authenticate(bg, long); err != nil {
		t.Fatalf("the default token after two hours: %v", err)
	}
	c.advance(stakhanov.DefaultTokenLifetime)
	_, err = s.Authenticate(bg, long)
	wantCode(t, err, stakhanov.EUNAUTHORIZED, "")
}
