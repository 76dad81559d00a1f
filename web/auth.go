package web

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// Cookies. Both are HttpOnly and SameSite=Lax, and Secure over TLS (or
// when Config.SecureCookies says so).
const (
	// sessionCookie holds the session token (see stakhanov.AccountStore).
	sessionCookie = "stakhanov_session"
	// visitorCookie holds a random value for visitors without a session,
	// so that the sign-in form, too, carries a CSRF token.
	visitorCookie = "stakhanov_visitor"
	// csrfField is the hidden field of every form.
	csrfField = "csrf"
)

// CSRF protection (synchronizer token, stateless): every form carries a
// token derived from the secret the browser holds in an HttpOnly cookie,
// the session token when signed in, else the visitor cookie. A POST whose
// field does not match the token of its cookie is refused with 403. A page
// on another site can make the browser send the cookie but can neither
// read it nor the token derived from it. The token changes at sign-in, with
// the session.
func csrfFor(secret string) string {
	sum := sha256.Sum256([]byte("stakhanov-csrf\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// csrfSecret returns the cookie value the request's CSRF token derives
// from, or "".
func csrfSecret(r *http.Request) string {
	if tok, _ := r.Context().Value(sessionKey).(string); tok != "" {
		return tok
	}
	if c, err := r.Cookie(visitorCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	return ""
}

// csrfToken returns the token for the forms of a page, setting a visitor
// cookie first if the browser has neither session nor visitor cookie.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	secret := csrfSecret(r)
	if secret == "" {
		b := make([]byte, 32)
		rand.Read(b)
		secret = base64.RawURLEncoding.EncodeToString(b)
		s.setCookie(w, r, visitorCookie, secret, 0)
	}
	return csrfFor(secret)
}

func (s *Server) checkCSRF(r *http.Request) bool {
	secret := csrfSecret(r)
	if secret == "" {
		return false
	}
	got := r.PostFormValue(csrfField)
	return subtle.ConstantTimeCompare([]byte(got), []byte(csrfFor(secret))) == 1
}

func (s *Server) secure(r *http.Request) bool { return s.cfg.SecureCookies || r.TLS != nil }

// setCookie sets an HttpOnly, SameSite=Lax cookie; maxAge 0 lasts the
// browser session.
func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	s.setCookie(w, r, name, "", -1)
}

type signInData struct {
	Form *Form
	Next string
	Note string
}

func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(nil)
	next := safeNext(r.URL.Query().Get("next"))
	if u := stakhanov.UserFromContext(r.Context()); u != nil && next == "" {
		return redirect(w, r, StartPage(u.Role))
	}
	s.render(w, r, http.StatusOK, "signin", "Sign in", signInData{Form: form, Next: next, Note: s.cfg.SignInNote})
	return nil
}

// handleSignIn checks name and password and starts a session. A wrong name
// and a wrong password get the same answer.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(r.PostForm)
	form.Values.Del("password") // never sent back
	form.Values.Del(csrfField)
	name := strings.TrimSpace(r.PostFormValue("name"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	if name == "" {
		form.Fail("name", "Enter your user name.")
	}
	if password == "" {
		form.Fail("password", "Enter your password.")
	}
	var u *stakhanov.User
	if form.OK() {
		var err error
		u, err = stakhanov.SignIn(r.Context(), s.store, name, password, stakhanov.AddressOf(r.RemoteAddr), s.now())
		switch {
		case stakhanov.ErrorCode(err) == stakhanov.ETOOMANY:
			form.Message = "Too many failed sign-ins: " + strings.TrimPrefix(stakhanov.ErrorMessage(err), "too many failed sign-ins: ") + "."
			s.render(w, r, http.StatusTooManyRequests, "signin", "Sign in", signInData{Form: form, Next: next, Note: s.cfg.SignInNote})
			return nil
		case stakhanov.ErrorField(err) == "account":
			form.Message = "This account is disabled: ask an admin to enable it."
		case stakhanov.ErrorCode(err) == stakhanov.EUNAUTHORIZED:
			form.Message = "The name or the password is not right."
		case err != nil:
			return err
		}
	}
	if !form.OK() {
		s.render(w, r, http.StatusUnauthorized, "signin", "Sign in", signInData{Form: form, Next: next, Note: s.cfg.SignInNote})
		return nil
	}
	// End the session this browser had, if any, before starting another.
	if old, _ := r.Context().Value(sessionKey).(string); old != "" {
		if err := s.store.EndSession(r.Context(), old); err != nil {
			return err
		}
	}
	token, err := s.store.CreateSession(stakhanov.NewContext(r.Context(), u), u.ID)
	if err != nil {
		return err
	}
	s.setCookie(w, r, sessionCookie, token, int(stakhanov.SessionLifetime.Seconds()))
	s.clearCookie(w, r, visitorCookie)
	if next == "" {
		next = StartPage(u.Role)
	}
	return redirect(w, r, next)
}

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	if tok, _ := r.Context().Value(sessionKey).(string); tok != "" {
		if err := s.store.EndSession(r.Context(), tok); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, sessionCookie)
	return redirect(w, r, "/?signedout=1")
}

// safeNext keeps a post-sign-in target only if it is a path on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.HasPrefix(next, "/signin") || strings.HasPrefix(next, "/signout") {
		return ""
	}
	return next
}
