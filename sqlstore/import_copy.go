package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// Copier is a Dialect whose engine has a bulk loader a connection can
// stream rows into (PostgreSQL's COPY FROM). ImportReports uses it when the
// dialect has it.
type Copier interface {
	// CopyFrom streams the rows next returns, until it returns a nil row,
	// into table on conn, in whatever transaction conn is in. A row is
	// read before next is called again, so next may reuse its slice.
	CopyFrom(ctx context.Context, conn *sql.Conn, table string, columns []string, next func() ([]any, error)) (int64, error)
}

// stagingColumns are the columns of import_reports that COPY fills; id is
// drawn from the reports' own sequence as each row arrives, so that every
// staged line has the id it will have in reports, and the rows written are
// known exactly, whatever their keys.
var stagingColumns = []string{"line", "subject_kind", "subject_id", "unit_id", "good_id", "date", "shift", "minutes",
	"produced", "accepted", "subject_share", "note", "idem_key", "corrects_id", "helper_ids", "helper_shares", "witness_ids"}

// copiedColumns are the columns of reports written from import_reports.
const copiedColumns = `subject_kind, subject_id, unit_id, good_id, date, shift, minutes, produced, accepted,
	subject_share, note, idem_key, corrects_id`

// importReportsCopy is ImportReports on PostgreSQL, on one connection in
// one transaction:
//
//  1. every line is checked in memory as it is read (checkAhead), and the
//     good ones are streamed with COPY into a temporary table, import_reports (the
//     helpers and witnesses of a line as arrays);
//  2. the lines correcting a report that does not exist are found with one
//     query;
//  3. if no line is bad, one INSERT ... SELECT ... ON CONFLICT DO NOTHING
//     moves the staged rows into reports, in line order (the first of two
//     lines with one key is the one written), and one INSERT ... SELECT
//     each writes the helpers and witnesses of the rows written;
//  4. the lines not written are compared, read through a cursor, with the
//     reports holding their keys (if no line is bad, only when fewer rows
//     were written than staged); a line whose key no report holds was not
//     written because the report it corrects was corrected already;
//  5. the plausibility rules judge what was written (judgeImported).
//
// If any line is bad, nothing is written and the transaction is rolled
// back, but every line is still checked, including its key.
func (db *DB) importReportsCopy(ctx context.Context, cp Copier, chk *reportChecker, rows iter.Seq[stakhanov.ImportRow[stakhanov.Report]]) (stakhanov.ImportResult, error) {
	var res stakhanov.ImportResult
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	q := querier{q: conn, d: db.dialect}
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return res, err
	}
	committed := false
	defer func() {
		if !committed {
			// If this fails, the connection is discarded when returned
			// to the pool, since it is still in a transaction.
			conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	var seq string
	if err := conn.QueryRowContext(ctx, `SELECT pg_get_serial_sequence('reports', 'id')`).Scan(&seq); err != nil {
		return res, err
	}
	if _, err := conn.ExecContext(ctx, `CREATE TEMPORARY TABLE import_reports (
		line          BIGINT NOT NULL,
		id            BIGINT NOT NULL DEFAULT nextval('`+strings.ReplaceAll(seq, "'", "''")+`'::regclass),
		subject_kind  TEXT NOT NULL,
		subject_id    BIGINT NOT NULL,
		unit_id       BIGINT NOT NULL,
		good_id       BIGINT NOT NULL,
		date          DATE NOT NULL,
		shift         BIGINT NOT NULL,
		minutes       BIGINT NOT NULL,
		produced      DOUBLE PRECISION NOT NULL,
		accepted      DOUBLE PRECISION NOT NULL,
		subject_share DOUBLE PRECISION NOT NULL,
		note          TEXT NOT NULL,
		idem_key      TEXT NOT NULL,
		corrects_id   BIGINT,
		helper_ids    BIGINT[],
		helper_shares DOUBLE PRECISION[],
		witness_ids   BIGINT[]
	) ON COMMIT DROP`); err != nil {
		return res, err
	}

	// 1. Check and stage.
	bad := &lineErrors{}
	judge := &importJudge{}
	var corrections, teams bool
	lines, stop := checkAhead(rows, chk)
	defer stop()
	var chunk []checkedLine
	vals := make([]any, len(stagingColumns))
	staged, err := cp.CopyFrom(ctx, conn, "import_reports", stagingColumns, func() ([]any, error) {
		for {
			if len(chunk) == 0 {
				var ok bool
				if chunk, ok = <-lines; !ok {
					return nil, nil
				}
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			c := chunk[0]
			chunk = chunk[1:]
			res.Lines++
			row := c.row
			if len(row.Errors) > 0 || row.Value == nil {
				for _, e := range row.Errors {
					bad.note(e)
				}
				continue
			}
			r, unit := row.Value, c.unit
			if noted, err := bad.noteErr(row.Line, c.err); noted {
				continue
			} else if err != nil {
				return nil, fmt.Errorf("line %d: %w", row.Line, err)
			}
			judge.scope(r, unit)
			var corrects any
			if r.Corrects != 0 {
				corrections, corrects = true, r.Corrects
			}
			var helperIDs []int64
			var helperShares []float64
			var witnesses []int64
			if len(r.Helpers) > 0 {
				helperIDs, helperShares = make([]int64, len(r.Helpers)), make([]float64, len(r.Helpers))
				for i, h := range r.Helpers {
					helperIDs[i], helperShares[i] = h.PersonID, *h.Share
				}
			}
			if len(r.Witnesses) > 0 {
				witnesses = r.Witnesses
			}
			teams = teams || len(r.Helpers) > 0 || len(r.Witnesses) > 0
			vals[0], vals[1], vals[2], vals[3], vals[4] = int64(row.Line), r.Subject.Kind, r.Subject.ID, unit, r.GoodID
			vals[5], vals[6], vals[7], vals[8], vals[9] = r.Date.Time(), int64(r.Shift), int64(r.Minutes), r.Produced, r.Accepted
			vals[10], vals[11], vals[12], vals[13] = r.SubjectShare, r.Note, r.Key, corrects
			vals[14], vals[15], vals[16] = helperIDs, helperShares, witnesses
			return vals, nil
		}
	})
	if err != nil {
		return stakhanov.ImportResult{}, err
	}
	stop()
	if err := ctx.Err(); err != nil {
		return stakhanov.ImportResult{}, err
	}

	// 2. Corrections of reports that do not exist.
	if corrections {
		err := eachRow(ctx, q, `SELECT s.line, s.corrects_id FROM import_reports s
			WHERE s.corrects_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = s.corrects_id)`, nil,
			func(r *sql.Rows) error {
				var line int
				var id int64
				if err := r.Scan(&line, &id); err != nil {
					return err
				}
				bad.note(stakhanov.LineError{Line: line, Field: "corrects", Message: fmt.Sprintf("report %d not found", id)})
				return nil
			})
		if err != nil {
			return stakhanov.ImportResult{}, err
		}
	}

	// 3. Write.
	written := int64(0)
	if !bad.bad() && staged > 0 {
		// The temporary table is read in the order COPY wrote it, line
		// order (a scan of a temporary table is never synchronised with
		// another's, nor parallel under an INSERT), so that of two lines
		// with one key the first is written. Sorting by line would cost a
		// fifth of the import.
		var lo, hi int64
		insert := func(conflict string) error {
			return q.queryRow(ctx, `WITH ins AS (
					INSERT INTO reports (id, `+copiedColumns+`, reporter_id, created_at)
					SELECT s.id, `+prefixed("s.", copiedColumns)+`, ?, ? FROM import_reports s`+conflict+`
					RETURNING id)
				SELECT COUNT(*), COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM ins`,
				nullID(chk.who.ID), db.now().UTC()).Scan(&written, &lo, &hi)
		}
		// ON CONFLICT DO NOTHING makes every row a speculative insertion,
		// checked against each unique index first: 40 % dearer than a
		// plain insert. So a plain INSERT is tried first, the engine
		// finding any conflict as it goes; if there is one (a key held,
		// a key twice in the file, a correction taken), the rows it wrote
		// are rolled back and written again, skipping conflicts. A file
		// of new rows costs one plain INSERT; a re-import fails at its
		// first line; only new lines then old ones pay for both.
		if _, err := conn.ExecContext(ctx, "SAVEPOINT import_plain"); err != nil {
			return stakhanov.ImportResult{}, err
		}
		err := insert("")
		if err != nil && isConflict(err) {
			if _, err := conn.ExecContext(ctx, "ROLLBACK TO SAVEPOINT import_plain"); err != nil {
				return stakhanov.ImportResult{}, err
			}
			err = insert(" ON CONFLICT DO NOTHING")
		}
		if err != nil {
			return stakhanov.ImportResult{}, err
		}
		if _, err := conn.ExecContext(ctx, "RELEASE SAVEPOINT import_plain"); err != nil {
			return stakhanov.ImportResult{}, err
		}
		if written > 0 {
			judge.written(lo, hi)
		}
		if teams && written > 0 {
			// Only the rows written: a staged id not in reports was not.
			only := ""
			if written < staged {
				only = " AND EXISTS (SELECT 1 FROM reports r WHERE r.id = s.id)"
			}
			if _, err := q.exec(ctx, `INSERT INTO report_helpers (report_id, person_id, share)
				SELECT s.id, h.person_id, h.share FROM import_reports s CROSS JOIN LATERAL unnest(s.helper_ids, s.helper_shares) AS h (person_id, share)
				WHERE s.helper_ids IS NOT NULL`+only); err != nil {
				return stakhanov.ImportResult{}, err
			}
			if _, err := q.exec(ctx, `INSERT INTO report_witnesses (report_id, person_id)
				SELECT s.id, w.person_id FROM import_reports s CROSS JOIN LATERAL unnest(s.witness_ids) AS w (person_id)
				WHERE s.witness_ids IS NOT NULL`+only); err != nil {
				return stakhanov.ImportResult{}, err
			}
		}
	}

	// 4. Lines not written.
	var existing int
	if bad.bad() || written < staged {
		writing := !bad.bad()
		cond := ""
		if writing {
			cond = " WHERE r.id <> s.id"
		}
		n, err := compareStaged(ctx, q, bad, cond)
		if err != nil {
			return stakhanov.ImportResult{}, err
		}
		// Not written (or, in a bad file, correcting a report corrected
		// already), and the key is free: the correction was taken.
		taken := ""
		if writing {
			existing = n
		} else {
			taken = " AND EXISTS (SELECT 1 FROM reports c WHERE c.corrects_id = s.corrects_id)"
		}
		if writing || corrections {
			err := eachRow(ctx, q, `SELECT s.line, s.corrects_id FROM import_reports s
				WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.idem_key = s.idem_key)`+taken, nil, func(r *sql.Rows) error {
				var line int
				var id sql.NullInt64
				if err := r.Scan(&line, &id); err != nil {
					return err
				}
				bad.note(stakhanov.LineError{Line: line, Field: "corrects", Message: fmt.Sprintf("report %d was already corrected", id.Int64)})
				return nil
			})
			if err != nil {
				return stakhanov.ImportResult{}, err
			}
		}
	}
	if bad.bad() {
		return stakhanov.ImportResult{}, bad.err()
	}

	// 5. Judge, and commit.
	if err := db.judgeImported(ctx, q, judge); err != nil {
		return stakhanov.ImportResult{}, err
	}
	if err := db.importState(ctx, q, judge); err != nil {
		return stakhanov.ImportResult{}, err
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return stakhanov.ImportResult{}, err
	}
	committed = true
	res.Created, res.Existing = int(written), existing
	return res, nil
}

// compareStaged compares the staged lines whose key a report holds (and
// that meet cond, a WHERE clause on s and r) with that report, noting
// those with other figures; it returns how many had the same.
func compareStaged(ctx context.Context, q querier, bad *lineErrors, cond string) (int, error) {
	if _, err := q.exec(ctx, `DECLARE import_held NO SCROLL CURSOR FOR
		SELECT s.line, s.subject_kind, s.subject_id, s.good_id, s.date, s.shift, s.minutes, s.produced, s.accepted,
			s.subject_share, s.note, s.idem_key, COALESCE(s.corrects_id, 0),
			COALESCE(array_to_string(s.helper_ids, ','), ''), COALESCE(array_to_string(s.helper_shares, ','), ''),
			COALESCE(array_to_string(s.witness_ids, ','), ''), `+reportColumns+`
		FROM import_reports s JOIN reports r ON r.idem_key = s.idem_key`+cond); err != nil {
		return 0, err
	}
	same := 0
	for {
		type pair struct {
			line    int
			r, prev *stakhanov.Report
		}
		var pairs []pair
		prevs := map[int64]*stakhanov.Report{}
		err := eachRow(ctx, q, `FETCH 1000 FROM import_held`, nil, func(rows *sql.Rows) error {
			var p pair
			r := &stakhanov.Report{}
			var helpers, shares, witnesses string
			prev, err := scanReport(scanAfter(rows, &p.line, &r.Subject.Kind, &r.Subject.ID, &r.GoodID, &r.Date, &r.Shift, &r.Minutes,
				&r.Produced, &r.Accepted, &r.SubjectShare, &r.Note, &r.Key, &r.Corrects, &helpers, &shares, &witnesses))
			if err != nil {
				return err
			}
			if r.Helpers, err = parseHelpers(helpers, shares); err != nil {
				return err
			}
			if r.Witnesses, err = parseIDs(witnesses); err != nil {
				return err
			}
			if o := prevs[prev.ID]; o != nil {
				prev = o
			} else {
				prevs[prev.ID] = prev
			}
			p.r, p.prev = r, prev
			pairs = append(pairs, p)
			return nil
		})
		if err != nil {
			return 0, err
		}
		if len(pairs) == 0 {
			break
		}
		list := make([]*stakhanov.Report, 0, len(prevs))
		for _, p := range prevs {
			list = append(list, p)
		}
		if err := loadTeams(ctx, q, list); err != nil {
			return 0, err
		}
		for _, p := range pairs {
			if p.r.SameAs(p.prev) {
				same++
			} else {
				bad.note(keyConflict(p.line, p.r, p.prev))
			}
		}
	}
	_, err := q.exec(ctx, `CLOSE import_held`)
	return same, err
}

// scanAfter is a row whose Scan fills first, then the destinations given
// to it.
func scanAfter(row interface{ Scan(...any) error }, first ...any) interface{ Scan(...any) error } {
	return scanFunc(func(dest ...any) error { return row.Scan(append(first, dest...)...) })
}

type scanFunc func(...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

func parseIDs(s string) ([]int64, error) {
	if s == "" {
		return nil, nil
	}
	var ids []int64
	for f := range strings.SplitSeq(s, ",") {
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

func parseHelpers(ids, shares string) ([]stakhanov.Helper, error) {
	people, err := parseIDs(ids)
	if err != nil || len(people) == 0 {
		return nil, err
	}
	fs := strings.Split(shares, ",")
	if len(fs) != len(people) {
		return nil, fmt.Errorf("staged helpers %q with shares %q", ids, shares)
	}
	hs := make([]stakhanov.Helper, len(people))
	for i, p := range people {
		share, err := strconv.ParseFloat(fs[i], 64)
		if err != nil {
			return nil, err
		}
		hs[i] = stakhanov.Helper{PersonID: p, Share: &share}
	}
	return hs, nil
}

// eachRow runs a query and calls fn on each row.
func eachRow(ctx context.Context, q querier, query string, args []any, fn func(*sql.Rows) error) error {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// prefixed puts prefix before each of a list of columns.
func prefixed(prefix, columns string) string {
	fs := strings.Split(columns, ",")
	for i, f := range fs {
		fs[i] = prefix + strings.TrimSpace(f)
	}
	return strings.Join(fs, ", ")
}

// isConflict reports whether err is PostgreSQL's unique or foreign key
// violation (SQLSTATE 23505, 23503).
func isConflict(err error) bool {
	var e interface{ SQLState() string }
	if !errors.As(err, &e) {
		return false
	}
	return e.SQLState() == "23505" || e.SQLState() == "23503"
}
