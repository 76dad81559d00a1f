package stakhanov

import (
	"context"
	"slices"
)

// PreviewMonths is how many months of a subject's history a norm preview
// shows: this month and the eleven before.
const PreviewMonths = 12

// previewHistoryMonths is how far back a preview reads the history that
// candidacy is judged on: enough for a rule over a whole last year.
const previewHistoryMonths = 24

// NormPreview is what a proposed norm would do to the figures of the
// subject it is for, computed from the subject's real history: each month
// as it stands under the norms in force, and as it would have stood had
// the proposed norm been in force throughout; and, for every award whose
// candidacy rule counts the good, whether the subject qualifies now and
// would qualify.
type NormPreview struct {
	Norm      Norm               `json:"norm"`
	Name      string             `json:"name"`
	From      Date               `json:"from"`
	To        Date               `json:"to"`
	Months    []PreviewMonth     `json:"months"`
	Candidacy []PreviewCandidacy `json:"candidacy"`
}

// PreviewMonth is one month of a preview.
type PreviewMonth struct {
	Month    Date    `json:"month"`
	Shifts   int     `json:"shifts"`
	Accepted float64 `json:"accepted"`
	// Norm and Percent are the month as it stands; ProposedNorm and
	// ProposedPercent as it would stand under the proposed norm.
	Norm            float64  `json:"norm"`
	Percent         *float64 `json:"percent"`
	ProposedNorm    float64  `json:"proposed_norm"`
	ProposedPercent *float64 `json:"proposed_percent"`
}

// PreviewCandidacy is one award's candidacy rule applied to the history
// under the norms in force and under the proposed norm.
type PreviewCandidacy struct {
	AwardID            int64         `json:"award_id"`
	Award              string        `json:"award"`
	Rule               CandidacyRule `json:"rule"`
	Met                int           `json:"met"`
	Considered         int           `json:"considered"`
	Qualifies          bool          `json:"qualifies"`
	ProposedMet        int           `json:"proposed_met"`
	ProposedConsidered int           `json:"proposed_considered"`
	ProposedQualifies  bool          `json:"proposed_qualifies"`
}

// subjectPlace returns a subject's name and its unit's path.
func subjectPlace(ctx context.Context, s Store, sub Subject) (name, path string, err error) {
	unitID := sub.ID
	if sub.Kind == SubjectPerson {
		p, err := s.FindPersonByID(ctx, sub.ID)
		if err != nil {
			return "", "", err
		}
		name, unitID = p.Name, p.UnitID
	}
	unit, err := s.FindUnitByID(ctx, unitID)
	if err != nil {
		return "", "", err
	}
	if name == "" {
		name = unit.Name
	}
	return name, unit.Path, nil
}

// Changes reports whether the proposed norm changes the candidacy.
func (c PreviewCandidacy) Changes() bool { return c.Qualifies != c.ProposedQualifies }

