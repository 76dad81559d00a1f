package http

import (
	"net/http"

	"github.com/stakhanov/stakhanov"
)

type closeInput struct {
	UnitID int64  `json:"unit_id"`
	Month  string `json:"month"`
	Reason string `json:"reason"`
}

// handleClosePeriod closes a month for a unit's tree. The month is given
// as YYYY-MM or by its first day.
func (s *Server) handleClosePeriod(w http.ResponseWriter, r *http.Request) error {
	var in closeInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	month, err := parseMonth("month", in.Month)
	if err != nil {
		return err
	}
	c := &stakhanov.PeriodClose{UnitID: in.UnitID, Month: month, Reason: in.Reason}
	if err := s.store.ClosePeriod(r.Context(), c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (s *Server) handleCloses(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.PeriodCloseFilter{UnitID: q.id("unit"), Page: q.page()}
	if v := q.get("month"); v != "" {
		m, err := parseMonth("month", v)
		if err != nil {
			return err
		}
		f.Month = m
	}
	if err := q.check(); err != nil {
		return err
	}
	closes, total, err := s.store.FindPeriodCloses(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(closes, total, f.Page))
}

// handlePeriodResults lists a close's final figures: people's figures, for
// those who oversee the unit (stakhanov.CanReadResults).
func (s *Server) handlePeriodResults(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	q := newQuery(r)
	p := q.page()
	if err := q.check(); err != nil {
		return err
	}
	_, results, total, err := stakhanov.PeriodResults(r.Context(), s.store, id, p)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(results, total, p))
}
