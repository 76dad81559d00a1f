package http

import (
	"net/http"

	"github.com/stakhanov/stakhanov"
)

// unitSettingsInput is the body of PUT /api/v1/units/{id}/settings.
type unitSettingsInput struct {
	HideRanks        *bool `json:"hide_ranks"`
	PublishShortages *bool `json:"publish_shortages"`
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
	if in.HideRanks == nil && in.PublishShortages == nil {
		return stakhanov.FieldErrorf("hide_ranks", "give hide_ranks or publish_shortages (true or false)")
	}
	if in.HideRanks != nil {
		if err := s.store.SetUnitHidesRanks(r.Context(), id, *in.HideRanks); err != nil {
			return err
		}
	}
	if in.PublishShortages != nil {
		if err := s.store.SetUnitPublishesShortages(r.Context(), id, *in.PublishShortages); err != nil {
			return err
		}
	}
	u, err := s.store.FindUnitByID(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, u)
}
