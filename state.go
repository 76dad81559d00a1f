package stakhanov

import (
	"context"
	"math"
	"sort"
	"strconv"
)

// The rolling fulfilment state: what every report, correction, verification
// and norm version does to a subject's figures, kept up to date in the
// transaction that writes it, so that fulfilment, leaderboards and "who
// qualifies now" read a few rows instead of every report.
//
// The state has three layers, all kept by the store:
//
//   - shift states: per subject, good, date and shift. A person's (and a
//     collective's own reports') state is computed from its credits (its
//     own scope); a unit's tree state adds up the own states of everything
//     under it, so that a collective's figures follow its members' reports.
//   - period totals (month, year) of the shift states fulfilment reads: a
//     person's own, a unit's tree. Weeks are added up from shift states.
//   - candidacy: for each award with a candidacy rule, whether each subject
//     qualifies now, with met/considered and the shifts that show it.
//
// RecomputeFulfilment and RecomputeCandidates compute the same answers from
// the reports; `stakhanov state verify` and the property tests compare the
// two.

// ShiftState is one subject's rolling state for one good and shift.
type ShiftState struct {
	Subject Subject
	// Tree is true for a unit's state over its whole subtree, false for a
	// subject's own credits.
	Tree   bool
	GoodID int64
	Date   Date
	Shift  int
	// Produced and Accepted are the credited output (after helpers'
	// shares); HeldProduced and HeldAccepted the part of it from flagged
	// reports awaiting verification.
	Produced, Accepted         float64
	HeldProduced, HeldAccepted float64
	// Credits counts the credits (a report, or a share of one as helper)
	// that make the state; HeldCredits those held.
	Credits, HeldCredits int
	// LateCredits counts the credits from late reports (written after
	// their month was closed); LateHeldCredits those of them held.
	LateCredits, LateHeldCredits int
	// OwnNorm is the subject's own norm in force on the date, if any.
	OwnNorm *float64
	// MemberNorm (tree states) sums the own norms of the subjects under
	// the unit that worked the shift; MemberNormed counts those that have
	// one. The V... fields count only subjects with a credit not held, as
	// candidacy does.
	MemberNorm    float64
	MemberNormed  int
	VMemberNorm   float64
	VMemberNormed int
}

// Norm returns the shift's norm: the subject's own, or for a unit's tree
// the sum of its working members' norms; verified counts only members with
// output not held.
func (s *ShiftState) Norm(verified bool) (float64, bool) {
	if s.OwnNorm != nil {
		return *s.OwnNorm, true
	}
	if !s.Tree {
		return 0, false
	}
	if verified {
		return s.VMemberNorm, s.VMemberNormed > 0
	}
	return s.MemberNorm, s.MemberNormed > 0
}

// view returns the shift's figures in a view: held output left out of
// the verified one.
func (s *ShiftState) view(verified bool) (credits int, produced, accepted, held float64) {
	if verified {
		return s.Credits - s.HeldCredits, s.Produced - s.HeldProduced, s.Accepted - s.HeldAccepted, 0
	}
	return s.Credits, s.Produced, s.Accepted, s.HeldAccepted
}

// late counts the late credits in a view.
func (s *ShiftState) late(verified bool) int {
	if verified {
		return s.LateCredits - s.LateHeldCredits
	}
	return s.LateCredits
}

// Row returns the shift as a fulfilment row; ok is false when the shift
// has no credit in the view (verified: none that is not held).
func (s *ShiftState) Row(verified bool) (row FulfilmentRow, ok bool) {
	credits, produced, accepted, held := s.view(verified)
	if credits <= 0 {
		return FulfilmentRow{}, false
	}
	label, from, to, _ := PeriodOf(PeriodShift, s.Date, s.Shift)
	row = FulfilmentRow{Period: label, From: from, To: to, GoodID: s.GoodID, Shifts: 1,
		Produced: clean(produced), Accepted: clean(accepted), Held: clean(held), Late: s.late(verified)}
	if norm, ok := s.Norm(verified); ok {
		row.Norm = norm
		if norm > 0 {
			p := row.Accepted / norm * 100
			row.Percent = &p
		}
	} else {
		row.ShiftsWithoutNorm = 1
	}
	return row, true
}

// clean turns the residue of adding and taking away the same figures back
// into zero.
func clean(v float64) float64 {
	if math.Abs(v) < 1e-9 {
		return 0
	}
	return v
}

