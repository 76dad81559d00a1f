package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The nominator's pages: the awards, who qualifies for one on the
// candidacy rule (nominate them from it), a nomination filed with a dossier
// for work that has no quota, and the nominator's own nominations with
// their state.

func init() {
	navs[stakhanov.RoleNominator] = []Link{
		{"/nominator", "Awards and my nominations"},
		{"/nominator/nominations/new", "File a nomination"},
	}
}

// ---- Helpers shared by the honours pages (nominator, committee,
// authority, registrar). ----

// honID parses the path value name as an id; a malformed one is a page
// that does not exist.
func honID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no %s %q.", what, r.PathValue(name))
	}
	return id, nil
}

// honStatus is the HTTP status of a page sent back with a store's error.
func honStatus(err error) int {
	switch stakhanov.ErrorCode(err) {
	case stakhanov.EFORBIDDEN:
		return http.StatusForbidden
	case stakhanov.ECONFLICT:
		return http.StatusConflict
	case stakhanov.ENOTFOUND:
		return http.StatusNotFound
	}
	return http.StatusBadRequest
}

// honLookup finds and remembers awards and names for one request.
type honLookup struct {
	ctx    context.Context
	s      stakhanov.Store
	awards map[int64]*stakhanov.Award
	names  map[stakhanov.Subject]string
}

func (s *Server) lookup(ctx context.Context) *honLookup {
	return &honLookup{ctx: ctx, s: s.store, awards: map[int64]*stakhanov.Award{}, names: map[stakhanov.Subject]string{}}
}

func (l *honLookup) award(id int64) (*stakhanov.Award, error) {
	if a, ok := l.awards[id]; ok {
		return a, nil
	}
	a, err := l.s.FindAwardByID(l.ctx, id)
	if err != nil {
		return nil, err
	}
	l.awards[id] = a
	return a, nil
}

// name is a subject's name, or its "person:12" form if it is gone.
func (l *honLookup) name(sub stakhanov.Subject) (string, error) {
	if n, ok := l.names[sub]; ok {
		return n, nil
	}
	n, err := stakhanov.SubjectName(l.ctx, l.s, sub)
	if stakhanov.ErrorCode(err) == stakhanov.ENOTFOUND {
		n, err = sub.String(), nil
	}
	if err != nil {
		return "", err
	}
	l.names[sub] = n
	return n, nil
}

// subjectPath is the unit path of a person's unit or of a unit.
func (l *honLookup) subjectPath(sub stakhanov.Subject) (string, error) {
	unit := sub.ID
	if sub.Kind == stakhanov.SubjectPerson {
		p, err := l.s.FindPersonByID(l.ctx, sub.ID)
		if err != nil {
			return "", err
		}
		unit = p.UnitID
	}
	u, err := l.s.FindUnitByID(l.ctx, unit)
	if err != nil {
		return "", err
	}
	return u.Path, nil
}

// honNomination is a nomination with what a page shows beside it.
type honNomination struct {
	N         *stakhanov.Nomination
	Award     *stakhanov.Award
	Candidate string
	// StageName is the stage it is in review at, if it is.
	StageName string
}

// StateText is the nomination's state in words.
func (h honNomination) StateText() string { return stateText(h.N.State) }

func stateText(state string) string { return strings.ReplaceAll(state, "_", " ") }

func (l *honLookup) nomination(n *stakhanov.Nomination) (honNomination, error) {
	a, err := l.award(n.AwardID)
	if err != nil {
		return honNomination{}, err
	}
	name, err := l.name(n.Candidate)
	if err != nil {
		return honNomination{}, err
	}
	h := honNomination{N: n, Award: a, Candidate: name}
	if n.State == stakhanov.NominationInReview {
		h.StageName = stageName(a, n.Stage)
	}
	return h, nil
}

func stageName(a *stakhanov.Award, stage int) string {
	if stage >= 0 && stage < len(a.Rules.Stages) {
		return fmt.Sprintf("%d. %s", stage+1, a.Rules.Stages[stage].Name)
	}
	return fmt.Sprintf("stage %d", stage+1)
}

// honEvent is one step of a nomination's history.
type honEvent struct {
	stakhanov.NominationEvent
	StageName string
}

func (e honEvent) StateText() string { return stateText(e.State) }

func historyOf(a *stakhanov.Award, n *stakhanov.Nomination) []honEvent {
	out := make([]honEvent, len(n.History))
	for i, e := range n.History {
		out[i] = honEvent{NominationEvent: e}
		if e.State == stakhanov.NominationInReview || e.State == stakhanov.NominationRejected {
			out[i].StageName = stageName(a, e.Stage)
		}
	}
	return out
}

