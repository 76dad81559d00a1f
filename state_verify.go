package stakhanov

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
)

// StateProblem is one difference between the rolling state and a full
// recomputation from the reports.
type StateProblem struct {
	Subject Subject
	GoodID  int64
	Message string
}

// VerifyState recomputes, from the reports, every figure the rolling state
// answers — each subject's fulfilment by shift (also as candidacy sees it,
// verified only), week, month and year, and every award's candidates —
// and reports each difference, naming the subject and good. progress, if
// not nil, is told how many subjects were checked.
func VerifyState(ctx context.Context, s Store, today Date, problem func(StateProblem), progress func(checked int)) error {
	names := &stateNames{s: s, subjects: map[Subject]string{}, goods: map[int64]string{}}
	checked := 0
	var after SubjectGood
	for {
		page, err := s.StateSubjects(ctx, after, 500)
		if err != nil {
			return err
		}
		for _, k := range page {
			if err := verifySubject(ctx, s, k, names, problem); err != nil {
				return err
			}
			after = k
		}
		checked += len(page)
		if progress != nil {
			progress(checked)
		}
		if len(page) < 500 {
			break
		}
	}
	awards, err := All(func(p Page) ([]*Award, int, error) { return s.FindAwards(ctx, AwardFilter{Page: p}) })
	if err != nil {
		return err
	}
	for _, a := range awards {
		if a.Rules.Candidacy == nil {
			continue
		}
		if err := verifyCandidates(ctx, s, a, today, names, problem); err != nil {
			return err
		}
	}
	return nil
}

type stateNames struct {
	s        Store
	subjects map[Subject]string
	goods    map[int64]string
}

func (n *stateNames) subject(ctx context.Context, sub Subject) string {
	if v, ok := n.subjects[sub]; ok {
		return v
	}
	v, err := SubjectName(ctx, n.s, sub)
	if err != nil {
		v = sub.String()
	} else {
		v = fmt.Sprintf("%s (%s)", v, sub)
	}
	n.subjects[sub] = v
	return v
}

func (n *stateNames) good(ctx context.Context, id int64) string {
	if v, ok := n.goods[id]; ok {
		return v
	}
	v := fmt.Sprintf("good %d", id)
	if g, err := n.s.FindGoodByID(ctx, id); err == nil {
		v = g.Name
	}
	n.goods[id] = v
	return v
}

func verifySubject(ctx context.Context, s Store, k SubjectGood, names *stateNames, problem func(StateProblem)) error {
	for _, q := range []FulfilmentQuery{
		{Period: PeriodShift}, {Period: PeriodShift, VerifiedOnly: true},
		{Period: PeriodWeek}, {Period: PeriodMonth}, {Period: PeriodYear},
	} {
		q.Subject, q.GoodID = k.Subject, k.GoodID
		got, err := s.Fulfilment(ctx, q)
		if err != nil {
			return err
		}
		want, err := RecomputeFulfilment(ctx, s, q)
		if err != nil {
			return err
		}
		view := q.Period
		if q.VerifiedOnly {
			view += ", verified only"
		}
		for _, d := range DiffFulfilment(got.Rows, want.Rows) {
			problem(StateProblem{Subject: k.Subject, GoodID: k.GoodID,
				Message: fmt.Sprintf("%s, %s, by %s: %s", names.subject(ctx, k.Subject), names.good(ctx, k.GoodID), view, d)})
		}
	}
	return nil
}

func verifyCandidates(ctx context.Context, s Store, a *Award, today Date, names *stateNames, problem func(StateProblem)) error {
	got, err := AllCandidates(ctx, s, a.ID, today)
	if err != nil {
		return err
	}
	want, err := RecomputeCandidates(ctx, s, a, today)
	if err != nil {
		return err
	}
	for _, d := range DiffCandidates(got, want) {
		problem(StateProblem{Subject: d.Subject, Message: fmt.Sprintf("%s: %s %s", a.Name, names.subject(ctx, d.Subject), d.Message)})
	}
	return nil
}

