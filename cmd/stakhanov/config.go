package main

import (
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
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
}

// DefaultConfig returns the configuration used when nothing is set.
func DefaultConfig() Config {
	return Config{
		DB:           "stakhanov.db",
		Addr:         "127.0.0.1:8080",
		MaxBodyBytes: 1 << 20,
		LogLevel:     "info",
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
	return c, nil
}

// dbFlag registers -db; serverFlags registers what the server needs.
func (c *Config) dbFlag(fs *flag.FlagSet) {
	fs.StringVar(&c.DB, "db", c.DB, "SQLite database file, or a postgres:// URL (env STAKHANOV_DB)")
}

func (c *Config) serverFlags(fs *flag.FlagSet) {
	c.dbFlag(fs)
	fs.StringVar(&c.Addr, "addr", c.Addr, "address to listen on (env STAKHANOV_ADDR)")
	fs.Int64Var(&c.MaxBodyBytes, "max-body-bytes", c.MaxBodyBytes, "largest request body accepted (env STAKHANOV_MAX_BODY_BYTES)")
	fs.StringVar(&c.LogLevel, "log-level", c.LogLevel, "debug, info, warn or error (env STAKHANOV_LOG_LEVEL)")
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
