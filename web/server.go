// Package web serves Stakhanov's web interface: server-rendered pages for
// every role and the public registry, at "/" beside the JSON API.
//
// Every route is listed once, in Server.table, with who may open it. A page
// is one handler (a method returning an error) and one template in
// templates/ rendered with s.render; see README.md in this folder for how
// to add one. The adapter (Server.handle) loads the signed-in user from the
// session cookie, enforces the route's access, checks the CSRF token of
// every POST, and turns a returned error into an error page.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/ledger"
)

// Config tunes the server.
type Config struct {
	// Now is the clock: it says what day "today" is. Nil means time.Now.
	Now func() time.Time
	// Location is the time zone of "today", as the store's (nil: UTC).
	Location *time.Location
	// SecureCookies marks cookies Secure even on plain-HTTP requests, for a
	// server behind a TLS-terminating proxy. Requests that arrive over TLS
	// get Secure cookies anyway.
	SecureCookies bool
	// SignInNote is shown under the sign-in form; the demo uses it to say
	// what the demo passwords are.
	SignInNote string
	// Ledger, if set, is the honours ledger's log: the auditor's page shows
	// its public key, signs a checkpoint of the ledger as it is now (as GET
	// /api/v1/ledger/checkpoint does) and checks checkpoints' signatures.
	// Without it the page shows the checkpoints kept, unchecked.
	Ledger *ledger.Log
}

// Server is the web interface over a store.
type Server struct {
	cfg     Config
	store   stakhanov.Store
	logger  *slog.Logger
	now     func() time.Time
	mux     *http.ServeMux
	routes  []route
	pages   *pages
	handler http.Handler
}

// handlerFunc is a page handler: it writes the page, or returns an error
// that the adapter turns into an error page (or, for EUNAUTHORIZED, a
// redirect to sign in).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// access says who may open a route.
type access struct {
	// signIn: the route needs a signed-in user.
	signIn bool
	// roles, if any, are the roles allowed; empty is any role.
	roles []string
}

var (
	// public routes answer anyone; a signed-in user is still known (for
	// the page header).
	public = access{}
	// signedIn routes answer any signed-in user.
	signedIn = access{signIn: true}
)

// only returns access for signed-in users of the given roles.
func only(roles ...string) access { return access{signIn: true, roles: roles} }

func (a access) allows(u *stakhanov.User) bool {
	if len(a.roles) == 0 {
		return true
	}
	for _, r := range a.roles {
		if u.Role == r {
			return true
		}
	}
	return false
}

