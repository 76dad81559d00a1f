package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// The registrar's pages: the ceremonies, scheduling one for conferrals of
// recent signed decrees, and a ceremony's page where each conferral is
// marked presented as it is handed over.

func init() {
	navs[stakhanov.RoleRegistrar] = []Link{
		{"/registrar", "Ceremonies"},
		{"/registrar/ceremonies/new", "Schedule a ceremony"},
		{"/registry", "Public registry"},
	}
}

type ceremonyRow struct {
	C *stakhanov.Ceremony
}

type registrarData struct {
	Ceremonies []ceremonyRow
	Pager      pager
}

// handleRegistrar lists the ceremonies, newest first, a page at a time.
func (s *Server) handleRegistrar(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	offset := offsetOf(r)
	cs, total, err := newestFirst(func(p stakhanov.Page) ([]*stakhanov.Ceremony, int, error) {
		return s.store.FindCeremonies(ctx, stakhanov.CeremonyFilter{Page: p})
	}, offset, honoursPageSize)
	if err != nil {
		return err
	}
	data := registrarData{Pager: newPager(r.URL, offset, honoursPageSize, len(cs), total)}
	for _, c := range cs {
		data.Ceremonies = append(data.Ceremonies, ceremonyRow{C: c})
	}
	s.render(w, r, http.StatusOK, "registrar", "Ceremonies", data)
	return nil
}

// recentDecrees is how many of the latest decrees the ceremony form offers
// conferrals from.
const recentDecrees = 20

type ceremonyChoice struct {
	honConferral
	Checked bool
}

type decreeChoices struct {
	D          *stakhanov.Decree
	Conferrals []ceremonyChoice
}

type ceremonyFormData struct {
	Form    *Form
	Decrees []decreeChoices
}

func (s *Server) ceremonyFormPage(w http.ResponseWriter, r *http.Request, status int, form *Form) error {
	ctx := r.Context()
	decrees, err := s.lastDecrees(ctx, recentDecrees)
	if err != nil {
		return err
	}
	l := s.lookup(ctx)
	chosen := form.Values["conferral"]
	data := ceremonyFormData{Form: form}
	for i := len(decrees) - 1; i >= 0; i-- {
		d := decrees[i]
		if d.SignedAt == nil || d.Kind == stakhanov.DecreeRevoke {
			continue
		}
		dc := decreeChoices{D: d}
		// All of a decree's conferrals: the decree itself lists them.
		cs, err := stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Conferral, int, error) {
			return s.store.FindConferrals(ctx, stakhanov.ConferralFilter{DecreeID: d.ID, Page: p})
		})
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Revocation != nil || c.PresentedAt != nil {
				continue
			}
			hc, err := l.conferral(c)
			if err != nil {
				return err
			}
			dc.Conferrals = append(dc.Conferrals, ceremonyChoice{honConferral: hc, Checked: slices.Contains(chosen, strconv.FormatInt(c.ID, 10))})
		}
		if len(dc.Conferrals) > 0 {
			data.Decrees = append(data.Decrees, dc)
		}
	}
	s.render(w, r, status, "registrar_new", "Schedule a ceremony", data)
	return nil
}

// handleCeremonyForm shows the form to schedule a ceremony.
func (s *Server) handleCeremonyForm(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(url.Values{"date": {s.today().String()}, "place": {""}, "presenter": {""}})
	return s.ceremonyFormPage(w, r, http.StatusOK, form)
}