// allAwards lists the award catalogue.
func (s *Server) allAwards(ctx context.Context) ([]*stakhanov.Award, error) {
	return stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Award, int, error) {
		return s.store.FindAwards(ctx, stakhanov.AwardFilter{Page: p})
	})
}

// ---- Nominator. ----

type nominatorAward struct {
	Award   *stakhanov.Award
	HasRule bool
}

type nominatorHomeData struct {
	Awards []nominatorAward
	// Mine are a page (Pager) of the nominator's own nominations, newest
	// first.
	Mine  []honNomination
	Pager pager
}

// handleNominator lists the awards and the nominator's own nominations.
func (s *Server) handleNominator(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := stakhanov.UserFromContext(ctx)
	awards, err := s.allAwards(ctx)
	if err != nil {
		return err
	}
	l := s.lookup(ctx)
	data := nominatorHomeData{}
	for _, a := range awards {
		l.awards[a.ID] = a
		data.Awards = append(data.Awards, nominatorAward{Award: a, HasRule: a.Rules.Candidacy != nil})
	}
	offset := offsetOf(r)
	mine, total, err := newestFirst(func(p stakhanov.Page) ([]*stakhanov.Nomination, int, error) {
		return s.store.FindNominations(ctx, stakhanov.NominationFilter{Nominator: u.ID, Page: p})
	}, offset, honoursPageSize)
	if err != nil {
		return err
	}
	data.Pager = newPager(r.URL, offset, honoursPageSize, len(mine), total)
	for _, n := range mine {
		h, err := l.nomination(n)
		if err != nil {
			return err
		}
		data.Mine = append(data.Mine, h)
	}
	s.render(w, r, http.StatusOK, "nominator", "Nominations", data)
	return nil
}

type nominationFormData struct {
	Form         *Form
	AwardOptions []Option
	// Candidate chooses among the people the nominator may nominate.
	Candidate *picker
}

// candidatePick chooses a person of the nominator's units.
var candidatePick = pickSpec{name: "candidate", label: "Candidate", first: "Choose a person", hint: "People of the units you cover."}

func (s *Server) nominationForm(ctx context.Context, form *Form) (nominationFormData, error) {
	data := nominationFormData{Form: form, AwardOptions: []Option{{"", "Choose an award"}}}
	awards, err := s.allAwards(ctx)
	if err != nil {
		return data, err
	}
	today := s.today()
	for _, a := range awards {
		text := a.Name
		if !a.InForceOn(today) {
			text += " (no longer conferred)"
		}
		data.AwardOptions = append(data.AwardOptions, Option{strconv.FormatInt(a.ID, 10), text})
	}
	data.Candidate, err = s.picker(ctx, form, candidatePick)
	return data, err
}

// handleNominationForm shows the form to file a nomination with a dossier;
// ?award= and ?candidate= prefill it.
func (s *Server) handleNominationForm(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	form := NewForm(url.Values{"award": {q.Get("award")}, "candidate": {q.Get("candidate")}, "dossier": {""}})
	data, err := s.nominationForm(r.Context(), form)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "nominator_form", "File a nomination", data)
	return nil
}

// handleFileNomination files a nomination with a dossier.
func (s *Server) handleFileNomination(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	// Find: show the matches of the search box instead of filing.
	find := form.Get("find") != ""
	form.Values.Del("find")
	if err := s.resolvePicks(ctx, form, !find, candidatePick); err != nil {
		return err
	}
	if find {
		data, err := s.nominationForm(ctx, form)
		if err != nil {
			return err
		}
		s.render(w, r, http.StatusOK, "nominator_form", "File a nomination", data)
		return nil
	}
	n := &stakhanov.Nomination{Source: stakhanov.SourceDossier, Dossier: strings.TrimSpace(form.Get("dossier"))}
	if id, err := strconv.ParseInt(form.Get("award"), 10, 64); err != nil || id <= 0 {
		form.Fail("award", "Choose the award.")
	} else {
		n.AwardID = id
	}
	if id, err := strconv.ParseInt(strings.TrimSpace(form.Get("candidate")), 10, 64); err != nil || id <= 0 {
		form.Fail("candidate", "Choose the person you nominate.")
	} else {
		n.Candidate = stakhanov.PersonSubject(id)
	}
	if n.Dossier == "" {
		form.Fail("dossier", "Write the dossier: say what the candidate did.")
	}
	status := http.StatusBadRequest
	if form.OK() {
		err := s.store.CreateNomination(ctx, n)
		if err == nil {
			return redirect(w, r, fmt.Sprintf("/nominator/nominations/%d?filed=1", n.ID))
		}
		if err := s.fromError(r, form, err, map[string]string{"award_id": "award", "source": "dossier"}); err != nil {
			return err
		}
		status = honStatus(err)
	}
	data, err := s.nominationForm(ctx, form)
	if err != nil {
		return err
	}
	s.render(w, r, status, "nominator_form", "File a nomination", data)
	return nil
}