type route struct {
	method string
	path   string
	access access
	handle handlerFunc
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

// table lists every route the web interface answers. Paths under /api/ and
// /healthz belong to the JSON API and are not routed here.
func (s *Server) table() []route {
	worker := only(stakhanov.RoleWorker)
	foreman := only(stakhanov.RoleForeman)
	planner := only(stakhanov.RolePlanner)
	return []route{
		// Public: no sign-in.
		{"GET", "/{$}", public, s.handleHome},
		{"GET", "/static/", public, s.handleStatic},
		{"GET", "/signin", public, s.handleSignInForm},
		{"POST", "/signin", public, s.handleSignIn},
		{"POST", "/signout", signedIn, s.handleSignOut},
		{"GET", "/start", signedIn, s.handleStart},
		{"GET", "/registry", public, s.handleRegistry},
		{"GET", "/shortages", public, s.handlePublicShortages},
		{"GET", "/recipients/{kind}/{id}", public, s.handleRecipient},
		{"GET", "/awards", public, s.handleAwards},
		{"GET", "/awards/{id}", public, s.handleAward},

		// Worker.
		{"GET", "/worker", worker, s.handleWorker},
		{"GET", "/worker/shifts", worker, s.handleWorkerShifts},
		{"GET", "/worker/fulfilment", worker, s.handleWorkerFulfilment},
		{"GET", "/worker/fulfilment.csv", worker, s.handleWorkerFulfilmentCSV},
		{"GET", "/worker/collective", worker, s.handleWorkerCollective},
		{"GET", "/worker/recommend", worker, s.handleRecommendForm},
		{"POST", "/worker/recommend", worker, s.handleRecommend},

		// Foreman.
		{"GET", "/foreman", foreman, s.handleForeman},
		{"POST", "/foreman/reports", foreman, s.handleCreateReport},
		{"GET", "/foreman/reports/{id}/correct", foreman, s.handleCorrectForm},

		// Planner.
		{"GET", "/planner", planner, s.handlePlanner},
		{"GET", "/planner/norms/new", planner, s.handleNormForm},
		{"GET", "/planner/shortages", planner, s.handleShortages},
		{"GET", "/planner/shortages.csv", planner, s.handleShortagesCSV},
		{"GET", "/planner/plans", planner, s.handlePlans},
		{"GET", "/planner/plans.csv", planner, s.handlePlansCSV},
		{"GET", "/planner/storming", planner, s.handleStorming},
		{"GET", "/planner/storming.csv", planner, s.handleStormingCSV},
		{"GET", "/planner/ratchets", planner, s.handleRatchets},
		{"GET", "/planner/ratchets.csv", planner, s.handleRatchetsCSV},
		{"GET", "/planner/closes", planner, s.handleCloses},
		{"POST", "/planner/closes", planner, s.handleClosePeriod},
		{"GET", "/planner/closes/{id}", planner, s.handleCloseResults},
		{"POST", "/planner/norms", planner, s.handleCreateNorm},
		{"POST", "/planner/units/{id}/ranks", planner, s.handleSetUnitRanks},
		{"POST", "/planner/units/{id}/publish-shortages", planner, s.handleSetPublishShortages},

		// Nominator (nominator.go).
		{"GET", "/nominator", only(stakhanov.RoleNominator), s.handleNominator},
		{"GET", "/nominator/nominations/new", only(stakhanov.RoleNominator), s.handleNominationForm},
		{"POST", "/nominator/nominations", only(stakhanov.RoleNominator), s.handleFileNomination},
		{"GET", "/nominator/nominations/{id}", only(stakhanov.RoleNominator), s.handleNominatorNomination},
		{"GET", "/nominator/awards/{id}/candidates", only(stakhanov.RoleNominator), s.handleCandidates},
		{"POST", "/nominator/awards/{id}/candidates", only(stakhanov.RoleNominator), s.handleNominateCandidate},
		// Committee member (committee.go).
		{"GET", "/committee", only(stakhanov.RoleCommittee), s.handleCommittee},
		{"GET", "/committee/nominations/{id}", only(stakhanov.RoleCommittee), s.handleReview},
		{"POST", "/committee/nominations/{id}/vote", only(stakhanov.RoleCommittee), s.handleVote},
		// Awarding authority (authority.go).
		{"GET", "/authority", only(stakhanov.RoleAuthority), s.handleAuthority},
		{"GET", "/authority/decrees/new", only(stakhanov.RoleAuthority), s.handleDecreeForm},
		{"POST", "/authority/decrees", only(stakhanov.RoleAuthority), s.handleDraftDecree},
		{"GET", "/authority/decrees/{id}", only(stakhanov.RoleAuthority), s.handleDecree},
		{"POST", "/authority/decrees/{id}/sign", only(stakhanov.RoleAuthority), s.handleSignDecree},
		{"POST", "/authority/decrees/{id}/entries/{entry}/remove", only(stakhanov.RoleAuthority), s.handleRemoveDecreeEntry},
		{"POST", "/authority/decrees/{id}/discard", only(stakhanov.RoleAuthority), s.handleDiscardDecree},
		// Registrar (registrar.go).
		{"GET", "/registrar", only(stakhanov.RoleRegistrar), s.handleRegistrar},
		{"GET", "/registrar/ceremonies/new", only(stakhanov.RoleRegistrar), s.handleCeremonyForm},
		{"POST", "/registrar/ceremonies", only(stakhanov.RoleRegistrar), s.handleScheduleCeremony},
		{"GET", "/registrar/ceremonies/{id}", only(stakhanov.RoleRegistrar), s.handleCeremony},
		{"POST", "/registrar/ceremonies/{id}/presented", only(stakhanov.RoleRegistrar), s.handleMarkPresented},
		// Start pages of the roles whose work is done through the API for
		// now (roles.go).
		{"GET", "/admin", only(stakhanov.RoleAdmin), s.handleRoleHome},
		// Admin (admin.go).
		{"GET", "/admin/accounts", only(stakhanov.RoleAdmin), s.handleAdminAccounts},
		{"GET", "/admin/accounts/{id}", only(stakhanov.RoleAdmin), s.handleAdminAccount},
		{"POST", "/admin/accounts/{id}/{change}", only(stakhanov.RoleAdmin), s.handleAdminAccountChange},
		{"POST", "/admin/tokens/{id}/revoke", only(stakhanov.RoleAdmin), s.handleAdminRevokeToken},
		// Verifier (verifier.go).
		{"GET", "/verifier", only(stakhanov.RoleVerifier), s.handleVerifier},
		{"GET", "/verifier/reports/{id}", only(stakhanov.RoleVerifier), s.handleVerifierReport},
		{"POST", "/verifier/reports/{id}/verification", only(stakhanov.RoleVerifier), s.handleVerifyReport},
		// Auditor (auditor.go).
		{"GET", "/auditor", only(stakhanov.RoleAuditor), s.handleAuditor},
	}
}

// startPages is where each role lands after signing in.
var startPages = map[string]string{
	stakhanov.RoleAdmin:     "/admin",
	stakhanov.RolePlanner:   "/planner",
	stakhanov.RoleForeman:   "/foreman",
	stakhanov.RoleWorker:    "/worker",
	stakhanov.RoleVerifier:  "/verifier",
	stakhanov.RoleNominator: "/nominator",
	stakhanov.RoleCommittee: "/committee",
	stakhanov.RoleAuthority: "/authority",
	stakhanov.RoleRegistrar: "/registrar",
	stakhanov.RoleAuditor:   "/auditor",
}

// StartPage returns the page a user of the role lands on after sign-in.
func StartPage(role string) string {
	if p, ok := startPages[role]; ok {
		return p
	}
	return "/"
}

// NewServer returns the web interface over store. A nil logger discards
// log output.
func NewServer(cfg Config, store stakhanov.Store, logger *slog.Logger) *Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, store: store, logger: logger, now: cfg.Now, mux: http.NewServeMux(), pages: mustParsePages()}
	s.routes = s.table()
	for _, rt := range s.routes {
		s.mux.Handle(rt.pattern(), s.handle(rt))
	}
	s.handler = http.HandlerFunc(s.serve)
	return s
}

