package http

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/stakhanov/stakhanov"
)

// The honours: the award catalogue, candidates, recommendations,
// nominations and their votes, decrees, conferrals, ceremonies and the
// public registry. The store checks every write's role and scope; the
// handlers here read the request, call the store and write its answer.

type awardInput struct {
	Name          string               `json:"name"`
	Kind          string               `json:"kind"`
	Country       string               `json:"country"`
	Description   string               `json:"description"`
	Criteria      string               `json:"criteria"`
	Insignia      stakhanov.Insignia   `json:"insignia"`
	Authority     string               `json:"authority"`
	Established   string               `json:"established"`
	EstablishedBy string               `json:"established_by"`
	Abolished     string               `json:"abolished"`
	AbolishedBy   string               `json:"abolished_by"`
	PredecessorID int64                `json:"predecessor_id"`
	Rules         stakhanov.AwardRules `json:"rules"`
}

func (in *awardInput) award() (*stakhanov.Award, error) {
	established, err := parseDate("established", in.Established)
	if err != nil {
		return nil, err
	}
	abolished, err := parseDate("abolished", in.Abolished)
	if err != nil {
		return nil, err
	}
	return &stakhanov.Award{
		Name: in.Name, Kind: in.Kind, Country: in.Country, Description: in.Description, Criteria: in.Criteria,
		Insignia: in.Insignia, Authority: in.Authority, Established: established, EstablishedBy: in.EstablishedBy,
		Abolished: abolished, AbolishedBy: in.AbolishedBy, PredecessorID: in.PredecessorID, Rules: in.Rules,
	}, nil
}

// awardView is an award with its lineage: the titles it replaced, oldest
// first, and those that replaced it, the immediate successor first.
type awardView struct {
	Award        *stakhanov.Award   `json:"award"`
	Predecessors []*stakhanov.Award `json:"predecessors"`
	Successors   []*stakhanov.Award `json:"successors"`
}

var awardKinds = []string{stakhanov.AwardTitle, stakhanov.AwardOrder, stakhanov.AwardMedal}

