package stakhanov

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// The ratchet: a norm raised after its subject overfulfilled it taught
// workers to hold back. The ratchet report measures it from the record:
// every raise of a norm under a unit, the subject's fulfilment in the
// months before it (under the old norm) and after it (under the new), and
// whether the raise followed an overfulfilment. It may find none.

// RatchetMonths is how many whole months before and after a raise the
// report measures.
const RatchetMonths = 3

// RatchetQuery asks for the raises of norms under a unit whose new
// versions took effect from From to To (default: the year holding today,
// whole months, at most ten years).
type RatchetQuery struct {
	UnitID   int64
	GoodID   int64
	From, To Date
}

func (q *RatchetQuery) Validate(today Date) error {
	if q.UnitID <= 0 {
		return FieldErrorf("unit", "unit is required")
	}
	return wholePeriods(&q.From, &q.To, 1, today)
}

// RatchetWindow is a subject's fulfilment over whole months.
type RatchetWindow struct {
	From   Date `json:"from"`
	To     Date `json:"to"`
	Shifts int  `json:"shifts"`
	// Percent is accepted output on normed shifts over the norm; nil with
	// no normed shift (or, after a raise, no month yet ended).
	Percent *float64 `json:"percent"`
}

// NormRaise is one raise of a norm: a version in force from its date
// with a higher amount than the version in force the day before.
type NormRaise struct {
	Subject        Subject   `json:"subject"`
	Name           string    `json:"name"`
	UnitID         int64     `json:"unit_id"`
	Unit           string    `json:"unit"`
	GoodID         int64     `json:"good_id"`
	Good           string    `json:"good"`
	PreviousAmount float64   `json:"previous_amount"`
	Amount         float64   `json:"amount"`
	EffectiveFrom  Date      `json:"effective_from"`
	SetAt          time.Time `json:"set_at"`
	Reason         string    `json:"reason"`
	// Raise is the new amount over the old, less one, in percent.
	Raise  float64       `json:"raise"`
	Before RatchetWindow `json:"before"`
	After  RatchetWindow `json:"after"`
	// AfterOverfulfilment: the months before had more accepted output
	// than the norm (Before.Percent above 100).
	AfterOverfulfilment bool `json:"after_overfulfilment"`
}

// RatchetUnit sums the raises of one unit's subjects.
type RatchetUnit struct {
	UnitID              int64  `json:"unit_id"`
	Unit                string `json:"unit"`
	Raises              int    `json:"raises"`
	AfterOverfulfilment int    `json:"after_overfulfilment"`
}

// RatchetReport is the raises found and their sums by unit.
type RatchetReport struct {
	From   Date          `json:"from"`
	To     Date          `json:"to"`
	Raises []NormRaise   `json:"raises"`
	Units  []RatchetUnit `json:"units"`
}

// RatchetWindows are the months a raise effective on d is measured over:
// the RatchetMonths whole months before d's month, and as many from the
// first whole month under the new norm.
func RatchetWindows(d Date) (before, after [2]Date) {
	m := d.FirstOfMonth()
	before = [2]Date{NewDate(m.Year(), m.Month()-RatchetMonths, 1), m.AddDays(-1)}
	first := m
	if d.Day() != 1 {
		first = NewDate(m.Year(), m.Month()+1, 1)
	}
	after = [2]Date{first, NewDate(first.Year(), first.Month()+RatchetMonths, 0)}
	return before, after
}

// Raises finds the raises among a subject's norm versions for one good
// (any order) that took effect from from to to: each version in force on
// its date (the latest of that date) whose amount is above that of the
// version in force the day before.
func Raises(versions []*Norm, from, to Date) []NormRaise {
	vs := slices.Clone(versions)
	slices.SortFunc(vs, func(a, b *Norm) int {
		return cmp.Or(a.EffectiveFrom.Compare(b.EffectiveFrom), cmp.Compare(a.Version, b.Version))
	})
	var out []NormRaise
	var prev *Norm // in force the day before vs[i]'s date
	for i, v := range vs {
		if i+1 < len(vs) && vs[i+1].EffectiveFrom == v.EffectiveFrom {
			continue // corrected the same day: not in force
		}
		if prev != nil && v.Amount > prev.Amount && !v.EffectiveFrom.Before(from) && !v.EffectiveFrom.After(to) {
			out = append(out, NormRaise{Subject: v.Subject, GoodID: v.GoodID, PreviousAmount: prev.Amount, Amount: v.Amount,
				EffectiveFrom: v.EffectiveFrom, SetAt: v.CreatedAt, Reason: v.Reason, Raise: (v.Amount/prev.Amount - 1) * 100})
		}
		prev = v
	}
	return out
}

// Judge marks whether the raise followed an overfulfilment.
func (r *NormRaise) Judge() {
	r.AfterOverfulfilment = r.Before.Percent != nil && *r.Before.Percent > 100
}

// SumRatchets sums judged raises by unit, the units in order of name.
func SumRatchets(raises []NormRaise) []RatchetUnit {
	by := map[int64]*RatchetUnit{}
	for _, r := range raises {
		u := by[r.UnitID]
		if u == nil {
			u = &RatchetUnit{UnitID: r.UnitID, Unit: r.Unit}
			by[r.UnitID] = u
		}
		u.Raises++
		if r.AfterOverfulfilment {
			u.AfterOverfulfilment++
		}
	}
	out := make([]RatchetUnit, 0, len(by))
	for _, u := range by {
		out = append(out, *u)
	}
	slices.SortFunc(out, func(a, b RatchetUnit) int {
		return cmp.Or(cmp.Compare(a.Unit, b.Unit), cmp.Compare(a.UnitID, b.UnitID))
	})
	return out
}

// RatchetStore reads the ratchet report.
type RatchetStore interface {
	Ratchets(ctx context.Context, q RatchetQuery) (*RatchetReport, error)
}
