package http

import (
	"net/http"
	"strconv"

	"github.com/stakhanov/stakhanov"
)

// Request bodies list exactly the fields a client may set: ids, paths,
// authors and times come from the store, and sending them is an error
// rather than silently ignored.

type unitInput struct {
	ParentID int64  `json:"parent_id"`
	Kind     string `json:"kind"`
	Name     string `json:"name"`
}

type personInput struct {
	UnitID     int64  `json:"unit_id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Profession string `json:"profession"`
}

type goodInput struct {
	Name    string `json:"name"`
	Measure string `json:"measure"`
}

// created writes a newly created resource with its location.
func created(w http.ResponseWriter, collection string, id int64, v any) error {
	w.Header().Set("Location", "/api/v1/"+collection+"/"+strconv.FormatInt(id, 10))
	return writeJSON(w, http.StatusCreated, v)
}

func (s *Server) handleUnits(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	var f stakhanov.UnitFilter
	// parent=0 selects the top of the tree; any other value a unit's
	// children.
	if v := q.get("parent"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			q.fail("parent", "parent %q is not a unit id (0 for the top of the tree)", v)
		}
		f.ParentID = &n
	}
	f.Within = q.id("within")
	f.Kind = q.oneOf("kind", stakhanov.UnitMinistry, stakhanov.UnitEnterprise, stakhanov.UnitCollective)
	f.Name = q.get("name")
	f.Page = q.page()
	if err := q.check(); err != nil {
		return err
	}
	units, total, err := s.store.FindUnits(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(units, total, f.Page))
}

func (s *Server) handleCreateUnit(w http.ResponseWriter, r *http.Request) error {
	var in unitInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	u := &stakhanov.Unit{ParentID: in.ParentID, Kind: in.Kind, Name: in.Name}
	if err := s.store.CreateUnit(r.Context(), u); err != nil {
		return err
	}
	return created(w, "units", u.ID, u)
}

func (s *Server) handlePeople(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.PersonFilter{UnitID: q.id("unit"), Name: q.get("name"), Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	people, total, err := s.store.FindPeople(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(people, total, f.Page))
}

func (s *Server) handleCreatePerson(w http.ResponseWriter, r *http.Request) error {
	var in personInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	p := &stakhanov.Person{UnitID: in.UnitID, Code: in.Code, Name: in.Name, Profession: in.Profession}
	if err := s.store.CreatePerson(r.Context(), p); err != nil {
		return err
	}
	return created(w, "people", p.ID, p)
}

func (s *Server) handleGoods(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := stakhanov.GoodFilter{Name: q.get("name"), Page: q.page()}
	if err := q.check(); err != nil {
		return err
	}
	goods, total, err := s.store.FindGoods(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, newList(goods, total, f.Page))
}

func (s *Server) handleCreateGood(w http.ResponseWriter, r *http.Request) error {
	var in goodInput
	if err := s.decodeBody(w, r, &in); err != nil {
		return err
	}
	g := &stakhanov.Good{Name: in.Name, Measure: in.Measure}
	if err := s.store.CreateGood(r.Context(), g); err != nil {
		return err
	}
	return created(w, "goods", g.ID, g)
}