type nominatorNominationData struct {
	Nom     honNomination
	Filed   bool
	History []honEvent
	Recs    []honRecommendation
}

// honRecommendation is a letter of support with its writer's name.
type honRecommendation struct {
	R    *stakhanov.Recommendation
	Name string
}

func (l *honLookup) recommendations(rs []*stakhanov.Recommendation) ([]honRecommendation, error) {
	out := make([]honRecommendation, len(rs))
	for i, r := range rs {
		name, err := l.name(stakhanov.PersonSubject(r.RecommenderID))
		if err != nil {
			return nil, err
		}
		out[i] = honRecommendation{R: r, Name: name}
	}
	return out, nil
}

// handleNominatorNomination shows one nomination and its history.
func (s *Server) handleNominatorNomination(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := honID(r, "id", "nomination")
	if err != nil {
		return err
	}
	n, err := s.store.FindNominationByID(ctx, id)
	if err != nil {
		return err
	}
	l := s.lookup(ctx)
	h, err := l.nomination(n)
	if err != nil {
		return err
	}
	recs, err := l.recommendations(n.Recommendations)
	if err != nil {
		return err
	}
	data := nominatorNominationData{Nom: h, Filed: r.URL.Query().Get("filed") != "", History: historyOf(h.Award, n), Recs: recs}
	s.render(w, r, http.StatusOK, "nominator_nomination", fmt.Sprintf("Nomination %d", n.ID), data)
	return nil
}

type nominatorCandidate struct {
	C stakhanov.Candidate
	// InScope: the nominator may nominate this candidate.
	InScope bool
	// Open is the candidate's open nomination for the award, if any.
	Open *stakhanov.Nomination
	// Obstacles are what would keep a nomination from ever being signed
	// (the store's check, as signing makes it): then no Nominate.
	Obstacles []string
}

type nominatorCandidatesData struct {
	Award      *stakhanov.Award
	Today      stakhanov.Date
	Candidates []nominatorCandidate
	// Message is the store's answer when a nomination was refused.
	Message string
}

// handleCandidates lists who meets an award's candidacy rule today.
func (s *Server) handleCandidates(w http.ResponseWriter, r *http.Request) error {
	return s.candidatesPage(w, r, http.StatusOK, "")
}

func (s *Server) candidatesPage(w http.ResponseWriter, r *http.Request, status int, message string) error {
	ctx := r.Context()
	u := stakhanov.UserFromContext(ctx)
	id, err := honID(r, "id", "award")
	if err != nil {
		return err
	}
	a, err := s.store.FindAwardByID(ctx, id)
	if err != nil {
		return err
	}
	data := nominatorCandidatesData{Award: a, Today: s.today(), Message: message}
	cands, err := stakhanov.AllCandidates(ctx, s.store, a.ID, data.Today)
	if err != nil {
		return err
	}
	l := s.lookup(ctx)
	for _, c := range cands {
		path, err := l.subjectPath(c.Subject)
		if err != nil {
			return err
		}
		row := nominatorCandidate{C: c, InScope: u.Covers(path)}
		open, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Nomination, int, error) {
			return s.store.FindNominations(ctx, stakhanov.NominationFilter{AwardID: a.ID, Candidate: c.Subject, Page: p})
		})
		if err != nil {
			return err
		}
		for _, n := range open {
			if n.Open() {
				row.Open = n
			}
		}
		if row.Open == nil && row.InScope {
			if row.Obstacles, err = s.store.NominationObstacles(ctx, a.ID, c.Subject); err != nil {
				return err
			}
		}
		data.Candidates = append(data.Candidates, row)
	}
	s.render(w, r, status, "nominator_candidates", "Candidates for "+a.Name, data)
	return nil
}

// handleNominateCandidate files a nomination from the candidacy rule; the
// store checks the rule again and keeps its evidence.
func (s *Server) handleNominateCandidate(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := honID(r, "id", "award")
	if err != nil {
		return err
	}
	sub, err := stakhanov.ParseSubject(r.PostFormValue("candidate"))
	if err != nil {
		return s.candidatesPage(w, r, http.StatusBadRequest, "Choose a candidate from the list.")
	}
	n := &stakhanov.Nomination{AwardID: id, Candidate: sub, Source: stakhanov.SourceRule}
	err = s.store.CreateNomination(ctx, n)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/nominator/nominations/%d?filed=1", n.ID))
	}
	if ferr := s.fromError(r, NewForm(nil), err, nil); ferr != nil {
		return ferr
	}
	return s.candidatesPage(w, r, honStatus(err), stakhanov.ErrorMessage(err))
}
