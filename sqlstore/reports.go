package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

const reportColumns = `r.id, r.subject_kind, r.subject_id, r.good_id, r.date, r.shift, r.minutes, r.produced, r.accepted,
	r.subject_share, r.note, COALESCE(r.idem_key, ''), COALESCE(r.corrects_id, 0), COALESCE(r.reporter_id, 0), r.created_at,
	COALESCE(r.superseded_by, 0), ` + correctedBy + `, r.late`

// correctedBy is a report's correction: the report that superseded it,
// when that one names it as the report it corrects.
const correctedBy = `CASE WHEN r.superseded_by IS NOT NULL
	AND EXISTS (SELECT 1 FROM reports c WHERE c.id = r.superseded_by AND c.corrects_id = r.id) THEN r.superseded_by ELSE 0 END`

func scanReport(rows interface{ Scan(...any) error }) (*stakhanov.Report, error) {
	r := &stakhanov.Report{}
	var late int
	err := rows.Scan(&r.ID, &r.Subject.Kind, &r.Subject.ID, &r.GoodID, &r.Date, &r.Shift, &r.Minutes, &r.Produced, &r.Accepted,
		&r.SubjectShare, &r.Note, &r.Key, &r.Corrects, &r.ReporterID, &r.CreatedAt, &r.SupersededBy, &r.CorrectedBy, &late)
	r.Late = late == 1
	return r, err
}

// CreateReports writes a batch atomically. Errors name the field, prefixed
// with the report's place in the batch when there is more than one.
func (db *DB) CreateReports(ctx context.Context, rs []*stakhanov.Report) ([]bool, error) {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RoleForeman)
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, stakhanov.FieldErrorf("reports", "no reports given")
	}
	// Two reports of a batch for one shift: the second would be a replay
	// of the first, or refused; either way the batch is wrong.
	seen := make(map[shiftOf]int, len(rs))
	for i, r := range rs {
		k := shiftOf{r.Subject, r.GoodID, r.Date, r.Shift}
		if j, ok := seen[k]; ok {
			return nil, &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: fmt.Sprintf("reports[%d].shift", i),
				Message: fmt.Sprintf("reports %d and %d of the batch are for the same shift (%s, %s, %s, shift %d): send one report per shift",
					j+1, i+1, subjectName(ctx, db.reader(), r.Subject), goodName(ctx, db.reader(), r.GoodID), r.Date, r.Shift)}
		}
		seen[k] = i
	}
	created := make([]bool, len(rs))
	written := make([]reportWritten, len(rs))
	err = db.groupTx(ctx, func(q querier) error {
		if err := db.lockCloses(ctx, q, false); err != nil {
			return err
		}
		for i, r := range rs {
			ok, err := db.insertReport(ctx, q, who, r, &written[i])
			if err != nil {
				if len(rs) > 1 {
					return inBatch(err, i)
				}
				return err
			}
			created[i] = ok
		}
		// A storm flags earlier reports of the month too, some perhaps in
		// this batch: answer every report with its flags as stored.
		return loadReviews(ctx, q, rs)
	}, func(run *stateRun) error {
		return db.reportsState(run, rs, created, written)
	})
	if err != nil {
		return nil, err
	}
	return created, nil
}

// shiftOf is a shift as a report names it (the enterprise follows from the
// subject).
type shiftOf struct {
	subject stakhanov.Subject
	good    int64
	date    stakhanov.Date
	shift   int
}

func inBatch(err error, i int) error {
	var e *stakhanov.Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	prefix := fmt.Sprintf("reports[%d]", i)
	if c.Field != "" {
		c.Field = prefix + "." + c.Field
	} else {
		c.Field = prefix
	}
	return &c
}

// reportEnterprise returns the enterprise of the unit at path, as reports
// record it: the nearest unit of kind enterprise on it, or its root if there
// is none. Reports are distributed by it.
func reportEnterprise(ctx context.Context, q querier, path string) (int64, error) {
	ids, isEnterprise, err := enterprisesOn(ctx, q, path)
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, fmt.Errorf("unit path %q names no unit", path)
	}
	return nearestEnterprise(ids, func(id int64) bool { return isEnterprise[id] }), nil
}

