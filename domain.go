package stakhanov

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Unit kinds: the levels of the organisation tree.
const (
	UnitMinistry   = "ministry"
	UnitEnterprise = "enterprise"
	UnitCollective = "collective"
)

// Unit is a node of the organisation tree.
type Unit struct {
	ID       int64  `json:"id"`
	ParentID int64  `json:"parent_id,omitempty"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
	// Path lists the unit's ancestors and itself, "/1/4/9/", so that scope
	// checks and subtree queries need no recursion.
	Path      string    `json:"path"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy int64     `json:"created_by,omitempty"`
	// HidesRanks is true when the unit hides its people's places on
	// leaderboards: the latest setting of the nearest unit on its Path
	// (itself first, then its parent, and so on) that has one decides;
	// with none, ranks are shown. See UnitSettingsStore.
	HidesRanks bool `json:"hide_ranks"`
	// PublishesShortages is true when the unit, a ministry, publishes its
	// shortages on the public page: its own choice, the latest in force.
	PublishesShortages bool `json:"publishes_shortages"`
}

func (u *Unit) Validate() error {
	switch u.Kind {
	case UnitMinistry, UnitEnterprise, UnitCollective:
	case "":
		return FieldErrorf("kind", "kind is required (ministry, enterprise or collective)")
	default:
		return FieldErrorf("kind", "kind %q is not one of ministry, enterprise, collective", u.Kind)
	}
	if strings.TrimSpace(u.Name) == "" {
		return FieldErrorf("name", "name is required")
	}
	if u.ParentID < 0 {
		return FieldErrorf("parent_id", "parent_id must be a unit id")
	}
	return nil
}

// UnitPath returns the path of a unit with the given id under parentPath.
func UnitPath(parentPath string, id int64) string {
	if parentPath == "" {
		parentPath = "/"
	}
	return parentPath + strconv.FormatInt(id, 10) + "/"
}

// Within reports whether the unit at path lies in the subtree whose root has
// path scope.
func Within(path, scope string) bool {
	return scope != "" && strings.HasPrefix(path, scope)
}

// Person is someone who works in a unit. People need no account to have
// norms and reports.
type Person struct {
	ID     int64 `json:"id"`
	UnitID int64 `json:"unit_id"`
	// Code is an optional personnel number, unique, used to recognise a
	// person on re-import.
	Code       string    `json:"code,omitempty"`
	Name       string    `json:"name"`
	Profession string    `json:"profession"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  int64     `json:"created_by,omitempty"`
}

func (p *Person) Validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return FieldErrorf("name", "name is required")
	}
	if p.UnitID <= 0 {
		return FieldErrorf("unit_id", "unit_id is required")
	}
	return nil
}

// Good is what is produced, with its measure: coal in tonnes, parts in
// pieces, operations, hectares, performances.
type Good struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Measure   string    `json:"measure"`
	CreatedAt time.Time `json:"created_at"`
	CreatedBy int64     `json:"created_by,omitempty"`
}

func (g *Good) Validate() error {
	if strings.TrimSpace(g.Name) == "" {
		return FieldErrorf("name", "name is required")
	}
	if strings.TrimSpace(g.Measure) == "" {
		return FieldErrorf("measure", "measure is required (tonnes, pieces, operations, ...)")
	}
	return nil
}

// Subject kinds: who a norm is set for and whose output a report records.
const (
	SubjectPerson = "person"
	SubjectUnit   = "unit"
)

// Subject is a person or a collective, written "person:12" or "unit:3".
type Subject struct {
	Kind string
	ID   int64
}

func PersonSubject(id int64) Subject { return Subject{SubjectPerson, id} }
func UnitSubject(id int64) Subject   { return Subject{SubjectUnit, id} }

func (s Subject) IsZero() bool { return s.Kind == "" && s.ID == 0 }

func (s Subject) String() string {
	if s.IsZero() {
		return ""
	}
	return s.Kind + ":" + strconv.FormatInt(s.ID, 10)
}

// ParseSubject parses "person:12" or "unit:3".
func ParseSubject(v string) (Subject, error) {
	kind, id, ok := strings.Cut(v, ":")
	if !ok || (kind != SubjectPerson && kind != SubjectUnit) {
		return Subject{}, fmt.Errorf("%s is not a subject: write person:ID or unit:ID", ShortQuote(v))
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return Subject{}, fmt.Errorf("%s is not a subject: the id must be a positive number", ShortQuote(v))
	}
	return Subject{kind, n}, nil
}

func (s Subject) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

func (s *Subject) UnmarshalText(b []byte) error {
	v, err := ParseSubject(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Norm is the quota for a subject and a good: an amount per shift, in force
// from a date until a later version takes over. Versions are never changed.
type Norm struct {
	ID            int64     `json:"id"`
	Subject       Subject   `json:"subject"`
	GoodID        int64     `json:"good_id"`
	Amount        float64   `json:"amount"`
	EffectiveFrom Date      `json:"effective_from"`
	Reason        string    `json:"reason"`
	Version       int       `json:"version"`
	SetBy         int64     `json:"set_by,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	// Present is set by CreateNorm when the norm was already present (see
	// SameAs): the norm is then the version held, and nothing was written.
	Present bool `json:"-"`
}