// StateDelta is a change to a tree state: what one subject's own state adds
// to the units above it.
type StateDelta struct {
	Produced, Accepted, HeldProduced, HeldAccepted float64
	Credits, HeldCredits                           int
	LateCredits, LateHeldCredits                   int
	MemberNorm                                     float64
	MemberNormed                                   int
	VMemberNorm                                    float64
	VMemberNormed                                  int
}

// Contribution is what an own state adds to the tree state of every unit
// above its subject; a nil state adds nothing.
func Contribution(s *ShiftState) StateDelta {
	if s == nil || s.Credits == 0 {
		return StateDelta{}
	}
	d := StateDelta{Produced: s.Produced, Accepted: s.Accepted, HeldProduced: s.HeldProduced, HeldAccepted: s.HeldAccepted,
		Credits: s.Credits, HeldCredits: s.HeldCredits, LateCredits: s.LateCredits, LateHeldCredits: s.LateHeldCredits}
	if s.OwnNorm != nil {
		d.MemberNorm, d.MemberNormed = *s.OwnNorm, 1
		if s.Credits > s.HeldCredits {
			d.VMemberNorm, d.VMemberNormed = *s.OwnNorm, 1
		}
	}
	return d
}

// Minus returns d - o.
func (d StateDelta) Minus(o StateDelta) StateDelta {
	return StateDelta{d.Produced - o.Produced, d.Accepted - o.Accepted, d.HeldProduced - o.HeldProduced, d.HeldAccepted - o.HeldAccepted,
		d.Credits - o.Credits, d.HeldCredits - o.HeldCredits, d.LateCredits - o.LateCredits, d.LateHeldCredits - o.LateHeldCredits, d.MemberNorm - o.MemberNorm, d.MemberNormed - o.MemberNormed,
		d.VMemberNorm - o.VMemberNorm, d.VMemberNormed - o.VMemberNormed}
}

// Plus returns d + o.
func (d StateDelta) Plus(o StateDelta) StateDelta {
	return d.Minus(StateDelta{}.Minus(o))
}

func (d StateDelta) IsZero() bool { return d == StateDelta{} }

// Add applies a delta to a tree state.
func (s *ShiftState) Add(d StateDelta) {
	s.Produced += d.Produced
	s.Accepted += d.Accepted
	s.HeldProduced += d.HeldProduced
	s.HeldAccepted += d.HeldAccepted
	s.Credits += d.Credits
	s.HeldCredits += d.HeldCredits
	s.LateCredits += d.LateCredits
	s.LateHeldCredits += d.LateHeldCredits
	s.MemberNorm += d.MemberNorm
	s.MemberNormed += d.MemberNormed
	s.VMemberNorm += d.VMemberNorm
	s.VMemberNormed += d.VMemberNormed
}

// PeriodTotals are a subject's figures over a period (week, month, year),
// the sum of its shift states.
type PeriodTotals struct {
	Shifts, ShiftsWithoutNorm int
	Produced, Accepted, Held  float64
	Norm                      float64
	// NormedAccepted is the accepted output on shifts with a norm.
	NormedAccepted float64
	// Late counts the credits from late reports.
	Late int
}

// Totals returns what a shift state adds to its periods' totals in the
// ordinary view (held output included); a nil state adds nothing.
func Totals(s *ShiftState) PeriodTotals {
	if s == nil {
		return PeriodTotals{}
	}
	return s.Totals(false)
}

// Totals returns what the shift adds to its periods' totals in a view:
// the figures of its Row, without the row's label, which an import would
// write a million times.
func (s *ShiftState) Totals(verified bool) PeriodTotals {
	credits, produced, accepted, held := s.view(verified)
	if credits <= 0 {
		return PeriodTotals{}
	}
	t := PeriodTotals{Shifts: 1, Produced: clean(produced), Accepted: clean(accepted), Held: clean(held), Late: s.late(verified)}
	if norm, ok := s.Norm(verified); ok {
		t.Norm, t.NormedAccepted = norm, t.Accepted
	} else {
		t.ShiftsWithoutNorm = 1
	}
	return t
}

// Minus returns t - o.
func (t PeriodTotals) Minus(o PeriodTotals) PeriodTotals {
	return PeriodTotals{t.Shifts - o.Shifts, t.ShiftsWithoutNorm - o.ShiftsWithoutNorm, t.Produced - o.Produced,
		t.Accepted - o.Accepted, t.Held - o.Held, t.Norm - o.Norm, t.NormedAccepted - o.NormedAccepted, t.Late - o.Late}
}

