package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/stakhanov/stakhanov"
	stakhttp "github.com/stakhanov/stakhanov/http"
	"github.com/stakhanov/stakhanov/ledger"
	"github.com/stakhanov/stakhanov/postgres"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
	"github.com/stakhanov/stakhanov/web"
)

// Main is the running program: a store and an HTTP server. End-to-end tests
// open one on ":0" with a temporary database.
type Main struct {
	Config Config
	Logger *slog.Logger
	// Now is the clock.
	Now func() time.Time
	// SignInNote is shown under the web sign-in form (the demo's passwords).
	SignInNote string

	// Ledger signs the honours ledger's checkpoints, with the key from
	// Config.LedgerKeyPath (made at first start).
	Ledger *ledger.Log

	Store    *sqlstore.DB
	listener net.Listener
	server   *http.Server
	done     chan error
	// Hold keeps Open from answering requests until StartServing: the
	// listener is bound (its URL known) and connections wait, so that
	// nothing is answered before the database is ready (the demo seeds
	// first).
	Hold      bool
	serveOnce sync.Once
	serving   bool
}

// NewMain returns a program with the default configuration.
func NewMain() *Main {
	return &Main{Config: DefaultConfig(), Logger: slog.Default(), Now: time.Now}
}

// openStore opens the database the configuration names.
func openStore(ctx context.Context, db string, now func() time.Time, opts ...sqlstore.Option) (*sqlstore.DB, error) {
	if isPostgres(db) {
		return postgres.Open(ctx, db, now, opts...)
	}
	return sqlite.Open(ctx, db, now, opts...)
}

// OpenStore opens the database, applying migrations.
func (m *Main) OpenStore(ctx context.Context) error {
	s, err := openStore(ctx, m.Config.DB, m.Now, m.Config.storeOptions()...)
	if err != nil {
		return err
	}
	m.Store = s
	return nil
}

// Open opens the store (unless already open) and starts serving HTTP.
func (m *Main) Open(ctx context.Context) error {
	if m.Store == nil {
		if err := m.OpenStore(ctx); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.listener = ln
	issuer, err := m.credentialIssuer(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	if m.Ledger == nil {
		key, err := m.ledgerKey(ctx)
		if err != nil {
			ln.Close()
			return err
		}
		m.Ledger = ledger.NewLog(m.Store, key)
	}
	api := stakhttp.NewServer(stakhttp.Config{Ledger: m.Ledger, MaxBodyBytes: m.Config.MaxBodyBytes, Now: m.Now, Credentials: issuer}, m.Store, m.Logger)
	site := web.NewServer(web.Config{Now: m.Now, Location: m.Config.TimeZone, SignInNote: m.SignInNote, Ledger: m.Ledger}, m.Store, m.Logger)
	// The JSON API answers /api/ and /healthz; the web interface the rest.
	mux := http.NewServeMux()
	mux.Handle("/api/", api.Handler())
	mux.Handle("/healthz", api.Handler())
	mux.Handle("/", site.Handler())
	m.server = &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(m.Logger.Handler(), slog.LevelWarn),
	}
	m.done = make(chan error, 1)
	if !m.Hold {
		m.StartServing()
	}
	return nil
}

// StartServing answers the connections the listener holds: at once from
// Open, or, with Hold, once the caller has got the database ready.
func (m *Main) StartServing() {
	m.serveOnce.Do(func() {
		m.serving = true
		go func() { m.done <- m.server.Serve(m.listener) }()
	})
}

// URL returns the base URL the server listens on.
func (m *Main) URL() string {
	addr := m.listener.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	return fmt.Sprintf("http://%s", net.JoinHostPort(host, fmt.Sprint(addr.Port)))
}

// Wait blocks until the server stops or ctx ends.
func (m *Main) Wait(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-m.done:
		return err
	}
}

// Close stops the server, letting requests in flight finish, then closes
// the store.
func (m *Main) Close() error {
	var err error
	if m.listener != nil && !m.serving {
		// Held and never served: the server does not know the listener.
		m.listener.Close()
	}
	if m.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if e := m.server.Shutdown(ctx); e != nil && !errors.Is(e, http.ErrServerClosed) {
			err = e
		}
	}
	if m.Store != nil {
		if e := m.Store.Close(); e != nil && err == nil {
			err = e
		}
	}
	return err
}

// systemContext is the operator's context for commands run with direct
// access to the database.
func systemContext(ctx context.Context) context.Context {
	return stakhanov.NewContext(ctx, stakhanov.System)
}
