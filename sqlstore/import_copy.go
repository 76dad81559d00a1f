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
var stagingColumns = []string{"line", "subject_kind", "subject_id", "unit_id", "enterprise_id", "good_id", "date", "shift", "minutes",
	"produced", "accepted", "subject_share", "note", "idem_key", "corrects_id", "helper_ids", "helper_shares", "witness_ids"}

// copiedColumns are the columns of reports written from import_reports.
const copiedColumns = `subject_kind, subject_id, unit_id, enterprise_id, good_id, date, shift, minutes, produced, accepted,
	subject_share, note, idem_key, corrects_id`

// sameShift joins a staged line s to the current report r of its shift.
const sameShift = `r.subject_kind = s.subject_kind AND r.subject_id = s.subject_id AND r.good_id = s.good_id
	AND r.date = s.date AND r.shift = s.shift AND r.enterprise_id = s.enterprise_id AND r.superseded_by IS NULL`

// takenCorrection selects the staged corrections of a report that
// something else superseded (t, the report corrected).
const takenCorrection = `EXISTS (SELECT 1 FROM reports t WHERE t.id = s.corrects_id AND t.superseded_by IS NOT NULL AND t.superseded_by <> s.id)`

// importCreditsFetch is how many staged rows one FETCH of the import's
// credits reads.
const importCreditsFetch = 50_000