func (t PeriodTotals) IsZero() bool { return t == PeriodTotals{} }

// Plus returns t + o.
func (t PeriodTotals) Plus(o PeriodTotals) PeriodTotals { return t.Minus(PeriodTotals{}.Minus(o)) }

// Row returns the totals as a fulfilment row of the period holding date d.
func (t PeriodTotals) Row(period string, d Date, good int64) FulfilmentRow {
	label, from, to, _ := PeriodOf(period, d, 1)
	row := FulfilmentRow{Period: label, From: from, To: to, GoodID: good, Shifts: t.Shifts, ShiftsWithoutNorm: t.ShiftsWithoutNorm,
		Produced: clean(t.Produced), Accepted: clean(t.Accepted), Held: clean(t.Held), Norm: clean(t.Norm), Late: t.Late}
	if row.Norm > 0 {
		p := clean(t.NormedAccepted) / row.Norm * 100
		row.Percent = &p
	}
	return row
}

// StatePeriods are the periods the state keeps totals for. A week is at
// most seven days of shift states, read as fast as its total would be;
// keeping week totals as well would add a fifth to the rows every import
// writes.
var StatePeriods = []string{PeriodMonth, PeriodYear}

// PeriodStart returns the first day of the month or year holding d.
func PeriodStart(period string, d Date) Date {
	if period == PeriodYear {
		return NewDate(d.Year(), 1, 1)
	}
	return NewDate(d.Year(), d.Month(), 1)
}

// EvaluateState applies a candidacy rule to what the state gives it: for
// k_of_n and streak, the last shifts with a norm (verified view, in date
// order, at most the rule's window); for period_total, the shifts of one
// period. It is Evaluate without the search for the last complete period,
// which the reader of the state does by the date.
func (r *CandidacyRule) EvaluateState(shifts []FulfilmentRow) (met, considered int, evidence []FulfilmentRow, ok bool) {
	if r.Kind != RulePeriodTotal {
		return r.Evaluate(shifts, Date{})
	}
	periods, err := FulfilmentRowsByPeriod(shifts, r.Period)
	if err != nil || len(periods) != 1 {
		return 0, 0, nil, false
	}
	p := periods[0]
	if p.Percent != nil && *p.Percent >= r.Percent {
		return 1, 1, periods, true
	}
	return 0, 1, periods, false
}

// Window is how many of the last shifts a rule reads (0 for a period rule).
func (r *CandidacyRule) Window() int {
	switch r.Kind {
	case RuleKOfN:
		return r.N
	case RuleStreak:
		return r.Length
	}
	return 0
}

// LeaderboardQuery asks for the people of a unit's subtree ranked by
// fulfilment of one good over a window.
type LeaderboardQuery struct {
	UnitID   int64
	GoodID   int64
	From, To Date
}

// Leaderboard is a ranked list of people.
type Leaderboard struct {
	Entries []LeaderboardEntry
	// RanksHidden is true when the unit, or the unit of someone on the
	// board, hides ranks.
	RanksHidden bool
}

// SeesHiddenRanks reports whether a user sees the whole leaderboard of a
// unit that hides ranks: admins, planners and auditors do.
func (u *User) SeesHiddenRanks() bool {
	if u == nil {
		return false
	}
	switch u.Role {
	case RoleAdmin, RolePlanner, RoleAuditor:
		return true
	}
	return false
}

// ErrRanksHidden is the answer to a user with no person of its own who
// asks for a leaderboard whose ranks are hidden.
func ErrRanksHidden(unit *Unit) error {
	return Errorf(EFORBIDDEN,
		"%s (or a unit under it) has chosen to hide ranks: its leaderboard is shown only to admins, planners and auditors; a worker tied to a person sees only their own figures",
		unit.Name)
}

// LeaderboardEntry is one person's figures on a leaderboard.
type LeaderboardEntry struct {
	// Rank is left out where ranks are hidden.
	Rank   int     `json:"rank,omitempty"`
	Person *Person `json:"person"`
	Shifts int     `json:"shifts"`
	// Accepted is the accepted output credited to the person over the
	// window, and Norm the sum of the norms of the shifts that had one.
	Accepted float64 `json:"accepted"`
	Norm     float64 `json:"norm"`
	// Percent is accepted output on normed shifts over Norm.
	Percent float64 `json:"percent"`
	// Late counts the credits from late reports in the figures.
	Late int `json:"late,omitempty"`
}

