package http

import (
	"net/http"

	"github.com/stakhanov/stakhanov"
)

// unitSettingsInput is the body of PUT /api/v1/units/{id}/settings.
type unitSettingsInput struct {
	HideRanks *bool `json:"hide_ranks"`
}

// handleSetUnitSettings records a unit's choice to hide ranks (admin or
// planner, within scope) and answers with the unit as it now stands.
func (s *Server) handleSetUnitSettings(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in unitSettingsInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	if in.HideRanks == nil {
		return stakhanov.FieldErrorf("hide_ranks", "hide_ranks is required (true or false)")
	}
	if err := s.store.SetUnitHidesRanks(r.Context(), id, *in.HideRanks); err != nil {
		return err
	}
	u, err := s.store.FindUnitByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}
