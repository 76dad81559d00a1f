package stakhanov

import (
	"slices"
	"time"
)

// Storming is the rush at a month's end to make the plan: the Soviet
// factory that made 80 % of its quota in the last ten days. It is
// measured per enterprise, good and month, as the share of the month's
// accepted output accepted in its last third, against the enterprise's
// own earlier months and against its peers (the other enterprises of the
// same good) that month.

// StormingShare is the least share of a month's accepted output in its
// last third that counts as storming: an even month gives about a third.
const StormingShare = 0.5

// StormingMargin is how far above its own usual share and its peers' a
// month's must be to count as storming: an enterprise whose months all
// end heavy, or a trade whose every enterprise's do, is its pattern.
const StormingMargin = 0.15

// StormQuery asks for the storming of the enterprises under a unit (or
// the unit itself, if an enterprise), of one good or all, in the months
// holding From to To.
type StormQuery struct {
	UnitID   int64
	GoodID   int64
	From, To Date
}

// Validate checks a query and fills in its defaults: the year holding
// today, whole months, at most ten years.
func (q *StormQuery) Validate(today Date) error {
	if q.UnitID <= 0 {
		return FieldErrorf("unit", "unit is required")
	}
	return wholePeriods(&q.From, &q.To, 1, today)
}

// LastThird is the first day of a month's last third: the 21st of a
// month of 30 or 31 days, the 19th of February.
func LastThird(month Date) Date {
	days := NewDate(month.Year(), month.Month()+1, 0).Day()
	return NewDate(month.Year(), month.Month(), days*2/3+1)
}

// StormDay is one day's accepted output.
type StormDay struct {
	Date     Date    `json:"date"`
	Accepted float64 `json:"accepted"`
	// Late counts the late credits (PeriodClose) in Accepted.
	Late int `json:"late,omitempty"`
}

// StormingMonth is an enterprise's month of a good.
type StormingMonth struct {
	EnterpriseID int64   `json:"enterprise_id"`
	Enterprise   string  `json:"enterprise"`
	GoodID       int64   `json:"good_id"`
	Good         string  `json:"good"`
	Month        Date    `json:"month"`
	LastThird    Date    `json:"last_third_from"`
	Accepted     float64 `json:"accepted"`
	// Late counts the late credits (PeriodClose) in Accepted.
	Late int `json:"late,omitempty"`
	// InLastThird is what was accepted from LastThird on; Share its part
	// of Accepted.
	InLastThird float64 `json:"in_last_third"`
	Share       float64 `json:"share"`
	// OwnUsual is the median share of the enterprise's twelve months
	// before, PeersUsual that of the other enterprises of the good this
	// month; nil when there are none.
	OwnUsual   *float64 `json:"own_usual"`
	PeersUsual *float64 `json:"peers_usual"`
	Storming   bool     `json:"storming"`
	// Planned is the enterprise's plan in force for the month (a month's
	// plan, or its part of a quarter's or a year's), Percent the accepted
	// output's fulfilment of it: shown beside, as the rush was for it.
	Planned *float64   `json:"planned"`
	Percent *float64   `json:"percent"`
	Days    []StormDay `json:"days"`
}

// Judge works out the month's share from its days, and whether it storms
// against its own history and its peers' shares.
func (m *StormingMonth) Judge(history, peers []float64) {
	m.LastThird = LastThird(m.Month)
	m.Accepted, m.InLastThird = 0, 0
	for _, d := range m.Days {
		m.Accepted += d.Accepted
		if !d.Date.Before(m.LastThird) {
			m.InLastThird += d.Accepted
		}
	}
	m.Share = 0
	if m.Accepted > 0 {
		m.Share = m.InLastThird / m.Accepted
	}
	m.OwnUsual, m.PeersUsual = median(history), median(peers)
	m.Storming = m.Accepted > 0 && m.Share >= StormingShare &&
		(m.OwnUsual == nil || m.Share >= *m.OwnUsual+StormingMargin) &&
		(m.PeersUsual == nil || m.Share >= *m.PeersUsual+StormingMargin)
	m.Percent = nil
	if m.Planned != nil && *m.Planned > 0 {
		p := m.Accepted / *m.Planned * 100
		m.Percent = &p
	}
}

func median(v []float64) *float64 {
	if len(v) == 0 {
		return nil
	}
	s := slices.Clone(v)
	slices.Sort(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return &m
}

// monthsBefore is the first day of the month n months before month.
func monthsBefore(month Date, n int) Date {
	return NewDate(month.Year(), month.Month()-time.Month(n), 1)
}

// JudgeStorms judges every month given (by enterprise, good, month): each
// against the enterprise's twelve months before (those given, with output)
// and its peers' of the same good and month.
func JudgeStorms(months []*StormingMonth) {
	type eg struct{ enterprise, good int64 }
	// Each month's share and output alone first.
	alone := map[*StormingMonth]StormingMonth{}
	byEnterprise := map[eg][]*StormingMonth{}
	byGoodMonth := map[[2]int64][]*StormingMonth{}
	for _, m := range months {
		c := *m
		c.Judge(nil, nil)
		alone[m] = c
		byEnterprise[eg{m.EnterpriseID, m.GoodID}] = append(byEnterprise[eg{m.EnterpriseID, m.GoodID}], m)
		k := [2]int64{m.GoodID, int64(m.Month.DaysSince(Date{}))}
		byGoodMonth[k] = append(byGoodMonth[k], m)
	}
	for _, m := range months {
		var history, peers []float64
		for _, o := range byEnterprise[eg{m.EnterpriseID, m.GoodID}] {
			if o.Month.Before(m.Month) && !o.Month.Before(monthsBefore(m.Month, 12)) && alone[o].Accepted > 0 {
				history = append(history, alone[o].Share)
			}
		}
		for _, o := range byGoodMonth[[2]int64{m.GoodID, int64(m.Month.DaysSince(Date{}))}] {
			if o.EnterpriseID != m.EnterpriseID && alone[o].Accepted > 0 {
				peers = append(peers, alone[o].Share)
			}
		}
		m.Judge(history, peers)
	}
}
