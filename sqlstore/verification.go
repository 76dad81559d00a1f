package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// Plausibility flags and independent verification.
//
// Flags are judged when a report is written and stored in report_flags:
//
//   - CreateReports (one report or a batch) judges each new report in its
//     transaction: the multiple-of-norm rule against the norm in force, the
//     peer rule against the live reports of its unit, good and day, and,
//     for a report in the last days of its month, the storm rule over its
//     subject's month (a storm flags every report of those last days),
//     leaving out the reports another rule holds, this one included.
//   - ImportReports judges the imported reports after the last line, in
//     the same transaction, set-based: norms are loaded once into memory,
//     and one streaming query per 500 units touched reads the live reports
//     of those units over the imported months in the order of the
//     reports_unit index (unit, date), so that peer groups and subjects'
//     months are judged as they pass: each day's peer groups first, so
//     that the months leave out what the other rules hold, as
//     CreateReports does. No line costs a query of its own.
//
// A report written before a rule changed is not judged again.

// live selects reports that count: current (not superseded by a
// correction, nor set aside as a duplicate), not rejected by a verifier.
// It is the one place that says so.
const live = `r.superseded_by IS NULL
	AND NOT EXISTS (SELECT 1 FROM report_verifications v WHERE v.report_id = r.id AND v.decision = 'rejected')`

// held is true (1) for a flagged report with no decision yet.
const held = `CASE WHEN EXISTS (SELECT 1 FROM report_flags f WHERE f.report_id = r.id)
	AND NOT EXISTS (SELECT 1 FROM report_verifications v WHERE v.report_id = r.id) THEN 1 ELSE 0 END`

// heldByOtherRule is true for a report that a rule other than the storm
// rule holds (flagged, no decision yet): the storm rule leaves it out of
// the month it judges (see stakhanov.StormMonth).
const heldByOtherRule = `EXISTS (SELECT 1 FROM report_flags f WHERE f.report_id = r.id AND f.rule <> 'storm')
	AND NOT EXISTS (SELECT 1 FROM report_verifications v WHERE v.report_id = r.id)`

// reviewCondition selects reports by review state, or "" if status is not
// one.
func reviewCondition(status string) string {
	switch status {
	case stakhanov.ReviewFlagged:
		return `EXISTS (SELECT 1 FROM report_flags f WHERE f.report_id = r.id)
			AND NOT EXISTS (SELECT 1 FROM report_verifications v WHERE v.report_id = r.id)`
	case stakhanov.ReviewVerified:
		return `EXISTS (SELECT 1 FROM report_verifications v WHERE v.report_id = r.id AND v.decision = 'verified')`
	case stakhanov.ReviewRejected:
		return `EXISTS (SELECT 1 FROM report_verifications v WHERE v.report_id = r.id AND v.decision = 'rejected')`
	}
	return ""
}

const plausibilityColumns = `multiple_of_norm, peer_mads, peer_minimum, storm_share, storm_days, storm_min_shifts, max_per_shift`

// rulesFor returns a good's plausibility rules (its own or the defaults)
// and its measure.
func rulesFor(ctx context.Context, q querier, goodID int64) (stakhanov.PlausibilityRules, string, error) {
	var measure string
	if err := q.queryRow(ctx, `SELECT measure FROM goods WHERE id = ?`, goodID).Scan(&measure); err != nil {
		return stakhanov.PlausibilityRules{}, "", notFound("good", goodID, err)
	}
	p := stakhanov.DefaultPlausibilityRules
	err := q.queryRow(ctx, `SELECT `+plausibilityColumns+` FROM good_plausibility WHERE good_id = ? ORDER BY version DESC LIMIT 1`, goodID).
		Scan(&p.MultipleOfNorm, &p.PeerMADs, &p.PeerMinimum, &p.StormShare, &p.StormDays, &p.StormMinShifts, &p.MaxPerShift)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return p, "", err
	}
	return p, measure, nil
}

