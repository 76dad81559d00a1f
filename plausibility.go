package stakhanov

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Plausibility rules: what makes a shift report suspicious. A report that
// a rule finds suspicious gets a Flag; it is held out of candidacy until a
// verifier independent of it verifies it, and a rejected report is left
// out of every figure.
const (
	// RuleMultipleOfNorm: the subject's credited output (its share of the
	// accepted output) is above a multiple of its norm in force.
	RuleMultipleOfNorm = "multiple_of_norm"
	// RulePeers: the subject's credited output is far above its peers' on
	// the same good, day and unit (median plus a number of robust standard
	// deviations, from the median absolute deviation).
	RulePeers = "peers"
	// RuleStorm: an end-of-period storm, too large a share of a subject's
	// month of output in the month's last days.
	RuleStorm = "storm"
)

// PlausibilityRules are the thresholds of the plausibility rules for one
// good. A zero threshold turns its rule off.
type PlausibilityRules struct {
	// MultipleOfNorm flags a report whose credited output is above this
	// many times the subject's norm in force on the report's date.
	MultipleOfNorm float64 `json:"multiple_of_norm"`
	// PeerMADs flags a report whose credited output is above the median of
	// its peer group plus PeerMADs robust standard deviations (1.4826 × the
	// median absolute deviation), when the group holds at least
	// PeerMinimum reports besides it. The group is every live report
	// (current, not rejected) of the same subject kind, in the same unit
	// (a person's collective), on the same good and day. Median and MAD
	// are robust: one outlier among the peers cannot hide another.
	PeerMADs    float64 `json:"peer_mads"`
	PeerMinimum int     `json:"peer_minimum"`
	// StormShare flags the reports of a subject's last StormDays days of a
	// calendar month when they hold more than this share (0-1) of the
	// subject's credited output of that month, and the month has at least
	// StormMinShifts shifts. The month leaves out every report another
	// rule holds (see StormMonth).
	StormShare     float64 `json:"storm_share"`
	StormDays      int     `json:"storm_days"`
	StormMinShifts int     `json:"storm_min_shifts"`
	// MaxPerShift is not a flag but a bound: the most one shift may record
	// of the good (produced, accepted) and the largest norm. A report or
	// norm above it is refused. It cannot be turned off.
	MaxPerShift float64 `json:"max_per_shift"`
}

// DefaultPlausibilityRules apply to every good that has no rules of its own.
var DefaultPlausibilityRules = PlausibilityRules{
	MultipleOfNorm: 3,
	PeerMADs:       6,
	PeerMinimum:    5,
	StormShare:     0.4,
	StormDays:      3,
	StormMinShifts: 10,
	MaxPerShift:    DefaultMaxPerShift,
}

// madScale turns a median absolute deviation into an estimate of the
// standard deviation of normally distributed figures.
const madScale = 1.4826

// meanADScale does the same for the mean absolute deviation from the
// median, used when more than half the peers have the median exactly (the
// MAD is then zero).
const meanADScale = 1.2533

// Limits of the rules' thresholds: beyond them a rule could never fire,
// and its figures would no longer be readable.
const (
	maxRuleFactor  = 1e6           // multiple_of_norm, peer_mads
	maxPeerMinimum = 1_000_000     // peers in one unit on one day
	maxMonthShifts = 31 * MaxShift // shifts in a month
)

func (p *PlausibilityRules) Validate() error {
	p.MultipleOfNorm, p.PeerMADs, p.StormShare = zero(p.MultipleOfNorm), zero(p.PeerMADs), zero(p.StormShare)
	switch {
	case !finite(p.MultipleOfNorm) || p.MultipleOfNorm != 0 && p.MultipleOfNorm <= 1 || p.MultipleOfNorm > maxRuleFactor:
		return FieldErrorf("multiple_of_norm", "multiple_of_norm must be above 1 and at most 1000000 (or 0 to turn the rule off)")
	case !finite(p.PeerMADs) || p.PeerMADs < 0 || p.PeerMADs > maxRuleFactor:
		return FieldErrorf("peer_mads", "peer_mads must be from 0 (off) to 1000000")
	case p.PeerMADs > 0 && (p.PeerMinimum < 2 || p.PeerMinimum > maxPeerMinimum):
		return FieldErrorf("peer_minimum", "peer_minimum must be from 2 to 1000000")
	case !finite(p.StormShare) || p.StormShare < 0 || p.StormShare >= 1:
		return FieldErrorf("storm_share", "storm_share must be from 0 (off) to below 1")
	case p.StormShare > 0 && (p.StormDays < 1 || p.StormDays > 27):
		return FieldErrorf("storm_days", "storm_days must be from 1 to 27")
	case p.StormShare > 0 && (p.StormMinShifts < 1 || p.StormMinShifts > maxMonthShifts):
		return FieldErrorf("storm_min_shifts", "storm_min_shifts must be from 1 to %d (the shifts of a month)", maxMonthShifts)
	case !finite(p.MaxPerShift) || p.MaxPerShift < MinNorm || p.MaxPerShift > MaxQuantity:
		return FieldErrorf("max_per_shift", "max_per_shift must be from %g to %s: the most one shift may record of the good", MinNorm, FormatQuantity(MaxQuantity))
	}
	return nil
}

