// Package http serves Stakhanov's JSON API under /api/v1, described by the
// OpenAPI document at /api/v1/openapi.json.
//
// Every route is listed once, in Server.table, with its method pattern and
// whether it needs a bearer token. Handlers return an error; one adapter
// (Server.handle) turns it into a JSON error body with the status that
// errorStatus assigns to its code.
package http

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/credential"
	"github.com/stakhanov/stakhanov/ledger"
)

// Config tunes the server.
type Config struct {
	// MaxBodyBytes bounds a request body; larger bodies are refused with
	// 413. Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Now is the clock that says what day it is: today for candidacy, the
	// current period for the leaderboard. Nil means time.Now.
	Now func() time.Time
	// Ledger signs the honours ledger's checkpoints and gives its public
	// key. Nil serves records and proofs but no key or checkpoint.
	Ledger *ledger.Log
	// Credentials signs the Open Badges credentials of conferrals. Nil
	// means this server issues none: their routes answer 404.
	Credentials *credential.Issuer
}

// DefaultMaxBodyBytes is the request body limit when Config leaves it zero.
const DefaultMaxBodyBytes = 1 << 20

// Server is the HTTP API over a store.
type Server struct {
	cfg    Config
	store  stakhanov.Store
	logger *slog.Logger
	// now is the clock (Config.Now): it says what day "today" is.
	now     func() time.Time
	mux     *http.ServeMux
	routes  []route
	handler http.Handler
}

// handlerFunc is a handler that reports failure by returning an error
// instead of writing it, so that every error is written the same way.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// access says who may call a route.
type access int

const (
	// needsToken routes answer only to a valid bearer token.
	needsToken access = iota
	// public routes answer anyone; a token, if sent, must still be valid.
	public
)

type route struct {
	method string
	path   string
	access access
	handle handlerFunc
}

func (rt route) pattern() string { return rt.method + " " + rt.path }

