package web

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The committee member's pages: the review queue (nominations in review at
// a stage where the member sits), and a nomination's review page with the
// candidate's evidence — fulfilment chart and numbers, the rule's
// evidence, recommendations, dossier, history and votes — and the vote
// form, or, for a member who may not vote, why not.

func init() {
	navs[stakhanov.RoleCommittee] = []Link{{"/committee", "My review queue"}}
}

type queueRow struct {
	honNomination
	Votes  int
	Quorum int
	// Voted is the member's own vote at this stage, if any.
	Voted string
	// Conflicts say why the member may not vote, if it may not.
	Conflicts []string
}

type committeeData struct {
	// Queue is a page (Pager) of the nominations waiting, oldest first.
	Queue []queueRow
	Pager pager
}

// handleCommittee is the member's review queue.
func (s *Server) handleCommittee(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := stakhanov.UserFromContext(ctx)
	offset := offsetOf(r)
	noms, total, err := s.store.FindNominations(ctx, stakhanov.NominationFilter{Member: u.ID, State: stakhanov.NominationInReview,
		Page: stakhanov.Page{Offset: offset, Limit: honoursPageSize}})
	if err != nil {
		return err
	}
	l := s.lookup(ctx)
	data := committeeData{Pager: newPager(r.URL, offset, honoursPageSize, len(noms), total)}
	for _, listed := range noms {
		// The list carries no votes or recommendations.
		n, err := s.store.FindNominationByID(ctx, listed.ID)
		if err != nil {
			return err
		}
		h, err := l.nomination(n)
		if err != nil {
			return err
		}
		row := queueRow{honNomination: h}
		if n.Stage < len(h.Award.Rules.Stages) {
			row.Quorum = h.Award.Rules.Stages[n.Stage].Quorum
		}
		for _, v := range n.Votes {
			if v.Stage == n.Stage {
				row.Votes++
				if v.MemberID == u.ID {
					row.Voted = v.Vote
				}
			}
		}
		if row.Conflicts, err = s.conflicts(l, u, n); err != nil {
			return err
		}
		data.Queue = append(data.Queue, row)
	}
	s.render(w, r, http.StatusOK, "committee", "My review queue", data)
	return nil
}

// conflicts says, in the member's words, why it may not vote on a
// nomination: the store's reasons (MemberConflicts), which it applies when
// it takes a vote.
func (s *Server) conflicts(l *honLookup, u *stakhanov.User, n *stakhanov.Nomination) ([]string, error) {
	cs, err := s.store.MemberConflicts(l.ctx, u.ID, n.ID)
	if err != nil {
		return nil, err
	}
	var why []string
	for _, c := range cs {
		switch c.Reason {
		case stakhanov.ConflictCandidate:
			why = append(why, "You are the candidate.")
		case stakhanov.ConflictRecommender:
			why = append(why, "You recommended the candidate for this award.")
		case stakhanov.ConflictEnterprise:
			ent, err := s.store.FindUnitByID(l.ctx, c.Enterprise)
			if err != nil {
				return nil, err
			}
			why = append(why, fmt.Sprintf("You belong to the candidate's enterprise, %s.", ent.Name))
		}
	}
	return why, nil
}

// enterpriseOn returns the nearest unit of kind enterprise on a unit path
// ("/1/4/9/"), or nil.
func (s *Server) enterpriseOn(ctx context.Context, path string) (*stakhanov.Unit, error) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	for i := len(parts) - 1; i >= 0; i-- {
		id, err := strconv.ParseInt(parts[i], 10, 64)
		if err != nil {
			continue
		}
		u, err := s.store.FindUnitByID(ctx, id)
		if err != nil {
			return nil, err
		}
		if u.Kind == stakhanov.UnitEnterprise {
			return u, nil
		}
	}
	return nil, nil
}

// goodEvidence is a candidate's fulfilment of one good: a chart of
// accepted output against the norm, and the numbers.
type goodEvidence struct {
	Good  *stakhanov.Good
	Chart Chart
	Rows  []stakhanov.FulfilmentRow
}

