package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata"

	"github.com/stakhanov/stakhanov/ledger"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// Config is everything an operator can set. Each field has a default, an
// environment variable STAKHANOV_<NAME> and a flag; a flag wins over the
// environment, the environment over the default.
type Config struct {
	// DB is an SQLite file path (the default) or a postgres:// URL.
	DB string
	// Addr is the address the HTTP server listens on.
	Addr string
	// MaxBodyBytes limits the size of a request body.
	MaxBodyBytes int64
	// LogLevel is debug, info, warn or error.
	LogLevel string
	// CredentialKey is the file of the RSA key that signs credentials,
	// made at first start if missing; "" means beside an SQLite database
	// (DB + ".credential-key.pem"), else stakhanov.credential-key.pem.
	CredentialKey string
	// BaseURL is the server's public URL, the issuer of its credentials
	// and the base of the URLs in them; "" means the listen address's.
	BaseURL string
	// LedgerKey is the file holding the ledger's signing key, created at
	// first start if missing, or the key itself (PRIVATE+KEY+...). Empty
	// means the default, LedgerKeyPath.
	LedgerKey string
	// LedgerOrigin names the ledger: the first line of its checkpoints and
	// the name of a key created for it. Empty means the key's name, or
	// ledger.DefaultOrigin for a new key.
	LedgerOrigin string
	// TimeZone is the zone whose calendar says which day today is: no
	// shift report may be dated after it, no decree signed before its
	// date, no conferral presented before its ceremony's day.
	TimeZone *time.Location
}

// DefaultConfig returns the configuration used when nothing is set.
func DefaultConfig() Config {
	return Config{
		DB:           "stakhanov.db",
		Addr:         "127.0.0.1:8080",
		MaxBodyBytes: 1 << 20,
		LogLevel:     "info",
		TimeZone:     time.UTC,
	}
}

// FromEnv overlays the STAKHANOV_* variables that are set.
func (c Config) FromEnv(getenv func(string) string) (Config, error) {
	if v := getenv("STAKHANOV_DB"); v != "" {
		c.DB = v
	}
	if v := getenv("STAKHANOV_ADDR"); v != "" {
		c.Addr = v
	}
	if v := getenv("STAKHANOV_MAX_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return c, fmt.Errorf("STAKHANOV_MAX_BODY_BYTES: %q is not a positive number", v)
		}
		c.MaxBodyBytes = n
	}
	if v := getenv("STAKHANOV_LOG_LEVEL"); v != "" {
		c.LogLevel = v
	}
	if v := getenv("STAKHANOV_LEDGER_KEY"); v != "" {
		c.LedgerKey = v
	}
	if v := getenv("STAKHANOV_LEDGER_ORIGIN"); v != "" {
		c.LedgerOrigin = v
	}
	if v := getenv("STAKHANOV_CREDENTIAL_KEY"); v != "" {
		c.CredentialKey = v
	}
	if v := getenv("STAKHANOV_BASE_URL"); v != "" {
		c.BaseURL = v
	}
	if v := getenv("STAKHANOV_TIME_ZONE"); v != "" {
		loc, err := loadTimeZone(v)
		if err != nil {
			return c, fmt.Errorf("STAKHANOV_TIME_ZONE: %w", err)
		}
		c.TimeZone = loc
	}
	return c, nil
}

// dbFlag registers -db and -time-zone, what opening the store needs;
// serverFlags registers what the server needs.
func (c *Config) dbFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "SQLite database file, or a postgres:// URL (env STAKHANOV_DB)")
	fs.Func("time-zone", "IANA time zone whose calendar says which day today is (env STAKHANOV_TIME_ZONE; default UTC)", func(v string) error {
		loc, err := loadTimeZone(v)
		if err == nil {
			c.TimeZone = loc
		}
		return err
	})
}

// loadTimeZone loads an IANA zone such as Europe/Moscow; the zone database
// is built into the binary (time/tzdata), so it needs none on the machine.
func loadTimeZone(name string) (*time.Location, error) {
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, fmt.Errorf("%q is not a time zone: give an IANA name such as UTC or Europe/Moscow", name)
	}
	return loc, nil
}

// storeOptions configure the store from the configuration.
func (c Config) storeOptions() []sqlstore.Option {
	return []sqlstore.Option{sqlstore.WithLocation(c.TimeZone)}
}

func (c *Config) serverFlags(fs *flag.FlagSet) {
	c.dbFlag(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (env STAKHANOV_ADDR)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, "largest request body accepted (env STAKHANOV_MAX_BODY_BYTES)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (env STAKHANOV_LOG_LEVEL)")
	c.ledgerFlags(fs)
	fs.StringVar(&c.CredentialKey, "credential-key", c.CredentialKey, "RSA key file that signs credentials, made if missing (env STAKHANOV_CREDENTIAL_KEY; default DB.credential-key.pem,\nor stakhanov.credential-key.pem for PostgreSQL)")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL of the server, the issuer of its credentials (env STAKHANOV_BASE_URL; default http://ADDR)")
}

// ledgerFlags registers the ledger's key and origin.
func (c *Config) ledgerFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.LedgerKey, "ledger-key", c.LedgerKey, "file of the ledger's signing key, made if missing, or the key itself (env STAKHANOV_LEDGER_KEY;\ndefault DB.ledger-key, or stakhanov.ledger-key for PostgreSQL)")
	fs.StringVar(&c.LedgerOrigin, "ledger-origin", c.LedgerOrigin, "the ledger's name, first line of its checkpoints (env STAKHANOV_LEDGER_ORIGIN;\ndefault the key's name, or "+ledger.DefaultOrigin+" for a new key)")
}

// LedgerKeyPath is where the ledger's signing key is: LedgerKey, or beside
// an SQLite database, or stakhanov.ledger-key for PostgreSQL.
func (c Config) LedgerKeyPath() string {
	switch {
	case c.LedgerKey != "":
		return c.LedgerKey
	case isPostgres(c.DB):
		return "stakhanov.ledger-key"
	}
	return c.DB + ".ledger-key"
}

func (c Config) slogLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.ToUpper(c.LogLevel))); err != nil {
		return l, fmt.Errorf("log level %q is not one of debug, info, warn, error", c.LogLevel)
	}
	return l, nil
}

// isPostgres reports whether the database is a PostgreSQL URL.
func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}