// table lists every route the server answers. The OpenAPI document must
// describe exactly these (see openapi_test.go).
func (s *Server) table() []route {
	return []route{
		{"GET", "/healthz", public, s.handleHealth},
		{"GET", "/api/v1/openapi.json", public, s.handleOpenAPI},
		{"GET", "/api/v1/me", needsToken, s.handleMe},

		{"GET", "/api/v1/users", needsToken, s.handleUsers},
		{"POST", "/api/v1/users", needsToken, s.handleCreateUser},
		{"GET", "/api/v1/users/{id}", needsToken, byID(s.store.FindUserByID, same)},
		{"GET", "/api/v1/users/{id}/changes", needsToken, s.handleUserChanges},
		{"POST", "/api/v1/users/{id}/disable", needsToken, s.handleDisableUser},
		{"POST", "/api/v1/users/{id}/enable", needsToken, s.handleEnableUser},
		{"PUT", "/api/v1/users/{id}/role", needsToken, s.handleSetUserRole},
		{"PUT", "/api/v1/users/{id}/unit", needsToken, s.handleSetUserUnit},
		{"GET", "/api/v1/security-events", needsToken, s.handleSecurityEvents},
		{"GET", "/api/v1/tokens", needsToken, s.handleTokens},
		{"POST", "/api/v1/tokens", needsToken, s.handleIssueToken},
		{"GET", "/api/v1/tokens/{id}", needsToken, byID(s.store.FindTokenByID, same)},
		{"POST", "/api/v1/tokens/{id}/revocation", needsToken, s.handleRevokeToken},

		{"GET", "/api/v1/units", needsToken, s.handleUnits},
		{"POST", "/api/v1/units", needsToken, s.handleCreateUnit},
		{"GET", "/api/v1/units/{id}", needsToken, byID(s.store.FindUnitByID, same)},
		{"PUT", "/api/v1/units/{id}/settings", needsToken, s.handleSetUnitSettings},

		{"GET", "/api/v1/people", needsToken, s.handlePeople},
		{"POST", "/api/v1/people", needsToken, s.handleCreatePerson},
		{"GET", "/api/v1/people/{id}", needsToken, byID(s.store.FindPersonByID, same)},

		{"GET", "/api/v1/goods", needsToken, s.handleGoods},
		{"POST", "/api/v1/goods", needsToken, s.handleCreateGood},
		{"GET", "/api/v1/goods/{id}", needsToken, byID(s.store.FindGoodByID, same)},
		{"GET", "/api/v1/goods/{id}/plausibility", needsToken, s.handlePlausibility},
		{"PUT", "/api/v1/goods/{id}/plausibility", needsToken, s.handleSetPlausibility},

		{"GET", "/api/v1/norms", needsToken, s.handleNorms},
		{"POST", "/api/v1/norms", needsToken, s.handleCreateNorm},
		{"POST", "/api/v1/norms/preview", needsToken, s.handlePreviewNorm},
		{"GET", "/api/v1/ratchets", needsToken, s.handleRatchets},

		{"GET", "/api/v1/needs", needsToken, s.handleNeeds},
		{"POST", "/api/v1/needs", needsToken, s.handleCreateNeed},

		{"GET", "/api/v1/plans", needsToken, s.handlePlans},
		{"POST", "/api/v1/plans", needsToken, s.handleCreatePlan},
		{"GET", "/api/v1/plans/versions", needsToken, s.handlePlanVersions},
		{"GET", "/api/v1/shortages", public, s.handleShortages},
		{"GET", "/api/v1/storming", needsToken, s.handleStorming},
		{"GET", "/api/v1/closes", needsToken, s.handleCloses},
		{"POST", "/api/v1/closes", needsToken, s.handleClosePeriod},
		{"GET", "/api/v1/closes/{id}", needsToken, byID(s.store.FindPeriodCloseByID, same)},
		{"GET", "/api/v1/closes/{id}/results", needsToken, s.handlePeriodResults},

		{"GET", "/api/v1/reports", needsToken, s.handleReports},
		{"POST", "/api/v1/reports", needsToken, s.handleCreateReports},
		{"GET", "/api/v1/reports/{id}", needsToken, s.handleReport},
		{"POST", "/api/v1/reports/{id}/verification", needsToken, s.handleVerifyReport},

		{"GET", "/api/v1/fulfilment", needsToken, s.handleFulfilment},
		{"GET", "/api/v1/leaderboard", needsToken, s.handleLeaderboard},

		{"GET", "/api/v1/awards", public, s.handleAwards},
		{"POST", "/api/v1/awards", needsToken, s.handleCreateAward},
		{"GET", "/api/v1/awards/{id}", public, s.handleAward},
		{"GET", "/api/v1/awards/{id}/insignia.svg", public, s.handleInsignia},

		{"GET", "/api/v1/candidates", needsToken, s.handleCandidates},

		{"GET", "/api/v1/recommendations", needsToken, s.handleRecommendations},
		{"POST", "/api/v1/recommendations", needsToken, s.handleCreateRecommendation},

		{"GET", "/api/v1/nominations", needsToken, s.handleNominations},
		{"POST", "/api/v1/nominations", needsToken, s.handleCreateNomination},
		{"GET", "/api/v1/nominations/{id}", needsToken, s.handleNomination},
		{"POST", "/api/v1/nominations/{id}/votes", needsToken, s.handleVote},
		{"GET", "/api/v1/nominations/{id}/standing", needsToken, byID(s.store.StageStanding, same)},
		{"POST", "/api/v1/nominations/{id}/withdrawal", needsToken, s.handleWithdrawal},

		{"GET", "/api/v1/decrees", needsToken, s.handleDecrees},
		{"POST", "/api/v1/decrees", needsToken, s.handleCreateDecree},
		{"GET", "/api/v1/decrees/{id}", needsToken, byID(s.store.FindDecreeByID, viewDecree)},
		{"POST", "/api/v1/decrees/{id}/sign", needsToken, byID(s.store.SignDecree, viewDecree)},
		{"GET", "/api/v1/decrees/{id}/problems", needsToken, byID(s.store.DecreeProblems, entryProblems)},
		{"POST", "/api/v1/decrees/{id}/entries/{entry}/removal", needsToken, s.handleRemoveDecreeEntry},
		{"POST", "/api/v1/decrees/{id}/discard", needsToken, s.handleDiscardDecree},

		{"GET", "/api/v1/conferrals/{id}", public, byID(s.store.FindConferralByID, same)},
		{"GET", "/api/v1/conferrals/{id}/credential", public, s.handleCredential},
		{"GET", "/api/v1/conferrals/{id}/status", public, s.handleCredentialStatus},
		{"GET", "/api/v1/conferrals/{id}/insignia.svg", public, s.handleBakedInsignia},
		{"GET", "/api/v1/credentials/jwks.json", public, s.handleJWKS},

		{"GET", "/api/v1/ceremonies", public, s.handleCeremonies},
		{"POST", "/api/v1/ceremonies", needsToken, s.handleCreateCeremony},
		{"GET", "/api/v1/ceremonies/{id}", public, byID(s.store.FindCeremonyByID, fillCeremony)},
		{"POST", "/api/v1/ceremonies/{id}/presentations", needsToken, s.handlePresentation},

		{"GET", "/api/v1/registry", public, s.handleRegistry},

		{"GET", "/api/v1/ledger/key", public, s.handleLedgerKey},
		{"GET", "/api/v1/ledger/checkpoint", public, s.handleLedgerCheckpoint},
		{"GET", "/api/v1/ledger/proof/inclusion", public, s.handleLedgerInclusion},
		{"GET", "/api/v1/ledger/proof/consistency", public, s.handleLedgerConsistency},
		{"GET", "/api/v1/ledger/records/{index}", public, s.handleLedgerRecord},
	}
}

