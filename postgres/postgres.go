// Package postgres opens a Stakhanov store in PostgreSQL, the production
// store, through pgx. The schema keeps to what CockroachDB and Citus accept:
// every table has a primary key, and nothing depends on triggers or stored
// procedures.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/stakhanov/stakhanov/sqlstore"
)

//go:embed migrations/*.sql
var migrations embed.FS

type dialect struct{}

func (dialect) Name() string             { return "postgres" }
func (dialect) Placeholder(n int) string { return "$" + strconv.Itoa(n) }
func (dialect) LastInsertID() bool       { return false }
func (dialect) IsUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

// CopyFrom streams rows into a table with COPY FROM, on the pgx connection
// under conn (sqlstore.Copier): imports use it to stage their rows.
func (dialect) CopyFrom(ctx context.Context, conn *sql.Conn, table string, columns []string, next func() ([]any, error)) (int64, error) {
	var n int64
	err := conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("postgres: the connection is a %T, not pgx's", dc)
		}
		var err error
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, columns, pgx.CopyFromFunc(next))
		return err
	})
	return n, err
}

var _ sqlstore.Copier = dialect{}

// Open connects to the database at url (postgres://...) and brings its
// schema up to date. now is the clock; opts configure the store.
func Open(ctx context.Context, url string, now func() time.Time, opts ...sqlstore.Option) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to postgres: %w", err)
	}
	sub, _ := fs.Sub(migrations, "migrations")
	if err := sqlstore.Migrate(ctx, db, dialect{}, sub); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	s := sqlstore.New(db, db, dialect{}, now, opts...)
	if err := s.EnsureState(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("build the fulfilment state: %w", err)
	}
	return s, nil
}
