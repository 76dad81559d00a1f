package stakhanov

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Plan periods.
const (
	PlanMonth   = "month"
	PlanQuarter = "quarter"
	PlanYear    = "year"
)

// Plan is the output of a good that a collective or an enterprise is to
// deliver in a period: a month, a quarter or a year, a quarter's or a
// year's optionally phased by month. Versions are never changed: a new
// version for the same unit, good, period and start replaces the one in
// force, with who set it, when and why.
type Plan struct {
	ID       int64   `json:"id"`
	UnitID   int64   `json:"unit_id"`
	GoodID   int64   `json:"good_id"`
	Period   string  `json:"period"`
	Start    Date    `json:"start"`
	Quantity float64 `json:"quantity"`
	// Phases, if given, split Quantity by month: three for a quarter,
	// twelve for a year, adding up to it.
	Phases    []float64 `json:"phases,omitempty"`
	Reason    string    `json:"reason"`
	Version   int       `json:"version"`
	SetBy     int64     `json:"set_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Present is set by CreatePlan when the plan restates the version in
	// force (SameAs): nothing was written.
	Present bool `json:"-"`
}

// The years a plan may be for: the first five-year plans to well ahead.
const (
	MinPlanYear = 1900
	MaxPlanYear = 2200
)

// planMonths is how many months each plan period spans.
var planMonths = map[string]int{PlanMonth: 1, PlanQuarter: 3, PlanYear: 12}

// Months is how many months the plan's period spans.
func (p *Plan) Months() int { return planMonths[p.Period] }

// End is the last day of the plan's period.
func (p *Plan) End() Date {
	return NewDate(p.Start.Year(), p.Start.Month()+time.Month(p.Months()), 0)
}

// SameAs reports whether p restates o: the same unit, good, period and
// start, quantity, phases and reason.
func (p *Plan) SameAs(o *Plan) bool {
	if p.UnitID != o.UnitID || p.GoodID != o.GoodID || p.Period != o.Period || p.Start != o.Start ||
		p.Quantity != o.Quantity || p.Reason != o.Reason || len(p.Phases) != len(o.Phases) {
		return false
	}
	for i := range p.Phases {
		if p.Phases[i] != o.Phases[i] {
			return false
		}
	}
	return true
}

func (p *Plan) Validate() error {
	if p.UnitID <= 0 {
		return FieldErrorf("unit_id", "unit_id is required")
	}
	if p.GoodID <= 0 {
		return FieldErrorf("good_id", "good_id is required")
	}
	months, ok := planMonths[p.Period]
	if !ok {
		return FieldErrorf("period", "period %s is not one of month, quarter, year", ShortQuote(p.Period))
	}
	if p.Start.IsZero() {
		return FieldErrorf("start", "start is required (YYYY-MM-DD, the first day of the period)")
	}
	if y := p.Start.Year(); y < MinPlanYear || y > MaxPlanYear {
		return FieldErrorf("start", "start must be in the years %d to %d", MinPlanYear, MaxPlanYear)
	}
	if _, m, d := p.Start.Date(); d != 1 || (int(m)-1)%months != 0 {
		return FieldErrorf("start", "start %s is not the first day of a %s", p.Start, p.Period)
	}
	if !finite(p.Quantity) || !(p.Quantity > 0) {
		return FieldErrorf("quantity", "quantity must be a number greater than zero")
	}
	if p.Quantity > MaxQuantity {
		return FieldErrorf("quantity", "quantity must be at most %s", FormatQuantity(MaxQuantity))
	}
	if len(p.Phases) > 0 {
		if months == 1 {
			return FieldErrorf("phases", "a month's plan has no phases")
		}
		if len(p.Phases) != months {
			return FieldErrorf("phases", "a %s's plan is phased by its %d months: %d phases given", p.Period, months, len(p.Phases))
		}
		sum := 0.0
		for i, v := range p.Phases {
			if !finite(v) || v < 0 || v > MaxQuantity {
				return FieldErrorf(fmt.Sprintf("phases[%d]", i), "the phase of month %d must be a number from 0 to %s", i+1, FormatQuantity(MaxQuantity))
			}
			sum += v
		}
		if !nearSum(sum, p.Quantity) {
			return FieldErrorf("phases", "the phases add up to %s, not the quantity %s", FormatQuantity(sum), FormatQuantity(p.Quantity))
		}
	}
	if strings.TrimSpace(p.Reason) == "" {
		return FieldErrorf("reason", "reason is required: say why the plan is set")
	}
	return nil
}

// nearSum tells whether parts that add up to a and a whole b are the same
// figure but for rounding in the last digits.
func nearSum(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// PlanFilter selects the plans in force: of a unit, a good, a period, with
// a start from From to To.
type PlanFilter struct {
	UnitID int64
	// Within selects the plans of a unit's whole tree.
	Within   int64
	GoodID   int64
	Period   string
	From, To Date
	Page     Page
}

// PlanStanding is a plan in force beside what was done: the accepted
// output of its unit's whole tree in the period, month by month, and the
// plans of the units directly below for the same good and period (its
// cascade), with whether they add up to it.
type PlanStanding struct {
	Plan
	// Accepted counts accepted output only: what was produced and not
	// accepted does not fulfil a plan.
	Accepted float64  `json:"accepted"`
	Percent  *float64 `json:"percent"`
	// Late counts the late credits (PeriodClose) in Accepted.
	Late    int            `json:"late,omitempty"`
	ByMonth []PlanMonthRow `json:"by_month"`
	Parts   *PlanParts     `json:"parts,omitempty"`
}

// PlanMonthRow is one month of a plan: its phase, if phased, and the
// accepted output.
type PlanMonthRow struct {
	Start    Date     `json:"start"`
	Planned  *float64 `json:"planned"`
	Accepted float64  `json:"accepted"`
	// Late counts the late credits (PeriodClose) in Accepted.
	Late int `json:"late,omitempty"`
}

// PlanParts is a plan's cascade: the plans in force of the units directly
// below it for the same good, period and start.
type PlanParts struct {
	// Units are the units below, Planned those of them with a plan.
	Units    int     `json:"units"`
	Planned  int     `json:"planned"`
	Quantity float64 `json:"quantity"`
	// Difference is the whole's quantity less the parts'.
	Difference float64 `json:"difference"`
	AddsUp     bool    `json:"adds_up"`
	// Unplanned names the units below without a plan.
	Unplanned []string `json:"unplanned"`
}

// Stand fills in a standing's figures from the accepted output of each
// month of the plan (in order) and the quantities of its parts' plans.
func (s *PlanStanding) Stand(accepted []float64, late []int, units int, parts []float64, unplanned []string) {
	s.Accepted, s.Late, s.ByMonth = 0, 0, make([]PlanMonthRow, s.Months())
	for i := range s.ByMonth {
		row := PlanMonthRow{Start: NewDate(s.Start.Year(), s.Start.Month()+time.Month(i), 1)}
		if i < len(accepted) {
			row.Accepted = accepted[i]
		}
		if i < len(late) {
			row.Late = late[i]
		}
		s.Late += row.Late
		if len(s.Phases) == len(s.ByMonth) {
			v := s.Phases[i]
			row.Planned = &v
		}
		s.Accepted += row.Accepted
		s.ByMonth[i] = row
	}
	pct := s.Accepted / s.Quantity * 100
	s.Percent = &pct
	s.Parts = nil
	if units == 0 {
		return
	}
	p := &PlanParts{Units: units, Planned: len(parts), Unplanned: unplanned}
	if p.Unplanned == nil {
		p.Unplanned = []string{}
	}
	for _, q := range parts {
		p.Quantity += q
	}
	p.Difference = s.Quantity - p.Quantity
	// No parts at all is no cascade, not one that fails to add up.
	p.AddsUp = len(parts) == 0 || (len(unplanned) == 0 && nearSum(p.Quantity, s.Quantity))
	s.Parts = p
}
