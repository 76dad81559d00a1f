package stakhanov

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Award kinds.
const (
	AwardTitle = "title"
	AwardOrder = "order"
	AwardMedal = "medal"
)

// Insignia describes how an award looks; the SVG image is drawn from it.
type Insignia struct {
	Description string `json:"description"`
	// Shape is "star" (five-pointed) or "disc".
	Shape string `json:"shape"`
	// Metal is the colour of the star or disc: gold, silver, bronze, platinum.
	Metal string `json:"metal"`
	// Emblem is drawn on the shape: "hammer-and-sickle", "two-headed-eagle",
	// "lenin", or "" for none.
	Emblem string `json:"emblem,omitempty"`
	// Ribbon lists the ribbon's stripes as CSS colours, left to right.
	Ribbon []string `json:"ribbon"`
}

// RepeatBenefit is what the n-th award of the same title brings.
type RepeatBenefit struct {
	Times  int    `json:"times"`
	Brings string `json:"brings"`
}

// Stage is one level of review, with its committee. A stage is decided
// once at least Quorum members have voted: approved if the share of
// approvals among approvals and rejections is more than Majority.
type Stage struct {
	Name     string  `json:"name"`
	Members  []int64 `json:"members"`
	Quorum   int     `json:"quorum"`
	Majority float64 `json:"majority"`
	// The way out when too few members may vote on a nomination (the
	// candidate's enterprise, its recommenders recuse): Substitutes stand
	// in, in their order, as many as the quorum needs; failing them, the
	// Chair (one of the members) decides alone.
	Substitutes []int64 `json:"substitutes,omitempty"`
	Chair       int64   `json:"chair,omitempty"`
}

// StageStanding is who may decide a nomination at its stage.
type StageStanding struct {
	Stage  int    `json:"stage"`
	Name   string `json:"name"`
	Quorum int    `json:"quorum"`
	// Eligible are the members, and the substitutes standing in, who may
	// vote; Recused those who may not, with why.
	Eligible []int64         `json:"eligible"`
	Recused  []RecusedMember `json:"recused"`
	// Substituted: substitutes stand in. ChairDecides: too few may vote
	// even so, and the chair decides alone. Stuck: nobody can decide
	// until the award's stage is changed.
	Substituted  bool   `json:"substituted,omitempty"`
	ChairDecides bool   `json:"chair_decides,omitempty"`
	Stuck        bool   `json:"stuck,omitempty"`
	WayOut       string `json:"way_out,omitempty"`
}

// RecusedMember is a member (or substitute) who may not vote, and why.
type RecusedMember struct {
	UserID    int64      `json:"user_id"`
	Conflicts []Conflict `json:"conflicts"`
}

// Standing works out who may decide at the stage, given each member's and
// substitute's conflicts with the nomination.
func (s Stage) Standing(index int, conflicts map[int64][]Conflict) StageStanding {
	st := StageStanding{Stage: index, Name: s.Name, Quorum: s.Quorum, Eligible: []int64{}, Recused: []RecusedMember{}}
	free := func(ids []int64) []int64 {
		var out []int64
		for _, id := range ids {
			if c := conflicts[id]; len(c) > 0 {
				st.Recused = append(st.Recused, RecusedMember{UserID: id, Conflicts: c})
			} else {
				out = append(out, id)
			}
		}
		return out
	}
	st.Eligible = append(st.Eligible, free(s.Members)...)
	if len(st.Eligible) >= s.Quorum {
		return st
	}
	for _, id := range free(s.Substitutes) {
		if len(st.Eligible) < s.Quorum {
			st.Eligible = append(st.Eligible, id)
			st.Substituted = true
		}
	}
	switch {
	case len(st.Eligible) >= s.Quorum:
		st.WayOut = fmt.Sprintf("%d of the stage's members must recuse: substitutes stand in to make the quorum of %d", len(s.Members)-countIn(s.Members, st.Eligible), s.Quorum)
	case s.Chair != 0 && len(conflicts[s.Chair]) == 0:
		st.ChairDecides = true
		st.WayOut = fmt.Sprintf("only %d may vote where the quorum is %d: the stage's chair decides alone", len(st.Eligible), s.Quorum)
	default:
		st.Stuck = true
		st.WayOut = fmt.Sprintf("only %d may vote where the quorum is %d, and the stage has no substitute or chair free to stand in: an admin must give the stage a substitute or a chair", len(st.Eligible), s.Quorum)
	}
	return st
}

