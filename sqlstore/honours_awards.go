package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/stakhanov/stakhanov"
)

// The honours store: the award catalogue and everything from recommendation
// to ceremony. History is append-only: a nomination's state is its latest
// event; signatures, revocations and presentations are rows of their own.

const awardColumns = `id, name, kind, country, description, criteria, insignia, authority, established, established_by,
	abolished, abolished_by, COALESCE(predecessor_id, 0), rules, created_at, COALESCE(created_by, 0)`

func scanAward(row interface{ Scan(...any) error }) (*stakhanov.Award, error) {
	a := &stakhanov.Award{}
	var insignia, rules string
	err := row.Scan(&a.ID, &a.Name, &a.Kind, &a.Country, &a.Description, &a.Criteria, &insignia, &a.Authority,
		&a.Established, &a.EstablishedBy, &a.Abolished, &a.AbolishedBy, &a.PredecessorID, &rules, &a.CreatedAt, &a.CreatedBy)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(insignia), &a.Insignia); err != nil {
		return nil, fmt.Errorf("award %d insignia: %w", a.ID, err)
	}
	if err := json.Unmarshal([]byte(rules), &a.Rules); err != nil {
		return nil, fmt.Errorf("award %d rules: %w", a.ID, err)
	}
	return a, nil
}

func findAward(ctx context.Context, q querier, id int64) (*stakhanov.Award, error) {
	a, err := scanAward(q.queryRow(ctx, "SELECT "+awardColumns+" FROM awards WHERE id = ?", id))
	if err != nil {
		return nil, notFound("award", id, err)
	}
	return a, nil
}

func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var n int
	if err := q.queryRow(ctx, "SELECT COUNT(*) FROM "+query, args...).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

func (db *DB) CreateAward(ctx context.Context, a *stakhanov.Award) error {
	who, err := actor(ctx, stakhanov.RoleAdmin)
	if err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	err = db.inTx(ctx, func(q querier) error {
		if a.PredecessorID != 0 {
			ok, err := exists(ctx, q, "awards WHERE id = ?", a.PredecessorID)
			if err != nil {
				return err
			}
			if !ok {
				return stakhanov.FieldErrorf("predecessor_id", "award %d not found", a.PredecessorID)
			}
		}
		for _, refs := range []struct {
			name string
			ids  []int64
		}{{"prerequisites", a.Rules.Prerequisites}, {"companions", a.Rules.Companions}} {
			for i, id := range refs.ids {
				ok, err := exists(ctx, q, "awards WHERE id = ?", id)
				if err != nil {
					return err
				}
				if !ok {
					return stakhanov.FieldErrorf(fmt.Sprintf("rules.%s[%d]", refs.name, i), "award %d not found", id)
				}
			}
		}
		if c := a.Rules.Candidacy; c != nil && c.GoodID != 0 {
			if err := goodExists(ctx, q, c.GoodID, "rules.candidacy.good_id"); err != nil {
				return err
			}
		}
		for i, s := range a.Rules.Stages {
			seen := map[int64]bool{}
			named := make([]struct {
				id    int64
				field string
			}, 0, len(s.Members)+len(s.Substitutes))
			for j, m := range s.Members {
				named = append(named, struct {
					id    int64
					field string
				}{m, fmt.Sprintf("rules.stages[%d].members[%d]", i, j)})
			}
			for j, m := range s.Substitutes {
				named = append(named, struct {
					id    int64
					field string
				}{m, fmt.Sprintf("rules.stages[%d].substitutes[%d]", i, j)})
			}
			for _, nm := range named {
				m, field := nm.id, nm.field
				if seen[m] {
					return stakhanov.FieldErrorf(field, "user %d is named twice in the stage", m)
				}
				seen[m] = true
				var role string
				err := q.queryRow(ctx, `SELECT role FROM users WHERE id = ?`, m).Scan(&role)
				if err == sql.ErrNoRows {
					return stakhanov.FieldErrorf(field, "user %d not found", m)
				} else if err != nil {
					return err
				}
				if role != stakhanov.RoleCommittee {
					return stakhanov.FieldErrorf(field, "user %d is a %s, not a committee member", m, role)
				}
			}
		}
		insignia, err := json.Marshal(a.Insignia)
		if err != nil {
			return err
		}
		rules, err := json.Marshal(a.Rules)
		if err != nil {
			return err
		}
		a.CreatedAt, a.CreatedBy = db.now().UTC(), who.ID
		a.ID, err = q.insert(ctx, `INSERT INTO awards (name, kind, country, description, criteria, insignia, authority, established,
			established_by, abolished, abolished_by, predecessor_id, rules, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.Name, a.Kind, a.Country, a.Description, a.Criteria, string(insignia), a.Authority, a.Established,
			a.EstablishedBy, a.Abolished, a.AbolishedBy, nullID(a.PredecessorID), string(rules), a.CreatedAt, nullID(who.ID))
		if err != nil || a.Rules.Candidacy == nil {
			return err
		}
		return setBuild(ctx, q, a.ID, buildBuilding, 0, 0, db.now())
	})
	if err != nil || a.Rules.Candidacy == nil {
		return err
	}
	// Who qualifies is built in batches, each its own transaction, so that
	// writes go on meanwhile; until it is done the list says so.
	return db.BuildCandidacy(ctx, a.ID, nil)
}

func (db *DB) FindAwardByID(ctx context.Context, id int64) (*stakhanov.Award, error) {
	return findAward(ctx, db.reader(), id)
}

// FindAwards lists the catalogue in the order the awards were added.
func (db *DB) FindAwards(ctx context.Context, f stakhanov.AwardFilter) ([]*stakhanov.Award, int, error) {
	w := &where{}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	return list(ctx, db.reader(), awardColumns, "awards", w, "id", f.Page, func(r *sql.Rows) (*stakhanov.Award, error) { return scanAward(r) })
}

// allAwards reads the whole catalogue (it is small: tens of awards).
func allAwards(ctx context.Context, q querier) ([]*stakhanov.Award, error) {
	rows, err := q.query(ctx, "SELECT "+awardColumns+" FROM awards ORDER BY id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*stakhanov.Award
	for rows.Next() {
		a, err := scanAward(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// candidateExists checks that a candidate or recipient exists and returns
// its unit path.
func candidateExists(ctx context.Context, q querier, s stakhanov.Subject, field string) (string, error) {
	if s.IsZero() {
		return "", stakhanov.FieldErrorf(field, "%s is required (person:ID or unit:ID)", field)
	}
	_, path, err := subjectPath(ctx, q, s)
	if e, ok := err.(*stakhanov.Error); ok {
		c := *e
		c.Field = field
		return "", &c
	}
	return path, err
}
