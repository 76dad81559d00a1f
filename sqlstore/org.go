package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/stakhanov/stakhanov"
)

// unitColumns select from the units table, unaliased (hidesRanksColumn
// refers to it by name).
const unitColumns = "id, COALESCE(parent_id, 0), kind, name, path, created_at, COALESCE(created_by, 0), " + hidesRanksColumn +
	", " + publishesShortagesColumn

func scanUnit(rows interface{ Scan(...any) error }) (*stakhanov.Unit, error) {
	u := &stakhanov.Unit{}
	err := rows.Scan(&u.ID, &u.ParentID, &u.Kind, &u.Name, &u.Path, &u.CreatedAt, &u.CreatedBy, &u.HidesRanks, &u.PublishesShortages)
	return u, err
}

func (db *DB) CreateUnit(ctx context.Context, u *stakhanov.Unit) error {
	who, err := actor(ctx, stakhanov.RoleAdmin)
	if err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		parentPath := "/"
		if u.ParentID != 0 {
			parent, err := findUnit(ctx, q, u.ParentID)
			if err != nil {
				return stakhanov.FieldErrorf("parent_id", "parent unit %d not found", u.ParentID)
			}
			parentPath = parent.Path
		}
		if err := requireScope(who, parentPath, "the parent unit"); err != nil {
			return err
		}
		u.CreatedAt, u.CreatedBy = db.now().UTC(), who.ID
		id, err := q.insert(ctx, `INSERT INTO units (parent_id, kind, name, path, created_at, created_by) VALUES (?, ?, ?, '', ?, ?)`,
			nullID(u.ParentID), u.Kind, u.Name, u.CreatedAt, nullID(who.ID))
		if err != nil {
			return err
		}
		u.ID, u.Path = id, stakhanov.UnitPath(parentPath, id)
		_, err = q.exec(ctx, `UPDATE units SET path = ? WHERE id = ?`, u.Path, id)
		return err
	})
}

func findUnit(ctx context.Context, q querier, id int64) (*stakhanov.Unit, error) {
	u, err := scanUnit(q.queryRow(ctx, "SELECT "+unitColumns+" FROM units WHERE id = ?", id))
	if err != nil {
		return nil, notFound("unit", id, err)
	}
	return u, nil
}

func (db *DB) FindUnitByID(ctx context.Context, id int64) (*stakhanov.Unit, error) {
	return findUnit(ctx, db.reader(), id)
}

func (db *DB) FindUnits(ctx context.Context, f stakhanov.UnitFilter) ([]*stakhanov.Unit, int, error) {
	w := &where{}
	if f.ParentID != nil {
		if *f.ParentID == 0 {
			w.add("parent_id IS NULL")
		} else {
			w.add("parent_id = ?", *f.ParentID)
		}
	}
	if f.Within != 0 {
		w.add("path LIKE (SELECT path FROM units WHERE id = ?) || '%'", f.Within)
	}
	if f.Kind != "" {
		w.add("kind = ?", f.Kind)
	}
	if f.PublishingShortages {
		w.add(publishesShortagesColumn)
	}
	if f.Name != "" {
		w.add(`LOWER(name) LIKE ? ESCAPE '\'`, "%"+escapeLike(strings.ToLower(f.Name))+"%")
	}
	return list(ctx, db.reader(), unitColumns, "units", w, "path", f.Page, func(r *sql.Rows) (*stakhanov.Unit, error) { return scanUnit(r) })
}

const personColumns = "p.id, p.unit_id, COALESCE(p.code, ''), p.name, p.profession, p.created_at, COALESCE(p.created_by, 0)"

func scanPerson(rows interface{ Scan(...any) error }) (*stakhanov.Person, error) {
	p := &stakhanov.Person{}
	err := rows.Scan(&p.ID, &p.UnitID, &p.Code, &p.Name, &p.Profession, &p.CreatedAt, &p.CreatedBy)
	return p, err
}