func countIn(ids, in []int64) int {
	n := 0
	for _, id := range ids {
		if slices.Contains(in, id) {
			n++
		}
	}
	return n
}

// Outcome decides the stage from the votes cast at it: by the quorum and
// majority of those who may vote, or, where the chair decides, by the
// chair's vote alone.
func (st StageStanding) Outcome(s Stage, votes []Vote) (decided, approved bool) {
	if st.ChairDecides {
		for _, v := range votes {
			if v.MemberID == s.Chair {
				return true, v.Vote == VoteApprove
			}
		}
		return false, false
	}
	var counted []Vote
	for _, v := range votes {
		if slices.Contains(st.Eligible, v.MemberID) {
			counted = append(counted, v)
		}
	}
	return StageOutcome(s, counted)
}

// Candidacy rule kinds.
const (
	// RuleKOfN: fulfilment at or above Percent on at least K of the last N
	// shifts.
	RuleKOfN = "k_of_n"
	// RuleStreak: at or above Percent on each of the last Length shifts.
	RuleStreak = "streak"
	// RulePeriodTotal: fulfilment over the last complete Period (month or
	// year) at or above Percent.
	RulePeriodTotal = "period_total"
)

// CandidacyRule says who qualifies for an award on their fulfilment. It is
// data, saved with the award and checked when saved.
type CandidacyRule struct {
	Kind string `json:"kind"`
	// Subject is "person" or "unit": who may qualify.
	Subject string `json:"subject"`
	// GoodID limits the rule to one good; 0 counts every good with a norm.
	GoodID  int64   `json:"good_id,omitempty"`
	Percent float64 `json:"percent"`
	K       int     `json:"k,omitempty"`
	N       int     `json:"n,omitempty"`
	Length  int     `json:"length,omitempty"`
	Period  string  `json:"period,omitempty"`
}

// Validate checks a rule; field names are prefixed with "rules.candidacy".
func (r *CandidacyRule) Validate() error {
	f := func(name, format string, args ...any) error {
		return FieldErrorf("rules.candidacy."+name, format, args...)
	}
	if r.Subject != SubjectPerson && r.Subject != SubjectUnit {
		return f("subject", "subject must be person or unit")
	}
	if !(r.Percent > 0) || r.Percent > 10000 {
		return f("percent", "percent must be above 0 (e.g. 120 for 120%%)")
	}
	switch r.Kind {
	case RuleKOfN:
		if r.N < 1 || r.N > 1000 {
			return f("n", "n must be between 1 and 1000 shifts")
		}
		if r.K < 1 || r.K > r.N {
			return f("k", "k must be between 1 and n (%d)", r.N)
		}
	case RuleStreak:
		if r.Length < 1 || r.Length > 1000 {
			return f("length", "length must be between 1 and 1000 shifts")
		}
	case RulePeriodTotal:
		if r.Period != PeriodMonth && r.Period != PeriodYear {
			return f("period", "period must be month or year")
		}
	case "":
		return f("kind", "kind is required: k_of_n, streak or period_total")
	default:
		return f("kind", "kind %q is not one of k_of_n, streak, period_total", r.Kind)
	}
	return nil
}

// AwardRules tie an award to its holders and to other awards.
type AwardRules struct {
	// MaxTimes is how many times one recipient may hold it; 0 is no limit.
	MaxTimes int `json:"max_times"`
	// Prerequisites must be held (unrevoked) before this award.
	Prerequisites []int64 `json:"prerequisites,omitempty"`
	// Companions are conferred with it by the same decree.
	Companions   []int64         `json:"companions,omitempty"`
	RepeatBrings []RepeatBenefit `json:"repeat_brings,omitempty"`
	Candidacy    *CandidacyRule  `json:"candidacy,omitempty"`
	// RecommendationsNeeded before a nomination enters review.
	RecommendationsNeeded int     `json:"recommendations_needed"`
	Stages                []Stage `json:"stages"`
}

