// Package sqlstore implements stakhanov.Store in SQL that SQLite and
// PostgreSQL both accept. Packages sqlite and postgres open the engine, apply
// its migrations and supply the few things that differ (a Dialect).
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/stakhanov/stakhanov"
)

// Dialect is what differs between engines.
type Dialect interface {
	// Name is "sqlite" or "postgres".
	Name() string
	// Placeholder returns the n-th (1-based) bind parameter: "?" or "$n".
	Placeholder(n int) string
	// IsUniqueViolation reports whether err is a unique-constraint error.
	IsUniqueViolation(err error) bool
	// LastInsertID reports whether the driver's sql.Result gives the id of
	// an inserted row.
	LastInsertID() bool
}

// DB is a Stakhanov store on a SQL engine. Writes go through write, which
// an engine may limit to one connection (SQLite); reads through read.
type DB struct {
	write   *sql.DB
	read    *sql.DB
	dialect Dialect
	now     func() time.Time
	// loc is the time zone whose calendar says which day today is.
	loc *time.Location
	// pw are the password hash costs (accounts.go); nil is the default.
	pwMu sync.Mutex
	pw   *PasswordParams
	// hashes bounds the password hashes computed at once (hashSlot).
	hashOnce sync.Once
	hashes   chan struct{}
	// group gathers concurrent writes into shared commits; nil when off.
	group *committer
	// unitInfos caches what the state needs of each unit (unitInfo):
	// units never change once written.
	unitInfos sync.Map
	// stateOff leaves the rolling state alone on ingest and import: only
	// a benchmark's baseline sets it (WithoutStateForBenchmark).
	stateOff bool
	// importStateEvery is how many credits an import gathers before it
	// adds them to the state (WithImportStateEvery).
	importStateEvery int
}

var _ stakhanov.Store = (*DB)(nil)

// Option configures a store when it is opened.
type Option func(*DB)

// WithLocation sets the time zone in which the store tells which day today
// is: no shift report may be dated after it. The default is UTC.
func WithLocation(loc *time.Location) Option {
	return func(db *DB) {
		if loc != nil {
			db.loc = loc
		}
	}
}

// WithoutStateForBenchmark makes report ingest and import leave the
// rolling state alone, so that a benchmark can measure what keeping it
// costs beside the same work without it. A store opened so answers
// fulfilment and candidacy wrongly: nothing but a benchmark may use it.
func WithoutStateForBenchmark() Option {
	return func(db *DB) { db.stateOff = true }
}

// WithImportStateEvery makes an import add the credits of the reports it
// wrote to the rolling state every n credits (an import that writes more
// adds them in parts, and adds what its judge flagged at the end). The
// default, 1,000,000, holds about 80 MB; a smaller n holds less.
func WithImportStateEvery(n int) Option {
	return func(db *DB) {
		if n > 0 {
			db.importStateEvery = n
		}
	}
}

// New returns a store on open database handles. read may be the same handle
// as write. now is the clock (time.Now if nil).
func New(write, read *sql.DB, d Dialect, now func() time.Time, opts ...Option) *DB {
	if now == nil {
		now = time.Now
	}
	db := &DB{write: write, read: read, dialect: d, now: now, loc: time.UTC, importStateEvery: 1_000_000}
	for _, o := range opts {
		o(db)
	}
	return db
}

// Location is the time zone of the store's calendar.
func (db *DB) Location() *time.Location { return db.loc }

// today is the date by the clock in the store's time zone.
func (db *DB) today() stakhanov.Date { return stakhanov.DateOf(db.now().In(db.loc)) }

// Dialect returns the engine's dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// WriteDB returns the handle used for writes, for engine-specific code.
func (db *DB) WriteDB() *sql.DB { return db.write }

func (db *DB) Close() error {
	if db.group != nil {
		db.group.close()
	}
	// Readers first: the last connection to close checkpoints the
	// write-ahead log into the file, and a read-only one cannot, which
	// would leave the file alone without what was written.
	var err error
	if db.read != db.write {
		err = db.read.Close()
	}
	if err2 := db.write.Close(); err == nil {
		err = err2
	}
	return err
}

