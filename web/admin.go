package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// The admin's pages of accounts: find one, switch it off or on, change
// its role or unit, see every change made to it and its tokens, revoke a
// token. The store checks the admin's scope on each.

type adminAccountsData struct {
	Query string
	Users []*stakhanov.User
	// Units and People name the accounts' units and people.
	Units, People map[int64]string
	Pager         pager
	Saved         string
}

const accountsPageSize = 50

func (s *Server) handleAdminAccounts(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(0, offset)
	d := adminAccountsData{Query: strings.TrimSpace(q.Get("q")), Saved: q.Get("saved")}
	users, total, err := s.store.FindUsers(r.Context(), stakhanov.UserFilter{Name: d.Query, Page: stakhanov.Page{Offset: offset, Limit: accountsPageSize}})
	if err != nil {
		return err
	}
	d.Users, d.Pager = users, newPager(r.URL, offset, accountsPageSize, len(users), total)
	d.Units, d.People = map[int64]string{}, map[int64]string{}
	names := stakhanov.NewNamer(r.Context(), s.store)
	for _, u := range users {
		if u.UnitID != 0 {
			d.Units[u.UnitID] = names.Unit(u.UnitID)
		}
		if u.PersonID != 0 {
			d.People[u.PersonID] = names.Person(u.PersonID)
		}
	}
	s.render(w, r, http.StatusOK, "admin_accounts", "Accounts", d)
	return nil
}

type adminAccountData struct {
	User    *stakhanov.User
	Unit    *stakhanov.Unit
	Person  string
	Roles   []Option
	Changes []*stakhanov.AccountChange
	// ChangedBy names the admins who made the changes; ChangedTo, what a
	// change's value names (a unit's id: its name).
	ChangedBy map[int64]string
	ChangedTo map[int64]string
	Tokens    []*stakhanov.Token
	Pager     pager
	Form      *Form
	Saved     string
	Now       time.Time
}

const accountTokensPageSize = 20

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request, status int, id int64, form *Form) error {
	ctx := r.Context()
	u, err := s.store.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	d := adminAccountData{User: u, Form: form, Saved: r.URL.Query().Get("saved"), ChangedBy: map[int64]string{}, ChangedTo: map[int64]string{}}
	if u.UnitID != 0 {
		if d.Unit, err = s.store.FindUnitByID(ctx, u.UnitID); err != nil {
			return err
		}
	}
	if u.PersonID != 0 {
		d.Person = stakhanov.NewNamer(ctx, s.store).Person(u.PersonID)
	}

	for _, role := range stakhanov.Roles {
		d.Roles = append(d.Roles, Option{Value: role, Text: role})
	}
	if d.Changes, err = s.store.AccountChanges(ctx, id); err != nil {
		return err
	}
	names := stakhanov.NewNamer(ctx, s.store)
	for _, c := range d.Changes {
		d.ChangedTo[c.ID] = c.Value
		if c.Change == stakhanov.ChangeUnit {
			if id, err := strconv.ParseInt(c.Value, 10, 64); err == nil && id == 0 {
				d.ChangedTo[c.ID] = "the whole organisation"
			} else if err == nil {
				d.ChangedTo[c.ID] = names.Unit(id)
			}
		}
		if _, ok := d.ChangedBy[c.By]; !ok && c.By != 0 {
			// An admin outside this admin's scope is not read: "an admin".
			d.ChangedBy[c.By] = "an admin"
			if by, err := s.store.FindUserByID(ctx, c.By); err == nil {
				d.ChangedBy[c.By] = by.Name
			}
		}
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(0, offset)
	tokens, total, err := s.store.FindTokens(ctx, stakhanov.TokenFilter{UserID: id, Page: stakhanov.Page{Offset: offset, Limit: accountTokensPageSize}})
	if err != nil {
		return err
	}
	d.Tokens, d.Pager = tokens, newPager(r.URL, offset, accountTokensPageSize, len(tokens), total)
	d.Now = s.now()
	s.render(w, r, status, "admin_account", u.Name, d)
	return nil
}

func accountID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no account %q.", r.PathValue("id"))
	}
	return id, nil
}

func (s *Server) handleAdminAccount(w http.ResponseWriter, r *http.Request) error {
	id, err := accountID(r)
	if err != nil {
		return err
	}
	form := NewForm(nil)
	return s.accountPage(w, r, http.StatusOK, id, form)
}

// handleAdminAccountChange applies one change from the account page: the
// path's last part names it (disable, enable, role, unit).
func (s *Server) handleAdminAccountChange(w http.ResponseWriter, r *http.Request) error {
	id, err := accountID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	reason := strings.TrimSpace(form.Get("reason"))
	change := r.PathValue("change")
	switch change {
	case "disable", "enable":
		err = s.store.SetUserDisabled(ctx, id, change == "disable", reason)
	case "role":
		err = s.store.SetUserRole(ctx, id, form.Get("role"), reason)
	case "unit":
		var unit int64
		if unit, err = s.findUnitField(r, form.Get("unit")); err == nil {
			err = s.store.SetUserUnit(ctx, id, unit, reason)
		}
	default:
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no change %q.", change)
	}
	if err := s.fromError(r, form, err, map[string]string{"unit_id": "unit"}); err != nil {
		return err
	}
	if !form.OK() {
		return s.accountPage(w, r, http.StatusUnprocessableEntity, id, form)
	}
	return redirect(w, r, fmt.Sprintf("/admin/accounts/%d?saved=%s", id, change))
}

// findUnitField reads a unit typed as its id (0: the whole organisation)
// or part of its name, which must match one unit.
func (s *Server) findUnitField(r *http.Request, v string) (int64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, stakhanov.FieldErrorf("unit", "Write the unit's name or id (0: the whole organisation).")
	}
	if id, err := strconv.ParseInt(v, 10, 64); err == nil && id >= 0 {
		return id, nil
	}
	units, total, err := s.store.FindUnits(r.Context(), stakhanov.UnitFilter{Name: v, Page: stakhanov.Page{Limit: 5}})
	if err != nil {
		return 0, err
	}
	switch total {
	case 0:
		return 0, stakhanov.FieldErrorf("unit", "No unit's name holds %s.", stakhanov.ShortQuote(v))
	case 1:
		return units[0].ID, nil
	}
	names := make([]string, len(units))
	for i, u := range units {
		names[i] = fmt.Sprintf("%s (%d)", u.Name, u.ID)
	}
	return 0, stakhanov.FieldErrorf("unit", "%d units' names hold %s: %s%s. Write more of the name, or the id.", total, stakhanov.ShortQuote(v),
		strings.Join(names, ", "), map[bool]string{true: ", ...", false: ""}[total > len(units)])
}

func (s *Server) handleAdminRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no token %q.", r.PathValue("id"))
	}
	t, err := s.store.FindTokenByID(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, fmt.Sprintf("/admin/accounts/%d?saved=revoked", t.UserID))
}