// Award is a title, order or medal and its rules.
type Award struct {
	ID            int64      `json:"id"`
	Name          string     `json:"name"`
	Kind          string     `json:"kind"`
	Country       string     `json:"country"`
	Description   string     `json:"description"`
	Criteria      string     `json:"criteria"`
	Insignia      Insignia   `json:"insignia"`
	Authority     string     `json:"authority"`
	Established   Date       `json:"established"`
	EstablishedBy string     `json:"established_by"`
	Abolished     Date       `json:"abolished"`
	AbolishedBy   string     `json:"abolished_by,omitempty"`
	PredecessorID int64      `json:"predecessor_id,omitempty"`
	Rules         AwardRules `json:"rules"`
	CreatedAt     time.Time  `json:"created_at"`
	CreatedBy     int64      `json:"created_by,omitempty"`
}

// Validate checks an award on its own; references to other awards and
// users are checked by the store.
func (a *Award) Validate() error {
	if strings.TrimSpace(a.Name) == "" {
		return FieldErrorf("name", "name is required")
	}
	switch a.Kind {
	case AwardTitle, AwardOrder, AwardMedal:
	default:
		return FieldErrorf("kind", "kind must be title, order or medal")
	}
	if strings.TrimSpace(a.Authority) == "" {
		return FieldErrorf("authority", "authority is required: who confers it")
	}
	if a.Established.IsZero() {
		return FieldErrorf("established", "established is required (YYYY-MM-DD)")
	}
	if !a.Abolished.IsZero() && !a.Abolished.After(a.Established) {
		return FieldErrorf("abolished", "abolished must be after established")
	}
	switch a.Insignia.Shape {
	case "star", "disc":
	default:
		return FieldErrorf("insignia.shape", "shape must be star or disc")
	}
	r := &a.Rules
	if r.MaxTimes < 0 {
		return FieldErrorf("rules.max_times", "max_times must be 0 (no limit) or more")
	}
	if r.RecommendationsNeeded < 0 {
		return FieldErrorf("rules.recommendations_needed", "recommendations_needed must not be negative")
	}
	for i, b := range r.RepeatBrings {
		if b.Times < 2 || (r.MaxTimes > 0 && b.Times > r.MaxTimes) {
			return FieldErrorf(fmt.Sprintf("rules.repeat_brings[%d].times", i), "times must be 2 or more, and at most max_times")
		}
	}
	if r.Candidacy != nil {
		if err := r.Candidacy.Validate(); err != nil {
			return err
		}
	}
	if len(r.Stages) == 0 {
		return FieldErrorf("rules.stages", "at least one review stage is required")
	}
	for i, s := range r.Stages {
		field := fmt.Sprintf("rules.stages[%d]", i)
		if strings.TrimSpace(s.Name) == "" {
			return FieldErrorf(field+".name", "name is required")
		}
		if len(s.Members) == 0 {
			return FieldErrorf(field+".members", "a stage needs committee members")
		}
		if s.Quorum < 1 || s.Quorum > len(s.Members) {
			return FieldErrorf(field+".quorum", "quorum must be between 1 and the number of members (%d)", len(s.Members))
		}
		if s.Majority < 0 || s.Majority >= 1 {
			return FieldErrorf(field+".majority", "majority must be at least 0 and below 1 (0.5: more than half)")
		}
		for j, sub := range s.Substitutes {
			if slices.Contains(s.Members, sub) {
				return FieldErrorf(fmt.Sprintf("%s.substitutes[%d]", field, j), "user %d is a member of the stage already", sub)
			}
		}
		if s.Chair != 0 && !slices.Contains(s.Members, s.Chair) {
			return FieldErrorf(field+".chair", "the chair (user %d) must be one of the stage's members", s.Chair)
		}
	}
	return nil
}

// InForceOn reports whether the award could be conferred on d.
func (a *Award) InForceOn(d Date) bool {
	return !d.Before(a.Established) && (a.Abolished.IsZero() || d.Before(a.Abolished))
}

// Recommendation is one person's letter of support for a candidate.
type Recommendation struct {
	ID            int64     `json:"id"`
	RecommenderID int64     `json:"recommender_id"`
	Candidate     Subject   `json:"candidate"`
	AwardID       int64     `json:"award_id"`
	Text          string    `json:"text"`
	CreatedAt     time.Time `json:"created_at"`
	CreatedBy     int64     `json:"created_by,omitempty"`
}