// Handler returns the handler serving every page.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns every registered pattern, "GET /worker" and so on.
func (s *Server) Routes() []string {
	out := make([]string, len(s.routes))
	for i, rt := range s.routes {
		out[i] = rt.pattern()
	}
	return out
}

// today is the date by the server's clock.
func (s *Server) today() stakhanov.Date { return stakhanov.Today(s.now(), s.cfg.Location) }

// serve dispatches to the mux, answering with an HTML page where the mux
// would answer in plain text (404, 405).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w)
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	rec := &headerRecorder{header: http.Header{}}
	h.ServeHTTP(rec, r)
	r = r.WithContext(s.loadUser(w, r))
	if rec.status == http.StatusMethodNotAllowed {
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		s.errorPage(w, r, http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on this page.", r.Method))
		return
	}
	s.errorPage(w, r, http.StatusNotFound, "There is no page at this address.")
}

// headerRecorder keeps the status and headers a handler writes and drops
// its body.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header { return h.header }
func (h *headerRecorder) WriteHeader(status int) {
	if h.status == 0 {
		h.status = status
	}
}
func (h *headerRecorder) Write(b []byte) (int, error) {
	h.WriteHeader(http.StatusOK)
	return len(b), nil
}

func setSecurityHeaders(w http.ResponseWriter) {
	h := w.Header()
	// Pages need nothing from elsewhere: no inline scripts, no external
	// assets. Inline SVG charts use presentation attributes, not styles.
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
}

