package stakhanov

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
)

// Periods over which fulfilment is reported.
const (
	PeriodShift = "shift"
	PeriodWeek  = "week"
	PeriodMonth = "month"
	PeriodYear  = "year"
)

// PeriodOf returns the label and bounds of the period that holds a shift.
func PeriodOf(period string, d Date, shift int) (label string, from, to Date, err error) {
	switch period {
	case PeriodShift:
		// Without fmt: candidacy labels sixty shifts a subject.
		b := append(d.appendText(make([]byte, 0, 16)), '/')
		return string(strconv.AppendInt(b, int64(shift), 10)), d, d, nil
	case PeriodWeek:
		y, w := d.ISOWeek()
		wd := int(d.Weekday()+6) % 7 // Monday is 0
		from = d.AddDays(-wd)
		return fmt.Sprintf("%04d-W%02d", y, w), from, from.AddDays(6), nil
	case PeriodMonth:
		from = NewDate(d.Year(), d.Month(), 1)
		return fmt.Sprintf("%04d-%02d", d.Year(), int(d.Month())), from, NewDate(d.Year(), d.Month()+1, 0), nil
	case PeriodYear:
		return fmt.Sprintf("%04d", d.Year()), NewDate(d.Year(), 1, 1), NewDate(d.Year(), 12, 31), nil
	}
	return "", Date{}, Date{}, FieldErrorf("period", "period %q is not one of shift, week, month, year", period)
}

// NormIndex finds the norm in force for a subject and good on a date.
type NormIndex struct {
	versions map[normKey][]*Norm
}

type normKey struct {
	subject Subject
	good    int64
}

// NewNormIndex indexes norm versions.
func NewNormIndex(norms []*Norm) *NormIndex {
	idx := &NormIndex{versions: map[normKey][]*Norm{}}
	for _, n := range norms {
		k := normKey{n.Subject, n.GoodID}
		idx.versions[k] = append(idx.versions[k], n)
	}
	for _, vs := range idx.versions {
		sort.Slice(vs, func(i, j int) bool {
			if c := vs[i].EffectiveFrom.Compare(vs[j].EffectiveFrom); c != 0 {
				return c < 0
			}
			return vs[i].Version < vs[j].Version
		})
	}
	return idx
}

// Any reports whether the index holds any norm version.
func (idx *NormIndex) Any() bool { return len(idx.versions) > 0 }

// InForce returns the norm in force on d, or nil. Among versions effective
// the same day, the latest version wins.
func (idx *NormIndex) InForce(s Subject, good int64, d Date) *Norm {
	vs := idx.versions[normKey{s, good}]
	i := sort.Search(len(vs), func(i int) bool { return vs[i].EffectiveFrom.After(d) })
	if i == 0 {
		return nil
	}
	return vs[i-1]
}

// FulfilmentRow is the fulfilment of one subject for one good in one period.
type FulfilmentRow struct {
	Period string `json:"period"`
	From   Date   `json:"from"`
	To     Date   `json:"to"`
	GoodID int64  `json:"good_id"`
	// Shifts counts the shifts worked; ShiftsWithoutNorm those with no norm
	// in force, which are left out of Norm and Percent.
	Shifts            int     `json:"shifts"`
	ShiftsWithoutNorm int     `json:"shifts_without_norm,omitempty"`
	Produced          float64 `json:"produced"`
	Accepted          float64 `json:"accepted"`
	Norm              float64 `json:"norm"`
	// Percent is accepted output on normed shifts over the norm, in percent.
	Percent *float64 `json:"percent"`
	// Held is the part of Accepted from flagged reports awaiting
	// verification: counted here, left out of candidacy until verified.
	Held float64 `json:"held,omitempty"`
	// Late counts the credits from late reports (written after their
	// month was closed) in the figures: a row with any is shown as
	// including late corrections.
	Late int `json:"late,omitempty"`
}

// Fulfilment is a subject's fulfilment over a period.
type Fulfilment struct {
	Subject Subject         `json:"subject"`
	Period  string          `json:"period"`
	From    Date            `json:"from"`
	To      Date            `json:"to"`
	Rows    []FulfilmentRow `json:"rows"`
}

// FulfilmentQuery asks for a subject's fulfilment.
type FulfilmentQuery struct {
	Subject Subject
	GoodID  int64
	Period  string
	From    Date
	To      Date
	// VerifiedOnly leaves out flagged reports not yet verified, as
	// candidacy does. Rejected reports are always left out.
	VerifiedOnly bool
}

// Validate checks a query and fills in its default period (shift); the
// state's answer and the recomputation both call it.
func (q *FulfilmentQuery) Validate() error {
	if q.Subject.IsZero() {
		return FieldErrorf("subject", "subject is required (person:ID or unit:ID)")
	}
	if q.Period == "" {
		q.Period = PeriodShift
	}
	if _, _, _, err := PeriodOf(q.Period, NewDate(2000, 1, 1), 1); err != nil {
		return err
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return FieldErrorf("to", "to is before from")
	}
	return nil
}