// analyze refreshes the planner's statistics after a bulk write. Without
// them SQLite read every person's month totals for one enterprise's
// leaderboard (17 ms at 5M reports, 1.4 ms after). It is best effort: a
// failure costs only speed: callers go on without it (a test checks that
// it succeeds).
func (db *DB) analyze(ctx context.Context) error {
	if db.dialect.Name() == "sqlite" {
		// At most a thousand rows of each index: a fraction of a second.
		// An empty table's statistics say nothing of the table it will
		// be, and mislead: with "reports is empty" on record, the first
		// import's state scanned every report for every person's helper
		// credits (52 s for 200,000 reports, 2 s without). Without a
		// record SQLite assumes a large table; ANALYZE sqlite_schema
		// reloads what is left.
		// The state's tables grow with subjects and months, not reports:
		// a hundred times more rows of them, still a fraction of a second
		// at 25M reports. At a thousand rows, SQLite took a table's leading
		// column for one with a thousand distinct values and read every
		// person's month totals for each 500 units of a whole tree's
		// leaderboard (0.79 s at 25M reports, 0.06 s after).
		_, err := db.write.ExecContext(ctx, `PRAGMA analysis_limit = 1000; ANALYZE;
			PRAGMA analysis_limit = 100000; ANALYZE fulfilment_periods; ANALYZE fulfilment_months; ANALYZE candidacy_state; ANALYZE fulfilment_subjects;
			DELETE FROM sqlite_stat1 WHERE stat = '0' OR stat LIKE '0 %'; ANALYZE sqlite_schema`)
		return err
	}
	// The state's tables are vacuumed too: just filled, they have no
	// visibility map, and every read of them visited the heap (at 25M
	// reports the candidates took 8.4 ms and the whole tree's leaderboard
	// 515 ms before, 5.8 and 149 ms after; 13 s of VACUUM).
	if _, err := db.write.ExecContext(ctx, "VACUUM (ANALYZE) fulfilment_months, fulfilment_periods, candidacy_state"); err != nil {
		return err
	}
	_, err := db.write.ExecContext(ctx, "ANALYZE reports")
	return err
}

// Analyze refreshes the planner's statistics (sqlite open calls it when a
// database has none; an import, after it has written).
func (db *DB) Analyze(ctx context.Context) error { return db.analyze(ctx) }

// rebind turns ? placeholders into the dialect's.
func rebind(d Dialect, q string) string {
	if d.Placeholder(1) == "?" {
		return q
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteString(d.Placeholder(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// querier is a *sql.DB or *sql.Tx with placeholders rebound.
type querier struct {
	q interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}
	d Dialect
	// stmts, when set, prepares each statement once: work that runs the
	// same statements thousands of times in one transaction (the state
	// of an import) would otherwise spend most of its time preparing them.
	stmts *stmtCache
}

// stmtCache holds the statements prepared for one transaction or
// connection.
type stmtCache struct {
	prepare func(ctx context.Context, query string) (*sql.Stmt, error)
	stmts   map[string]*sql.Stmt
}

type preparer interface {
	PrepareContext(context.Context, string) (*sql.Stmt, error)
}

// cached returns q preparing its statements once, and a function that
// closes them; q must be on a transaction or connection.
func (q querier) cached() (querier, func()) {
	on, ok := q.q.(preparer)
	if !ok || q.stmts != nil {
		return q, func() {}
	}
	c := &stmtCache{prepare: on.PrepareContext, stmts: map[string]*sql.Stmt{}}
	q.stmts = c
	return q, func() {
		for _, s := range c.stmts {
			s.Close()
		}
	}
}

func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	if s, ok := c.stmts[query]; ok {
		return s, nil
	}
	s, err := c.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	c.stmts[query] = s
	return s, nil
}

func (q querier) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if q.stmts != nil {
		s, err := q.stmts.get(ctx, rebind(q.d, query))
		if err != nil {
			return nil, err
		}
		return s.ExecContext(ctx, args...)
	}
	return q.q.ExecContext(ctx, rebind(q.d, query), args...)
}

func (q querier) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if q.stmts != nil {
		s, err := q.stmts.get(ctx, rebind(q.d, query))
		if err != nil {
			return nil, err
		}
		return s.QueryContext(ctx, args...)
	}
	return q.q.QueryContext(ctx, rebind(q.d, query), args...)
}