func (db *DB) CreatePerson(ctx context.Context, p *stakhanov.Person) error {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		unit, err := findUnit(ctx, q, p.UnitID)
		if err != nil {
			return stakhanov.FieldErrorf("unit_id", "unit %d not found", p.UnitID)
		}
		if err := requireScope(who, unit.Path, fmt.Sprintf("unit %d", unit.ID)); err != nil {
			return err
		}
		p.CreatedAt, p.CreatedBy = db.now().UTC(), who.ID
		p.ID, err = q.insert(ctx, `INSERT INTO people (unit_id, code, name, profession, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
			p.UnitID, nullString(p.Code), p.Name, p.Profession, p.CreatedAt, nullID(who.ID))
		if db.dialect.IsUniqueViolation(err) {
			return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "code", Message: fmt.Sprintf("personnel code %q is already used", p.Code)}
		}
		return err
	})
}

func (db *DB) FindPersonByID(ctx context.Context, id int64) (*stakhanov.Person, error) {
	p, err := scanPerson(db.reader().queryRow(ctx, "SELECT "+personColumns+" FROM people p WHERE p.id = ?", id))
	if err != nil {
		return nil, notFound("person", id, err)
	}
	return p, nil
}

func (db *DB) FindPeople(ctx context.Context, f stakhanov.PersonFilter) ([]*stakhanov.Person, int, error) {
	w := &where{}
	if f.UnitID != 0 {
		w.add("p.unit_id IN (SELECT id FROM units WHERE path LIKE (SELECT path FROM units WHERE id = ?) || '%')", f.UnitID)
	}
	if f.Name != "" {
		w.add(`LOWER(p.name) LIKE ? ESCAPE '\'`, "%"+escapeLike(strings.ToLower(f.Name))+"%")
	}
	return list(ctx, db.reader(), personColumns, "people p", w, "p.id", f.Page, func(r *sql.Rows) (*stakhanov.Person, error) { return scanPerson(r) })
}

const goodColumns = "id, name, measure, created_at, COALESCE(created_by, 0)"

func scanGood(rows interface{ Scan(...any) error }) (*stakhanov.Good, error) {
	g := &stakhanov.Good{}
	err := rows.Scan(&g.ID, &g.Name, &g.Measure, &g.CreatedAt, &g.CreatedBy)
	return g, err
}

func (db *DB) CreateGood(ctx context.Context, g *stakhanov.Good) error {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	g.CreatedAt, g.CreatedBy = db.now().UTC(), who.ID
	return db.inTx(ctx, func(q querier) error {
		g.ID, err = q.insert(ctx, `INSERT INTO goods (name, measure, created_at, created_by) VALUES (?, ?, ?, ?)`,
			g.Name, g.Measure, g.CreatedAt, nullID(who.ID))
		if db.dialect.IsUniqueViolation(err) {
			return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "name", Message: fmt.Sprintf("a good named %q exists", g.Name)}
		}
		return err
	})
}

func (db *DB) FindGoodByID(ctx context.Context, id int64) (*stakhanov.Good, error) {
	g, err := scanGood(db.reader().queryRow(ctx, "SELECT "+goodColumns+" FROM goods WHERE id = ?", id))
	if err != nil {
		return nil, notFound("good", id, err)
	}
	return g, nil
}

func (db *DB) FindGoods(ctx context.Context, f stakhanov.GoodFilter) ([]*stakhanov.Good, int, error) {
	w := &where{}
	if f.Name != "" {
		w.add("name = ?", f.Name)
	}
	return list(ctx, db.reader(), goodColumns, "goods", w, "id", f.Page, func(r *sql.Rows) (*stakhanov.Good, error) { return scanGood(r) })
}

