// Package sqlite opens a Stakhanov store in an SQLite file: the embedded
// default, nothing to install.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"runtime"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/stakhanov/stakhanov/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

// driverName is go-sqlite3 with LOWER folding every script, as
// PostgreSQL's does in a UTF-8 locale: SQLite's own LOWER folds only ASCII,
// so a search for "алексей" would miss "Алексей" (sqlstore's name filters
// compare LOWER of both sides).
const driverName = "sqlite3-stakhanov"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		return c.RegisterFunc("lower", strings.ToLower, true)
	}})
}

type dialect struct{}

func (dialect) Name() string           { return "sqlite" }
func (dialect) Placeholder(int) string { return "?" }
func (dialect) LastInsertID() bool     { return true }
func (dialect) IsUniqueViolation(err error) bool {
	var e sqlite3.Error
	return errors.As(err, &e) && e.ExtendedCode == sqlite3.ErrConstraintUnique
}

// Open opens (creating if need be) the database file at path and brings its
// schema up to date. now is the clock; opts configure the store.
//
// Writes go through a single connection, so that SQLite never has to
// resolve competing writers; reads use a pool. WAL with synchronous=FULL
// makes every committed write survive a crash.
func Open(ctx context.Context, path string, now func() time.Time, opts ...sqlstore.Option) (*sqlstore.DB, error) {
	params := url.Values{}
	params.Set("_journal_mode", "WAL")
	params.Set("_synchronous", "FULL")
	params.Set("_busy_timeout", "10000")
	params.Set("_foreign_keys", "on")
	params.Set("_txlock", "immediate")
	// 64 MiB of page cache per connection: the idempotency-key index of a
	// large table outgrows the 2 MiB default and turns inserts into reads.
	params.Set("_cache_size", "-65536")
	// Each connection keeps its prepared statements: a report's write runs
	// some thirty, and preparing them again each time was a fifth of its
	// cost (CPU profile of BenchmarkSingleReportIngest).
	params.Set("_stmt_cache_size", "256")
	dsn := "file:" + path + "?" + params.Encode()
	write, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	if err := sqlstore.Migrate(ctx, write, dialect{}, sub); err != nil {
		write.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	params.Set("_txlock", "deferred")
	params.Set("mode", "ro")
	read, err := sql.Open(driverName, "file:"+path+"?"+params.Encode())
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	db := sqlstore.New(write, read, dialect{}, now, opts...)
	db.EnableGroupCommit()
	// Statistics for the planner, for a database that has none (made
	// before imports kept them).
	var stats int
	if err := write.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'`).Scan(&stats); err == nil && stats == 0 {
		db.Analyze(ctx)
	}
	if err := db.EnsureState(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("build the fulfilment state of %s: %w", path, err)
	}
	return db, nil
}