// SameAs reports whether a norm restates o, the latest version of the same
// subject and good effective from the same day: same amount and reason.
// Submitting it again is "already present"; a new amount or reason for
// that day is a new version.
func (n *Norm) SameAs(o *Norm) bool {
	return n.Subject == o.Subject && n.GoodID == o.GoodID && n.EffectiveFrom == o.EffectiveFrom &&
		n.Amount == o.Amount && n.Reason == o.Reason
}

func (n *Norm) Validate() error {
	if n.Subject.IsZero() {
		return FieldErrorf("subject", "subject is required (person:ID or unit:ID)")
	}
	if n.GoodID <= 0 {
		return FieldErrorf("good_id", "good_id is required")
	}
	if !finite(n.Amount) {
		return FieldErrorf("amount", "amount must be a finite number")
	}
	if !(n.Amount > 0) {
		return FieldErrorf("amount", "amount must be greater than zero")
	}
	if n.Amount < MinNorm {
		return FieldErrorf("amount", "amount must be at least %g of the good's measure per shift", MinNorm)
	}
	// The store bounds it by the good's max_per_shift (CheckNorm).
	if n.EffectiveFrom.IsZero() {
		return FieldErrorf("effective_from", "effective_from is required (YYYY-MM-DD)")
	}
	if strings.TrimSpace(n.Reason) == "" {
		return FieldErrorf("reason", "reason is required: say why the norm is set")
	}
	return nil
}

// Need is the quantity of a good that a unit needs in a period.
type Need struct {
	ID        int64     `json:"id"`
	UnitID    int64     `json:"unit_id"`
	GoodID    int64     `json:"good_id"`
	From      Date      `json:"from"`
	To        Date      `json:"to"`
	Quantity  float64   `json:"quantity"`
	Note      string    `json:"note,omitempty"`
	CreatedBy int64     `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

func (n *Need) Validate() error {
	if n.UnitID <= 0 {
		return FieldErrorf("unit_id", "unit_id is required")
	}
	if n.GoodID <= 0 {
		return FieldErrorf("good_id", "good_id is required")
	}
	if n.From.IsZero() {
		return FieldErrorf("from", "from is required (YYYY-MM-DD)")
	}
	if n.To.IsZero() {
		return FieldErrorf("to", "to is required (YYYY-MM-DD)")
	}
	if n.To.Before(n.From) {
		return FieldErrorf("to", "to is before from")
	}
	if !finite(n.Quantity) {
		return FieldErrorf("quantity", "quantity must be a finite number")
	}
	if !(n.Quantity > 0) {
		return FieldErrorf("quantity", "quantity must be greater than zero")
	}
	// A need is a unit's over a period, not one shift's: it is bounded by
	// MaxQuantity only.
	if n.Quantity > MaxQuantity {
		return FieldErrorf("quantity", "quantity must be at most %s", FormatQuantity(MaxQuantity))
	}
	return nil
}

// Helper is a person who helped on a shift. Share is the part of the output
// credited to them; when no helper has a share, the team shares equally.
type Helper struct {
	PersonID int64    `json:"person_id"`
	Share    *float64 `json:"share,omitempty"`
}

// Report is one shift's output for a subject and a good. Reports are never
// changed: a correction is a new report naming the one it corrects, and it
// replaces that report in every figure.
type Report struct {
	ID        int64    `json:"id"`
	Subject   Subject  `json:"subject"`
	GoodID    int64    `json:"good_id"`
	Date      Date     `json:"date"`
	Shift     int      `json:"shift"`
	Minutes   int      `json:"minutes,omitempty"`
	Produced  float64  `json:"produced"`
	Accepted  float64  `json:"accepted"`
	Helpers   []Helper `json:"helpers,omitempty"`
	Witnesses []int64  `json:"witnesses,omitempty"`
	Note      string   `json:"note,omitempty"`
	// Key is an optional client-chosen idempotency key: a replay under it
	// answers with the report first written.
	Key      string `json:"key,omitempty"`
	Corrects int64  `json:"corrects,omitempty"`
	// SubjectShare is the part of the output credited to the subject itself
	// once helpers have their shares.
	SubjectShare float64   `json:"subject_share"`
	ReporterID   int64     `json:"reporter_id,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	// CorrectedBy is the correction that replaces this one, if any.
	CorrectedBy int64 `json:"corrected_by,omitempty"`
	// SupersededBy is the report that replaced this one, if any: its
	// correction (CorrectedBy), or, for one of several reports of a shift
	// written before a shift had one current report, the latest of them
	// (this one is then a duplicate set aside). A report is current while
	// SupersededBy is 0.
	SupersededBy int64 `json:"superseded_by,omitempty"`
	// Flags are the plausibility rules the report broke, with their
	// figures; Review is flagged (awaiting verification), verified or
	// rejected, or empty for a report with neither flag nor decision; and
	// Verification is the decision, if any.
	Flags        []Flag        `json:"flags,omitempty"`
	Review       string        `json:"review,omitempty"`
	Verification *Verification `json:"verification,omitempty"`
	// Late marks a report written after its month was closed (see
	// PeriodClose): a late correction. The writer sets it to say it knows;
	// the store keeps it only where the month was closed.
	Late bool `json:"late,omitempty"`
}