func (db *DB) PlausibilityRules(ctx context.Context, goodID int64) (*stakhanov.PlausibilityRules, error) {
	p, _, err := rulesFor(ctx, db.reader(), goodID)
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// SetPlausibilityRules adds a version of a good's rules; the latest is in
// force.
func (db *DB) SetPlausibilityRules(ctx context.Context, goodID int64, p *stakhanov.PlausibilityRules) error {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return err
	}
	if who.UnitID != 0 {
		// A good's rules hold for every unit that reports it.
		return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s is limited to some units; the plausibility rules of a good hold for every unit: only an admin or planner of the whole organisation sets them", who.Name)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		if _, _, err := rulesFor(ctx, q, goodID); err != nil {
			return err
		}
		var version int
		if err := q.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM good_plausibility WHERE good_id = ?`, goodID).Scan(&version); err != nil {
			return err
		}
		_, err := q.exec(ctx, `INSERT INTO good_plausibility (good_id, version, `+plausibilityColumns+`, set_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, goodID, version, p.MultipleOfNorm, p.PeerMADs, p.PeerMinimum,
			p.StormShare, p.StormDays, p.StormMinShifts, p.MaxPerShift, nullID(who.ID), db.now().UTC())
		if db.dialect.IsUniqueViolation(err) {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "the rules of good %d were set at the same moment; try again", goodID)
		}
		return err
	})
}

// insertFlag stores a flag; a report keeps the first flag of each rule.
func insertFlag(ctx context.Context, q querier, f *stakhanov.Flag) error {
	_, err := addFlag(ctx, q, f)
	return err
}