// NewServer returns a server answering from store. A nil logger discards
// log output.
func NewServer(cfg Config, store stakhanov.Store, logger *slog.Logger) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{cfg: cfg, store: store, logger: logger, now: cfg.Now, mux: http.NewServeMux()}
	s.routes = s.table()
	for _, rt := range s.routes {
		s.mux.Handle(rt.pattern(), s.handle(rt))
	}
	s.handler = http.HandlerFunc(s.serve)
	return s
}

// today is the date by the server's clock.
func (s *Server) today() stakhanov.Date { return stakhanov.DateOf(s.now()) }

// Handler returns the handler serving every route.
func (s *Server) Handler() http.Handler { return s.handler }

// Routes returns every registered pattern, "GET /api/v1/units" and so on.
func (s *Server) Routes() []string {
	out := make([]string, len(s.routes))
	for i, rt := range s.routes {
		out[i] = rt.pattern()
	}
	return out
}

// serve dispatches to the mux, answering in JSON where the mux itself
// would answer in plain text: no route (404) or the wrong method (405).
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	// Let the mux decide between 404 and 405 and set Allow, then write
	// our own body instead of its text.
	rec := &headerRecorder{header: http.Header{}}
	h.ServeHTTP(rec, r)
	if rec.status == http.StatusMethodNotAllowed {
		if allow := rec.header.Get("Allow"); allow != "" {
			w.Header().Set("Allow", allow)
		}
		s.writeError(w, r, stakhanov.Errorf(codeMethodNotAllowed, "%s is not allowed on %s", r.Method, r.URL.Path))
		return
	}
	s.writeError(w, r, stakhanov.Errorf(stakhanov.ENOTFOUND, "no route for %s %s", r.Method, r.URL.Path))
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

// handle adapts a route's handler: it authenticates the caller, runs the
// handler with the user in the context, and writes any error it returns.
func (s *Server) handle(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				// A panic is a bug: keep the stack for the log, and give
				// the client the same answer as any internal error.
				s.writeError(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		ctx, err := s.authenticate(r, rt.access)
		if err == nil {
			// The request with its user, for the handler and for
			// writeError, which records refusals.
			r = r.WithContext(ctx)
			err = rt.handle(w, r)
		}
		if err != nil {
			s.writeError(w, r, err)
		}
	})
}

// authenticate returns the request's context carrying the user its bearer
// token belongs to. The store checks that user's role and scope on every
// write.
func (s *Server) authenticate(r *http.Request, a access) (context.Context, error) {
	ctx := r.Context()
	header := r.Header.Get("Authorization")
	if header == "" {
		if a == public {
			return ctx, nil
		}
		return nil, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "this needs a token: send Authorization: Bearer TOKEN")
	}
	scheme, token, _ := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "the Authorization header must read Bearer TOKEN")
	}
	u, err := s.store.Authenticate(ctx, token)
	if err != nil {
		return nil, err
	}
	return stakhanov.NewContext(ctx, u), nil
}

// handleHealth reports whether the store answers. It looks up one unit by
// primary key, the cheapest read there is; "not found" still proves the
// database works.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := s.store.FindUnitByID(ctx, 1); err != nil && stakhanov.ErrorCode(err) != stakhanov.ENOTFOUND {
		s.logger.ErrorContext(ctx, "health check failed", "error", err)
		// 503 rather than 500 so that load balancers take the instance
		// out of rotation; the cause stays in the log.
		return writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
	}
	return writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) error {
	return writeJSON(w, http.StatusOK, stakhanov.UserFromContext(r.Context()))
}