// handle adapts a route: it loads the session's user, enforces access and
// CSRF, runs the handler and writes any error it returns as a page.
func (s *Server) handle(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.writeError(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		r = r.WithContext(s.loadUser(w, r))
		u := stakhanov.UserFromContext(r.Context())
		if u != nil {
			// Pages of a signed-in user are theirs alone.
			w.Header().Set("Cache-Control", "no-store")
		}
		if rt.access.signIn && u == nil {
			s.writeError(w, r, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "sign in to see this page"))
			return
		}
		if u != nil && !rt.access.allows(u) {
			// writeError records the refusal.
			s.writeError(w, r, stakhanov.Errorf(stakhanov.EFORBIDDEN, "This page is for the %s role; you are signed in as a %s.",
				strings.Join(rt.access.roles, " or "), u.Role))
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		}
		if r.Method == http.MethodPost && !s.checkCSRF(r) {
			s.errorPage(w, r, http.StatusForbidden, "This form has expired or did not come from this site. Go back, reload the page and send it again.")
			return
		}
		if err := rt.handle(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// maxFormBytes bounds a form's body.
const maxFormBytes = 1 << 20

// sessionKey marks the context of a request whose session was looked up.
type ctxKey int

const sessionKey ctxKey = 0

// loadUser returns the request's context carrying the user of its session
// cookie, if the session is live; a dead session's cookie is cleared.
func (s *Server) loadUser(w http.ResponseWriter, r *http.Request) context.Context {
	ctx := r.Context()
	if _, ok := ctx.Value(sessionKey).(string); ok {
		return ctx
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return context.WithValue(ctx, sessionKey, "")
	}
	u, err := s.store.SessionUser(ctx, c.Value)
	if err != nil {
		if stakhanov.ErrorCode(err) != stakhanov.EUNAUTHORIZED {
			s.logger.ErrorContext(ctx, "session lookup failed", "error", err)
		}
		s.clearCookie(w, r, sessionCookie)
		return context.WithValue(ctx, sessionKey, "")
	}
	return stakhanov.NewContext(context.WithValue(ctx, sessionKey, c.Value), u)
}

// writeError turns a handler's error into a page with the right status;
// EUNAUTHORIZED sends the browser to sign in and come back.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := stakhanov.ErrorCode(err)
	switch code {
	case stakhanov.EUNAUTHORIZED:
		next := r.URL.RequestURI()
		if r.Method != http.MethodGet {
			next = "/"
		}
		http.Redirect(w, r, "/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	case stakhanov.ENOTFOUND:
		s.errorPage(w, r, http.StatusNotFound, stakhanov.ErrorMessage(err))
	case stakhanov.EFORBIDDEN:
		s.recordRefusal(r, err)
		s.errorPage(w, r, http.StatusForbidden, stakhanov.ErrorMessage(err))
	case stakhanov.EINVALID:
		s.errorPage(w, r, http.StatusBadRequest, stakhanov.ErrorMessage(err))
	case stakhanov.ECONFLICT:
		s.errorPage(w, r, http.StatusConflict, stakhanov.ErrorMessage(err))
	default:
		var e *stakhanov.Error
		if !errors.As(err, &e) {
			s.logger.ErrorContext(r.Context(), "web request failed", "method", r.Method, "path", r.URL.Path, "error", err)
		}
		s.errorPage(w, r, http.StatusInternalServerError, "Something went wrong on our side. It has been logged; please try again later.")
	}
}

type errorData struct {
	Status  int
	Heading string
	Message string
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, message string) {
	s.render(w, r, status, "error", http.StatusText(status), errorData{Status: status, Heading: http.StatusText(status), Message: message})
}

// handleStart sends a signed-in user to its role's start page.
func (s *Server) handleStart(w http.ResponseWriter, r *http.Request) error {
	u := stakhanov.UserFromContext(r.Context())
	http.Redirect(w, r, StartPage(u.Role), http.StatusSeeOther)
	return nil
}

// fromError is Form.FromError for a request: a refused permission shown
// on the form is recorded for the auditor, as writeError records one
// shown as a page.
func (s *Server) fromError(r *http.Request, f *Form, err error, rename map[string]string) error {
	if stakhanov.ErrorCode(err) == stakhanov.EFORBIDDEN {
		s.recordRefusal(r, err)
	}
	return f.FromError(err, rename)
}

// recordRefusal keeps a refused permission where an auditor reads it. A
// failure to keep it is logged: the answer to the user stands.
func (s *Server) recordRefusal(r *http.Request, err error) {
	if rerr := stakhanov.RecordRefusal(r.Context(), s.store, stakhanov.AddressOf(r.RemoteAddr), r.Method, r.URL.Path, err); rerr != nil {
		s.logger.ErrorContext(r.Context(), "cannot record a refusal", "error", rerr)
	}
}
