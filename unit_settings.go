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
	// SetUnitPublishesShortages records whether a ministry publishes its
	// shortages on the public page (admin or planner, in scope); only a
	// ministry chooses, for itself.
	SetUnitPublishesShortages(ctx context.Context, unitID int64, publish bool) error
}

// PublicShortages answers the public page of a ministry's shortages: only
// for a ministry that publishes them (Unit.PublishesShortages); any other
// unit is not found, as if it had none, so that the page says nothing of
// what a ministry keeps to itself.
func PublicShortages(ctx context.Context, s Store, q ShortageQuery) (*Unit, []*Shortage, error) {
	if q.UnitID <= 0 {
		return nil, nil, FieldErrorf("unit", "unit is required")
	}
	unit, err := s.FindUnitByID(ctx, q.UnitID)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, nil, err
	}
	if err != nil || !unit.PublishesShortages {
		return nil, nil, Errorf(ENOTFOUND, "unit %d publishes no shortages", q.UnitID)
	}
	rows, err := s.Shortages(ctx, q)
	return unit, rows, err
}
