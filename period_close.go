package stakhanov

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// PeriodClose closes a month for a unit's tree: every subject's fulfilment
// in it, as the state holds it at that moment, is kept as the month's final
// figures (PeriodResult), whether or not anyone ever looks at them. After
// it, a report for the month is accepted only as a late correction: it
// says so (Report.Late), with a note saying why, and every figure that
// includes it counts it (FulfilmentRow.Late). Closes are never undone.
type PeriodClose struct {
	ID     int64  `json:"id"`
	UnitID int64  `json:"unit_id"`
	Unit   string `json:"unit,omitempty"`
	// Month is the month's first day.
	Month    Date      `json:"month"`
	Reason   string    `json:"reason"`
	ClosedBy int64     `json:"closed_by,omitempty"`
	ClosedAt time.Time `json:"closed_at"`
	// Results counts the final figures the close kept.
	Results int `json:"results"`
}

// MaxReasonLength bounds the reason of a close.
const MaxReasonLength = 1000

// Validate checks a close on its own: a whole month that has ended by
// today.
func (c *PeriodClose) Validate(today Date) error {
	if c.UnitID <= 0 {
		return FieldErrorf("unit_id", "unit_id is required")
	}
	if c.Month.IsZero() {
		return FieldErrorf("month", "month is required (its first day, YYYY-MM-01)")
	}
	if c.Month.Day() != 1 {
		return FieldErrorf("month", "month must be given by its first day (%s), not %s", c.Month.FirstOfMonth(), c.Month)
	}
	if y := c.Month.Year(); y < MinPlanYear || y > MaxPlanYear {
		return FieldErrorf("month", "month must be in a year from %d to %d", MinPlanYear, MaxPlanYear)
	}
	if end := NewDate(c.Month.Year(), c.Month.Month()+1, 1).AddDays(-1); !end.Before(today) {
		return FieldErrorf("month", "%s ends on %s: a month can be closed once it has ended", MonthName(c.Month), end)
	}
	c.Reason = strings.TrimSpace(c.Reason)
	if c.Reason == "" {
		return FieldErrorf("reason", "reason is required: say why the month is closed (e.g. the monthly accounts are done)")
	}
	if len(c.Reason) > MaxReasonLength {
		return FieldErrorf("reason", "reason is longer than %d characters", MaxReasonLength)
	}
	return nil
}

// ParseMonth reads a month written YYYY-MM, or YYYY-MM-DD by a day in
// it (Validate then asks for its first day).
func ParseMonth(s string) (Date, error) {
	if len(s) == len("2006-01") {
		t, err := time.Parse("2006-01", s)
		if err != nil {
			return Date{}, fmt.Errorf("%s is not a month of the form YYYY-MM", ShortQuote(s))
		}
		return DateOf(t), nil
	}
	d, err := ParseDate(s)
	if err != nil {
		return Date{}, fmt.Errorf("%s is not a month of the form YYYY-MM", ShortQuote(s))
	}
	return d, nil
}

// CanReadResults decides who reads a close's final figures, which name
// people: those who oversee the closed unit (admins, planners, auditors
// and foremen whose scope covers it).
func CanReadResults(u *User, unit *Unit) error {
	if u == nil {
		return Errorf(EUNAUTHORIZED, "sign in to read final figures")
	}
	switch u.Role {
	case RoleAdmin, RolePlanner, RoleAuditor, RoleForeman:
	default:
		return Errorf(EFORBIDDEN, "a %s may not read the final figures of %s, which name its people", u.Role, unit.Name)
	}
	if !u.Covers(unit.Path) {
		return Errorf(EFORBIDDEN, "%s is outside %s's units", unit.Name, u.Name)
	}
	return nil
}

// PeriodResults reads a page of a close's final figures for the
// context's user, who must oversee the closed unit (CanReadResults): the
// one rule the API and the planner's page both call.
func PeriodResults(ctx context.Context, s Store, closeID int64, p Page) (*PeriodClose, []*PeriodResult, int, error) {
	c, err := s.FindPeriodCloseByID(ctx, closeID)
	if err != nil {
		return nil, nil, 0, err
	}
	unit, err := s.FindUnitByID(ctx, c.UnitID)
	if err != nil {
		return nil, nil, 0, err
	}
	if err := CanReadResults(UserFromContext(ctx), unit); err != nil {
		return nil, nil, 0, err
	}
	results, total, err := s.FindPeriodResults(ctx, closeID, p)
	return c, results, total, err
}

// MonthName writes a month as a person reads it: "September 1935".
func MonthName(d Date) string {
	return fmt.Sprintf("%s %d", d.Month(), d.Year())
}

// PeriodResult is one subject's final figures for one good in a closed
// month.
type PeriodResult struct {
	CloseID    int64         `json:"close_id"`
	Subject    Subject       `json:"subject"`
	Name       string        `json:"name"`
	Fulfilment FulfilmentRow `json:"fulfilment"`
}

// PeriodCloseFilter selects closes: of a unit's tree (closes of the unit,
// its ancestors and the units under it), in a month.
type PeriodCloseFilter struct {
	UnitID int64
	Month  Date
	Page   Page
}

// ClosedMonth tells a report writer that its month is closed.
func ClosedMonth(field string, c *PeriodClose) error {
	return &Error{Code: ECONFLICT, Field: field, Message: fmt.Sprintf(
		"%s is closed for %s (closed %s): a report for it is accepted only as a late correction, marked late, with a note saying why",
		MonthName(c.Month), c.Unit, c.ClosedAt.Format("2006-01-02"))}
}

// PeriodCloseStore keeps the closes of months.
type PeriodCloseStore interface {
	// ClosePeriod closes a month for a unit's tree (admin or planner, in
	// scope) and keeps every subject's figures for it. A month already
	// closed for the unit or a unit above it is a conflict.
	ClosePeriod(ctx context.Context, c *PeriodClose) error
	FindPeriodCloses(ctx context.Context, f PeriodCloseFilter) ([]*PeriodClose, int, error)
	FindPeriodCloseByID(ctx context.Context, id int64) (*PeriodClose, error)
	// FindPeriodResults lists a close's final figures, by subject and good.
	FindPeriodResults(ctx context.Context, closeID int64, p Page) ([]*PeriodResult, int, error)
}