// addFlag is insertFlag, telling whether the flag is new.
func addFlag(ctx context.Context, q querier, f *stakhanov.Flag) (bool, error) {
	figures, err := json.Marshal(f.Figures)
	if err != nil {
		return false, err
	}
	res, err := q.exec(ctx, `INSERT INTO report_flags (report_id, rule, figures, message, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, f.ReportID, f.Rule, string(figures), f.Message, f.CreatedAt)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// judgeReport applies the plausibility rules to a report just written (in
// q's transaction) and stores its flags. It returns the other reports the
// storm rule flagged anew: the state holds them now.
func (db *DB) judgeReport(ctx context.Context, q querier, r *stakhanov.Report, unitID int64) (stormed []int64, err error) {
	rules, measure, err := rulesFor(ctx, q, r.GoodID)
	if err != nil {
		return nil, err
	}
	now := db.now().UTC()
	var flags []*stakhanov.Flag
	credited := r.Accepted * r.SubjectShare
	if rules.MultipleOfNorm > 0 {
		var norm float64
		err := q.queryRow(ctx, `SELECT amount FROM norms WHERE subject_kind = ? AND subject_id = ? AND good_id = ? AND effective_from <= ?
			ORDER BY effective_from DESC, version DESC LIMIT 1`, r.Subject.Kind, r.Subject.ID, r.GoodID, r.Date).Scan(&norm)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if f := rules.CheckMultiple(credited, r.Accepted, norm, measure); f != nil {
			flags = append(flags, f)
		}
	}
	if rules.PeerMADs > 0 {
		group, err := floats(ctx, q, `SELECT r.accepted * r.subject_share FROM reports r
			WHERE r.unit_id = ? AND r.date = ? AND r.good_id = ? AND r.subject_kind = ? AND `+live,
			unitID, r.Date, r.GoodID, r.Subject.Kind)
		if err != nil {
			return nil, err
		}
		if median, spread, ok := rules.PeerStats(group); ok {
			if f := rules.CheckPeers(credited, median, spread, len(group), measure); f != nil {
				flags = append(flags, f)
			}
		}
	}
	for _, f := range flags {
		f.ReportID, f.CreatedAt = r.ID, now
		if err := insertFlag(ctx, q, f); err != nil {
			return nil, err
		}
		r.Flags = append(r.Flags, *f)
	}
	if rules.InStormDays(r.Date) {
		first := stakhanov.NewDate(r.Date.Year(), r.Date.Month(), 1)
		rows, err := q.query(ctx, `SELECT r.id, r.date, r.accepted * r.subject_share FROM reports r
			WHERE r.subject_kind = ? AND r.subject_id = ? AND r.good_id = ? AND r.date >= ? AND r.date <= ? AND `+live+`
			AND NOT (`+heldByOtherRule+`)`,
			r.Subject.Kind, r.Subject.ID, r.GoodID, first, stakhanov.NewDate(first.Year(), first.Month()+1, 0))
		if err != nil {
			return nil, err
		}
		m := stakhanov.StormMonth{Month: first}
		var last []int64
		for rows.Next() {
			var id int64
			var d stakhanov.Date
			var v float64
			if err := rows.Scan(&id, &d, &v); err != nil {
				rows.Close()
				return nil, err
			}
			m.Shifts++
			m.Total += v
			if rules.InStormDays(d) {
				m.Last += v
				last = append(last, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if f := rules.CheckStorm(m, measure); f != nil {
			f.CreatedAt = now
			for _, id := range last {
				f.ReportID = id
				added, err := addFlag(ctx, q, f)
				if err != nil {
					return nil, err
				}
				if added && id != r.ID {
					stormed = append(stormed, id)
				}
			}
			// r's own flags were stored above, so r is in last unless
			// another rule holds it.
			if slices.Contains(last, r.ID) {
				f.ReportID = r.ID
				r.Flags = append(r.Flags, *f)
			}
		}
	}
	if len(r.Flags) > 0 {
		r.Review = stakhanov.ReviewFlagged
	}
	return stormed, nil
}

func floats(ctx context.Context, q querier, query string, args ...any) ([]float64, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []float64
	for rows.Next() {
		var v float64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// loadReviews fills in the flags, verification and review state of
// reports.
func loadReviews(ctx context.Context, q querier, rs []*stakhanov.Report) error {
	if len(rs) == 0 {
		return nil
	}
	// A batch may name one report twice (a replay within the batch).
	byID := make(map[int64][]*stakhanov.Report, len(rs))
	marks := make([]string, len(rs))
	args := make([]any, len(rs))
	for i, r := range rs {
		byID[r.ID] = append(byID[r.ID], r)
		r.Flags, r.Verification, r.Review = nil, nil, ""
		marks[i], args[i] = "?", r.ID
	}
	in := "(" + strings.Join(marks, ", ") + ")"
	rows, err := q.query(ctx, "SELECT report_id, rule, figures, message, created_at FROM report_flags WHERE report_id IN "+in+" ORDER BY report_id, rule", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f stakhanov.Flag
		var figures string
		if err := rows.Scan(&f.ReportID, &f.Rule, &figures, &f.Message, &f.CreatedAt); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(figures), &f.Figures); err != nil {
			return fmt.Errorf("report %d flag %s: %w", f.ReportID, f.Rule, err)
		}
		for _, r := range byID[f.ReportID] {
			r.Flags = append(r.Flags, f)
			r.Review = stakhanov.ReviewFlagged
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.query(ctx, "SELECT "+verificationColumns+" FROM report_verifications WHERE report_id IN "+in, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		v, err := scanVerification(rows)
		if err != nil {
			return err
		}
		for _, r := range byID[v.ReportID] {
			r.Verification, r.Review = v, v.Decision
		}
	}
	return rows.Err()
}

const verificationColumns = `report_id, decision, note, verifier_id, COALESCE(person_id, 0), created_at`

func scanVerification(row interface{ Scan(...any) error }) (*stakhanov.Verification, error) {
	v := &stakhanov.Verification{}
	err := row.Scan(&v.ReportID, &v.Decision, &v.Note, &v.VerifierID, &v.PersonID, &v.CreatedAt)
	return v, err
}

// VerifyReport records a verifier's decision. The verifier's account must
// be a person's, within the report's units, and independent of the report:
// not its subject (nor a member of a collective subject), a helper, a
// witness, or the one who reported it. Verifying a report that no rule
// flagged is allowed (a spot check), and so is rejecting it. A report
// replaced by a correction is not verified: its correction is. The
// decision is final: a second one is a conflict.
func (db *DB) VerifyReport(ctx context.Context, v *stakhanov.Verification) error {
	who, err := actor(ctx, stakhanov.RoleVerifier)
	if err != nil {
		return err
	}
	if err := v.Validate(); err != nil {
		return err
	}
	if who.PersonID == 0 {
		return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s is not a person's account: a verifier must be a person, so that its independence of the report can be checked", who.Name)
	}
	return db.inTx(ctx, func(q querier) error {
		r, err := scanReport(q.queryRow(ctx, "SELECT "+reportColumns+" FROM reports r WHERE r.id = ?", v.ReportID))
		if err != nil {
			return notFound("report", v.ReportID, err)
		}
		if err := loadTeams(ctx, q, []*stakhanov.Report{r}); err != nil {
			return err
		}
		_, subjectUnitPath, err := subjectPath(ctx, q, r.Subject)
		if err != nil {
			return err
		}
		if err := requireScope(who, subjectUnitPath, fmt.Sprintf("report %d", r.ID)); err != nil {
			return err
		}
		why, reporterPerson, member, err := verifierDependencies(ctx, q, who, r, subjectUnitPath)
		if err != nil {
			return err
		}
		if len(why) > 0 {
			msg := r.Independence(who.PersonID, reporterPerson, member)
			if msg == "" {
				msg = fmt.Sprintf("%s reported report %d", who.Name, r.ID)
			}
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s may not verify report %d: %s; a verifier must be independent of the report", who.Name, r.ID, msg)
		}
		if r.SupersededBy != 0 {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "report %d was replaced by report %d: verify that one", r.ID, r.SupersededBy)
		}
		if prev, err := scanVerification(q.queryRow(ctx, "SELECT "+verificationColumns+" FROM report_verifications WHERE report_id = ?", r.ID)); err == nil {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "report %d was already %s on %s: the decision is final", r.ID, prev.Decision, prev.CreatedAt.UTC().Format(time.DateOnly))
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		v.VerifierID, v.PersonID, v.CreatedAt = who.ID, who.PersonID, db.now().UTC()
		_, err = q.exec(ctx, `INSERT INTO report_verifications (report_id, decision, note, verifier_id, person_id, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			v.ReportID, v.Decision, v.Note, v.VerifierID, v.PersonID, v.CreatedAt)
		if db.dialect.IsUniqueViolation(err) {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "report %d was decided at the same moment by another verifier", r.ID)
		} else if err != nil {
			return err
		}
		// Verified, the report counts toward candidacy; rejected, nowhere.
		run := db.newStateRun(ctx, q)
		run.touchReport(r)
		return run.apply()
	})
}