// PreviewNorm works out a norm preview from the store's reports and norms;
// nothing is written. It is for those who may set the norm (an admin, or a
// planner whose scope covers the subject), as the context's user. The API
// and the planner's page both answer with it.
func PreviewNorm(ctx context.Context, s Store, n *Norm, today Date) (*NormPreview, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return nil, Errorf(EUNAUTHORIZED, "sign in to preview a norm")
	}
	if u.Role != RoleAdmin && u.Role != RolePlanner {
		return nil, Errorf(EFORBIDDEN, "a %s may not preview a norm (needs admin or planner)", u.Role)
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	name, path, err := subjectPlace(ctx, s, n.Subject)
	if err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return nil, FieldErrorf("subject", "%s not found", n.Subject)
		}
		return nil, err
	}
	if !u.Covers(path) {
		return nil, Errorf(EFORBIDDEN, "%s is outside %s's units", name, u.Name)
	}
	if _, err := s.FindGoodByID(ctx, n.GoodID); err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return nil, FieldErrorf("good_id", "good %d not found", n.GoodID)
		}
		return nil, err
	}
	month := today.FirstOfMonth()
	from := NewDate(month.Year(), month.Month()-(PreviewMonths-1), 1)
	history := NewDate(month.Year(), month.Month()-(previewHistoryMonths-1), 1)
	// Every good: a candidacy rule may count them all.
	credits, err := s.Credits(ctx, CreditFilter{Subject: n.Subject, Members: true, From: history, To: today})
	if err != nil {
		return nil, err
	}
	subjects := map[Subject]bool{n.Subject: true}
	for _, c := range credits {
		subjects[c.Subject] = true
	}
	var current, proposed []*Norm
	for sub := range subjects {
		ns, err := All(func(p Page) ([]*Norm, int, error) {
			return s.FindNorms(ctx, NormFilter{Subject: sub, Page: p})
		})
		if err != nil {
			return nil, err
		}
		current = append(current, ns...)
		for _, v := range ns {
			if v.Subject != n.Subject || v.GoodID != n.GoodID {
				proposed = append(proposed, v)
			}
		}
	}
	// The proposed norm in force over the whole history, in place of the
	// subject's own versions.
	as := *n
	as.EffectiveFrom = history
	proposed = append(proposed, &as)
	nowIdx, thenIdx := NewNormIndex(current), NewNormIndex(proposed)

	p := &NormPreview{Norm: *n, Name: name, From: from, To: today, Months: []PreviewMonth{}, Candidacy: []PreviewCandidacy{}}
	recent := slices.DeleteFunc(slices.Clone(credits), func(c Credit) bool { return c.GoodID != n.GoodID || c.Date.Before(from) })
	nowRows, err := FulfilmentRows(n.Subject, PeriodMonth, recent, nowIdx)
	if err != nil {
		return nil, err
	}
	thenRows, err := FulfilmentRows(n.Subject, PeriodMonth, recent, thenIdx)
	if err != nil {
		return nil, err
	}
	for i, r := range nowRows {
		m := PreviewMonth{Month: r.From, Shifts: r.Shifts, Accepted: r.Accepted, Norm: r.Norm, Percent: r.Percent}
		if i < len(thenRows) && thenRows[i].From == r.From {
			m.ProposedNorm, m.ProposedPercent = thenRows[i].Norm, thenRows[i].Percent
		}
		p.Months = append(p.Months, m)
	}

	// Candidacy counts flagged reports only once verified, and a rule
	// with a good only that good's shifts.
	verified := slices.DeleteFunc(slices.Clone(credits), func(c Credit) bool { return c.Held })
	nowShifts, err := FulfilmentRows(n.Subject, PeriodShift, verified, nowIdx)
	if err != nil {
		return nil, err
	}
	thenShifts, err := FulfilmentRows(n.Subject, PeriodShift, verified, thenIdx)
	if err != nil {
		return nil, err
	}
	ofGood := func(rows []FulfilmentRow, good int64) []FulfilmentRow {
		if good == 0 {
			return rows
		}
		return slices.DeleteFunc(slices.Clone(rows), func(r FulfilmentRow) bool { return r.GoodID != good })
	}
	awards, err := All(func(pg Page) ([]*Award, int, error) { return s.FindAwards(ctx, AwardFilter{Page: pg}) })
	if err != nil {
		return nil, err
	}
	for _, a := range awards {
		rule := a.Rules.Candidacy
		if rule == nil || (rule.GoodID != 0 && rule.GoodID != n.GoodID) || rule.Subject != n.Subject.Kind || (!a.Abolished.IsZero() && !a.Abolished.After(today)) {
			continue
		}
		c := PreviewCandidacy{AwardID: a.ID, Award: a.Name, Rule: *rule}
		c.Met, c.Considered, _, c.Qualifies = rule.Evaluate(ofGood(nowShifts, rule.GoodID), today)
		c.ProposedMet, c.ProposedConsidered, _, c.ProposedQualifies = rule.Evaluate(ofGood(thenShifts, rule.GoodID), today)
		p.Candidacy = append(p.Candidacy, c)
	}
	return p, nil
}