// RankLeaderboard orders entries best first (by person id among equals)
// and ranks them: equal percentages share a rank.
func RankLeaderboard(entries []LeaderboardEntry) {
	sort.SliceStable(entries, func(i, j int) bool {
		if entries[i].Percent != entries[j].Percent {
			return entries[i].Percent > entries[j].Percent
		}
		return entries[i].Person.ID < entries[j].Person.ID
	})
	for i := range entries {
		if i > 0 && entries[i].Percent == entries[i-1].Percent {
			entries[i].Rank = entries[i-1].Rank
		} else {
			entries[i].Rank = i + 1
		}
	}
}

// StateStore is the rolling state's side of the store.
type StateStore interface {
	// Fulfilment answers a fulfilment query from the state.
	Fulfilment(ctx context.Context, q FulfilmentQuery) (*Fulfilment, error)
	// Leaderboard lists the people of a unit's subtree with a norm on at
	// least one shift of the window, best first, ranked (equal percentages
	// share a rank), as the acting user may see it: where the unit or the
	// unit of anyone on the board hides ranks, a user who does not see
	// hidden ranks (User.SeesHiddenRanks) gets only its own person's row,
	// without a rank, and a user with no person is refused.
	Leaderboard(ctx context.Context, q LeaderboardQuery) (*Leaderboard, error)
	// Candidates lists who qualifies now for an award, from the state.
	Candidates(ctx context.Context, awardID int64, today Date, p Page) ([]Candidate, int, error)
	// Candidacy returns one subject's standing under an award's rule.
	Candidacy(ctx context.Context, awardID int64, s Subject, today Date) (*Candidate, bool, error)
	// BuildCandidacy (re)builds an award's candidacy state in batches,
	// each its own transaction, reporting progress.
	BuildCandidacy(ctx context.Context, awardID int64, progress func(done, total int)) error
	// RebuildState throws the state away and computes it again from the
	// reports, in batches.
	RebuildState(ctx context.Context, progress func(stage string, done, total int)) error
	// StateSubjects lists, a page at a time in a stable order, the
	// subjects and goods the state or the reports have figures for.
	StateSubjects(ctx context.Context, after SubjectGood, limit int) ([]SubjectGood, error)
}

// SubjectGood names a subject's figures for one good.
type SubjectGood struct {
	Subject Subject
	GoodID  int64
}

// EvidenceJSON writes the shifts that show a candidacy as the state keeps
// them: the JSON the API answers with, so that a page of a hundred
// candidates of sixty shifts each is written as it is read (decoding and
// encoding it again took most of a request).
func EvidenceJSON(rows []FulfilmentRow) []byte {
	b := []byte{'['}
	for i, r := range rows {
		if i > 0 {
			b = append(b, ',')
		}
		rb, _ := r.MarshalJSON()
		b = append(b, rb...)
	}
	return append(b, ']')
}

// MarshalJSON writes a row as encoding/json would, without reflection:
// candidate lists write thousands of them.
func (r FulfilmentRow) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 200)
	b = append(b, `{"period":`...)
	b = strconv.AppendQuote(b, r.Period)
	b = append(b, `,"from":`...)
	b = appendDate(b, r.From)
	b = append(b, `,"to":`...)
	b = appendDate(b, r.To)
	b = strconv.AppendInt(append(b, `,"good_id":`...), r.GoodID, 10)
	b = strconv.AppendInt(append(b, `,"shifts":`...), int64(r.Shifts), 10)
	if r.ShiftsWithoutNorm != 0 {
		b = strconv.AppendInt(append(b, `,"shifts_without_norm":`...), int64(r.ShiftsWithoutNorm), 10)
	}
	b = appendFloat(append(b, `,"produced":`...), r.Produced)
	b = appendFloat(append(b, `,"accepted":`...), r.Accepted)
	b = appendFloat(append(b, `,"norm":`...), r.Norm)
	b = append(b, `,"percent":`...)
	if r.Percent == nil {
		b = append(b, "null"...)
	} else {
		b = appendFloat(b, *r.Percent)
	}
	if r.Held != 0 {
		b = appendFloat(append(b, `,"held":`...), r.Held)
	}
	if r.Late != 0 {
		b = strconv.AppendInt(append(b, `,"late":`...), int64(r.Late), 10)
	}
	return append(b, '}'), nil
}

func appendDate(b []byte, d Date) []byte {
	if d.IsZero() {
		return append(b, "null"...)
	}
	return append(append(append(b, '"'), d.String()...), '"')
}

// appendFloat writes a float as encoding/json does.
func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
