package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The verifier's pages: the queue of flagged reports awaiting a decision
// (in the verifier's units), each with the rules and figures that flagged
// it, and a report's page with the decision form — or, for a verifier who
// is not independent of the report, why not.

// verifierPageSize is how many reports a page of the queue shows.
const verifierPageSize = 50

// ruleTexts name the plausibility rules in words.
var ruleTexts = map[string]string{
	stakhanov.RuleMultipleOfNorm: "Above a multiple of the norm",
	stakhanov.RulePeers:          "Far above peers",
	stakhanov.RuleStorm:          "End-of-period storm",
}

// figure is one of a flag's figures.
type figure struct {
	Name  string
	Value string
}

// flagView is a flag with its rule in words and its figures in order.
type flagView struct {
	stakhanov.Flag
	RuleText string
	Figures  []figure
}

func viewFlags(fs []stakhanov.Flag) []flagView {
	out := make([]flagView, len(fs))
	for i, f := range fs {
		v := flagView{Flag: f, RuleText: ruleTexts[f.Rule]}
		if v.RuleText == "" {
			v.RuleText = stateText(f.Rule)
		}
		names := make([]string, 0, len(f.Figures))
		for k := range f.Figures {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			v.Figures = append(v.Figures, figure{Name: stateText(k), Value: formatNum(f.Figures[k])})
		}
		out[i] = v
	}
	return out
}

// teamMember is one helper of a report, with its share of the output.
type teamMember struct {
	Name  string
	Share float64 // percent
}

// flaggedReport is a report with what the verifier's pages show beside it.
type flaggedReport struct {
	Report    *stakhanov.Report
	Name      string
	Good      *stakhanov.Good
	Unit      string
	Helpers   []teamMember
	Witnesses []string
	Flags     []flagView
	// Conflicts say why the verifier may not decide on the report, if it
	// may not.
	Conflicts []string
}

// SubjectShare is the subject's share of the output, in percent.
func (f flaggedReport) SubjectShare() float64 { return f.Report.SubjectShare * 100 }

// TeamSize is the subject and its helpers.
func (f flaggedReport) TeamSize() int { return 1 + len(f.Report.Helpers) }

// flagged fills in a report's names, team and flags, and whether u may
// decide on it.
func (s *Server) flagged(l *honLookup, goods map[int64]*stakhanov.Good, u *stakhanov.User, r *stakhanov.Report) (flaggedReport, error) {
	f := flaggedReport{Report: r, Good: goods[r.GoodID], Flags: viewFlags(r.Flags)}
	if f.Good == nil {
		f.Good = &stakhanov.Good{ID: r.GoodID, Name: fmt.Sprintf("good %d", r.GoodID)}
	}
	var err error
	if f.Name, err = l.name(r.Subject); err != nil {
		return f, err
	}
	if r.Subject.Kind == stakhanov.SubjectPerson {
		p, err := l.s.FindPersonByID(l.ctx, r.Subject.ID)
		if err != nil {
			return f, err
		}
		unit, err := l.s.FindUnitByID(l.ctx, p.UnitID)
		if err != nil {
			return f, err
		}
		f.Unit = unit.Name
	}
	for _, h := range r.Helpers {
		name, err := l.name(stakhanov.PersonSubject(h.PersonID))
		if err != nil {
			return f, err
		}
		m := teamMember{Name: name}
		if h.Share != nil {
			m.Share = *h.Share * 100
		}
		f.Helpers = append(f.Helpers, m)
	}
	for _, id := range r.Witnesses {
		name, err := l.name(stakhanov.PersonSubject(id))
		if err != nil {
			return f, err
		}
		f.Witnesses = append(f.Witnesses, name)
	}
	f.Conflicts, err = s.independence(l, u, r)
	return f, err
}