func (s *Server) handleAwards(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.AwardFilter{Kind: q.oneOf("kind", awardKinds...), Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	awards, total, err := s.store.FindAwards(r.Context(), f)
	if err != nil {
		return err
	}
	for _, a := range awards {
		fillAward(a)
	}
	return writeJSON(w, http.StatusOK, newList(awards, total, f.Page))
}

func (s *Server) handleCreateAward(w http.ResponseWriter, r *http.Request) error {
	var in awardInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	a, err := in.award()
	if err != nil {
		return err
	}
	if err := s.store.CreateAward(r.Context(), a); err != nil {
		return err
	}
	return created(w, "awards", a.ID, fillAward(a))
}

func (s *Server) handleAward(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	a, err := s.store.FindAwardByID(ctx, id)
	if err != nil {
		return err
	}
	preds, succs, err := s.lineage(ctx, a)
	if err != nil {
		return err
	}
	fillAward(a)
	for _, x := range preds {
		fillAward(x)
	}
	for _, x := range succs {
		fillAward(x)
	}
	return writeJSON(w, http.StatusOK, awardView{Award: a, Predecessors: preds, Successors: succs})
}

// fillAward makes the award's lists empty rather than null, as the API
// document promises.
func fillAward(a *stakhanov.Award) *stakhanov.Award {
	if a.Insignia.Ribbon == nil {
		a.Insignia.Ribbon = []string{}
	}
	if a.Rules.Stages == nil {
		a.Rules.Stages = []stakhanov.Stage{}
	}
	for i := range a.Rules.Stages {
		if a.Rules.Stages[i].Members == nil {
			a.Rules.Stages[i].Members = []int64{}
		}
	}
	return a
}

// fillCeremony makes the ceremony's lists empty rather than null.
func fillCeremony(c *stakhanov.Ceremony) *stakhanov.Ceremony {
	if c.Conferrals == nil {
		c.Conferrals = []int64{}
	}
	if c.Presented == nil {
		c.Presented = []int64{}
	}
	return c
}

// lineage follows an award's predecessor links back to the oldest title
// and, the other way, finds the awards that name it (or its successors) as
// predecessor. Successors are listed generation by generation, each
// generation by date of establishment.
//
// It reads the whole catalogue: a country has tens of awards, not
// thousands, and the store has no filter by predecessor.
func (s *Server) lineage(ctx context.Context, a *stakhanov.Award) (preds, succs []*stakhanov.Award, err error) {
	byID := map[int64]*stakhanov.Award{}
	children := map[int64][]*stakhanov.Award{}
	awards := func(p stakhanov.Page) ([]*stakhanov.Award, int, error) {
		return s.store.FindAwards(ctx, stakhanov.AwardFilter{Page: p})
	}
	for x, err := range stakhanov.Each(awards) {
		if err != nil {
			return nil, nil, err
		}
		byID[x.ID] = x
		if x.PredecessorID != 0 {
			children[x.PredecessorID] = append(children[x.PredecessorID], x)
		}
	}
	// seen guards against a cycle of predecessor links, which the store
	// should never allow but which must not hang a request.
	seen := map[int64]bool{a.ID: true}
	for id := a.PredecessorID; id != 0 && !seen[id]; {
		seen[id] = true
		p := byID[id]
		if p == nil {
			if p, err = s.store.FindAwardByID(ctx, id); stakhanov.ErrorCode(err) == stakhanov.ENOTFOUND {
				break
			} else if err != nil {
				return nil, nil, err
			}
		}
		preds = append(preds, p)
		id = p.PredecessorID
	}
	slices.Reverse(preds)
	for frontier := []int64{a.ID}; len(frontier) > 0; {
		var next []int64
		for _, id := range frontier {
			kids := children[id]
			slices.SortStableFunc(kids, func(x, y *stakhanov.Award) int {
				if c := x.Established.Compare(y.Established); c != 0 {
					return c
				}
				return cmp.Compare(x.ID, y.ID)
			})
			for _, k := range kids {
				if !seen[k.ID] {
					seen[k.ID] = true
					succs = append(succs, k)
					next = append(next, k.ID)
				}
			}
		}
		frontier = next
	}
	if preds == nil {
		preds = []*stakhanov.Award{}
	}
	if succs == nil {
		succs = []*stakhanov.Award{}
	}
	return preds, succs, nil
}

// candidates answers GET /candidates: who meets the award's candidacy rule
// on Date, the server's today.
type candidates struct {
	AwardID int64          `json:"award_id"`
	Date    stakhanov.Date `json:"date"`
	list[stakhanov.Candidate]
}

// candidatesJSON writes a page of candidates as encoding/json would. The
// shifts that show each candidacy are most of it (a hundred candidates of
// sixty shifts), and encoding/json would check again every byte their
// rows' MarshalJSON wrote; here they are passed on as written.
func candidatesJSON(c candidates) ([][]byte, error) {
	type head struct {
		Subject    stakhanov.Subject       `json:"subject"`
		Name       string                  `json:"name"`
		AwardID    int64                   `json:"award_id"`
		Rule       stakhanov.CandidacyRule `json:"rule"`
		Met        int                     `json:"met"`
		Considered int                     `json:"considered"`
	}
	// The parts of the answer, the shifts among them as the store gave
	// them: copying most of a megabyte again was a fifth of a request.
	parts := make([][]byte, 0, 2+2*len(c.Items))
	b := []byte(`{"award_id":`)
	b = strconv.AppendInt(b, c.AwardID, 10)
	date, err := c.Date.MarshalJSON()
	if err != nil {
		return nil, err
	}
	b = append(append(b, `,"date":`...), date...)
	b = append(b, `,"items":[`...)
	for i, cand := range c.Items {
		if i > 0 {
			b = append(b, ',')
		}
		h, err := json.Marshal(head{cand.Subject, cand.Name, cand.AwardID, cand.Rule, cand.Met, cand.Considered})
		if err != nil {
			return nil, err
		}
		b = append(b, h[:len(h)-1]...)
		b = append(b, `,"shifts":`...)
		shifts := cand.ShiftsJSON
		if shifts == nil || cand.Shifts != nil {
			shifts = stakhanov.EvidenceJSON(cand.Shifts)
		}
		parts = append(parts, b, shifts)
		b = []byte{'}'}
	}
	b = append(b, `],"total":`...)
	b = strconv.AppendInt(b, int64(c.Total), 10)
	b = strconv.AppendInt(append(b, `,"offset":`...), int64(c.Offset), 10)
	b = strconv.AppendInt(append(b, `,"limit":`...), int64(c.Limit), 10)
	return append(parts, append(b, '}')), nil
}

func (s *Server) handleCandidates(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	awardID := q.id("award")
	page := q.page()
	if err := q.check(); err != nil {
		return err
	}
	if awardID == 0 {
		return stakhanov.FieldErrorf("award", "award is required")
	}
	today := s.today()
	cands, total, err := s.store.Candidates(r.Context(), awardID, today, page)
	if err != nil {
		return err
	}
	parts, err := candidatesJSON(candidates{AwardID: awardID, Date: today, list: newList(cands, total, page)})
	if err != nil {
		return err
	}
	return writeRawJSON(w, http.StatusOK, parts...)
}

type recommendationInput struct {
	Candidate string `json:"candidate"`
	AwardID   int64  `json:"award_id"`
	Text      string `json:"text"`
	// RecommenderID lets an admin record a letter on someone's behalf;
	// otherwise the recommender is the user's own person.
	RecommenderID int64 `json:"recommender_id"`
}

func (s *Server) handleRecommendations(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.RecommendationFilter{Candidate: q.subject("candidate"), AwardID: q.id("award"), Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	recs, total, err := s.store.FindRecommendations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(recs, total, f.Page))
}

func (s *Server) handleCreateRecommendation(w http.ResponseWriter, r *http.Request) error {
	var in recommendationInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	candidate, err := requiredSubject("candidate", in.Candidate)
	if err != nil {
		return err
	}
	if in.RecommenderID < 0 {
		return stakhanov.FieldErrorf("recommender_id", "recommender_id must be a person id")
	}
	// The store decides whose letter it is; refusing here as well makes
	// sure a letter is never quietly recorded as someone else's.
	if u := stakhanov.UserFromContext(r.Context()); in.RecommenderID != 0 && u.Role != stakhanov.RoleAdmin && in.RecommenderID != u.PersonID {
		return stakhanov.Errorf(stakhanov.EFORBIDDEN, "only an admin records a letter on someone else's behalf (recommender_id)")
	}
	rec := &stakhanov.Recommendation{RecommenderID: in.RecommenderID, Candidate: candidate, AwardID: in.AwardID, Text: in.Text}
	if err := s.store.CreateRecommendation(r.Context(), rec); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rec)
}