// verifierDependencies lists why who may not decide on r
// (stakhanov.Depends...), with the reporter's person and whether who
// belongs to a collective subject. subjectUnitPath is the subject's unit
// path.
func verifierDependencies(ctx context.Context, q querier, who *stakhanov.User, r *stakhanov.Report, subjectUnitPath string) (why []string, reporterPerson int64, member bool, err error) {
	if r.ReporterID != 0 {
		if err := q.queryRow(ctx, `SELECT COALESCE(person_id, 0) FROM users WHERE id = ?`, r.ReporterID).Scan(&reporterPerson); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, 0, false, err
		}
	}
	if r.Subject.Kind == stakhanov.SubjectUnit {
		_, personPath, err := subjectPath(ctx, q, stakhanov.PersonSubject(who.PersonID))
		if err != nil {
			return nil, 0, false, err
		}
		member = stakhanov.Within(personPath, subjectUnitPath)
	}
	why = r.Dependencies(who.PersonID, reporterPerson, member)
	if r.ReporterID == who.ID && !slices.Contains(why, stakhanov.DependsReporter) {
		why = append(why, stakhanov.DependsReporter)
	}
	return why, reporterPerson, member, nil
}

// VerifierDependencies lists why a verifier may not decide on a report.
func (db *DB) VerifierDependencies(ctx context.Context, userID, reportID int64) ([]string, error) {
	q := db.reader()
	who, err := scanUser(q.queryRow(ctx, "SELECT "+userColumns+" FROM users u LEFT JOIN units s ON s.id = u.unit_id WHERE u.id = ?", userID))
	if err != nil {
		return nil, notFound("user", userID, err)
	}
	r, err := scanReport(q.queryRow(ctx, "SELECT "+reportColumns+" FROM reports r WHERE r.id = ?", reportID))
	if err != nil {
		return nil, notFound("report", reportID, err)
	}
	if err := loadTeams(ctx, q, []*stakhanov.Report{r}); err != nil {
		return nil, err
	}
	_, subjectUnitPath, err := subjectPath(ctx, q, r.Subject)
	if err != nil {
		return nil, err
	}
	why, _, _, err := verifierDependencies(ctx, q, who, r, subjectUnitPath)
	return why, err
}