type honVote struct {
	stakhanov.Vote
	StageName string
	You       bool
}

type reviewData struct {
	Nom        honNomination
	Person     *stakhanov.Person
	Unit       string
	Period     string
	Periods    []Link
	Evidence   []goodEvidence
	Recs       []honRecommendation
	History    []honEvent
	Votes      []honVote
	StageVotes int
	Quorum     int
	// CanVote: the vote form is shown. Otherwise Closed or NotMember or
	// Voted or Conflicts says why not.
	CanVote   bool
	Closed    bool
	NotMember bool
	Voted     *honVote
	Conflicts []string
	// Obstacles are what would keep the nomination from being signed now
	// (the candidate came to hold the award since it was filed, ...).
	Obstacles []string
	// Standing is who may decide at the stage, when too few members may
	// and the way out is shown (substitutes, the chair, or stuck).
	Standing *stakhanov.StageStanding
	Form     *Form
	// JustVoted is set after a vote was recorded.
	JustVoted bool
}

var voteOptions = []Option{{"", "Choose your vote"}, {stakhanov.VoteApprove, "Approve"}, {stakhanov.VoteReject, "Reject"}, {stakhanov.VoteAbstain, "Abstain"}}

// VoteOptions are the choices of the vote form.
func (reviewData) VoteOptions() []Option { return voteOptions }

// evidencePeriods are the periods the fulfilment evidence can be shown by.
var evidencePeriods = []string{stakhanov.PeriodMonth, stakhanov.PeriodWeek, stakhanov.PeriodShift, stakhanov.PeriodYear}

func (s *Server) handleReview(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(url.Values{"vote": {""}, "comment": {""}})
	return s.reviewPage(w, r, http.StatusOK, form)
}

// reviewPage writes a nomination's review page with the vote form as
// given.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, status int, form *Form) error {
	ctx := r.Context()
	u := stakhanov.UserFromContext(ctx)
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
	data := reviewData{Nom: h, Form: form, History: historyOf(h.Award, n), JustVoted: r.URL.Query().Get("voted") != ""}
	if n.Open() {
		if data.Obstacles, err = s.store.NominationObstacles(ctx, n.AwardID, n.Candidate); err != nil {
			return err
		}
	}
	if n.State == stakhanov.NominationInReview {
		st, err := s.store.StageStanding(ctx, n.ID)
		if err != nil {
			return err
		}
		if st.WayOut != "" {
			data.Standing = st
		}
	}
	if data.Recs, err = l.recommendations(n.Recommendations); err != nil {
		return err
	}
	unitID := n.Candidate.ID
	if n.Candidate.Kind == stakhanov.SubjectPerson {
		if data.Person, err = s.store.FindPersonByID(ctx, n.Candidate.ID); err != nil {
			return err
		}
		unitID = data.Person.UnitID
	}
	if unit, err := s.store.FindUnitByID(ctx, unitID); err != nil {
		return err
	} else {
		data.Unit = unit.Name
		if ent, err := s.enterpriseOn(ctx, unit.Path); err != nil {
			return err
		} else if ent != nil && ent.ID != unit.ID {
			data.Unit += ", " + ent.Name
		}
	}

	// The evidence: fulfilment over time, by the period asked for.
	data.Period = r.URL.Query().Get("period")
	if data.Period == "" {
		data.Period = stakhanov.PeriodMonth
	}
	known := false
	for _, p := range evidencePeriods {
		known = known || p == data.Period
		data.Periods = append(data.Periods, Link{Href: queryWith(r.URL, "period", p, "voted", ""), Text: p})
	}
	if !known {
		return stakhanov.Errorf(stakhanov.EINVALID, "There is no period %q: choose month, week, shift or year.", data.Period)
	}
	if data.Evidence, err = s.evidence(ctx, h, data.Period); err != nil {
		return err
	}

	// Votes so far, and whether this member may vote now.
	for _, v := range n.Votes {
		hv := honVote{Vote: v, StageName: stageName(h.Award, v.Stage), You: v.MemberID == u.ID}
		data.Votes = append(data.Votes, hv)
		if v.Stage == n.Stage {
			data.StageVotes++
			if hv.You {
				data.Voted = &hv
			}
		}
	}
	switch {
	case n.State != stakhanov.NominationInReview:
		data.Closed = true
	case n.Stage >= len(h.Award.Rules.Stages):
		data.Closed = true
	default:
		st := h.Award.Rules.Stages[n.Stage]
		data.Quorum = st.Quorum
		member := false
		for _, m := range st.Members {
			member = member || m == u.ID
		}
		data.NotMember = !member
	}
	if data.Conflicts, err = s.conflicts(l, u, n); err != nil {
		return err
	}
	data.CanVote = !data.Closed && !data.NotMember && data.Voted == nil && len(data.Conflicts) == 0
	s.render(w, r, status, "committee_review", fmt.Sprintf("Review: %s for %s", h.Candidate, h.Award.Name), data)
	return nil
}