type nominationInput struct {
	AwardID   int64  `json:"award_id"`
	Candidate string `json:"candidate"`
	// Source is "rule" (the candidacy rule holds today) or "dossier".
	Source  string `json:"source"`
	Dossier string `json:"dossier"`
}

var nominationStates = []string{stakhanov.NominationProposed, stakhanov.NominationInReview, stakhanov.NominationApproved,
	stakhanov.NominationRejected, stakhanov.NominationWithdrawn, stakhanov.NominationConferred, stakhanov.NominationRevoked}

func (s *Server) handleNominations(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.NominationFilter{AwardID: q.id("award"), Candidate: q.subject("candidate"),
		State: q.oneOf("state", nominationStates...)}
	// member=me selects what waits for the caller's vote; a user id, what
	// waits for that member's.
	switch v := q.get("member"); v {
	case "":
	case "me":
		f.Member = stakhanov.UserFromContext(r.Context()).ID
	default:
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			q.fail("member", "member %q is not me or a user id", v)
		}
		f.Member = n
	}
	f.Page = q.page()
	if err := q.check(); err != nil {
		return err
	}
	noms, total, err := s.store.FindNominations(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(noms, total, f.Page))
}

func (s *Server) handleCreateNomination(w http.ResponseWriter, r *http.Request) error {
	var in nominationInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	candidate, err := requiredSubject("candidate", in.Candidate)
	if err != nil {
		return err
	}
	switch in.Source {
	case stakhanov.SourceRule, stakhanov.SourceDossier:
	case "":
		return stakhanov.FieldErrorf("source", "source is required: rule (the candidacy rule holds) or dossier")
	default:
		return stakhanov.FieldErrorf("source", "source %q is not one of rule, dossier", in.Source)
	}
	n := &stakhanov.Nomination{AwardID: in.AwardID, Candidate: candidate, Source: in.Source, Dossier: in.Dossier}
	if err := s.store.CreateNomination(r.Context(), n); err != nil {
		return err
	}
	return created(w, "nominations", n.ID, n)
}