// importJudge gathers what an import wrote, to judge it after the last
// line.
type importJudge struct {
	// flaggedBefore are reports written before the import that its storm
	// flags reached.
	flaggedBefore []int64
	units         map[int64]bool
	goods         map[int64]bool
	from, to      stakhanov.Date
	minID, maxID  int64
	// credits, if not nil, gathers the credits of the reports written
	// (importCredits).
	credits *importCredits
}

func (j *importJudge) add(r *stakhanov.Report, unit int64) {
	j.scope(r, unit)
	j.written(r.ID, r.ID)
	if j.credits != nil {
		j.credits.add(r)
	}
}

// scope widens the units, goods and dates judged to take in r.
func (j *importJudge) scope(r *stakhanov.Report, unit int64) {
	if j.units == nil {
		j.units, j.goods = map[int64]bool{}, map[int64]bool{}
	}
	j.units[unit], j.goods[r.GoodID] = true, true
	if j.from.IsZero() || r.Date.Before(j.from) {
		j.from = r.Date
	}
	if j.to.IsZero() || r.Date.After(j.to) {
		j.to = r.Date
	}
}

// written records that the import wrote reports with ids from lo to hi.
func (j *importJudge) written(lo, hi int64) {
	if j.minID == 0 || lo < j.minID {
		j.minID = lo
	}
	j.maxID = max(j.maxID, hi)
}