// Flag is one rule's finding on a report, with the figures that made it.
type Flag struct {
	ReportID  int64              `json:"report_id"`
	Rule      string             `json:"rule"`
	Figures   map[string]float64 `json:"figures"`
	Message   string             `json:"message"`
	CreatedAt time.Time          `json:"created_at"`
}

// CheckMultiple applies the multiple-of-norm rule to a report's credited
// output (accepted × the subject's share) against the norm in force.
func (p PlausibilityRules) CheckMultiple(credited, accepted, norm float64, measure string) *Flag {
	if p.MultipleOfNorm <= 0 || norm <= 0 {
		return nil
	}
	m := credited / norm
	if m <= p.MultipleOfNorm {
		return nil
	}
	msg := fmt.Sprintf("credited %s is %s times the norm of %s (limit %g times)",
		quantity(credited, measure), ratio(m), quantity(norm, measure), p.MultipleOfNorm)
	if accepted != credited {
		msg += fmt.Sprintf("; the whole team's accepted output was %s", quantity(accepted, measure))
	}
	return &Flag{Rule: RuleMultipleOfNorm, Message: msg, Figures: map[string]float64{
		"credited": round4(credited), "accepted": round4(accepted), "norm": norm, "multiple": round4(m), "limit": p.MultipleOfNorm}}
}

// PeerStats returns the median and robust spread of a peer group: every
// live report of the same subject kind, unit, good and day, the one judged
// included. ok is false when the rule is off or the group has fewer than
// PeerMinimum reports besides the one judged.
func (p PlausibilityRules) PeerStats(group []float64) (median, spread float64, ok bool) {
	if p.PeerMADs <= 0 || len(group)-1 < p.PeerMinimum || len(group) == 0 {
		return 0, 0, false
	}
	median, spread = RobustSpread(group)
	return median, spread, spread > 0
}

// CheckPeers applies the peer rule to a report's credited output, given
// its group's PeerStats.
func (p PlausibilityRules) CheckPeers(value, median, spread float64, group int, measure string) *Flag {
	if p.PeerMADs <= 0 || spread <= 0 {
		return nil
	}
	limit := median + p.PeerMADs*spread
	if value <= limit {
		return nil
	}
	z := (value - median) / spread
	return &Flag{Rule: RulePeers, Figures: map[string]float64{
		"credited": round4(value), "peers": float64(group - 1), "median": round4(median), "robust_sd": round4(spread),
		"mads": p.PeerMADs, "limit": round4(limit), "z": round4(z)},
		Message: fmt.Sprintf("credited %s is %s robust standard deviations above the median of %d peers' reports that day, %s (limit %s)",
			quantity(value, measure), ratio(z), group-1, quantity(median, measure), quantity(limit, measure))}
}

// RobustSpread returns the median of xs and a robust estimate of their
// standard deviation: 1.4826 × the median absolute deviation, or, when
// that is zero, 1.2533 × the mean absolute deviation from the median.
func RobustSpread(xs []float64) (median, spread float64) {
	s := slices.Clone(xs)
	slices.Sort(s)
	median = medianOf(s)
	dev := make([]float64, len(s))
	sum := 0.0
	for i, x := range s {
		dev[i] = math.Abs(x - median)
		sum += dev[i]
	}
	slices.Sort(dev)
	if mad := medianOf(dev); mad > 0 {
		return median, madScale * mad
	}
	return median, meanADScale * sum / float64(len(s))
}