// evidence computes the candidate's fulfilment by period, one chart per
// good (the rule's good only, if it names one).
func (s *Server) evidence(ctx context.Context, h honNomination, period string) ([]goodEvidence, error) {
	var good int64
	if rule := h.Award.Rules.Candidacy; rule != nil {
		good = rule.GoodID
	}
	f, err := s.store.Fulfilment(ctx, stakhanov.FulfilmentQuery{Subject: h.N.Candidate, GoodID: good, Period: period, To: s.today()})
	if err != nil {
		return nil, err
	}
	var out []goodEvidence
	index := map[int64]int{}
	for _, row := range f.Rows {
		i, ok := index[row.GoodID]
		if !ok {
			g, err := s.store.FindGoodByID(ctx, row.GoodID)
			if err != nil {
				return nil, err
			}
			i = len(out)
			index[row.GoodID] = i
			out = append(out, goodEvidence{Good: g})
		}
		out[i].Rows = append(out[i].Rows, row)
	}
	for i := range out {
		e := &out[i]
		labels := make([]string, len(e.Rows))
		accepted := make([]float64, len(e.Rows))
		norm := make([]float64, len(e.Rows))
		for j, row := range e.Rows {
			labels[j] = row.Period
			accepted[j] = row.Accepted
			norm[j] = row.Norm
			if row.Norm == 0 {
				norm[j] = math.NaN()
			}
		}
		id := fmt.Sprintf("chart-fulfilment-%d", e.Good.ID)
		title := fmt.Sprintf("%s: accepted %s against the norm, by %s", h.Candidate, e.Good.Name, period)
		e.Chart = Chart{
			SVG: LineChart(id, title, e.Good.Measure, labels, []Series{
				{Name: "Accepted", Values: accepted, Class: "actual"},
				{Name: "Norm", Values: norm, Class: "norm"},
			}),
			Caption: fmt.Sprintf("Accepted %s (%s) per %s, with the norm in force as a dashed line.", e.Good.Name, e.Good.Measure, period),
		}
	}
	return out, nil
}

// handleVote records the member's vote. A vote the store refuses (a
// conflicted member, a closed stage) comes back with the store's reason.
func (s *Server) handleVote(w http.ResponseWriter, r *http.Request) error {
	id, err := honID(r, "id", "nomination")
	if err != nil {
		return err
	}
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	v := &stakhanov.Vote{NominationID: id, Vote: form.Get("vote"), Comment: strings.TrimSpace(form.Get("comment"))}
	switch v.Vote {
	case stakhanov.VoteApprove, stakhanov.VoteReject, stakhanov.VoteAbstain:
	default:
		form.Fail("vote", "Choose approve, reject or abstain.")
	}
	status := http.StatusBadRequest
	if form.OK() {
		_, err := s.store.CastVote(r.Context(), v)
		if err == nil {
			return redirect(w, r, fmt.Sprintf("/committee/nominations/%d?voted=1", id))
		}
		if err := s.fromError(r, form, err, nil); err != nil {
			return err
		}
		status = honStatus(err)
	}
	return s.reviewPage(w, r, status, form)
}
