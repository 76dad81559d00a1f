package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/stakhanov/stakhanov"
)

// subjectPath returns the unit path of a subject: a person's unit or the
// unit itself; the unit id is the subject's own unit.
func subjectPath(ctx context.Context, q querier, s stakhanov.Subject) (unitID int64, path string, err error) {
	switch s.Kind {
	case stakhanov.SubjectPerson:
		err = q.queryRow(ctx, `SELECT u.id, u.path FROM people p JOIN units u ON u.id = p.unit_id WHERE p.id = ?`, s.ID).Scan(&unitID, &path)
	case stakhanov.SubjectUnit:
		err = q.queryRow(ctx, `SELECT id, path FROM units WHERE id = ?`, s.ID).Scan(&unitID, &path)
	default:
		return 0, "", stakhanov.FieldErrorf("subject", "subject kind %q is not person or unit", s.Kind)
	}
	if err == sql.ErrNoRows {
		return 0, "", stakhanov.FieldErrorf("subject", "%s %d not found", s.Kind, s.ID)
	}
	return unitID, path, err
}

func goodExists(ctx context.Context, q querier, id int64, field string) error {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM goods WHERE id = ?`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return stakhanov.FieldErrorf(field, "good %d not found", id)
	}
	return nil
}

// checkBounds applies a good's bounds (its rules' max_per_shift) with
// check.
func checkBounds(ctx context.Context, q querier, goodID int64, check func(stakhanov.PlausibilityRules, string) error) error {
	p, measure, err := rulesFor(ctx, q, goodID)
	if err != nil {
		return err
	}
	return check(p, measure)
}

const normColumns = "id, subject_kind, subject_id, good_id, amount, effective_from, reason, version, COALESCE(set_by, 0), created_at"

func scanNorm(rows interface{ Scan(...any) error }) (*stakhanov.Norm, error) {
	n := &stakhanov.Norm{}
	err := rows.Scan(&n.ID, &n.Subject.Kind, &n.Subject.ID, &n.GoodID, &n.Amount, &n.EffectiveFrom, &n.Reason, &n.Version, &n.SetBy, &n.CreatedAt)
	return n, err
}

// CreateNorm adds a version of a norm, unless it restates the latest
// version for its subject, good and day (Norm.SameAs): then n becomes that
// version, marked Present, and nothing is written.
func (db *DB) CreateNorm(ctx context.Context, n *stakhanov.Norm) error {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		held, err := heldNorm(ctx, q, n)
		if err != nil || held != nil {
			if held != nil {
				*n = *held
				n.Present = true
			}
			return err
		}
		return db.insertNorm(ctx, q, who, n)
	})
}

// heldNorm returns the latest version of n's subject and good effective
// from n's day if n restates it (Norm.SameAs), else nil. The CSV import
// calls such a line already present, the API answers 200 with it.
func heldNorm(ctx context.Context, q querier, n *stakhanov.Norm) (*stakhanov.Norm, error) {
	latest, err := scanNorm(q.queryRow(ctx, "SELECT "+normColumns+` FROM norms
		WHERE subject_kind = ? AND subject_id = ? AND good_id = ? AND effective_from = ? ORDER BY version DESC LIMIT 1`,
		n.Subject.Kind, n.Subject.ID, n.GoodID, n.EffectiveFrom))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if !n.SameAs(latest) {
		return nil, nil
	}
	return latest, nil
}

func (db *DB) insertNorm(ctx context.Context, q querier, who *stakhanov.User, n *stakhanov.Norm) error {
	_, path, err := subjectPath(ctx, q, n.Subject)
	if err != nil {
		return err
	}
	if err := requireScope(who, path, n.Subject.String()); err != nil {
		return err
	}
	if err := goodExists(ctx, q, n.GoodID, "good_id"); err != nil {
		return err
	}
	if err := checkBounds(ctx, q, n.GoodID, func(p stakhanov.PlausibilityRules, measure string) error { return p.CheckNorm(n, measure) }); err != nil {
		return err
	}
	if err := q.queryRow(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM norms WHERE subject_kind = ? AND subject_id = ? AND good_id = ?`,
		n.Subject.Kind, n.Subject.ID, n.GoodID).Scan(&n.Version); err != nil {
		return err
	}
	n.SetBy, n.CreatedAt = who.ID, db.now().UTC()
	n.ID, err = q.insert(ctx, `INSERT INTO norms (subject_kind, subject_id, good_id, amount, effective_from, reason, version, set_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		n.Subject.Kind, n.Subject.ID, n.GoodID, n.Amount, n.EffectiveFrom, n.Reason, n.Version, nullID(who.ID), n.CreatedAt)
	if db.dialect.IsUniqueViolation(err) {
		return stakhanov.Errorf(stakhanov.ECONFLICT, "another version of this norm was set at the same moment; try again")
	} else if err != nil {
		return err
	}
	// A version effective in the past changes figures already held.
	run := db.newStateRun(ctx, q)
	run.touchNorm(n)
	return run.apply()
}

func (db *DB) FindNorms(ctx context.Context, f stakhanov.NormFilter) ([]*stakhanov.Norm, int, error) {
	w := &where{}
	if !f.Subject.IsZero() {
		w.add("subject_kind = ? AND subject_id = ?", f.Subject.Kind, f.Subject.ID)
	}
	if f.GoodID != 0 {
		w.add("good_id = ?", f.GoodID)
	}
	order := "subject_kind, subject_id, good_id, effective_from, version"
	if !f.InForceOn.IsZero() {
		// The version in force is the latest effective on or before the
		// date, the highest version among those effective the same day.
		w.add(`effective_from <= ? AND NOT EXISTS (SELECT 1 FROM norms l
			WHERE l.subject_kind = norms.subject_kind AND l.subject_id = norms.subject_id AND l.good_id = norms.good_id
			AND l.effective_from <= ? AND (l.effective_from > norms.effective_from
				OR (l.effective_from = norms.effective_from AND l.version > norms.version)))`, f.InForceOn, f.InForceOn)
	}
	return list(ctx, db.reader(), normColumns, "norms", w, order, f.Page, func(r *sql.Rows) (*stakhanov.Norm, error) { return scanNorm(r) })
}

const needColumns = "id, unit_id, good_id, date_from, date_to, quantity, note, COALESCE(created_by, 0), created_at"

func (db *DB) CreateNeed(ctx context.Context, n *stakhanov.Need) error {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		unit, err := findUnit(ctx, q, n.UnitID)
		if err != nil {
			return stakhanov.FieldErrorf("unit_id", "unit %d not found", n.UnitID)
		}
		if err := requireScope(who, unit.Path, fmt.Sprintf("unit %d", unit.ID)); err != nil {
			return err
		}
		if err := goodExists(ctx, q, n.GoodID, "good_id"); err != nil {
			return err
		}
		n.CreatedBy, n.CreatedAt = who.ID, db.now().UTC()
		n.ID, err = q.insert(ctx, `INSERT INTO needs (unit_id, good_id, date_from, date_to, quantity, note, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			n.UnitID, n.GoodID, n.From, n.To, n.Quantity, n.Note, nullID(who.ID), n.CreatedAt)
		return err
	})
}

func (db *DB) FindNeeds(ctx context.Context, f stakhanov.NeedFilter) ([]*stakhanov.Need, int, error) {
	w := &where{}
	if f.UnitID != 0 {
		w.add("unit_id = ?", f.UnitID)
	}
	if f.GoodID != 0 {
		w.add("good_id = ?", f.GoodID)
	}
	if !f.From.IsZero() {
		w.add("date_to >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("date_from <= ?", f.To)
	}
	return list(ctx, db.reader(), needColumns, "needs", w, "date_from, id", f.Page, func(r *sql.Rows) (*stakhanov.Need, error) {
		n := &stakhanov.Need{}
		err := r.Scan(&n.ID, &n.UnitID, &n.GoodID, &n.From, &n.To, &n.Quantity, &n.Note, &n.CreatedBy, &n.CreatedAt)
		return n, err
	})
}