// MaxShift is the highest shift number of a day.
const MaxShift = 4

// Validate checks a report on its own and fills in the shares: equal shares
// across the team unless shares are given.
func (r *Report) Validate() error {
	if r.Subject.IsZero() {
		return FieldErrorf("subject", "subject is required (person:ID or unit:ID)")
	}
	if r.GoodID <= 0 {
		return FieldErrorf("good_id", "good_id is required")
	}
	if r.Date.IsZero() {
		return FieldErrorf("date", "date is required (YYYY-MM-DD)")
	}
	if r.Shift < 1 || r.Shift > MaxShift {
		return FieldErrorf("shift", "shift must be between 1 and %d", MaxShift)
	}
	if r.Minutes < 0 || r.Minutes > 24*60 {
		return FieldErrorf("minutes", "minutes must be between 0 and 1440")
	}
	// Finite and not negative here; the store bounds them by the good's
	// max_per_shift (PlausibilityRules.CheckReport).
	if err := CheckQuantity("produced", r.Produced, math.MaxFloat64, ""); err != nil {
		return err
	}
	if err := CheckQuantity("accepted", r.Accepted, math.MaxFloat64, ""); err != nil {
		return err
	}
	r.Produced, r.Accepted = zero(r.Produced), zero(r.Accepted)
	if r.Accepted > r.Produced {
		return FieldErrorf("accepted", "accepted (%s) is more than produced (%s)", FormatQuantity(r.Accepted), FormatQuantity(r.Produced))
	}
	if r.Key != "" && strings.TrimSpace(r.Key) == "" {
		return FieldErrorf("key", "key is blank: leave it out or give an idempotency key")
	}
	if len(r.Key) > 200 {
		return FieldErrorf("key", "key is longer than 200 characters")
	}
	if r.Corrects < 0 {
		return FieldErrorf("corrects", "corrects must be a report id")
	}
	seen := map[int64]bool{}
	if r.Subject.Kind == SubjectPerson {
		seen[r.Subject.ID] = true
	}
	withShares := 0
	total := 0.0
	for i, h := range r.Helpers {
		field := fmt.Sprintf("helpers[%d]", i)
		if h.PersonID <= 0 {
			return FieldErrorf(field+".person_id", "person_id is required")
		}
		if seen[h.PersonID] {
			return FieldErrorf(field+".person_id", "person %d is named twice in the team", h.PersonID)
		}
		seen[h.PersonID] = true
		if h.Share != nil {
			if !(*h.Share > 0 && *h.Share < 1) {
				return FieldErrorf(field+".share", "share must be between 0 and 1")
			}
			withShares++
			total += *h.Share
		}
	}
	if withShares != 0 && withShares != len(r.Helpers) {
		return FieldErrorf("helpers", "give a share for every helper or for none")
	}
	if withShares > 0 {
		if total >= 1 {
			return FieldErrorf("helpers", "helpers' shares add up to %g: they must leave a share for the subject", total)
		}
		r.SubjectShare = 1 - total
	} else {
		team := float64(len(r.Helpers) + 1)
		r.SubjectShare = 1 / team
		for i := range r.Helpers {
			s := 1 / team
			r.Helpers[i].Share = &s
		}
	}
	for i, w := range r.Witnesses {
		if w <= 0 {
			return FieldErrorf(fmt.Sprintf("witnesses[%d]", i), "witness must be a person id")
		}
	}
	return nil
}