// Nomination states.
const (
	NominationProposed  = "proposed"
	NominationInReview  = "in_review"
	NominationApproved  = "approved"
	NominationRejected  = "rejected"
	NominationWithdrawn = "withdrawn"
	NominationConferred = "conferred"
	// NominationRevoked: a conferral the nomination led to was revoked.
	NominationRevoked = "revoked"
)

// Nomination sources.
const (
	SourceRule    = "rule"
	SourceDossier = "dossier"
)

// Nomination is a candidate for an award on its way through review. Its
// state is the last of its events.
type Nomination struct {
	ID        int64   `json:"id"`
	AwardID   int64   `json:"award_id"`
	Candidate Subject `json:"candidate"`
	Source    string  `json:"source"`
	Dossier   string  `json:"dossier,omitempty"`
	// Evidence is what the candidacy rule found when the nomination was
	// proposed from it.
	Evidence    *Candidate `json:"evidence,omitempty"`
	NominatorID int64      `json:"nominator_id,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`

	State string `json:"state"`
	// Stage is the index of the review stage while in review.
	Stage           int               `json:"stage"`
	History         []NominationEvent `json:"history,omitempty"`
	Votes           []Vote            `json:"votes,omitempty"`
	Recommendations []*Recommendation `json:"recommendations,omitempty"`
}

// NominationEvent is one step in a nomination's history.
type NominationEvent struct {
	At     time.Time `json:"at"`
	By     int64     `json:"by,omitempty"`
	State  string    `json:"state"`
	Stage  int       `json:"stage"`
	Reason string    `json:"reason"`
}

// Votes.
const (
	VoteApprove = "approve"
	VoteReject  = "reject"
	VoteAbstain = "abstain"
)

// Vote is a committee member's decision at one stage.
type Vote struct {
	NominationID int64     `json:"nomination_id"`
	Stage        int       `json:"stage"`
	MemberID     int64     `json:"member_id"`
	Vote         string    `json:"vote"`
	Comment      string    `json:"comment"`
	CreatedAt    time.Time `json:"created_at"`
}

// MaxCommentLength and MaxDossierLength bound a vote's comment and a
// nomination's dossier.
const (
	MaxCommentLength = 10000
	MaxDossierLength = 100000
)

// Validate checks a vote on its own: what the store checks again against
// the nomination and the member.
func (v *Vote) Validate() error {
	if v.NominationID <= 0 {
		return FieldErrorf("nomination_id", "nomination_id is required")
	}
	switch v.Vote {
	case VoteApprove, VoteReject, VoteAbstain:
	default:
		return FieldErrorf("vote", "vote must be approve, reject or abstain")
	}
	if len(v.Comment) > MaxCommentLength {
		return FieldErrorf("comment", "comment is longer than %d characters", MaxCommentLength)
	}
	return nil
}

// Validate checks a nomination on its own.
func (n *Nomination) Validate() error {
	if n.AwardID <= 0 {
		return FieldErrorf("award_id", "award_id is required")
	}
	if n.Candidate.IsZero() {
		return FieldErrorf("candidate", "candidate is required (person:ID or unit:ID)")
	}
	switch n.Source {
	case SourceRule:
	case SourceDossier:
		if strings.TrimSpace(n.Dossier) == "" {
			return FieldErrorf("dossier", "a dossier is required: say what the candidate did")
		}
	case "":
		return FieldErrorf("source", "source is required: rule or dossier")
	default:
		return FieldErrorf("source", "source %q is not one of rule, dossier", n.Source)
	}
	if len(n.Dossier) > MaxDossierLength {
		return FieldErrorf("dossier", "dossier is longer than %d characters", MaxDossierLength)
	}
	return nil
}

// StageOutcome counts a stage's votes and says whether it is decided.
func StageOutcome(s Stage, votes []Vote) (decided, approved bool) {
	var yes, no int
	for _, v := range votes {
		switch v.Vote {
		case VoteApprove:
			yes++
		case VoteReject:
			no++
		}
	}
	if len(votes) < s.Quorum {
		return false, false
	}
	return true, yes+no > 0 && float64(yes)/float64(yes+no) > s.Majority
}

// Decree kinds.
const (
	DecreeConfer = "confer"
	DecreeRevoke = "revoke"
	// DecreeRecord enters historical conferrals made outside the system
	// (known holders), without nominations.
	DecreeRecord = "record"
)

