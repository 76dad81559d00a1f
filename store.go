package stakhanov

import (
	"context"
	"iter"
)

// Store keeps everything Stakhanov knows. Every backend (sqlite, postgres)
// implements it and passes the contract tests in package storetest.
//
// Writes take the acting user from the context (NewContext) and check its
// role and unit scope; a write without a user is refused. Reads need no user.
type Store interface {
	HonoursStore
	CredentialStore
	LedgerStore
	AccountStore
	AccountAdminStore
	SecurityStore
	SigningKeyStore
	UnitSettingsStore
	StateStore
	PeriodCloseStore
	RatchetStore

	CreateUnit(ctx context.Context, u *Unit) error
	FindUnitByID(ctx context.Context, id int64) (*Unit, error)
	FindUnits(ctx context.Context, f UnitFilter) ([]*Unit, int, error)

	CreatePerson(ctx context.Context, p *Person) error
	FindPersonByID(ctx context.Context, id int64) (*Person, error)
	FindPeople(ctx context.Context, f PersonFilter) ([]*Person, int, error)

	CreateGood(ctx context.Context, g *Good) error
	FindGoodByID(ctx context.Context, id int64) (*Good, error)
	FindGoods(ctx context.Context, f GoodFilter) ([]*Good, int, error)

	// CreateNorm adds a new version of the norm for its subject and good.
	CreateNorm(ctx context.Context, n *Norm) error
	FindNorms(ctx context.Context, f NormFilter) ([]*Norm, int, error)

	CreateNeed(ctx context.Context, n *Need) error
	FindNeeds(ctx context.Context, f NeedFilter) ([]*Need, int, error)

	// CreatePlan adds a new version of the plan for its unit (a collective
	// or an enterprise), good, period and start; a plan that restates the
	// version in force is marked Present and nothing is written.
	CreatePlan(ctx context.Context, p *Plan) error
	// FindPlans lists the plans in force with what was accepted against
	// them and their cascades, by unit, good, period and start.
	FindPlans(ctx context.Context, f PlanFilter) ([]*PlanStanding, int, error)
	// FindPlanVersions lists every version of one plan, oldest first.
	FindPlanVersions(ctx context.Context, unitID, goodID int64, period string, start Date) ([]*Plan, error)
	// Shortages sets a unit's tree's needs against its plans and its
	// output, by good and period.
	Shortages(ctx context.Context, q ShortageQuery) ([]*Shortage, error)
	// Storming judges, per enterprise under a unit, good and month, the
	// share of accepted output in the month's last third.
	Storming(ctx context.Context, q StormQuery) ([]*StormingMonth, error)

	// CreateReports writes a batch of reports atomically: all or none. A
	// shift has at most one current report: a second is a conflict naming
	// it (Error.ReportID). A report whose key was already used for the
	// same facts, or without a key the facts of its shift's current
	// report, is not written again; created reports whether each one is
	// new.
	CreateReports(ctx context.Context, rs []*Report) (created []bool, err error)
	FindReportByID(ctx context.Context, id int64) (*Report, error)
	FindReports(ctx context.Context, f ReportFilter) ([]*Report, int, error)
	// FindDuplicateShifts lists the shifts that held several current
	// reports before a shift had one: each with the report left current
	// and those set aside, in the order of the current reports' ids.
	FindDuplicateShifts(ctx context.Context) ([]*DuplicateShift, error)

	// Credits returns the output credited to the given subjects (after
	// helpers' shares, corrections applied) from from to to, in date order.
	// Rejected reports are left out; flagged reports not yet verified are
	// marked Held.
	Credits(ctx context.Context, f CreditFilter) ([]Credit, error)

	// VerifyReport records a verifier's decision on a report, as the acting
	// user (a verifier independent of the report). One decision per report.
	VerifyReport(ctx context.Context, v *Verification) error
	// VerifierDependencies lists why a verifier (a user) may not decide on
	// a report (Depends...), by the rules VerifyReport applies.
	VerifierDependencies(ctx context.Context, userID, reportID int64) ([]string, error)
	// PlausibilityRules returns the rules in force for a good: its own, or
	// DefaultPlausibilityRules. SetPlausibilityRules gives a good its own
	// (admin or planner); reports written later are judged by them.
	PlausibilityRules(ctx context.Context, goodID int64) (*PlausibilityRules, error)
	SetPlausibilityRules(ctx context.Context, goodID int64, r *PlausibilityRules) error

	// ImportReports, ImportNorms and ImportPeople write a stream of rows in
	// one transaction. Every row is checked; if any is bad, nothing is
	// written and an *ImportError lists every bad line.
	ImportReports(ctx context.Context, rows iter.Seq[ImportRow[Report]]) (ImportResult, error)
	ImportNorms(ctx context.Context, rows iter.Seq[ImportRow[Norm]]) (ImportResult, error)
	ImportPeople(ctx context.Context, rows iter.Seq[ImportRow[Person]]) (ImportResult, error)

	CreateUser(ctx context.Context, u *User) error
	FindUserByName(ctx context.Context, name string) (*User, error)
	// CreateToken issues a new bearer token for a user and returns it; only
	// its hash is kept.
	CreateToken(ctx context.Context, userID int64) (string, error)
	// Authenticate returns the user a bearer token belongs to.
	Authenticate(ctx context.Context, token string) (*User, error)

	Close() error
}