// SameAs reports whether two reports record the same facts, so that a
// replay under the same idempotency key can be told from a clash. Both must
// have been validated (shares filled in).
func (r *Report) SameAs(o *Report) bool {
	if r.Subject != o.Subject || r.GoodID != o.GoodID || r.Date != o.Date ||
		r.Shift != o.Shift || r.Minutes != o.Minutes || r.Produced != o.Produced ||
		r.Accepted != o.Accepted || r.Corrects != o.Corrects || r.Note != o.Note ||
		!sameShare(r.SubjectShare, o.SubjectShare) {
		return false
	}
	return sameHelpers(r.Helpers, o.Helpers) && sameIDs(r.Witnesses, o.Witnesses)
}

func sameShare(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func sameHelpers(a, b []Helper) bool {
	if len(a) != len(b) {
		return false
	}
	shares := make(map[int64]float64, len(a))
	for _, h := range a {
		shares[h.PersonID] = *h.Share
	}
	for _, h := range b {
		s, ok := shares[h.PersonID]
		if !ok || !sameShare(s, *h.Share) {
			return false
		}
	}
	return true
}

func sameIDs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// Roles: what a user may do. Each user's role applies within its unit scope.
const (
	RoleAdmin     = "admin"
	RolePlanner   = "planner"
	RoleForeman   = "foreman"
	RoleWorker    = "worker"
	RoleVerifier  = "verifier"
	RoleNominator = "nominator"
	RoleCommittee = "committee"
	RoleAuthority = "authority"
	RoleRegistrar = "registrar"
	RoleAuditor   = "auditor"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RolePlanner, RoleForeman, RoleWorker, RoleVerifier,
	RoleNominator, RoleCommittee, RoleAuthority, RoleRegistrar, RoleAuditor}

// User is an account: a role within a unit scope, optionally tied to the
// person it is.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      string    `json:"role"`
	UnitID    int64     `json:"unit_id,omitempty"`
	PersonID  int64     `json:"person_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// Disabled accounts cannot sign in or use a token; disabling one ends
	// its sessions and revokes its tokens.
	Disabled bool `json:"disabled"`
	// ScopePath is the path of the user's unit; empty for the whole tree.
	ScopePath string `json:"-"`
}

func (u *User) Validate() error {
	if strings.TrimSpace(u.Name) == "" {
		return FieldErrorf("name", "name is required")
	}
	for _, r := range Roles {
		if r == u.Role {
			return nil
		}
	}
	return FieldErrorf("role", "role %q is not one of %s", u.Role, strings.Join(Roles, ", "))
}

// System is the operator acting from the command line with direct access to
// the database (set-up, demo, import without a token).
var System = &User{Name: "system", Role: RoleAdmin}

// Covers reports whether the user's scope includes the unit at path.
func (u *User) Covers(path string) bool {
	return u.UnitID == 0 || Within(path, u.ScopePath)
}

// Page selects a window of a list.
type Page struct {
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// DefaultLimit and MaxLimit bound list pages.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Normalize applies the default and maximum page size.
func (p Page) Normalize() Page {
	if p.Limit <= 0 {
		p.Limit = DefaultLimit
	}
	if p.Limit > MaxLimit {
		p.Limit = MaxLimit
	}
	if p.Offset < 0 {
		p.Offset = 0
	}
	return p
}

// HasHelper reports whether person id helped on the report.
func (r *Report) HasHelper(id int64) bool {
	for _, h := range r.Helpers {
		if h.PersonID == id {
			return true
		}
	}
	return false
}
