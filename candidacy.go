package stakhanov

import (
	"context"
	"fmt"
	"sort"
)

// Evaluate applies the rule to a subject's shift fulfilment (rows of period
// "shift", in date order). today bounds period_total to complete periods.
func (r *CandidacyRule) Evaluate(shifts []FulfilmentRow, today Date) (met, considered int, evidence []FulfilmentRow, ok bool) {
	var normed []FulfilmentRow
	for _, row := range shifts {
		if row.Percent != nil {
			normed = append(normed, row)
		}
	}
	atOrAbove := func(row FulfilmentRow) bool { return row.Percent != nil && *row.Percent >= r.Percent }
	switch r.Kind {
	case RuleKOfN, RuleStreak:
		n := r.N
		if r.Kind == RuleStreak {
			n = r.Length
		}
		if len(normed) > n {
			normed = normed[len(normed)-n:]
		}
		for _, row := range normed {
			if atOrAbove(row) {
				met++
			}
		}
		considered = len(normed)
		if r.Kind == RuleKOfN {
			ok = met >= r.K
		} else {
			ok = considered == r.Length && met == r.Length
		}
		return met, considered, normed, ok
	case RulePeriodTotal:
		periods, err := FulfilmentRowsByPeriod(normed, r.Period)
		if err != nil {
			return 0, 0, nil, false
		}
		current, _, _, _ := PeriodOf(r.Period, today, 1)
		for i := len(periods) - 1; i >= 0; i-- {
			p := periods[i]
			if p.Period == current || p.To.After(today) {
				continue // not complete yet
			}
			considered = 1
			if atOrAbove(p) {
				met = 1
			}
			return met, considered, []FulfilmentRow{p}, met == 1
		}
	}
	return 0, 0, nil, false
}

// FulfilmentRowsByPeriod adds shift rows up into longer periods.
func FulfilmentRowsByPeriod(shifts []FulfilmentRow, period string) ([]FulfilmentRow, error) {
	var out []FulfilmentRow
	index := map[string]int{}
	for _, s := range shifts {
		label, from, to, err := PeriodOf(period, s.From, 1)
		if err != nil {
			return nil, err
		}
		i, seen := index[label]
		if !seen {
			i = len(out)
			index[label] = i
			out = append(out, FulfilmentRow{Period: label, From: from, To: to, GoodID: s.GoodID})
		}
		p := &out[i]
		p.Shifts += s.Shifts
		p.ShiftsWithoutNorm += s.ShiftsWithoutNorm
		p.Produced += s.Produced
		p.Accepted += s.Accepted
		p.Held += s.Held
		p.Norm += s.Norm
		if p.Norm > 0 {
			pct := p.Accepted / p.Norm * 100
			p.Percent = &pct
		}
	}
	return out, nil
}

// RecomputeCandidates lists who meets an award's candidacy rule on today's
// data, with the evidence. Flagged reports not yet verified are left out. Subjects considered are those with a norm for
// the rule's good.
//
// It reads each subject's shifts: it is what the rolling state (Store's
// Candidates) must answer, for `state verify` and the tests.
func RecomputeCandidates(ctx context.Context, s Store, a *Award, today Date) ([]Candidate, error) {
	rule := a.Rules.Candidacy
	if rule == nil {
		return []Candidate{}, nil
	}
	norms, err := All(func(p Page) ([]*Norm, int, error) { return s.FindNorms(ctx, NormFilter{GoodID: rule.GoodID, Page: p}) })
	if err != nil {
		return nil, err
	}
	subjects := map[Subject]bool{}
	for _, n := range norms {
		if n.Subject.Kind == rule.Subject {
			subjects[n.Subject] = true
		}
	}
	ordered := make([]Subject, 0, len(subjects))
	for sub := range subjects {
		ordered = append(ordered, sub)
	}
	sort.Slice(ordered, func(i, j int) bool { return ordered[i].ID < ordered[j].ID })
	out := []Candidate{}
	for _, sub := range ordered {
		// Flagged reports count only once verified.
		f, err := RecomputeFulfilment(ctx, s, FulfilmentQuery{Subject: sub, GoodID: rule.GoodID, Period: PeriodShift, To: today, VerifiedOnly: true})
		if err != nil {
			return nil, err
		}
		met, considered, evidence, ok := rule.Evaluate(f.Rows, today)
		if !ok {
			continue
		}
		name, err := SubjectName(ctx, s, sub)
		if err != nil {
			return nil, err
		}
		out = append(out, Candidate{Subject: sub, Name: name, AwardID: a.ID, Rule: *rule, Met: met, Considered: considered, Shifts: evidence})
	}
	return out, nil
}

// SubjectName returns a person's or a unit's name.
func SubjectName(ctx context.Context, s Store, sub Subject) (string, error) {
	if sub.Kind == SubjectPerson {
		p, err := s.FindPersonByID(ctx, sub.ID)
		if err != nil {
			return "", err
		}
		return p.Name, nil
	}
	u, err := s.FindUnitByID(ctx, sub.ID)
	if err != nil {
		return "", err
	}
	return u.Name, nil
}

// AllCandidates reads every page of an award's candidates from the state.
func AllCandidates(ctx context.Context, s StateStore, awardID int64, today Date) ([]Candidate, error) {
	cs, err := All(func(p Page) ([]Candidate, int, error) { return s.Candidates(ctx, awardID, today, p) })
	if err != nil {
		return nil, err
	}
	if cs == nil {
		cs = []Candidate{}
	}
	for i := range cs {
		if err := cs[i].DecodeShifts(); err != nil {
			return nil, fmt.Errorf("candidacy of %s: %w", cs[i].Subject, err)
		}
	}
	return cs, nil
}
