package http

import (
	"net/http"

	"github.com/stakhanov/stakhanov"
)

type verificationInput struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

// handleVerifyReport records a verifier's decision on a report and answers
// the report as it now stands, with its flags and the decision.
func (s *Server) handleVerifyReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in verificationInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	v := &stakhanov.Verification{ReportID: id, Decision: in.Decision, Note: in.Note}
	if err := s.store.VerifyReport(r.Context(), v); err != nil {
		return err
	}
	rep, err := s.store.FindReportByID(r.Context(), id)
	if err != nil {
		return err
	}
	f, err := stakhanov.ComputeReportFulfilment(r.Context(), s.store, rep)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, reportView{Report: rep, Fulfilment: f})
}

// plausibilityView is a good's plausibility rules.
type plausibilityView struct {
	GoodID int64 `json:"good_id"`
	stakhanov.PlausibilityRules
}

func (s *Server) handlePlausibility(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := s.store.PlausibilityRules(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, plausibilityView{GoodID: id, PlausibilityRules: *p})
}

// handleSetPlausibility sets a good's plausibility rules. Fields left out
// keep the value in force; 0 turns a rule off.
func (s *Server) handleSetPlausibility(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	raw, err := s.readJSON(w, r)
	if err != nil {
		return err
	}
	p, err := s.store.PlausibilityRules(r.Context(), id)
	if err != nil {
		return err
	}
	if err := decode(raw, p, ""); err != nil {
		return err
	}
	if err := s.store.SetPlausibilityRules(r.Context(), id, p); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, plausibilityView{GoodID: id, PlausibilityRules: *p})
}