// independence says, in the verifier's words, why it may not decide on a
// report: it must be a person, the report must be in its units, and the
// store's reasons (VerifierDependencies), which it applies when it takes a
// decision.
func (s *Server) independence(l *honLookup, u *stakhanov.User, r *stakhanov.Report) ([]string, error) {
	if u.PersonID == 0 {
		return []string{"Your account is not a person's: a verifier must be a person, so that its independence of a report can be checked."}, nil
	}
	var why []string
	subjectPath, err := l.subjectPath(r.Subject)
	if err != nil {
		return nil, err
	}
	if !u.Covers(subjectPath) {
		why = append(why, "The report is outside your units.")
	}
	deps, err := s.store.VerifierDependencies(l.ctx, u.ID, r.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range deps {
		why = append(why, dependencyText[d])
	}
	return why, nil
}

var dependencyText = map[string]string{
	stakhanov.DependsSubject:  "You are the subject of this report.",
	stakhanov.DependsMember:   "You are a member of the collective this report is for.",
	stakhanov.DependsHelper:   "You were a helper on this shift.",
	stakhanov.DependsWitness:  "You witnessed this shift.",
	stakhanov.DependsReporter: "You reported this shift.",
}

type verifierData struct {
	Queue []flaggedReport
	Total int
	Pager pager
	// Decided is the report just decided, if any, and Decision what.
	Decided  int64
	Decision string
}

// handleVerifier is the verifier's queue: flagged reports with no decision
// yet, in the verifier's units, oldest first.
func (s *Server) handleVerifier(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := stakhanov.UserFromContext(ctx)
	q := r.URL.Query()
	offset, _ := strconv.Atoi(q.Get("offset"))
	offset = max(offset, 0)
	rs, total, err := s.store.FindReports(ctx, stakhanov.ReportFilter{UnitID: u.UnitID, Status: stakhanov.ReviewFlagged,
		Page: stakhanov.Page{Offset: offset, Limit: verifierPageSize}})
	if err != nil {
		return err
	}
	goods, _, err := s.goods(ctx)
	if err != nil {
		return err
	}
	l := s.lookup(ctx)
	data := verifierData{Total: total, Pager: newPager(r.URL, offset, verifierPageSize, len(rs), total)}
	for _, rep := range rs {
		f, err := s.flagged(l, goods, u, rep)
		if err != nil {
			return err
		}
		data.Queue = append(data.Queue, f)
	}
	if id, err := strconv.ParseInt(q.Get("decided"), 10, 64); err == nil && id > 0 {
		if rep, err := s.store.FindReportByID(ctx, id); err == nil && rep.Verification != nil {
			data.Decided, data.Decision = id, rep.Verification.Decision
		}
	}
	s.render(w, r, http.StatusOK, "verifier", "Flagged reports", data)
	return nil
}

type verifyReportData struct {
	F          flaggedReport
	Fulfilment *stakhanov.ReportFulfilment
	// Verifier is the name of the person who decided, when decided.
	Verifier string
	// CanDecide: the form is shown. Otherwise the report is decided
	// (F.Report.Verification), replaced by a correction, not flagged, or
	// F.Conflicts says why not.
	CanDecide  bool
	NotFlagged bool
	Form       *Form
}

var decisionOptions = []Option{{"", "Choose a decision"}, {stakhanov.DecisionVerified, "Verified: the record stands"}, {stakhanov.DecisionRejected, "Rejected: leave it out of every figure"}}

// DecisionOptions are the choices of the decision form.
func (verifyReportData) DecisionOptions() []Option { return decisionOptions }

func (s *Server) handleVerifierReport(w http.ResponseWriter, r *http.Request) error {
	return s.verifierReportPage(w, r, http.StatusOK, NewForm(url.Values{"decision": {""}, "note": {""}}))
}

// verifierReportPage writes a report's page with the decision form as
// given.
func (s *Server) verifierReportPage(w http.ResponseWriter, r *http.Request, status int, form *Form) error {
	ctx := r.Context()
	u := stakhanov.UserFromContext(ctx)
	id, err := honID(r, "id", "report")
	if err != nil {
		return err
	}
	rep, err := s.store.FindReportByID(ctx, id)
	if err != nil {
		return err
	}
	goods, _, err := s.goods(ctx)
	if err != nil {
		return err
	}
	l := s.lookup(ctx)
	f, err := s.flagged(l, goods, u, rep)
	if err != nil {
		return err
	}
	data := verifyReportData{F: f, Form: form}
	if data.Fulfilment, err = stakhanov.ComputeReportFulfilment(ctx, s.store, rep); err != nil {
		return err
	}
	if v := rep.Verification; v != nil && v.PersonID != 0 {
		if data.Verifier, err = l.name(stakhanov.PersonSubject(v.PersonID)); err != nil {
			return err
		}
	}
	data.NotFlagged = len(rep.Flags) == 0
	data.CanDecide = rep.Verification == nil && rep.SupersededBy == 0 && !data.NotFlagged && len(f.Conflicts) == 0
	title := fmt.Sprintf("Report %d: %s, %s", rep.ID, f.Name, rep.Date)
	s.render(w, r, status, "verifier_report", title, data)
	return nil
}

// handleVerifyReport records the verifier's decision. A decision the store
// refuses (a verifier not independent of the report, a report decided
// already) comes back with the store's reason.
func (s *Server) handleVerifyReport(w http.ResponseWriter, r *http.Request) error {
	id, err := honID(r, "id", "report")
	if err != nil {
		return err
	}
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	v := &stakhanov.Verification{ReportID: id, Decision: form.Get("decision"), Note: strings.TrimSpace(form.Get("note"))}
	switch v.Decision {
	case stakhanov.DecisionVerified, stakhanov.DecisionRejected:
	default:
		form.Fail("decision", "Choose verified or rejected.")
	}
	if v.Note == "" {
		form.Fail("note", "Say what you checked: the note is kept with the decision.")
	}
	status := http.StatusBadRequest
	if form.OK() {
		err := s.store.VerifyReport(r.Context(), v)
		if err == nil {
			return redirect(w, r, fmt.Sprintf("/verifier?decided=%d", id))
		}
		if err := s.fromError(r, form, err, nil); err != nil {
			return err
		}
		status = honStatus(err)
	}
	return s.verifierReportPage(w, r, status, form)
}