// DecreeEntry is one line of a decree: a nomination to confer, a conferral
// to revoke with its grounds, or (in a record decree) an award and a
// recipient.
type DecreeEntry struct {
	NominationID int64   `json:"nomination_id,omitempty"`
	ConferralID  int64   `json:"conferral_id,omitempty"`
	Grounds      string  `json:"grounds,omitempty"`
	AwardID      int64   `json:"award_id,omitempty"`
	Recipient    Subject `json:"recipient,omitzero"`
	// KeepCompanions, on a revocation, keeps the companion conferrals
	// made with the one revoked (the Order of Lenin of a Hero of
	// Socialist Labour); by default they are revoked with it.
	KeepCompanions bool `json:"keep_companions,omitempty"`
}

// Revocation grounds.
var RevocationGrounds = []string{"conviction", "discrediting conduct", "records found false"}

// Decree is numbered, dated and signed by an authority.
type Decree struct {
	ID        int64         `json:"id"`
	Number    string        `json:"number"`
	Date      Date          `json:"date"`
	Authority string        `json:"authority"`
	Kind      string        `json:"kind"`
	Entries   []DecreeEntry `json:"entries"`
	CreatedBy int64         `json:"created_by,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	// Signed is set once signed; then the conferrals or revocations exist.
	SignedAt   *time.Time `json:"signed_at,omitempty"`
	SignedBy   int64      `json:"signed_by,omitempty"`
	Conferrals []int64    `json:"conferrals,omitempty"`
	// Discarded is set when a draft was given up: it stays on record and
	// can no longer be signed.
	Discarded *DecreeDiscard `json:"discarded,omitempty"`
	// Removed are the entries taken out of the draft, on record.
	Removed []RemovedEntry `json:"removed,omitempty"`
}

// DecreeDiscard records a draft given up.
type DecreeDiscard struct {
	At     time.Time `json:"at"`
	By     int64     `json:"by,omitempty"`
	Reason string    `json:"reason"`
}

// RemovedEntry is an entry taken out of a draft, with who and why.
type RemovedEntry struct {
	DecreeEntry
	At     time.Time `json:"at"`
	By     int64     `json:"by,omitempty"`
	Reason string    `json:"reason"`
}

func (d *Decree) Validate() error {
	if strings.TrimSpace(d.Number) == "" {
		return FieldErrorf("number", "number is required")
	}
	if d.Date.IsZero() {
		return FieldErrorf("date", "date is required (YYYY-MM-DD)")
	}
	if strings.TrimSpace(d.Authority) == "" {
		return FieldErrorf("authority", "authority is required")
	}
	if len(d.Entries) == 0 {
		return FieldErrorf("entries", "a decree needs at least one entry")
	}
	for i, e := range d.Entries {
		field := fmt.Sprintf("entries[%d]", i)
		switch d.Kind {
		case DecreeConfer:
			if e.NominationID <= 0 {
				return FieldErrorf(field+".nomination_id", "nomination_id is required")
			}
		case DecreeRevoke:
			if e.ConferralID <= 0 {
				return FieldErrorf(field+".conferral_id", "conferral_id is required")
			}
			if !validGrounds(e.Grounds) {
				return FieldErrorf(field+".grounds", "grounds must be one of %s", strings.Join(RevocationGrounds, ", "))
			}
		case DecreeRecord:
			if e.AwardID <= 0 {
				return FieldErrorf(field+".award_id", "award_id is required")
			}
			if e.Recipient.IsZero() {
				return FieldErrorf(field+".recipient", "recipient is required (person:ID or unit:ID)")
			}
		default:
			return FieldErrorf("kind", "kind must be confer, revoke or record")
		}
	}
	return nil
}

func validGrounds(g string) bool {
	for _, v := range RevocationGrounds {
		if g == v {
			return true
		}
	}
	return false
}

// Conferral is one award to one recipient by one decree.
type Conferral struct {
	ID           int64   `json:"id"`
	AwardID      int64   `json:"award_id"`
	Recipient    Subject `json:"recipient"`
	DecreeID     int64   `json:"decree_id"`
	NominationID int64   `json:"nomination_id,omitempty"`
	Serial       int     `json:"serial"`
	Date         Date    `json:"date"`
	// Times is which award of this title it is for the recipient (1, 2, ...)
	// and Brings what that repeat brings.
	Times       int       `json:"times"`
	Brings      string    `json:"brings,omitempty"`
	CompanionOf int64     `json:"companion_of,omitempty"`
	CreatedAt   time.Time `json:"created_at"`

	Revocation  *Revocation   `json:"revocation,omitempty"`
	PresentedAt *Presentation `json:"presented,omitempty"`
}

// Revocation withdraws a conferral by decree; the conferral stays.
type Revocation struct {
	ConferralID int64  `json:"conferral_id"`
	DecreeID    int64  `json:"decree_id"`
	Grounds     string `json:"grounds"`
	Date        Date   `json:"date"`
}

// Presentation is the handing over of a conferral at a ceremony. Its Date
// is the ceremony's, whenever it was recorded: presenting at the May Day
// 2013 ceremony records 2013-05-01; RecordedAt is when the row was written.
type Presentation struct {
	CeremonyID int64     `json:"ceremony_id"`
	Date       Date      `json:"date"`
	RecordedAt time.Time `json:"recorded_at"`
}

// Ceremony is where conferrals are presented.
type Ceremony struct {
	ID         int64     `json:"id"`
	Date       Date      `json:"date"`
	Place      string    `json:"place"`
	Presenter  string    `json:"presenter"`
	Conferrals []int64   `json:"conferrals"`
	Presented  []int64   `json:"presented"`
	CreatedBy  int64     `json:"created_by,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

func (c *Ceremony) Validate() error {
	if c.Date.IsZero() {
		return FieldErrorf("date", "date is required (YYYY-MM-DD)")
	}
	if strings.TrimSpace(c.Place) == "" {
		return FieldErrorf("place", "place is required")
	}
	if strings.TrimSpace(c.Presenter) == "" {
		return FieldErrorf("presenter", "presenter is required")
	}
	return nil
}

// Candidate is a subject that meets an award's candidacy rule, with the
// evidence.
type Candidate struct {
	Subject Subject       `json:"subject"`
	Name    string        `json:"name"`
	AwardID int64         `json:"award_id"`
	Rule    CandidacyRule `json:"rule"`
	// Met counts the shifts (or periods) at or above the rule's percent
	// among Considered.
	Met        int             `json:"met"`
	Considered int             `json:"considered"`
	Shifts     []FulfilmentRow `json:"shifts"`
	// ShiftsJSON is Shifts as the state keeps it, already JSON, when a
	// list of candidates was read for the API (Store.Candidates), which
	// writes it as it is; DecodeShifts fills Shifts from it.
	ShiftsJSON []byte `json:"-"`
}

// Reasons a committee member may not vote on a nomination.
const (
	ConflictCandidate   = "candidate"   // the member is the candidate
	ConflictRecommender = "recommender" // the member recommended the candidate
	ConflictEnterprise  = "enterprise"  // the member belongs to the candidate's enterprise
)

// Conflict is one reason a committee member must recuse from a nomination.
type Conflict struct {
	Reason string `json:"reason"`
	// Enterprise is the candidate's enterprise, for ConflictEnterprise.
	Enterprise int64 `json:"enterprise,omitempty"`
}

func (c Conflict) String() string {
	switch c.Reason {
	case ConflictCandidate:
		return "the member is the candidate"
	case ConflictRecommender:
		return "the member recommended the candidate"
	}
	return fmt.Sprintf("the member belongs to the candidate's enterprise (unit %d)", c.Enterprise)
}

// DecodeShifts fills in Shifts from ShiftsJSON, if Shifts is not set.
func (c *Candidate) DecodeShifts() error {
	if c.Shifts != nil || c.ShiftsJSON == nil {
		return nil
	}
	c.Shifts = []FulfilmentRow{}
	return json.Unmarshal(c.ShiftsJSON, &c.Shifts)
}

// OpenNominationStates are the states of a nomination that may still lead
// to a decree: one candidate has at most one open nomination per award.
var OpenNominationStates = []string{NominationProposed, NominationInReview, NominationApproved}

// Open reports whether the nomination may still lead to a decree.
func (n *Nomination) Open() bool { return slices.Contains(OpenNominationStates, n.State) }