// importReportsCopy is ImportReports on PostgreSQL, on one connection in
// one transaction:
//
//  1. every line is checked in memory as it is read (checkAhead), and the
//     good ones are streamed with COPY into a temporary table, import_reports (the
//     helpers and witnesses of a line as arrays);
//  2. the lines correcting a report that does not exist are found with one
//     query; if any line has a key, the lines whose key a report holds are
//     compared with it (same figures: existing) and unstaged; the reports
//     corrected are taken out of the current ones (superseded by the
//     staged id of their correction) with one UPDATE, and the corrections
//     of a report superseded already are compared with their shift's
//     current report (a replay) or refused, and unstaged;
//  3. if no line is bad, one INSERT ... SELECT moves the staged rows into
//     reports, in line order (the first of two lines for one shift is the
//     one written), and one INSERT ... SELECT each writes the keys, helpers
//     and witnesses of the rows written;
//  4. the lines not written are compared, read through a cursor, with the
//     current reports of their shifts (only when fewer rows were written
//     than staged, or once a line is bad): a report staged by another
//     line is a shift on two lines, the same figures an existing report,
//     other figures an error;
//  5. the plausibility rules judge what was written (judgeImported).
//
// If any line is bad, nothing is written and the transaction is rolled
// back, but every line is still checked against the database.
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
	if err := chk.loadCloses(ctx, db, q); err != nil {
		return res, err
	}
	if _, err := conn.ExecContext(ctx, `CREATE TEMPORARY TABLE import_reports (
		line          BIGINT NOT NULL,
		id            BIGINT NOT NULL DEFAULT nextval('`+strings.ReplaceAll(seq, "'", "''")+`'::regclass),
		subject_kind  TEXT NOT NULL,
		subject_id    BIGINT NOT NULL,
		unit_id       BIGINT NOT NULL,
		enterprise_id BIGINT NOT NULL,
		good_id       BIGINT NOT NULL,
		date          DATE NOT NULL,
		shift         BIGINT NOT NULL,
		minutes       BIGINT NOT NULL,
		produced      DOUBLE PRECISION NOT NULL,
		accepted      DOUBLE PRECISION NOT NULL,
		subject_share DOUBLE PRECISION NOT NULL,
		note          TEXT NOT NULL,
		idem_key      TEXT,
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
	var corrections, teams, keyed bool
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
			var key any
			if r.Key != "" {
				keyed, key = true, r.Key
			}
			vals[0], vals[1], vals[2], vals[3], vals[4] = int64(row.Line), r.Subject.Kind, r.Subject.ID, unit, chk.dir.enterprise[unit]
			vals[5], vals[6], vals[7], vals[8], vals[9] = r.GoodID, r.Date.Time(), int64(r.Shift), int64(r.Minutes), r.Produced
			vals[10], vals[11], vals[12], vals[13] = r.Accepted, r.SubjectShare, r.Note, key
			vals[14], vals[15], vals[16], vals[17] = corrects, helperIDs, helperShares, witnesses
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
		res, err := q.exec(ctx, `DELETE FROM import_reports s
			WHERE s.corrects_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = s.corrects_id)`)
		if err != nil {
			return stakhanov.ImportResult{}, err
		}
		d, _ := res.RowsAffected()
		staged -= d
	}

	var existing int
	// Keys held by a report: a replay, or an error; either way not written.
	if keyed {
		n, err := compareStaged(ctx, q, `JOIN report_keys k ON k.idem_key = s.idem_key JOIN reports r ON r.id = k.report_id`, "",
			func(line, _ int, r, prev *stakhanov.Report) bool {
				if !r.SameAs(prev) {
					bad.note(keyConflict(line, r, prev))
					return false
				}
				return true
			})
		if err != nil {
			return stakhanov.ImportResult{}, err
		}
		existing += n
		res, err := q.exec(ctx, `DELETE FROM import_reports s USING report_keys k WHERE k.idem_key = s.idem_key`)
		if err != nil {
			return stakhanov.ImportResult{}, err
		}
		d, _ := res.RowsAffected()
		staged -= d
	}
	// The reports corrected leave the current ones, superseded by the id
	// their correction will have; a correction of a report superseded
	// already is a replay (its shift's current report has its figures) or
	// an error.
	if corrections {
		if !bad.bad() {
			if _, err := q.exec(ctx, `UPDATE reports t SET superseded_by = s.id FROM import_reports s
				WHERE t.id = s.corrects_id AND t.superseded_by IS NULL`); err != nil {
				return stakhanov.ImportResult{}, err
			}
		}
		taken := map[int]error{}
		err := eachRow(ctx, q, `SELECT s.line, s.corrects_id, t.superseded_by,
				EXISTS (SELECT 1 FROM reports c WHERE c.id = t.superseded_by AND c.corrects_id = t.id)
			FROM import_reports s JOIN reports t ON t.id = s.corrects_id
			WHERE t.superseded_by IS NOT NULL AND t.superseded_by <> s.id`, nil, func(r *sql.Rows) error {
			var line int
			var id, by int64
			var corrected bool
			if err := r.Scan(&line, &id, &by, &corrected); err != nil {
				return err
			}
			taken[line] = alreadySuperseded(id, by, corrected)
			return nil
		})
		if err != nil {
			return stakhanov.ImportResult{}, err
		}
		if len(taken) > 0 {
			n, err := compareStaged(ctx, q, `JOIN reports r ON `+sameShift, " WHERE "+takenCorrection,
				func(line, _ int, r, prev *stakhanov.Report) bool {
					if r.Key == "" && r.SameAs(prev) {
						delete(taken, line)
						return true
					}
					return false
				})
			if err != nil {
				return stakhanov.ImportResult{}, err
			}
			existing += n
			for line, err := range taken {
				bad.noteErr(line, err)
			}
			res, err := q.exec(ctx, `DELETE FROM import_reports s WHERE `+takenCorrection)
			if err != nil {
				return stakhanov.ImportResult{}, err
			}
			d, _ := res.RowsAffected()
			staged -= d
		}
	}

	// 3. Write.
	written := int64(0)
	if !bad.bad() && staged > 0 {
		// The temporary table is read in the order COPY wrote it, line
		// order (a scan of a temporary table is never synchronised with
		// another's, nor parallel under an INSERT), so that of two lines
		// for one shift the first is written. Sorting by line would cost a
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
		// finding any conflict as it goes; if there is one (a shift held
		// or twice in the file), the rows it wrote
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
		// Only the rows written: a staged id not in reports was not.
		only := ""
		if written < staged {
			only = " AND EXISTS (SELECT 1 FROM reports r WHERE r.id = s.id)"
		}
		if keyed && written > 0 {
			if _, err := q.exec(ctx, `INSERT INTO report_keys (idem_key, report_id, enterprise_id)
				SELECT s.idem_key, s.id, s.enterprise_id FROM import_reports s WHERE s.idem_key IS NOT NULL`+only); err != nil {
				return stakhanov.ImportResult{}, err
			}
		}
		if teams && written > 0 {
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

	// 4. Lines not written: compared with the current reports of their
	// shifts. Once a line is bad nothing was written, and a shift on two
	// lines is not looked for.
	if bad.bad() || written < staged {
		writing := !bad.bad()
		cond := ""
		if writing {
			cond = " WHERE r.id <> s.id"
		}
		n, err := compareStaged(ctx, q, `JOIN reports r ON `+sameShift+` LEFT JOIN import_reports t ON t.id = r.id`, cond,
			func(line, dup int, r, prev *stakhanov.Report) bool {
				switch {
				case dup != 0:
					bad.note(shiftTwice(line, dup))
				case r.Corrects != 0 && writing:
					// Its report was taken out of the current ones for it.
					bad.note(shiftConflict(line, prev))
				case r.Key != "" || !r.SameAs(prev):
					// A key the shift's report was not written with is
					// another report, not a replay.
					bad.note(shiftConflict(line, prev))
				default:
					return true
				}
				return false
			})
		if err != nil {
			return stakhanov.ImportResult{}, err
		}
		if writing {
			existing += n
		}
	}
	if bad.bad() {
		return stakhanov.ImportResult{}, bad.err()
	}

	// 5. The credits of the rows written, read from the staging table
	// for the state through a cursor, a part at a time, so that an
	// import larger than importStateEvery adds them to the state in
	// parts (the COPY import of 25M reports held 3.2 GB when it computed
	// them again from the reports, 20,000 subjects at a time).
	if written > 0 && !db.stateOff {
		only := ""
		if written < staged {
			only = " WHERE EXISTS (SELECT 1 FROM reports r WHERE r.id = s.id)"
		}
		c := newImportCredits()
		judge.credits = c
		if _, err := q.exec(ctx, `DECLARE import_credits NO SCROLL CURSOR FOR
			SELECT s.id, s.subject_kind, s.subject_id, s.good_id, CAST(s.date AS TEXT), s.shift, s.produced, s.accepted,
			s.subject_share, COALESCE(s.corrects_id, 0), COALESCE(array_to_string(s.helper_ids, ','), ''), COALESCE(array_to_string(s.helper_shares, ','), '')
			FROM import_reports s`+only); err != nil {
			return stakhanov.ImportResult{}, err
		}
		for {
			n := 0
			err := eachRow(ctx, q, `FETCH `+strconv.Itoa(importCreditsFetch)+` FROM import_credits`, nil, func(rows *sql.Rows) error {
				n++
				var r stakhanov.Report
				var date, helpers, shares string
				if err := rows.Scan(&r.ID, &r.Subject.Kind, &r.Subject.ID, &r.GoodID, &date, &r.Shift, &r.Produced, &r.Accepted,
					&r.SubjectShare, &r.Corrects, &helpers, &shares); err != nil {
					return err
				}
				var err error
				if r.Date, err = parseStoredDate(date); err != nil {
					return err
				}
				if r.Helpers, err = parseHelpers(helpers, shares); err != nil {
					return err
				}
				c.add(&r)
				return nil
			})
			if err != nil {
				return stakhanov.ImportResult{}, err
			}
			if n == 0 {
				break
			}
			// More than importStateEvery: an import of exactly that many
			// adds them all at the end, with its candidacy.
			if c.n > db.importStateEvery {
				if err := db.addImportCredits(ctx, q, c, false, nil); err != nil {
					return stakhanov.ImportResult{}, err
				}
			}
		}
		if _, err := q.exec(ctx, `CLOSE import_credits`); err != nil {
			return stakhanov.ImportResult{}, err
		}
	}

	// 6. Judge, and commit.
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

// compareStaged reads staged lines s joined (join) to reports r, meeting
// cond (a WHERE clause), and calls fn on each line with the report it
// meets (and, when join has import_reports t, the line of t, else 0); it
// returns how many lines fn found existing.
func compareStaged(ctx context.Context, q querier, join, cond string, fn func(line, dup int, r, prev *stakhanov.Report) (existing bool)) (int, error) {
	// Of one type in every call: the driver caches the FETCH's row
	// description by its text.
	dup := "CAST(0 AS BIGINT)"
	if strings.Contains(join, "import_reports t") {
		dup = "COALESCE(t.line, 0)"
	}
	if _, err := q.exec(ctx, `DECLARE import_held NO SCROLL CURSOR FOR
		SELECT s.line, `+dup+`, s.subject_kind, s.subject_id, s.good_id, s.date, s.shift, s.minutes, s.produced, s.accepted,
			s.subject_share, s.note, COALESCE(s.idem_key, ''), COALESCE(s.corrects_id, 0),
			COALESCE(array_to_string(s.helper_ids, ','), ''), COALESCE(array_to_string(s.helper_shares, ','), ''),
			COALESCE(array_to_string(s.witness_ids, ','), ''), `+reportColumns+`
		FROM import_reports s `+join+cond); err != nil {
		return 0, err
	}
	same := 0
	for {
		type pair struct {
			line, dup int
			r, prev   *stakhanov.Report
		}
		var pairs []pair
		prevs := map[int64]*stakhanov.Report{}
		err := eachRow(ctx, q, `FETCH 1000 FROM import_held`, nil, func(rows *sql.Rows) error {
			var p pair
			r := &stakhanov.Report{}
			var helpers, shares, witnesses string
			prev, err := scanReport(scanAfter(rows, &p.line, &p.dup, &r.Subject.Kind, &r.Subject.ID, &r.GoodID, &r.Date, &r.Shift, &r.Minutes,
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
			if fn(p.line, p.dup, p.r, p.prev) {
				same++
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