// ImportRow is one parsed line of an imported file. Problems the parser
// found are in Errors; the store adds what it finds (unknown ids, scope).
type ImportRow[T any] struct {
	Line   int
	Value  *T
	Errors []LineError
}

// ImportResult tells what an import did.
type ImportResult struct {
	Lines   int `json:"lines"`
	Created int `json:"created"`
	// Existing counts lines already imported before (same key).
	Existing int `json:"existing"`
}

// MaxImportErrors bounds the problems kept from one import.
const MaxImportErrors = 1000

type UnitFilter struct {
	ParentID *int64
	// Within selects the subtree under this unit, itself included.
	Within int64
	Kind   string
	// Name selects units whose name contains it, in any case.
	Name string
	// PublishingShortages selects the ministries that publish their
	// shortages.
	PublishingShortages bool
	Page
}

type PersonFilter struct {
	// UnitID selects people of this unit and the units under it.
	UnitID int64
	// Name selects people whose name contains it, in any case.
	Name string
	Page
}

type GoodFilter struct {
	Name string
	Page
}

type NormFilter struct {
	Subject Subject
	GoodID  int64
	// InForceOn keeps only the version in force on that date per subject
	// and good.
	InForceOn Date
	Page
}

type NeedFilter struct {
	UnitID int64
	GoodID int64
	From   Date
	To     Date
	Page
}

// DuplicateShift is a shift that held several current reports before a
// shift had one: the latest stayed current, the others were set aside
// (superseded by it, though it does not correct them).
type DuplicateShift struct {
	Current  *Report
	SetAside []*Report
	// Subject and Good are names; Reporters are the names of the accounts
	// that wrote the reports, by id.
	Subject   string
	Good      string
	Reporters map[int64]string
}

// Report statuses for filtering.
const (
	ReportCurrent   = "current"   // not replaced by a correction
	ReportCorrected = "corrected" // replaced by a correction
	// ReviewFlagged, ReviewVerified and ReviewRejected select reports by
	// their review: flagged and awaiting a decision, verified, rejected.
)

type ReportFilter struct {
	Subject Subject
	GoodID  int64
	// UnitID selects reports of subjects in this unit's subtree.
	UnitID int64
	From   Date
	To     Date
	Status string
	Page
}

type CreditFilter struct {
	Subject Subject
	// Members also credits, for a unit subject, the output of the people
	// and collectives under it.
	Members bool
	GoodID  int64
	From    Date
	To      Date
}

// Credit is output credited to one subject from one report.
type Credit struct {
	ReportID int64
	Subject  Subject
	GoodID   int64
	Date     Date
	Shift    int
	Produced float64
	Accepted float64
	Share    float64
	// Helped is true when the subject was a helper on someone else's report.
	Helped bool
	// Held is true when the report is flagged and not yet verified: it
	// does not count toward candidacy.
	Held bool
	// Late is true when the report was written after its month was closed.
	Late bool
}

type ctxKey int

const userKey ctxKey = 0

// NewContext returns a context carrying the acting user.
func NewContext(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// UserFromContext returns the acting user, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}