// enterprisesOn returns the units of a path (root first) and which of them
// are enterprises.
func enterprisesOn(ctx context.Context, q querier, path string) ([]int64, map[int64]bool, error) {
	ids := pathIDs(path)
	isEnterprise := map[int64]bool{}
	if len(ids) == 0 {
		return nil, isEnterprise, nil
	}
	err := eachRow(ctx, q, `SELECT id FROM units WHERE kind = 'enterprise' AND id IN (`+marks(len(ids))+`)`, int64sToArgs(ids), func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		isEnterprise[id] = true
		return err
	})
	return ids, isEnterprise, err
}

// nearestEnterprise picks, of the units of a path (root first), the last
// that is an enterprise, or the root.
func nearestEnterprise(ids []int64, isEnterprise func(int64) bool) int64 {
	for i := len(ids) - 1; i >= 0; i-- {
		if isEnterprise(ids[i]) {
			return ids[i]
		}
	}
	return ids[0]
}

// pathIDs reads the unit ids of a path ("/1/5/9/"), root first.
func pathIDs(path string) []int64 {
	var ids []int64
	for f := range strings.SplitSeq(strings.Trim(path, "/"), "/") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// currentOfShift finds the current report of a shift.
const currentOfShift = `SELECT ` + reportColumns + ` FROM reports r
	WHERE r.subject_kind = ? AND r.subject_id = ? AND r.good_id = ? AND r.date = ? AND r.shift = ? AND r.enterprise_id = ?
	AND r.superseded_by IS NULL`

// reportWritten is what writing a report learnt that its state run needs.
type reportWritten struct {
	// unit is the subject's unit.
	unit int64
	// stormed are other reports the storm rule flagged anew.
	stormed []int64
}

// insertReport checks a report against the database and writes it, or
// recognises a replay of one already written: under the same key, or,
// without a key, the same figures as the shift's current report.
func (db *DB) insertReport(ctx context.Context, q querier, who *stakhanov.User, r *stakhanov.Report, w *reportWritten) (bool, error) {
	if err := r.Validate(); err != nil {
		return false, err
	}
	if err := stakhanov.CheckNotAfterToday("date", r.Date, db.now(), db.loc); err != nil {
		return false, err
	}
	// Scope first: a replay must not hand a report to someone outside it.
	unitID, path, err := subjectPath(ctx, q, r.Subject)
	if err != nil {
		return false, err
	}
	if !who.Covers(path) {
		// Named only when refused: a name is a query on every write.
		return false, requireScope(who, path, subjectName(ctx, q, r.Subject))
	}
	w.unit = unitID
	// replay answers with prev, if r records the same facts.
	replay := func(prev *stakhanov.Report) (bool, error) {
		if err := loadTeams(ctx, q, []*stakhanov.Report{prev}); err != nil {
			return false, err
		}
		if !r.SameAs(prev) {
			return false, nil
		}
		if err := loadReviews(ctx, q, []*stakhanov.Report{prev}); err != nil {
			return false, err
		}
		*r = *prev
		return true, nil
	}
	if r.Key != "" {
		prev, err := scanReport(q.queryRow(ctx, "SELECT "+reportColumns+" FROM report_keys k JOIN reports r ON r.id = k.report_id WHERE k.idem_key = ?", r.Key))
		if err == nil {
			if same, err := replay(prev); err != nil || same {
				return false, err
			}
			return false, &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "key", ReportID: prev.ID,
				Message: fmt.Sprintf("key %q was already used for report %d, with other figures", r.Key, prev.ID)}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return false, err
		}
	}
	enterprise, err := reportEnterprise(ctx, q, path)
	if err != nil {
		return false, err
	}
	if err := goodExists(ctx, q, r.GoodID, "good_id"); err != nil {
		return false, err
	}
	if err := checkBounds(ctx, q, r.GoodID, func(p stakhanov.PlausibilityRules, measure string) error { return p.CheckReport(r, measure) }); err != nil {
		return false, err
	}
	for i, h := range r.Helpers {
		if err := personExists(ctx, q, h.PersonID, fmt.Sprintf("helpers[%d].person_id", i)); err != nil {
			return false, err
		}
	}
	for i, w := range r.Witnesses {
		field := fmt.Sprintf("witnesses[%d]", i)
		if err := personExists(ctx, q, w, field); err != nil {
			return false, err
		}
		if r.Subject == stakhanov.PersonSubject(w) || r.HasHelper(w) {
			return false, stakhanov.FieldErrorf(field, "%s worked the shift and cannot witness it", subjectName(ctx, q, stakhanov.PersonSubject(w)))
		}
	}
	current, err := scanReport(q.queryRow(ctx, currentOfShift, r.Subject.Kind, r.Subject.ID, r.GoodID, r.Date, r.Shift, enterprise))
	if errors.Is(err, sql.ErrNoRows) {
		current = nil
	} else if err != nil {
		return false, err
	}
	if current != nil && r.Key == "" {
		if same, err := replay(current); err != nil || same {
			return false, err
		}
	}
	late, err := checkLate(ctx, q, path, r, r.Date, "date")
	if err != nil {
		return false, err
	}
	if r.Corrects != 0 {
		var subjectKind string
		var subjectID, supersededBy, correction int64
		var correctedDate stakhanov.Date
		err := q.queryRow(ctx, `SELECT subject_kind, subject_id, r.date, COALESCE(r.superseded_by, 0), `+correctedBy+`
			FROM reports r WHERE r.id = ?`, r.Corrects).Scan(&subjectKind, &subjectID, &correctedDate, &supersededBy, &correction)
		if errors.Is(err, sql.ErrNoRows) {
			return false, stakhanov.FieldErrorf("corrects", "report %d not found", r.Corrects)
		} else if err != nil {
			return false, err
		}
		_, oldPath, err := subjectPath(ctx, q, stakhanov.Subject{Kind: subjectKind, ID: subjectID})
		if err != nil {
			return false, err
		}
		if err := requireScope(who, oldPath, fmt.Sprintf("report %d", r.Corrects)); err != nil {
			return false, err
		}
		if supersededBy != 0 {
			return false, alreadySuperseded(r.Corrects, supersededBy, correction != 0)
		}
		// A correction takes figures out of the corrected report's month:
		// late too if that one is closed.
		if !late {
			if late, err = checkLate(ctx, q, oldPath, r, correctedDate, "corrects"); err != nil {
				return false, err
			}
		}
	}
	r.Late = late
	if current != nil && current.ID != r.Corrects {
		return false, shiftTaken(ctx, q, current)
	}
	if r.Corrects != 0 {
		// The corrected report leaves the current ones before its
		// correction joins them (the unique index over current reports
		// sees no moment with both); it points at itself until the
		// correction's id is known. Only a current report can be
		// corrected: a concurrent correction finds it taken.
		res, err := q.exec(ctx, `UPDATE reports SET superseded_by = id WHERE id = ? AND superseded_by IS NULL`, r.Corrects)
		if err != nil {
			return false, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return false, err
		} else if n == 0 {
			return false, &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "corrects", ReportID: r.Corrects,
				Message: fmt.Sprintf("report %d was corrected at the same moment by another report: look at it again", r.Corrects)}
		}
	}
	r.ReporterID, r.CreatedAt = who.ID, db.now().UTC()
	r.ID, err = q.insert(ctx, `INSERT INTO reports (subject_kind, subject_id, unit_id, enterprise_id, good_id, date, shift, minutes, produced, accepted,
		subject_share, note, idem_key, corrects_id, reporter_id, created_at, late) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.Subject.Kind, r.Subject.ID, unitID, enterprise, r.GoodID, r.Date, r.Shift, r.Minutes, r.Produced, r.Accepted,
		r.SubjectShare, r.Note, nullString(r.Key), nullID(r.Corrects), nullID(who.ID), r.CreatedAt, boolInt(late))
	if db.dialect.IsUniqueViolation(err) {
		// The name is read outside the transaction, which PostgreSQL
		// has aborted.
		return false, &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "shift",
			Message: fmt.Sprintf("another report for %s's shift %d of %s was written at the same moment: look at it, and correct it if need be", subjectName(ctx, db.reader(), r.Subject), r.Shift, r.Date)}
	} else if err != nil {
		return false, err
	}
	if r.Corrects != 0 {
		if _, err := q.exec(ctx, `UPDATE reports SET superseded_by = ? WHERE id = ?`, r.ID, r.Corrects); err != nil {
			return false, err
		}
	}
	if r.Key != "" {
		_, err := q.exec(ctx, `INSERT INTO report_keys (idem_key, report_id, enterprise_id) VALUES (?, ?, ?)`, r.Key, r.ID, enterprise)
		if db.dialect.IsUniqueViolation(err) {
			return false, &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "key",
				Message: fmt.Sprintf("another report was written at the same moment with key %q: send it again", r.Key)}
		} else if err != nil {
			return false, err
		}
	}
	if err := insertTeam(ctx, q, r); err != nil {
		return false, err
	}
	if w.stormed, err = db.judgeReport(ctx, q, r, unitID); err != nil {
		return false, err
	}
	return true, nil
}

// alreadySuperseded is the conflict of a correction of a report that is no
// longer current.
func alreadySuperseded(id, by int64, corrected bool) error {
	msg := fmt.Sprintf("report %d was already corrected by report %d: correct that one instead", id, by)
	if !corrected {
		msg = fmt.Sprintf("report %d was set aside as a duplicate of report %d, the shift's current report: correct that one instead", id, by)
	}
	return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "corrects", ReportID: by, Message: msg}
}

// shiftTaken is the conflict of a second report for a shift: it names the
// current one, with the subject's and the good's names, and how to correct
// it.
func shiftTaken(ctx context.Context, q querier, cur *stakhanov.Report) error {
	return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "shift", ReportID: cur.ID,
		Message: fmt.Sprintf("this shift already has report %d (%s, %s, %s, shift %d: %g produced, %g accepted): to change it, send the new figures with \"corrects\": %d",
			cur.ID, subjectName(ctx, q, cur.Subject), goodName(ctx, q, cur.GoodID), cur.Date, cur.Shift, cur.Produced, cur.Accepted, cur.ID)}
}

// subjectName is how a message names a subject: by its name, or as
// "person:12" when it has none to read.
func subjectName(ctx context.Context, q querier, s stakhanov.Subject) string {
	table := "people"
	if s.Kind == stakhanov.SubjectUnit {
		table = "units"
	}
	var name string
	if err := q.queryRow(ctx, `SELECT name FROM `+table+` WHERE id = ?`, s.ID).Scan(&name); err != nil {
		return s.String()
	}
	return name
}

// goodName is how a message names a good: by its name, or as "good 3".
func goodName(ctx context.Context, q querier, id int64) string {
	var name string
	if err := q.queryRow(ctx, `SELECT name FROM goods WHERE id = ?`, id).Scan(&name); err != nil {
		return fmt.Sprintf("good %d", id)
	}
	return name
}

func insertTeam(ctx context.Context, q querier, r *stakhanov.Report) error {
	for _, h := range r.Helpers {
		if _, err := q.exec(ctx, `INSERT INTO report_helpers (report_id, person_id, share) VALUES (?, ?, ?)`, r.ID, h.PersonID, *h.Share); err != nil {
			return err
		}
	}
	for _, w := range r.Witnesses {
		if _, err := q.exec(ctx, `INSERT INTO report_witnesses (report_id, person_id) VALUES (?, ?)`, r.ID, w); err != nil {
			return err
		}
	}
	return nil
}

func personExists(ctx context.Context, q querier, id int64, field string) error {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM people WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return stakhanov.FieldErrorf(field, "person %d not found", id)
	}
	return nil
}

// loadTeams fills in the helpers and witnesses of reports.
func loadTeams(ctx context.Context, q querier, rs []*stakhanov.Report) error {
	if len(rs) == 0 {
		return nil
	}
	byID := make(map[int64]*stakhanov.Report, len(rs))
	marks := make([]string, len(rs))
	args := make([]any, len(rs))
	for i, r := range rs {
		byID[r.ID] = r
		marks[i], args[i] = "?", r.ID
	}
	in := "(" + strings.Join(marks, ", ") + ")"
	rows, err := q.query(ctx, "SELECT report_id, person_id, share FROM report_helpers WHERE report_id IN "+in+" ORDER BY report_id, person_id", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var h stakhanov.Helper
		var share float64
		if err := rows.Scan(&id, &h.PersonID, &share); err != nil {
			return err
		}
		h.Share = &share
		byID[id].Helpers = append(byID[id].Helpers, h)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.query(ctx, "SELECT report_id, person_id FROM report_witnesses WHERE report_id IN "+in+" ORDER BY report_id, person_id", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, w int64
		if err := rows.Scan(&id, &w); err != nil {
			return err
		}
		byID[id].Witnesses = append(byID[id].Witnesses, w)
	}
	return rows.Err()
}

func (db *DB) FindReportByID(ctx context.Context, id int64) (*stakhanov.Report, error) {
	q := db.reader()
	r, err := scanReport(q.queryRow(ctx, "SELECT "+reportColumns+" FROM reports r WHERE r.id = ?", id))
	if err != nil {
		return nil, notFound("report", id, err)
	}
	if err := loadTeams(ctx, q, []*stakhanov.Report{r}); err != nil {
		return nil, err
	}
	return r, loadReviews(ctx, q, []*stakhanov.Report{r})
}

func (db *DB) FindReports(ctx context.Context, f stakhanov.ReportFilter) ([]*stakhanov.Report, int, error) {
	w := &where{}
	if !f.Subject.IsZero() {
		w.add("r.subject_kind = ? AND r.subject_id = ?", f.Subject.Kind, f.Subject.ID)
	}
	if f.GoodID != 0 {
		w.add("r.good_id = ?", f.GoodID)
	}
	if f.UnitID != 0 {
		w.add("r.unit_id IN (SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%')", f.UnitID)
	}
	if !f.From.IsZero() {
		w.add("r.date >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("r.date <= ?", f.To)
	}
	switch f.Status {
	case "":
	case stakhanov.ReportCurrent:
		w.add("r.superseded_by IS NULL")
	case stakhanov.ReportCorrected:
		w.add("r.superseded_by IS NOT NULL")
	case stakhanov.ReviewFlagged, stakhanov.ReviewVerified, stakhanov.ReviewRejected:
		w.add(reviewCondition(f.Status))
	default:
		return nil, 0, stakhanov.FieldErrorf("status", "status %q is not one of current, corrected, flagged, verified, rejected", f.Status)
	}
	q := db.reader()
	rs, total, err := list(ctx, q, reportColumns, "reports r", w, "r.date, r.shift, r.id", f.Page, func(r *sql.Rows) (*stakhanov.Report, error) { return scanReport(r) })
	if err != nil {
		return nil, 0, err
	}
	if err := loadTeams(ctx, q, rs); err != nil {
		return nil, 0, err
	}
	return rs, total, loadReviews(ctx, q, rs)
}

// Credits returns what each subject is credited with: its share of its own
// reports and its share of the reports it helped on. Reports replaced by a
// correction and reports a verifier rejected are left out; flagged reports
// not yet verified are marked Held.
func (db *DB) Credits(ctx context.Context, f stakhanov.CreditFilter) ([]stakhanov.Credit, error) {
	return credits(ctx, db.reader(), f)
}

// credits is Credits on q, so that a write can read its own transaction.
func credits(ctx context.Context, q querier, f stakhanov.CreditFilter) ([]stakhanov.Credit, error) {
	var own, helped where
	own.add(live)
	helped.add(live)
	switch {
	case f.Subject.Kind == stakhanov.SubjectUnit && f.Members:
		subtree := "IN (SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%')"
		own.add("r.unit_id "+subtree, f.Subject.ID)
		helped.add("h.person_id IN (SELECT p.id FROM people p WHERE p.unit_id "+subtree+")", f.Subject.ID)
	case f.Subject.Kind == stakhanov.SubjectUnit:
		own.add("r.subject_kind = 'unit' AND r.subject_id = ?", f.Subject.ID)
		helped.add("1 = 0")
	case f.Subject.Kind == stakhanov.SubjectPerson:
		own.add("r.subject_kind = 'person' AND r.subject_id = ?", f.Subject.ID)
		helped.add("h.person_id = ?", f.Subject.ID)
	default:
		return nil, stakhanov.FieldErrorf("subject", "subject is required")
	}
	for _, w := range []*where{&own, &helped} {
		if f.GoodID != 0 {
			w.add("r.good_id = ?", f.GoodID)
		}
		if !f.From.IsZero() {
			w.add("r.date >= ?", f.From)
		}
		if !f.To.IsZero() {
			w.add("r.date <= ?", f.To)
		}
	}
	// Dates are read as text (see shiftStateColumns). CROSS JOIN keeps
	// SQLite's planner to helpers first, by their
	// person: the other way round reads every report.
	query := `SELECT r.id, r.subject_kind, r.subject_id, r.good_id, CAST(r.date AS TEXT), r.shift, r.produced, r.accepted, r.subject_share, 0, ` + held + `, r.late
		FROM reports r` + own.String() + `
		UNION ALL
		SELECT r.id, 'person', h.person_id, r.good_id, CAST(r.date AS TEXT), r.shift, r.produced, r.accepted, h.share, 1, ` + held + `, r.late
		FROM report_helpers h CROSS JOIN reports r` + helped.String() + ` AND r.id = h.report_id
		ORDER BY 5, 6, 1`
	rows, err := q.query(ctx, query, append(own.args, helped.args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stakhanov.Credit
	for rows.Next() {
		var c stakhanov.Credit
		var helpedFlag, heldFlag, lateFlag int
		if err := rows.Scan(&c.ReportID, &c.Subject.Kind, &c.Subject.ID, &c.GoodID, &c.Date, &c.Shift, &c.Produced, &c.Accepted, &c.Share, &helpedFlag, &heldFlag, &lateFlag); err != nil {
			return nil, err
		}
		c.Helped, c.Held, c.Late = helpedFlag == 1, heldFlag == 1, lateFlag == 1
		out = append(out, c)
	}
	return out, rows.Err()
}

// reportsState marks on a state run what the reports just written
// (created) touch: their subjects and helpers, the reports they correct,
// and the reports their storm flags reached in the last days of their
// month.
func (db *DB) reportsState(run *stateRun, rs []*stakhanov.Report, created []bool, written []reportWritten) error {
	if db.stateOff {
		return nil
	}
	for i, r := range rs {
		if !created[i] {
			continue
		}
		if r.Subject.Kind == stakhanov.SubjectPerson {
			// The person's unit, as the write read it in this transaction.
			run.people[r.Subject.ID] = written[i].unit
		}
		// Added credits carry no flag: those reports (rare) are read back
		// from their shift's credits.
		if r.Corrects == 0 && len(r.Flags) == 0 {
			run.addReport(r)
		} else {
			run.touchReport(r)
		}
		if r.Corrects != 0 {
			if err := run.touchReportID(r.Corrects); err != nil {
				return err
			}
		}
		for _, id := range written[i].stormed {
			if err := run.touchReportID(id); err != nil {
				return err
			}
		}
	}
	return nil
}

// FindDuplicateShifts reads the reports set aside (superseded by a report
// that does not correct them), then their shifts' current reports and the
// names to show. It reads the whole table: it is an operator's command.
func (db *DB) FindDuplicateShifts(ctx context.Context) ([]*stakhanov.DuplicateShift, error) {
	q := db.reader()
	var aside []*stakhanov.Report
	err := eachRow(ctx, q, "SELECT "+reportColumns+` FROM reports r WHERE r.superseded_by IS NOT NULL
		AND NOT EXISTS (SELECT 1 FROM reports c WHERE c.id = r.superseded_by AND c.corrects_id = r.id)
		ORDER BY r.superseded_by, r.id`, nil, func(rows *sql.Rows) error {
		r, err := scanReport(rows)
		aside = append(aside, r)
		return err
	})
	if err != nil || len(aside) == 0 {
		return nil, err
	}
	var out []*stakhanov.DuplicateShift
	all := slices.Clone(aside)
	for _, r := range aside {
		if n := len(out); n == 0 || out[n-1].Current.ID != r.SupersededBy {
			cur, err := scanReport(q.queryRow(ctx, "SELECT "+reportColumns+" FROM reports r WHERE r.id = ?", r.SupersededBy))
			if err != nil {
				return nil, err
			}
			out = append(out, &stakhanov.DuplicateShift{Current: cur, Reporters: map[int64]string{}})
			all = append(all, cur)
		}
		d := out[len(out)-1]
		d.SetAside = append(d.SetAside, r)
	}
	for len(all) > 0 {
		chunk := all[:min(500, len(all))]
		all = all[len(chunk):]
		if err := loadTeams(ctx, q, chunk); err != nil {
			return nil, err
		}
	}
	for _, d := range out {
		table := "people"
		if d.Current.Subject.Kind == stakhanov.SubjectUnit {
			table = "units"
		}
		d.Subject, d.Good = d.Current.Subject.String(), fmt.Sprintf("good %d", d.Current.GoodID)
		var name string
		if err := q.queryRow(ctx, `SELECT name FROM `+table+` WHERE id = ?`, d.Current.Subject.ID).Scan(&name); err == nil {
			d.Subject = name
		}
		if err := q.queryRow(ctx, `SELECT name FROM goods WHERE id = ?`, d.Current.GoodID).Scan(&name); err == nil {
			d.Good = name
		}
		for _, r := range append([]*stakhanov.Report{d.Current}, d.SetAside...) {
			if r.ReporterID == 0 || d.Reporters[r.ReporterID] != "" {
				continue
			}
			if err := q.queryRow(ctx, `SELECT name FROM users WHERE id = ?`, r.ReporterID).Scan(&name); err == nil {
				d.Reporters[r.ReporterID] = name
			}
		}
	}
	return out, nil
}
