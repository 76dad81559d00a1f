package stakhanov

import "context"

// UnitSettingsStore keeps each unit's choices about what its people see.
// Settings are append-only: a change is a new row, the latest in force.
type UnitSettingsStore interface {
	// SetUnitHidesRanks records whether a unit hides ranks (places on
	// leaderboards) from its people. An admin or planner may, for a unit
	// within its scope. The setting applies to the unit and to the units
	// under it that have no setting of their own (the nearest setting on
	// a unit's path wins): see Unit.HidesRanks.
	SetUnitHidesRanks(ctx context.Context, unitID int64, hide bool) error
}