// DiffFulfilment lists how the state's rows (got) differ from the
// recomputed ones (want), matched by period and good, "" for none.
func DiffFulfilment(got, want []FulfilmentRow) []string {
	type key struct {
		period string
		good   int64
	}
	index := map[key]FulfilmentRow{}
	for _, r := range want {
		index[key{r.Period, r.GoodID}] = r
	}
	var out []string
	seen := map[key]bool{}
	for _, g := range got {
		k := key{g.Period, g.GoodID}
		seen[k] = true
		w, ok := index[k]
		if !ok {
			out = append(out, fmt.Sprintf("%s is in the state (%d shifts, accepted %g) but not in the reports", g.Period, g.Shifts, g.Accepted))
			continue
		}
		if d := diffRow(g, w); d != "" {
			out = append(out, g.Period+": "+d)
		}
	}
	for _, w := range want {
		if k := (key{w.Period, w.GoodID}); !seen[k] {
			out = append(out, fmt.Sprintf("%s is in the reports (%d shifts, accepted %g) but not in the state", w.Period, w.Shifts, w.Accepted))
		}
	}
	slices.Sort(out)
	return out
}

func diffRow(g, w FulfilmentRow) string {
	var d []string
	ints := []struct {
		name      string
		got, want int
	}{{"shifts", g.Shifts, w.Shifts}, {"shifts without norm", g.ShiftsWithoutNorm, w.ShiftsWithoutNorm}}
	for _, f := range ints {
		if f.got != f.want {
			d = append(d, fmt.Sprintf("%s %d in the state, %d from the reports", f.name, f.got, f.want))
		}
	}
	floats := []struct {
		name      string
		got, want float64
	}{{"produced", g.Produced, w.Produced}, {"accepted", g.Accepted, w.Accepted}, {"norm", g.Norm, w.Norm}, {"held", g.Held, w.Held}}
	for _, f := range floats {
		if !near(f.got, f.want) {
			d = append(d, fmt.Sprintf("%s %g in the state, %g from the reports", f.name, f.got, f.want))
		}
	}
	switch {
	case (g.Percent == nil) != (w.Percent == nil):
		d = append(d, fmt.Sprintf("percent %s in the state, %s from the reports", percentText(g.Percent), percentText(w.Percent)))
	case g.Percent != nil && !near(*g.Percent, *w.Percent):
		d = append(d, fmt.Sprintf("percent %.4f in the state, %.4f from the reports", *g.Percent, *w.Percent))
	}
	return strings.Join(d, "; ")
}

func percentText(p *float64) string {
	if p == nil {
		return "none"
	}
	return fmt.Sprintf("%.4f", *p)
}

// near compares figures summed in different orders.
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-6*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// CandidateDiff is one difference between two candidate lists.
type CandidateDiff struct {
	Subject Subject
	Message string
}

// DiffCandidates lists how the state's candidates (got) differ from the
// recomputed ones (want): who is missing or extra, and met, considered or
// the shifts that show it.
func DiffCandidates(got, want []Candidate) []CandidateDiff {
	index := map[Subject]Candidate{}
	for _, c := range want {
		index[c.Subject] = c
	}
	var out []CandidateDiff
	seen := map[Subject]bool{}
	for _, g := range got {
		seen[g.Subject] = true
		w, ok := index[g.Subject]
		if !ok {
			out = append(out, CandidateDiff{g.Subject, fmt.Sprintf("qualifies in the state (%d of %d) but not by the reports", g.Met, g.Considered)})
			continue
		}
		if g.Met != w.Met || g.Considered != w.Considered {
			out = append(out, CandidateDiff{g.Subject, fmt.Sprintf("meets the rule on %d of %d in the state, %d of %d by the reports", g.Met, g.Considered, w.Met, w.Considered)})
		}
		if d := DiffFulfilment(g.Shifts, w.Shifts); len(d) > 0 {
			out = append(out, CandidateDiff{g.Subject, "evidence: " + strings.Join(d, "; ")})
		}
	}
	for _, w := range want {
		if !seen[w.Subject] {
			out = append(out, CandidateDiff{w.Subject, fmt.Sprintf("qualifies by the reports (%d of %d) but not in the state", w.Met, w.Considered)})
		}
	}
	return out
}
