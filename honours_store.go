package stakhanov

import "context"

// HonoursStore keeps the award catalogue and everything from
// recommendation to ceremony. Writes check role and scope like Store's.
type HonoursStore interface {
	// CreateAward adds an award to the catalogue (admin). References to
	// other awards and to committee members (users with the committee role)
	// are checked.
	CreateAward(ctx context.Context, a *Award) error
	FindAwardByID(ctx context.Context, id int64) (*Award, error)
	FindAwards(ctx context.Context, f AwardFilter) ([]*Award, int, error)

	// CreateRecommendation records a letter of support. The recommender is
	// the acting user's person; an admin may record a letter on behalf of
	// the person named in RecommenderID. Nobody recommends themselves; one
	// per recommender, candidate and award (a second is ECONFLICT). It may
	// move a waiting nomination into review.
	CreateRecommendation(ctx context.Context, r *Recommendation) error
	FindRecommendations(ctx context.Context, f RecommendationFilter) ([]*Recommendation, int, error)

	// CreateNomination files a nomination (nominator or admin): from the
	// candidacy rule (Source "rule", the rule must hold today; the evidence
	// is kept) or with a dossier (Source "dossier"). It enters review at
	// once if it already has the recommendations the award needs.
	CreateNomination(ctx context.Context, n *Nomination) error
	// FindNominationByID returns a nomination with its history, votes and
	// recommendations.
	FindNominationByID(ctx context.Context, id int64) (*Nomination, error)
	FindNominations(ctx context.Context, f NominationFilter) ([]*Nomination, int, error)
	WithdrawNomination(ctx context.Context, id int64, reason string) (*Nomination, error)
	// CastVote records the acting committee member's vote at the
	// nomination's current stage, refusing conflicted members, and moves the
	// nomination on when the stage is decided.
	CastVote(ctx context.Context, v *Vote) (*Nomination, error)
	// MemberConflicts says why a committee member (a user) may not vote on
	// a nomination, by the rules CastVote applies; none if it may.
	MemberConflicts(ctx context.Context, userID, nominationID int64) ([]Conflict, error)

	// CreateDecree drafts a decree (authority). Nothing is conferred until
	// it is signed.
	CreateDecree(ctx context.Context, d *Decree) error
	FindDecreeByID(ctx context.Context, id int64) (*Decree, error)
	FindDecrees(ctx context.Context, f DecreeFilter) ([]*Decree, int, error)
	// SignDecree checks every entry's eligibility and, if all pass, signs
	// the decree and makes its conferrals (with companions) or revocations.
	// If any fails, nothing changes and the error names each entry and why.
	// StageStanding says who may decide a nomination in review at its
	// stage: the members free to vote, the substitutes standing in, or the
	// chair deciding alone; Stuck where none of these can (the award's
	// stage must change).
	StageStanding(ctx context.Context, nominationID int64) (*StageStanding, error)
	// NominationObstacles says what would keep a nomination of a
	// candidate for an award from ever being signed (the award not yet
	// established, the times it may be held reached, a prerequisite
	// missing); none: it may be filed.
	NominationObstacles(ctx context.Context, awardID int64, candidate Subject) ([]string, error)
	// RemoveDecreeEntry takes entry (counted from 1, as the draft lists
	// them) out of a draft decree, on record with the reason; the
	// authority or an admin, before it is signed.
	RemoveDecreeEntry(ctx context.Context, decreeID int64, entry int, reason string) (*Decree, error)
	// DiscardDecree gives a draft up: it stays, marked discarded, and can
	// no longer be signed.
	DiscardDecree(ctx context.Context, decreeID int64, reason string) (*Decree, error)
	// DecreeProblems checks a draft's entries as signing it would, and
	// writes nothing: each entry's problems (none: it may be signed). The
	// authority's pre-check and SignDecree say the same.
	DecreeProblems(ctx context.Context, id int64) ([][]string, error)
	SignDecree(ctx context.Context, id int64) (*Decree, error)

	FindConferralByID(ctx context.Context, id int64) (*Conferral, error)
	FindConferrals(ctx context.Context, f ConferralFilter) ([]*Conferral, int, error)

	// CreateCeremony schedules a ceremony for conferrals (registrar).
	CreateCeremony(ctx context.Context, c *Ceremony) error
	FindCeremonyByID(ctx context.Context, id int64) (*Ceremony, error)
	FindCeremonies(ctx context.Context, f CeremonyFilter) ([]*Ceremony, int, error)
	// MarkPresented records that a conferral was presented at a ceremony.
	MarkPresented(ctx context.Context, ceremonyID, conferralID int64) error

	// Registry searches the public registry of recipients. It shows only
	// what signed decrees made public.
	Registry(ctx context.Context, f RegistryFilter) (*Registry, error)
}

type AwardFilter struct {
	Kind string
	Page
}

type RecommendationFilter struct {
	Candidate Subject
	AwardID   int64
	Page
}

type NominationFilter struct {
	AwardID   int64
	Candidate Subject
	State     string
	// Member selects nominations waiting at a stage where this user sits.
	Member int64
	// Nominator selects the nominations this user filed.
	Nominator int64
	Page
}

type DecreeFilter struct {
	Kind string
	Page
}

type ConferralFilter struct {
	Recipient Subject
	AwardID   int64
	DecreeID  int64
	Page
}

type CeremonyFilter struct {
	Page
}

type RegistryFilter struct {
	// Q matches a recipient's name, profession or unit.
	Q       string
	AwardID int64
	Year    int
	Page
}

// Registry is a page of recipients and the counts of the whole selection.
type Registry struct {
	Recipients []RegistryRecipient `json:"recipients"`
	Total      int                 `json:"total"`
	ByAward    []AwardCount        `json:"by_award"`
	ByYear     []YearCount         `json:"by_year"`
}

// RegistryRecipient is a recipient's public record.
type RegistryRecipient struct {
	Recipient  Subject         `json:"recipient"`
	Name       string          `json:"name"`
	Profession string          `json:"profession,omitempty"`
	Unit       string          `json:"unit"`
	Conferrals []RegistryEntry `json:"conferrals"`
}

// RegistryEntry is a conferral as the public sees it.
type RegistryEntry struct {
	ConferralID  int64       `json:"conferral_id"`
	AwardID      int64       `json:"award_id"`
	Award        string      `json:"award"`
	DecreeNumber string      `json:"decree_number"`
	Date         Date        `json:"date"`
	Serial       int         `json:"serial"`
	Times        int         `json:"times"`
	Brings       string      `json:"brings,omitempty"`
	Revocation   *Revocation `json:"revocation,omitempty"`
}

type AwardCount struct {
	AwardID int64  `json:"award_id"`
	Award   string `json:"award"`
	Count   int    `json:"count"`
}

type YearCount struct {
	Year  int `json:"year"`
	Count int `json:"count"`
}