func (s *Server) handleNomination(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := s.store.FindNominationByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

type voteInput struct {
	Vote    string `json:"vote"`
	Comment string `json:"comment"`
}

// handleVote records the caller's vote at the nomination's current stage
// and answers with the nomination as the vote left it.
func (s *Server) handleVote(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in voteInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	switch in.Vote {
	case stakhanov.VoteApprove, stakhanov.VoteReject, stakhanov.VoteAbstain:
	case "":
		return stakhanov.FieldErrorf("vote", "vote is required: approve, reject or abstain")
	default:
		return stakhanov.FieldErrorf("vote", "vote %q is not one of approve, reject, abstain", in.Vote)
	}
	n, err := s.store.CastVote(r.Context(), &stakhanov.Vote{NominationID: id, Vote: in.Vote, Comment: in.Comment})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

type withdrawalInput struct {
	Reason string `json:"reason"`
}

func (s *Server) handleWithdrawal(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in withdrawalInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	n, err := s.store.WithdrawNomination(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}

type decreeEntryInput struct {
	NominationID int64  `json:"nomination_id"`
	ConferralID  int64  `json:"conferral_id"`
	Grounds      string `json:"grounds"`
	AwardID      int64  `json:"award_id"`
	Recipient    string `json:"recipient"`
	// KeepCompanions, in a revocation, keeps the companions made with the
	// conferral revoked.
	KeepCompanions bool `json:"keep_companions"`
}

type decreeInput struct {
	Number    string             `json:"number"`
	Date      string             `json:"date"`
	Authority string             `json:"authority"`
	Kind      string             `json:"kind"`
	Entries   []decreeEntryInput `json:"entries"`
}

func (in *decreeInput) decree() (*stakhanov.Decree, error) {
	d, err := parseDate("date", in.Date)
	if err != nil {
		return nil, err
	}
	entries := make([]stakhanov.DecreeEntry, len(in.Entries))
	for i, e := range in.Entries {
		recipient, err := parseSubject(fmt.Sprintf("entries[%d].recipient", i), e.Recipient)
		if err != nil {
			return nil, err
		}
		entries[i] = stakhanov.DecreeEntry{NominationID: e.NominationID, ConferralID: e.ConferralID, Grounds: e.Grounds,
			AwardID: e.AwardID, Recipient: recipient, KeepCompanions: e.KeepCompanions}
	}
	return &stakhanov.Decree{Number: in.Number, Date: d, Authority: in.Authority, Kind: in.Kind, Entries: entries}, nil
}

// decreeView is a decree as the API shows it: an entry lists only the
// fields of its kind, where the domain type would show a recipient "" that
// no client could read back as a subject.
type decreeView struct {
	*stakhanov.Decree
	Entries []decreeEntryView `json:"entries"`
}

type decreeEntryView struct {
	NominationID int64              `json:"nomination_id,omitempty"`
	ConferralID  int64              `json:"conferral_id,omitempty"`
	Grounds      string             `json:"grounds,omitempty"`
	AwardID      int64              `json:"award_id,omitempty"`
	Recipient    *stakhanov.Subject `json:"recipient,omitempty"`
	// KeepCompanions: a revocation that keeps the companions.
	KeepCompanions bool `json:"keep_companions,omitempty"`
}

func viewDecree(d *stakhanov.Decree) decreeView {
	v := decreeView{Decree: d, Entries: make([]decreeEntryView, len(d.Entries))}
	for i, e := range d.Entries {
		v.Entries[i] = decreeEntryView{NominationID: e.NominationID, ConferralID: e.ConferralID, Grounds: e.Grounds, AwardID: e.AwardID, KeepCompanions: e.KeepCompanions}
		if !e.Recipient.IsZero() {
			v.Entries[i].Recipient = &e.Recipient
		}
	}
	return v
}

var decreeKinds = []string{stakhanov.DecreeConfer, stakhanov.DecreeRevoke, stakhanov.DecreeRecord}

func (s *Server) handleDecrees(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.DecreeFilter{Kind: q.oneOf("kind", decreeKinds...), Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	decrees, total, err := s.store.FindDecrees(r.Context(), f)
	if err != nil {
		return err
	}
	views := make([]decreeView, len(decrees))
	for i, d := range decrees {
		views[i] = viewDecree(d)
	}
	return writeJSON(w, http.StatusOK, newList(views, total, f.Page))
}

// handleCreateDecree drafts a decree; nothing is conferred or revoked
// until it is signed.
func (s *Server) handleCreateDecree(w http.ResponseWriter, r *http.Request) error {
	var in decreeInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	d, err := in.decree()
	if err != nil {
		return err
	}
	if err := s.store.CreateDecree(r.Context(), d); err != nil {
		return err
	}
	return created(w, "decrees", d.ID, viewDecree(d))
}

type ceremonyInput struct {
	Date       string  `json:"date"`
	Place      string  `json:"place"`
	Presenter  string  `json:"presenter"`
	Conferrals []int64 `json:"conferrals"`
}

type presentationInput struct {
	ConferralID int64 `json:"conferral_id"`
}

func (s *Server) handleCeremonies(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.CeremonyFilter{Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	cs, total, err := s.store.FindCeremonies(r.Context(), f)
	if err != nil {
		return err
	}
	for _, c := range cs {
		fillCeremony(c)
	}
	return writeJSON(w, http.StatusOK, newList(cs, total, f.Page))
}

func (s *Server) handleCreateCeremony(w http.ResponseWriter, r *http.Request) error {
	var in ceremonyInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	d, err := parseDate("date", in.Date)
	if err != nil {
		return err
	}
	c := &stakhanov.Ceremony{Date: d, Place: in.Place, Presenter: in.Presenter, Conferrals: in.Conferrals}
	if err := s.store.CreateCeremony(r.Context(), c); err != nil {
		return err
	}
	return created(w, "ceremonies", c.ID, fillCeremony(c))
}

// handlePresentation records that a conferral was handed over at the
// ceremony, and answers with the ceremony.
func (s *Server) handlePresentation(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in presentationInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	if in.ConferralID <= 0 {
		return stakhanov.FieldErrorf("conferral_id", "conferral_id is required")
	}
	ctx := r.Context()
	if err := s.store.MarkPresented(ctx, id, in.ConferralID); err != nil {
		return err
	}
	c, err := s.store.FindCeremonyByID(ctx, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, fillCeremony(c))
}

// registryPage is a page of the registry with the window it shows.
type registryPage struct {
	*stakhanov.Registry
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// handleRegistry searches the public registry of recipients.
func (s *Server) handleRegistry(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.RegistryFilter{Q: q.get("q"), AwardID: q.id("award")}
	if v := q.get("year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 9999 {
			q.fail("year", "year %q is not a year from 1 to 9999", v)
		}
		f.Year = n
	}
	csv := q.format()
	f.Page = q.listPage(csv)
	if err := q.check(); err != nil {
		return err
	}
	if csv {
		return s.registryCSV(w, r, f)
	}
	reg, err := s.store.Registry(r.Context(), f)
	if err != nil {
		return err
	}
	if reg == nil {
		reg = &stakhanov.Registry{}
	}
	if reg.Recipients == nil {
		reg.Recipients = []stakhanov.RegistryRecipient{}
	}
	if reg.ByAward == nil {
		reg.ByAward = []stakhanov.AwardCount{}
	}
	if reg.ByYear == nil {
		reg.ByYear = []stakhanov.YearCount{}
	}
	return writeJSON(w, http.StatusOK, registryPage{Registry: reg, Offset: f.Page.Offset, Limit: f.Page.Limit})
}

// entryProblem is one entry of a decree as the pre-check sees it.
type entryProblem struct {
	Entry    int      `json:"entry"`
	Problems []string `json:"problems"`
	Signable bool     `json:"signable"`
}

// entryProblems answers a decree's pre-check, an item per entry counted
// from 1, as the page counts them.
func entryProblems(problems [][]string) map[string]any {
	items := make([]entryProblem, len(problems))
	signable := true
	for i, p := range problems {
		if p == nil {
			p = []string{}
		}
		items[i] = entryProblem{Entry: i + 1, Problems: p, Signable: len(p) == 0}
		signable = signable && len(p) == 0
	}
	return map[string]any{"signable": signable, "items": items}
}

func (s *Server) handleRemoveDecreeEntry(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	entry, err := strconv.Atoi(r.PathValue("entry"))
	if err != nil || entry < 1 {
		return stakhanov.FieldErrorf("entry", "entry %s is not an entry number (from 1)", stakhanov.ShortQuote(r.PathValue("entry")))
	}
	var in reasonInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	d, err := s.store.RemoveDecreeEntry(r.Context(), id, entry, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewDecree(d))
}

func (s *Server) handleDiscardDecree(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in reasonInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	d, err := s.store.DiscardDecree(r.Context(), id, in.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewDecree(d))
}
