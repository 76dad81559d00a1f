package stakhanov

import (
	"strings"
	"time"
)

// ShortageQuery asks for a unit's needs against its output: of one good
// or all, by month, quarter or year, over the periods holding From to To.
type ShortageQuery struct {
	UnitID   int64
	GoodID   int64
	Period   string
	From, To Date
}

// Validate checks a query and fills in its defaults: by month, over the
// year holding today.
func (q *ShortageQuery) Validate(today Date) error {
	if q.UnitID <= 0 {
		return FieldErrorf("unit", "unit is required")
	}
	return q.ValidateWindow(today)
}

// ValidateWindow checks and fills in the query's period and dates alone:
// for a page that names its units itself.
func (q *ShortageQuery) ValidateWindow(today Date) error {
	if q.Period == "" {
		q.Period = PlanMonth
	}
	months, ok := planMonths[q.Period]
	if !ok {
		return FieldErrorf("period", "period %s is not one of month, quarter, year", ShortQuote(q.Period))
	}
	return wholePeriods(&q.From, &q.To, months, today)
}

// wholePeriods fills in a window of dates (default: the year holding
// today, from 1 January), widens it to whole periods of so many months
// and bounds it to ten years.
func wholePeriods(from, to *Date, months int, today Date) error {
	if from.IsZero() {
		*from = NewDate(today.Year(), 1, 1)
	}
	if to.IsZero() {
		*to = NewDate(from.Year(), 12, 31)
	}
	if to.Before(*from) {
		return FieldErrorf("to", "to is before from")
	}
	y, m, _ := from.Date()
	*from = NewDate(y, m-time.Month((int(m)-1)%months), 1)
	y, m, _ = to.Date()
	*to = NewDate(y, m-time.Month((int(m)-1)%months)+time.Month(months), 0)
	if n := (to.Year()-from.Year())*12 + int(to.Month()) - int(from.Month()) + 1; n > 120 {
		return FieldErrorf("to", "at most ten years at a time: %d months asked", n)
	}
	return nil
}

// Periods are the query's periods, first days and last.
func (q *ShortageQuery) Periods() [][2]Date {
	var out [][2]Date
	months := planMonths[q.Period]
	for d := q.From; !d.After(q.To); d = NewDate(d.Year(), d.Month()+time.Month(months), 1) {
		out = append(out, [2]Date{d, NewDate(d.Year(), d.Month()+time.Month(months), 0)})
	}
	return out
}

// Shortage is one good in one period for a unit's whole tree: what its
// units need, what is planned, what was produced and what of it was
// accepted.
type Shortage struct {
	GoodID   int64   `json:"good_id"`
	Good     string  `json:"good"`
	Measure  string  `json:"measure"`
	Period   string  `json:"period"`
	From     Date    `json:"from"`
	To       Date    `json:"to"`
	Needed   float64 `json:"needed"`
	Planned  float64 `json:"planned"`
	Produced float64 `json:"produced"`
	Accepted float64 `json:"accepted"`
	// Late counts the late credits (PeriodClose) in Produced and Accepted.
	Late int `json:"late,omitempty"`
	// Shortage is what was needed and not accepted; Surplus what was
	// accepted beyond the need; QualityLoss what was produced and not
	// accepted.
	Shortage    float64 `json:"shortage"`
	Surplus     float64 `json:"surplus"`
	QualityLoss float64 `json:"quality_loss"`
}

// Figure works out the shortage, the surplus and the quality loss.
func (s *Shortage) Figure() {
	s.Shortage = max(0, s.Needed-s.Accepted)
	s.Surplus = max(0, s.Accepted-s.Needed)
	s.QualityLoss = max(0, s.Produced-s.Accepted)
}

// NeedIn is the part of a need that falls in the days from to to: its
// quantity spread evenly over its days.
func (n *Need) NeedIn(from, to Date) float64 {
	start, end := n.From, n.To
	if start.Before(from) {
		start = from
	}
	if end.After(to) {
		end = to
	}
	if end.Before(start) {
		return 0
	}
	return n.Quantity * float64(end.DaysSince(start)+1) / float64(n.To.DaysSince(n.From)+1)
}

// PlannedIn is what a plan plans for the days from to to, which are whole
// months: its phases for them, or its quantity spread evenly over its
// months.
func (p *Plan) PlannedIn(from, to Date) float64 {
	sum := 0.0
	for i := 0; i < p.Months(); i++ {
		m := NewDate(p.Start.Year(), p.Start.Month()+time.Month(i), 1)
		if m.Before(from) || m.After(to) {
			continue
		}
		if len(p.Phases) == p.Months() {
			sum += p.Phases[i]
		} else {
			sum += p.Quantity / float64(p.Months())
		}
	}
	return sum
}

// TopPlans keeps, of plans of units in one tree for one good (with each
// unit's path), those of units with no plan above them: a cascade's parts
// are the whole again, and counted once.
func TopPlans(plans []*Plan, paths map[int64]string) []*Plan {
	var out []*Plan
	for _, p := range plans {
		top := true
		for _, o := range plans {
			if o.UnitID != p.UnitID && o.GoodID == p.GoodID && overlaps(o, p) &&
				strings.HasPrefix(paths[p.UnitID], paths[o.UnitID]) {
				top = false
				break
			}
		}
		if top {
			out = append(out, p)
		}
	}
	return out
}

func overlaps(a, b *Plan) bool { return !a.End().Before(b.Start) && !b.End().Before(a.Start) }
