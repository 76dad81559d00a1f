package sqlstore

import (
	"context"

	"github.com/stakhanov/stakhanov"
)

// Unit settings (migration 0007, table unit_settings) are append-only: a
// change is a new row numbered per unit by seq, and the row with the
// highest seq is in force.
//
// A unit's HidesRanks comes from the nearest unit on its path that has a
// setting: its own, else its parent's, and so on up; with none, ranks are
// shown. So a ministry may hide ranks everywhere under it and a brigade
// may still choose to show its own.

// hidesRanksColumn computes Unit.HidesRanks for the row of the units table
// in the enclosing query (which must name it "units", unaliased). Paths
// are digits and slashes, so LIKE on them needs no escaping. The settings
// come first (CROSS JOIN keeps that order in SQLite): they are few, and
// with the units first each unit read every unit (1.3 s for the 3,767
// units of a whole tree's leaderboard).
const hidesRanksColumn = `COALESCE((SELECT s.hide_ranks FROM unit_settings s CROSS JOIN units a
	WHERE a.id = s.unit_id AND units.path LIKE a.path || '%' ORDER BY LENGTH(a.path) DESC, s.seq DESC LIMIT 1), FALSE)`

// SetUnitHidesRanks adds a setting for the unit; the latest is in force.
func (db *DB) SetUnitHidesRanks(ctx context.Context, unitID int64, hide bool) error {
	return db.appendSetting(ctx, unitID, "unit_settings", "hide_ranks", hide, nil)
}

// appendSetting adds a unit's choice, the next row by seq of table (its
// value in column), as an admin or a planner in scope; check, if not nil,
// refuses a unit that may not make the choice.
func (db *DB) appendSetting(ctx context.Context, unitID int64, table, column string, value bool, check func(*stakhanov.Unit) error) error {
	who, err := actor(ctx, stakhanov.RoleAdmin, stakhanov.RolePlanner)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(q querier) error {
		unit, err := findUnit(ctx, q, unitID)
		if err != nil {
			return err
		}
		if err := requireScope(who, unit.Path, unit.Name); err != nil {
			return err
		}
		if check != nil {
			if err := check(unit); err != nil {
				return err
			}
		}
		var seq int64
		if err := q.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM `+table+` WHERE unit_id = ?`, unitID).Scan(&seq); err != nil {
			return err
		}
		_, err = q.exec(ctx, `INSERT INTO `+table+` (unit_id, seq, `+column+`, set_by, set_at) VALUES (?, ?, ?, ?, ?)`,
			unitID, seq, value, nullID(who.ID), db.now().UTC())
		if db.dialect.IsUniqueViolation(err) {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "the choices of %s were changed at the same moment; try again", unit.Name)
		}
		return err
	})
}

// publishesShortagesColumn computes Unit.PublishesShortages for the row
// of the units table in the enclosing query: the unit's own latest choice.
const publishesShortagesColumn = `COALESCE((SELECT p.publish FROM shortage_publications p WHERE p.unit_id = units.id
	ORDER BY p.seq DESC LIMIT 1), FALSE)`

// SetUnitPublishesShortages adds a ministry's choice to publish its
// shortages, or to stop; the latest is in force.
func (db *DB) SetUnitPublishesShortages(ctx context.Context, unitID int64, publish bool) error {
	return db.appendSetting(ctx, unitID, "shortage_publications", "publish", publish, func(unit *stakhanov.Unit) error {
		if unit.Kind != stakhanov.UnitMinistry {
			return stakhanov.FieldErrorf("publish_shortages", "%s is a %s: a ministry chooses whether its shortages are published", unit.Name, unit.Kind)
		}
		return nil
	})
}