// CreateUser adds an account. Only an admin (or the operator, as
// stakhanov.System) may, and only within its scope.
func (db *DB) CreateUser(ctx context.Context, u *stakhanov.User) error {
	who, err := actor(ctx, stakhanov.RoleAdmin)
	if err != nil {
		return err
	}
	if err := u.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		if u.UnitID != 0 {
			unit, err := findUnit(ctx, q, u.UnitID)
			if err != nil {
				return stakhanov.FieldErrorf("unit_id", "unit %d not found", u.UnitID)
			}
			u.ScopePath = unit.Path
		}
		// A scoped admin may create accounts only inside its own units.
		if who.UnitID != 0 && (u.UnitID == 0 || !who.Covers(u.ScopePath)) {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s may only create accounts within its units", who.Name)
		}
		if u.PersonID != 0 {
			var n int
			if err := q.queryRow(ctx, `SELECT COUNT(*) FROM people WHERE id = ?`, u.PersonID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return stakhanov.FieldErrorf("person_id", "person %d not found", u.PersonID)
			}
		}
		u.CreatedAt = db.now().UTC()
		u.ID, err = q.insert(ctx, `INSERT INTO users (name, role, unit_id, person_id, created_at) VALUES (?, ?, ?, ?, ?)`,
			u.Name, u.Role, nullID(u.UnitID), nullID(u.PersonID), u.CreatedAt)
		if db.dialect.IsUniqueViolation(err) {
			return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "name", Message: fmt.Sprintf("a user named %q exists", u.Name)}
		}
		return err
	})
}

const userColumns = "u.id, u.name, u.role, COALESCE(u.unit_id, 0), COALESCE(u.person_id, 0), u.created_at, COALESCE(s.path, ''), u.disabled"

func scanUser(row interface{ Scan(...any) error }, more ...any) (*stakhanov.User, error) {
	u := &stakhanov.User{}
	var disabled int
	err := row.Scan(append([]any{&u.ID, &u.Name, &u.Role, &u.UnitID, &u.PersonID, &u.CreatedAt, &u.ScopePath, &disabled}, more...)...)
	u.Disabled = disabled != 0
	return u, err
}

func (db *DB) FindUserByName(ctx context.Context, name string) (*stakhanov.User, error) {
	u, err := scanUser(db.reader().queryRow(ctx, "SELECT "+userColumns+" FROM users u LEFT JOIN units s ON s.id = u.unit_id WHERE u.name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, stakhanov.Errorf(stakhanov.ENOTFOUND, "user %q not found", name)
	}
	return u, err
}

// tokenPrefix marks Stakhanov tokens so that they are recognisable in logs
// and by secret scanners.
const tokenPrefix = "stk_"

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (db *DB) Authenticate(ctx context.Context, token string) (*stakhanov.User, error) {
	if !strings.HasPrefix(token, tokenPrefix) {
		return nil, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "the token is not a Stakhanov token")
	}
	var created time.Time
	var expires sql.NullTime
	var revoked int
	u, err := scanUser(db.reader().queryRow(ctx, "SELECT "+userColumns+`, t.created_at, t.expires_at,
		(SELECT COUNT(*) FROM token_revocations r WHERE r.token_id = t.id)
		FROM tokens t JOIN users u ON u.id = t.user_id LEFT JOIN units s ON s.id = u.unit_id WHERE t.hash = ?`, hashToken(token)),
		&created, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "the token is not valid")
	} else if err != nil {
		return nil, err
	}
	switch {
	case u.Disabled:
		return nil, stakhanov.ErrAccountDisabled(u.Name)
	case revoked > 0:
		return nil, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "the token was revoked: ask an admin for a new one")
	case !db.now().Before(tokenExpiry(created, expires)):
		return nil, stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "the token expired on %s: ask an admin for a new one", tokenExpiry(created, expires).UTC().Format("2006-01-02"))
	}
	return u, nil
}

// tokenExpiry is when a token stops working: as issued, or, for one
// issued before tokens had an expiry, the default lifetime after it was.
func tokenExpiry(created time.Time, expires sql.NullTime) time.Time {
	if expires.Valid {
		return expires.Time
	}
	return created.Add(stakhanov.DefaultTokenLifetime)
}

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}