func medianOf(sorted []float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// StormMonth is a subject's output of one good in one calendar month. It
// leaves out every report another rule holds (a multiple_of_norm or peers
// flag and no verifier's decision yet), and such a report is not
// storm-flagged: as the peer rule's median is not moved by one outlier,
// one outlier already held cannot make the ordinary shifts beside it look
// like a storm. A verified report counts again; a rejected one never does.
type StormMonth struct {
	Month  Date // its first day
	Shifts int
	Total  float64
	// Last is the output of the month's last StormDays days.
	Last float64
}

// InStormDays reports whether d is in the last StormDays days of its month.
func (p PlausibilityRules) InStormDays(d Date) bool {
	if p.StormShare <= 0 {
		return false
	}
	end := NewDate(d.Year(), d.Month()+1, 0)
	return !d.Before(end.AddDays(-(p.StormDays - 1)))
}

// CheckStorm applies the storm rule to a subject's month.
func (p PlausibilityRules) CheckStorm(m StormMonth, measure string) *Flag {
	if p.StormShare <= 0 || m.Shifts < p.StormMinShifts || m.Total <= 0 {
		return nil
	}
	share := m.Last / m.Total
	if share <= p.StormShare {
		return nil
	}
	return &Flag{Rule: RuleStorm, Figures: map[string]float64{
		"last_days": float64(p.StormDays), "last_days_output": round4(m.Last), "month_output": round4(m.Total),
		"share": round4(share), "limit": p.StormShare, "shifts": float64(m.Shifts)},
		Message: fmt.Sprintf("%.0f%% of the month's %s (%d shifts in %04d-%02d) came in its last %d days (limit %.0f%%)",
			share*100, quantity(m.Total, measure), m.Shifts, m.Month.Year(), int(m.Month.Month()), p.StormDays, p.StormShare*100)}
}

func quantity(v float64, measure string) string {
	return strings.TrimSpace(fmt.Sprintf("%s %s", FormatQuantity(v), measure))
}

// ratio writes a multiple to one decimal, or in four significant digits
// when it is too large to read that way.
func ratio(v float64) string {
	if !finite(v) || math.Abs(v) >= 1e6 {
		return fmt.Sprintf("%.4g", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// Verification decisions.
const (
	DecisionVerified = "verified"
	DecisionRejected = "rejected"
)

// Review states of a report: flagged and awaiting verification, verified,
// or rejected. A report with no flag and no decision has none.
const (
	ReviewFlagged  = "flagged"
	ReviewVerified = "verified"
	ReviewRejected = "rejected"
)

// Verification is a verifier's decision on a report, with a note. Each
// report has at most one; it is never changed.
type Verification struct {
	ReportID int64  `json:"report_id"`
	Decision string `json:"decision"`
	Note     string `json:"note"`
	// VerifierID is the verifier's account, PersonID the person it is.
	VerifierID int64     `json:"verifier_id"`
	PersonID   int64     `json:"person_id,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

func (v *Verification) Validate() error {
	switch v.Decision {
	case DecisionVerified, DecisionRejected:
	case "":
		return FieldErrorf("decision", "decision is required: verified or rejected")
	default:
		return FieldErrorf("decision", "decision %q is not one of verified, rejected", v.Decision)
	}
	if strings.TrimSpace(v.Note) == "" {
		return FieldErrorf("note", "note is required: say what was checked")
	}
	if len(v.Note) > 4000 {
		return FieldErrorf("note", "note is longer than 4000 characters")
	}
	return nil
}

// Why a person may not verify a report: it worked or reported the shift.
const (
	DependsSubject  = "subject"  // the person is the report's subject
	DependsMember   = "member"   // a member of the collective that is
	DependsHelper   = "helper"   // a helper on the shift
	DependsWitness  = "witness"  // a witness of the shift
	DependsReporter = "reporter" // the person who reported it
)

// Dependencies lists why a person may not verify a report (Depends...), or
// none if it is independent of it. memberOfSubject tells whether the
// person belongs to the subject when it is a collective.
func (r *Report) Dependencies(personID, reporterPersonID int64, memberOfSubject bool) []string {
	var why []string
	if r.Subject == PersonSubject(personID) {
		why = append(why, DependsSubject)
	}
	if memberOfSubject {
		why = append(why, DependsMember)
	}
	if r.HasHelper(personID) {
		why = append(why, DependsHelper)
	}
	if slices.Contains(r.Witnesses, personID) {
		why = append(why, DependsWitness)
	}
	if reporterPersonID != 0 && reporterPersonID == personID {
		why = append(why, DependsReporter)
	}
	return why
}

// Independence says, in a sentence, the first reason a person may not
// verify a report, or "" if it may.
func (r *Report) Independence(personID, reporterPersonID int64, memberOfSubject bool) string {
	why := r.Dependencies(personID, reporterPersonID, memberOfSubject)
	if len(why) == 0 {
		return ""
	}
	switch why[0] {
	case DependsSubject:
		return fmt.Sprintf("person %d is the subject of report %d", personID, r.ID)
	case DependsMember:
		return fmt.Sprintf("person %d is a member of %s, the subject of report %d", personID, r.Subject, r.ID)
	case DependsHelper:
		return fmt.Sprintf("person %d was a helper on report %d", personID, r.ID)
	case DependsWitness:
		return fmt.Sprintf("person %d witnessed report %d", personID, r.ID)
	}
	return fmt.Sprintf("person %d reported report %d", personID, r.ID)
}