// RecomputeFulfilment reads the credits and norms a query needs from the store
// and works out fulfilment per period: what the rolling state (Store's
// Fulfilment) must answer, computed from the reports, for `state verify`
// and the tests.
func RecomputeFulfilment(ctx context.Context, s Store, q FulfilmentQuery) (*Fulfilment, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	credits, err := s.Credits(ctx, CreditFilter{Subject: q.Subject, Members: true, GoodID: q.GoodID, From: q.From, To: q.To})
	if err != nil {
		return nil, err
	}
	if q.VerifiedOnly {
		credits = slices.DeleteFunc(credits, func(c Credit) bool { return c.Held })
	}
	subjects := map[Subject]bool{q.Subject: true}
	for _, c := range credits {
		subjects[c.Subject] = true
	}
	var norms []*Norm
	for sub := range subjects {
		ns, err := All(func(p Page) ([]*Norm, int, error) {
			return s.FindNorms(ctx, NormFilter{Subject: sub, GoodID: q.GoodID, Page: p})
		})
		if err != nil {
			return nil, err
		}
		norms = append(norms, ns...)
	}
	rows, err := FulfilmentRows(q.Subject, q.Period, credits, NewNormIndex(norms))
	if err != nil {
		return nil, err
	}
	return &Fulfilment{Subject: q.Subject, Period: q.Period, From: q.From, To: q.To, Rows: rows}, nil
}

// FulfilmentRows groups credits into shifts and shifts into periods.
//
// A shift's norm is the subject's norm in force that day. For a collective
// with no norm of its own, it is the sum of the norms of the members who
// worked that shift.
func FulfilmentRows(subject Subject, period string, credits []Credit, norms *NormIndex) ([]FulfilmentRow, error) {
	type shiftKey struct {
		date  Date
		shift int
		good  int64
	}
	type shiftTotal struct {
		produced, accepted, held float64
		late                     int
		members                  map[Subject]bool
	}
	shifts := map[shiftKey]*shiftTotal{}
	var order []shiftKey
	for _, c := range credits {
		k := shiftKey{c.Date, c.Shift, c.GoodID}
		t := shifts[k]
		if t == nil {
			t = &shiftTotal{members: map[Subject]bool{}}
			shifts[k] = t
			order = append(order, k)
		}
		t.produced += c.Produced * c.Share
		t.accepted += c.Accepted * c.Share
		if c.Held {
			t.held += c.Accepted * c.Share
		}
		if c.Late {
			t.late++
		}
		t.members[c.Subject] = true
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if c := a.date.Compare(b.date); c != 0 {
			return c < 0
		}
		if a.shift != b.shift {
			return a.shift < b.shift
		}
		return a.good < b.good
	})

	type periodKey struct {
		label string
		good  int64
	}
	rows := map[periodKey]*FulfilmentRow{}
	normedAccepted := map[periodKey]float64{}
	var out []periodKey
	for _, k := range order {
		t := shifts[k]
		label, from, to, err := PeriodOf(period, k.date, k.shift)
		if err != nil {
			return nil, err
		}
		pk := periodKey{label, k.good}
		row := rows[pk]
		if row == nil {
			row = &FulfilmentRow{Period: label, From: from, To: to, GoodID: k.good}
			rows[pk] = row
			out = append(out, pk)
		}
		row.Shifts++
		row.Produced += t.produced
		row.Accepted += t.accepted
		row.Held += t.held
		row.Late += t.late
		norm, ok := shiftNorm(subject, k.good, k.date, t.members, norms)
		if !ok {
			row.ShiftsWithoutNorm++
			continue
		}
		row.Norm += norm
		normedAccepted[pk] += t.accepted
	}
	result := make([]FulfilmentRow, 0, len(out))
	for _, pk := range out {
		row := rows[pk]
		if row.Norm > 0 {
			p := normedAccepted[pk] / row.Norm * 100
			row.Percent = &p
		}
		result = append(result, *row)
	}
	return result, nil
}

func shiftNorm(subject Subject, good int64, d Date, members map[Subject]bool, norms *NormIndex) (float64, bool) {
	if n := norms.InForce(subject, good, d); n != nil {
		return n.Amount, true
	}
	if subject.Kind != SubjectUnit {
		return 0, false
	}
	total, found := 0.0, false
	for m := range members {
		if n := norms.InForce(m, good, d); n != nil {
			total += n.Amount
			found = true
		}
	}
	return total, found
}

// ReportFulfilment is one report measured against the norm in force on its
// date.
type ReportFulfilment struct {
	ReportID int64   `json:"report_id"`
	NormID   int64   `json:"norm_id,omitempty"`
	Norm     float64 `json:"norm,omitempty"`
	Produced float64 `json:"produced"`
	Accepted float64 `json:"accepted"`
	// Team is the subject and its helpers; Credited is the subject's share
	// of the accepted output.
	Team     int     `json:"team"`
	Credited float64 `json:"credited"`
	// Percent is the credited output over the norm; ReportedPercent is the
	// whole report's accepted output over the norm, as a record would have
	// been claimed without the helpers.
	Percent         *float64 `json:"percent"`
	ReportedPercent *float64 `json:"reported_percent"`
	Superseded      bool     `json:"superseded,omitempty"`
}

// ComputeReportFulfilment measures one report against its norm.
func ComputeReportFulfilment(ctx context.Context, s Store, r *Report) (*ReportFulfilment, error) {
	norms, _, err := s.FindNorms(ctx, NormFilter{Subject: r.Subject, GoodID: r.GoodID, InForceOn: r.Date, Page: Page{Limit: 1}})
	if err != nil {
		return nil, err
	}
	f := &ReportFulfilment{
		ReportID: r.ID, Produced: r.Produced, Accepted: r.Accepted,
		Team: len(r.Helpers) + 1, Credited: r.Accepted * r.SubjectShare,
		Superseded: r.SupersededBy != 0,
	}
	if len(norms) == 1 {
		n := norms[0]
		f.NormID, f.Norm = n.ID, n.Amount
		p, rp := f.Credited/n.Amount*100, r.Accepted/n.Amount*100
		f.Percent, f.ReportedPercent = &p, &rp
	}
	return f, nil
}
