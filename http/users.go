package http

import (
	"net/http"

	"github.com/stakhanov/stakhanov"
)

// Accounts and tokens: admins manage the accounts of their scope; any
// user lists and revokes its own tokens.

type userInput struct {
	Name     string `json:"name"`
	Role     string `json:"role"`
	UnitID   int64  `json:"unit_id"`
	PersonID int64  `json:"person_id"`
}

type reasonInput struct {
	Reason string `json:"reason"`
}

type roleInput struct {
	Role   string `json:"role"`
	Reason string `json:"reason"`
}

type userUnitInput struct {
	UnitID *int64 `json:"unit_id"`
	Reason string `json:"reason"`
}

type tokenInput struct {
	UserID int64 `json:"user_id"`
	// ExpiresInDays is the token's lifetime; 0 or absent: the default.
	ExpiresInDays int `json:"expires_in_days"`
}

// issuedToken answers POST /tokens: the token, shown once, and its record.
type issuedToken struct {
	Token string           `json:"token"`
	Info  *stakhanov.Token `json:"info"`
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.UserFilter{Name: q.get("name"), Role: q.oneOf("role", stakhanov.Roles...), Within: q.id("within"), Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	users, total, err := s.store.FindUsers(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(users, total, f.Page))
}

func (s *Server) handleCreateUser(w http.ResponseWriter, r *http.Request) error {
	var in userInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	u := &stakhanov.User{Name: in.Name, Role: in.Role, UnitID: in.UnitID, PersonID: in.PersonID}
	if err := s.store.CreateUser(r.Context(), u); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, u)
}

// changeUser reads a change's body, applies it and answers with the
// account as it now stands.
func changeUser[T any](s *Server, w http.ResponseWriter, r *http.Request, apply func(id int64, in *T) error) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in T
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	if err := apply(id, &in); err != nil {
		return err
	}
	u, err := s.store.FindUserByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}

func (s *Server) handleDisableUser(w http.ResponseWriter, r *http.Request) error {
	return changeUser(s, w, r, func(id int64, in *reasonInput) error {
		return s.store.SetUserDisabled(r.Context(), id, true, in.Reason)
	})
}

func (s *Server) handleEnableUser(w http.ResponseWriter, r *http.Request) error {
	return changeUser(s, w, r, func(id int64, in *reasonInput) error {
		return s.store.SetUserDisabled(r.Context(), id, false, in.Reason)
	})
}

func (s *Server) handleSetUserRole(w http.ResponseWriter, r *http.Request) error {
	return changeUser(s, w, r, func(id int64, in *roleInput) error {
		return s.store.SetUserRole(r.Context(), id, in.Role, in.Reason)
	})
}

func (s *Server) handleSetUserUnit(w http.ResponseWriter, r *http.Request) error {
	return changeUser(s, w, r, func(id int64, in *userUnitInput) error {
		if in.UnitID == nil {
			return stakhanov.FieldErrorf("unit_id", "unit_id is required (0: the whole organisation)")
		}
		return s.store.SetUserUnit(r.Context(), id, *in.UnitID, in.Reason)
	})
}

func (s *Server) handleUserChanges(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	changes, err := s.store.AccountChanges(r.Context(), id)
	if err != nil {
		return err
	}
	if changes == nil {
		changes = []*stakhanov.AccountChange{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": changes})
}

func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.TokenFilter{UserID: q.id("user"), Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	tokens, total, err := s.store.FindTokens(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(tokens, total, f.Page))
}

func (s *Server) handleIssueToken(w http.ResponseWriter, r *http.Request) error {
	var in tokenInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	lifetime, err := stakhanov.TokenLifetimeDays("expires_in_days", in.ExpiresInDays)
	if err != nil {
		return err
	}
	if in.UserID == 0 {
		in.UserID = stakhanov.UserFromContext(r.Context()).ID
	}
	token, info, err := s.store.IssueToken(r.Context(), in.UserID, lifetime)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, issuedToken{Token: token, Info: info})
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	t, err := s.store.FindTokenByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, t)
}

// handleSecurityEvents lists sign-ins and refusals, the latest first, for
// auditors and unscoped admins.
func (s *Server) handleSecurityEvents(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.SecurityEventFilter{Kind: q.oneOf("kind", stakhanov.EventSignIn, stakhanov.EventSignInFailed, stakhanov.EventSignInThrottled, stakhanov.EventForbidden),
		Name: q.get("name"), Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	events, total, err := s.store.FindSecurityEvents(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(events, total, f.Page))
}