// handleScheduleCeremony schedules a ceremony for the chosen conferrals.
func (s *Server) handleScheduleCeremony(w http.ResponseWriter, r *http.Request) error {
	form := NewForm(r.PostForm)
	form.Values.Del(csrfField)
	c := &stakhanov.Ceremony{Place: strings.TrimSpace(form.Get("place")), Presenter: strings.TrimSpace(form.Get("presenter"))}
	if v := strings.TrimSpace(form.Get("date")); v == "" {
		form.Fail("date", "Write the ceremony's date.")
	} else if date, err := stakhanov.ParseDate(v); err != nil {
		form.Fail("date", "Write the date as YYYY-MM-DD, e.g. 2013-05-01.")
	} else {
		c.Date = date
	}
	if c.Place == "" {
		form.Fail("place", "Write where the ceremony takes place.")
	}
	if c.Presenter == "" {
		form.Fail("presenter", "Write who presents the awards.")
	}
	for _, v := range form.Values["conferral"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			form.Fail("conferral", "Choose conferrals from the list.")
			break
		}
		c.Conferrals = append(c.Conferrals, id)
	}
	if len(c.Conferrals) == 0 {
		form.Fail("conferral", "Choose at least one conferral to present.")
	}
	status := http.StatusBadRequest
	if form.OK() {
		err := s.store.CreateCeremony(r.Context(), c)
		if err == nil {
			return redirect(w, r, fmt.Sprintf("/registrar/ceremonies/%d?scheduled=1", c.ID))
		}
		if err := s.fromError(r, form, err, map[string]string{"conferrals": "conferral"}); err != nil {
			return err
		}
		status = honStatus(err)
	}
	return s.ceremonyFormPage(w, r, status, form)
}

type ceremonyData struct {
	C          *stakhanov.Ceremony
	Conferrals []honConferral
	Presented  int
	Scheduled  bool
	// Just is the conferral just marked presented.
	Just    int64
	Message string
}

func (s *Server) handleCeremony(w http.ResponseWriter, r *http.Request) error {
	return s.ceremonyPage(w, r, http.StatusOK, "")
}

func (s *Server) ceremonyPage(w http.ResponseWriter, r *http.Request, status int, message string) error {
	ctx := r.Context()
	id, err := honID(r, "id", "ceremony")
	if err != nil {
		return err
	}
	c, err := s.store.FindCeremonyByID(ctx, id)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	data := ceremonyData{C: c, Scheduled: q.Get("scheduled") != "", Message: message}
	data.Just, _ = strconv.ParseInt(q.Get("presented"), 10, 64)
	l := s.lookup(ctx)
	decrees := map[int64]*stakhanov.Decree{}
	for _, cid := range c.Conferrals {
		conf, err := s.store.FindConferralByID(ctx, cid)
		if err != nil {
			return err
		}
		hc, err := l.conferral(conf)
		if err != nil {
			return err
		}
		if hc.Decree = decrees[conf.DecreeID]; hc.Decree == nil {
			if hc.Decree, err = s.store.FindDecreeByID(ctx, conf.DecreeID); err != nil {
				return err
			}
			decrees[conf.DecreeID] = hc.Decree
		}
		// Presented here, not at another ceremony.
		if conf.PresentedAt != nil && conf.PresentedAt.CeremonyID == c.ID {
			data.Presented++
		}
		data.Conferrals = append(data.Conferrals, hc)
	}
	s.render(w, r, status, "registrar_ceremony", fmt.Sprintf("Ceremony of %s", c.Date), data)
	return nil
}

// handleMarkPresented records that a conferral was handed over at the
// ceremony.
func (s *Server) handleMarkPresented(w http.ResponseWriter, r *http.Request) error {
	id, err := honID(r, "id", "ceremony")
	if err != nil {
		return err
	}
	cid, err := strconv.ParseInt(r.PostFormValue("conferral"), 10, 64)
	if err != nil || cid <= 0 {
		return s.ceremonyPage(w, r, http.StatusBadRequest, "Choose a conferral of this ceremony.")
	}
	err = s.store.MarkPresented(r.Context(), id, cid)
	if err == nil {
		return redirect(w, r, fmt.Sprintf("/registrar/ceremonies/%d?presented=%d#conferral-%d", id, cid, cid))
	}
	if ferr := s.fromError(r, NewForm(nil), err, nil); ferr != nil {
		return ferr
	}
	return s.ceremonyPage(w, r, honStatus(err), stakhanov.ErrorMessage(err))
}