// judgeImported applies the plausibility rules to the reports an import
// wrote (ids minID to maxID), set-based; see the package comment above.
func (db *DB) judgeImported(ctx context.Context, q querier, j *importJudge) error {
	if j.maxID == 0 {
		return nil
	}
	rules := map[int64]stakhanov.PlausibilityRules{}
	measures := map[int64]string{}
	var withNorms []any
	anyRule := false
	for g := range j.goods {
		p, m, err := rulesFor(ctx, q, g)
		if err != nil {
			return err
		}
		rules[g], measures[g] = p, m
		if p.MultipleOfNorm > 0 {
			withNorms = append(withNorms, g)
		}
		anyRule = anyRule || p.MultipleOfNorm > 0 || p.PeerMADs > 0 || p.StormShare > 0
	}
	if !anyRule {
		return nil
	}
	norms := stakhanov.NewNormIndex(nil)
	if len(withNorms) > 0 {
		rows, err := q.query(ctx, "SELECT "+normColumns+" FROM norms WHERE good_id IN ("+marks(len(withNorms))+")", withNorms...)
		if err != nil {
			return err
		}
		var ns []*stakhanov.Norm
		for rows.Next() {
			n, err := scanNorm(rows)
			if err != nil {
				rows.Close()
				return err
			}
			ns = append(ns, n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		norms = stakhanov.NewNormIndex(ns)
	}
	units := make([]int64, 0, len(j.units))
	for u := range j.units {
		units = append(units, u)
	}
	slices.Sort(units)
	// Whole months, for the storm rule.
	from := stakhanov.NewDate(j.from.Year(), j.from.Month(), 1)
	to := stakhanov.NewDate(j.to.Year(), j.to.Month()+1, 0)
	anyStorm := false
	for _, p := range rules {
		anyStorm = anyStorm || p.StormShare > 0
	}
	jg := &groupJudge{j: j, rules: rules, measures: measures, norms: norms, now: db.now().UTC()}
	for len(units) > 0 {
		chunk := units[:min(500, len(units))]
		units = units[len(chunk):]
		args := make([]any, 0, len(chunk)+2)
		for _, u := range chunk {
			args = append(args, u)
		}
		args = append(args, from, to)
		inRange := `r.unit_id IN (` + marks(len(chunk)) + `) AND r.date >= ? AND r.date <= ?`
		// What counts is live's rule, applied here in two cheaper parts:
		// the rows read are current (a column of the row), and the
		// rejected reports, few, are read first and left out, three times
		// cheaper than asking, row by row, whether each was rejected.
		dead, err := idSet(ctx, q, `SELECT r.id FROM report_verifications v JOIN reports r ON r.id = v.report_id
			WHERE v.decision = 'rejected' AND `+inRange, args...)
		if err != nil {
			return err
		}
		// The reports another rule holds, which the storm rule leaves
		// out, are fewer still; those of this import are flagged below.
		jg.held = nil
		if anyStorm {
			jg.held, err = idSet(ctx, q, `SELECT r.id FROM report_flags f JOIN reports r ON r.id = f.report_id
				WHERE f.rule <> 'storm' AND NOT EXISTS (SELECT 1 FROM report_verifications v WHERE v.report_id = r.id)
				AND `+inRange, args...)
			if err != nil {
				return err
			}
		}
		// The date is read as text and parsed once a day: the SQLite
		// driver would parse every row's DATE into a time.Time.
		rows, err := q.query(ctx, `SELECT r.id, r.unit_id, r.good_id, CAST(r.date AS TEXT), r.subject_kind, r.subject_id, r.accepted, r.subject_share
			FROM reports r WHERE `+inRange+` AND r.superseded_by IS NULL ORDER BY r.unit_id, r.date`, args...)
		if err != nil {
			return err
		}
		// Flags are written once the rows are read: SQLite cannot write
		// on the connection while a query on it is open.
		var day, lastDay string
		var date stakhanov.Date
		for rows.Next() {
			var x judged
			if err := rows.Scan(&x.id, &x.unit, &x.good, &day, &x.subject.Kind, &x.subject.ID, &x.accepted, &x.share); err != nil {
				rows.Close()
				return err
			}
			if day != lastDay {
				if err := date.Scan(day); err != nil {
					rows.Close()
					return err
				}
				lastDay = day
			}
			x.date = date
			if !dead[x.id] {
				jg.add(x)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		jg.flushUnit()
		for _, f := range jg.flags {
			if err := insertFlag(ctx, q, f); err != nil {
				return err
			}
			if f.ReportID < j.minID {
				j.flaggedBefore = append(j.flaggedBefore, f.ReportID)
			}
		}
		jg.flags = jg.flags[:0]
	}
	return nil
}

// idSet runs a query of ids and returns them as a set.
func idSet(ctx context.Context, q querier, query string, args ...any) (map[int64]bool, error) {
	rows, err := q.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// judged is one live report as judgeImported reads it.
type judged struct {
	id, unit, good  int64
	date            stakhanov.Date
	subject         stakhanov.Subject
	accepted, share float64
	// held: another rule than the storm rule holds it.
	held bool
}

func (x *judged) credited() float64 { return x.accepted * x.share }

// groupJudge judges reports streamed in unit and date order (the order of
// the reports_unit index, so the engine need not sort): peer groups (one
// unit, day, good and subject kind) as each day ends, and subjects' months
// as each unit ends. A day's reports go into their months once the other
// rules have judged them, so that the months leave out what those rules
// hold.
type groupJudge struct {
	j        *importJudge
	rules    map[int64]stakhanov.PlausibilityRules
	measures map[int64]string
	norms    *stakhanov.NormIndex
	now      time.Time

	day    []judged       // the current unit and day
	held   map[int64]bool // reports of the units read that other rules held before
	months map[stormKey]*stormAcc
	flags  []*stakhanov.Flag
}

type stormKey struct {
	subject stakhanov.Subject
	good    int64
	month   stakhanov.Date
}

type stormAcc struct {
	m       stakhanov.StormMonth
	last    []int64
	newLast bool
}

func (g *groupJudge) isNew(id int64) bool { return id >= g.j.minID && id <= g.j.maxID }

func (g *groupJudge) add(x judged) {
	if len(g.day) > 0 {
		if d := g.day[0]; d.unit != x.unit {
			g.flushUnit()
		} else if d.date != x.date {
			g.flushDay()
		}
	}
	rules := g.rules[x.good]
	x.held = g.held[x.id]
	if g.isNew(x.id) && rules.MultipleOfNorm > 0 {
		if n := g.norms.InForce(x.subject, x.good, x.date); n != nil {
			if f := rules.CheckMultiple(x.credited(), x.accepted, n.Amount, g.measures[x.good]); f != nil {
				g.flag(f, x.id)
				x.held = true
			}
		}
	}
	g.day = append(g.day, x)
}

// month adds a report to its subject's month, unless another rule holds
// it. A month is judged when the import wrote a report in its last days,
// held or not, as CreateReports judges it on writing one.
func (g *groupJudge) month(x *judged) {
	rules := g.rules[x.good]
	if rules.StormShare <= 0 {
		return
	}
	if g.months == nil {
		g.months = map[stormKey]*stormAcc{}
	}
	k := stormKey{x.subject, x.good, stakhanov.NewDate(x.date.Year(), x.date.Month(), 1)}
	acc := g.months[k]
	if acc == nil {
		acc = &stormAcc{m: stakhanov.StormMonth{Month: k.month}}
		g.months[k] = acc
	}
	inLast := rules.InStormDays(x.date)
	acc.newLast = acc.newLast || inLast && g.isNew(x.id)
	if x.held {
		return
	}
	acc.m.Shifts++
	acc.m.Total += x.credited()
	if inLast {
		acc.m.Last += x.credited()
		acc.last = append(acc.last, x.id)
	}
}

func (g *groupJudge) flag(f *stakhanov.Flag, id int64) {
	f.ReportID, f.CreatedAt = id, g.now
	g.flags = append(g.flags, f)
}

// flushDay judges the peer groups of the day just read.
func (g *groupJudge) flushDay() {
	day := g.day
	g.day = g.day[:0]
	if len(day) == 0 {
		return
	}
	type groupKey struct {
		good int64
		kind string
	}
	type groupStats struct {
		values         []float64
		median, spread float64
		ok, done       bool
	}
	var groups map[groupKey]*groupStats
	for i := range day {
		if !g.isNew(day[i].id) || g.rules[day[i].good].PeerMADs <= 0 {
			continue
		}
		if groups == nil {
			// Only days with a new report to judge are grouped.
			groups = map[groupKey]*groupStats{}
			for k := range day {
				gk := groupKey{day[k].good, day[k].subject.Kind}
				if groups[gk] == nil {
					groups[gk] = &groupStats{}
				}
				groups[gk].values = append(groups[gk].values, day[k].credited())
			}
		}
		x := &day[i]
		rules := g.rules[x.good]
		st := groups[groupKey{x.good, x.subject.Kind}]
		if !st.done {
			st.median, st.spread, st.ok = rules.PeerStats(st.values)
			st.done = true
		}
		if !st.ok {
			continue
		}
		if f := rules.CheckPeers(x.credited(), st.median, st.spread, len(st.values), g.measures[x.good]); f != nil {
			g.flag(f, x.id)
			x.held = true
		}
	}
	for i := range day {
		g.month(&day[i])
	}
}

// flushUnit judges the day just read and the months of the unit just
// read.
func (g *groupJudge) flushUnit() {
	g.flushDay()
	for k, acc := range g.months {
		if !acc.newLast {
			continue
		}
		if f := g.rules[k.good].CheckStorm(acc.m, g.measures[k.good]); f != nil {
			for _, id := range acc.last {
				c := *f
				g.flag(&c, id)
			}
		}
	}
	clear(g.months)
}