func (q querier) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if q.stmts != nil {
		s, err := q.stmts.get(ctx, rebind(q.d, query))
		if err == nil {
			return s.QueryRowContext(ctx, args...)
		}
	}
	return q.q.QueryRowContext(ctx, rebind(q.d, query), args...)
}

// insert runs an INSERT ... RETURNING id and returns the id.
func (q querier) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := q.queryRow(ctx, query+" RETURNING id", args...).Scan(&id)
	return id, err
}

func (db *DB) reader() querier { return querier{q: db.read, d: db.dialect} }

// inTx runs fn in a write transaction, committing if it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(q querier) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(querier{q: tx, d: db.dialect}); err != nil {
		return err
	}
	return tx.Commit()
}

// Migrate applies, in order, the migrations in fsys (files NNNN_name.sql)
// not yet recorded in schema_migrations, each in its own transaction.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS) error {
	q := querier{q: db, d: d}
	if _, err := q.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		prefix, _, _ := strings.Cut(name, "_")
		version, err := strconv.Atoi(prefix)
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", name)
		}
		var n int
		if err := q.queryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if err := migrateOne(ctx, db, d, name, version, string(body)); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// foreignKeysOff is the first line of an SQLite migration that must run
// with foreign keys off (a table rebuild: dropping the old table would
// otherwise delete its rows under the rows that reference them).
const foreignKeysOff = "-- stakhanov: foreign keys off"

// migrateOne applies one migration in a transaction. On SQLite, a
// migration marked foreignKeysOff runs on one connection whose foreign
// keys are turned off before BEGIN (the setting cannot change inside a
// transaction) and back on after the end; every foreign key is checked
// before the commit, so a migration that broke one is rolled back.
func migrateOne(ctx context.Context, db *sql.DB, d Dialect, name string, version int, body string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	fkOff := d.Name() == "sqlite" && strings.HasPrefix(body, foreignKeysOff)
	if fkOff {
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return err
		}
		defer func() {
			if _, err := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); err != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn })
			}
		}()
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return err
	}
	if fkOff {
		rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			return err
		}
		broken := rows.Next()
		rows.Close()
		if broken {
			return errors.New("it leaves rows whose foreign keys name no row")
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	tq := querier{q: tx, d: d}
	if _, err := tq.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		version, name, time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	return tx.Commit()
}

// actor returns the acting user if it has one of the roles.
func actor(ctx context.Context, roles ...string) (*stakhanov.User, error) {
	u := stakhanov.UserFromContext(ctx)
	if u == nil {
		return nil, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "sign in to do this")
	}
	for _, r := range roles {
		if u.Role == r {
			return u, nil
		}
	}
	return nil, stakhanov.Errorf(stakhanov.EFORBIDDEN, "a %s may not do this (needs %s)", u.Role, strings.Join(roles, " or "))
}

func requireScope(u *stakhanov.User, path, what string) error {
	if !u.Covers(path) {
		return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s is outside %s's units", what, u.Name)
	}
	return nil
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// where builds a WHERE clause from conditions.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// list runs a filtered, paginated query and its count.
func list[T any](ctx context.Context, q querier, sel, from string, w *where, order string, p stakhanov.Page, scan func(*sql.Rows) (T, error)) ([]T, int, error) {
	p = p.Normalize()
	var total int
	if err := q.queryRow(ctx, "SELECT COUNT(*) FROM "+from+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	args := append(append([]any{}, w.args...), p.Limit, p.Offset)
	rows, err := q.query(ctx, "SELECT "+sel+" FROM "+from+w.String()+" ORDER BY "+order+" LIMIT ? OFFSET ?", args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

func notFound(what string, id int64, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "%s %d not found", what, id)
	}
	return err
}
