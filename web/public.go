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

// Public pages: no sign-in, and nothing on them that is not public. The
// registry shows only what signed decrees made public (the store sees to
// that); a recipient page exists only for someone who holds or held an
// award.

type homeData struct {
	SignedOut bool
	Awards    []*stakhanov.Award
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	awards, _, err := s.store.FindAwards(r.Context(), stakhanov.AwardFilter{Page: stakhanov.Page{Limit: 50}})
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "home", "Stakhanov", homeData{SignedOut: r.URL.Query().Get("signedout") != "", Awards: awards})
	return nil
}

// pager is the state of a paginated list, for the "pager" partial.
type pager struct {
	From, To, Total int
	Prev, Next      string
}

func newPager(u *url.URL, offset, limit, shown, total int) pager {
	return newPagerAt(u, "offset", offset, limit, shown, total)
}

// newPagerAt is newPager for a list whose offset is the parameter key (a
// page with two lists).
func newPagerAt(u *url.URL, key string, offset, limit, shown, total int) pager {
	p := pager{From: offset + 1, To: offset + shown, Total: total}
	if shown == 0 {
		p.From = offset
	}
	if offset > 0 {
		p.Prev = queryWith(u, key, max(0, offset-limit))
	}
	if offset+shown < total {
		p.Next = queryWith(u, key, offset+limit)
	}
	return p
}

// registryPageSize is how many recipients a registry page shows.
const registryPageSize = 20

type registryData struct {
	Form       *Form
	Registry   *stakhanov.Registry
	Pager      pager
	ByAward    Chart
	ByYear     Chart
	Filtered   bool
	AwardNames map[int64]string
}

// handleRegistry searches the public registry: q (name, profession or
// unit), award, year, offset.
func (s *Server) handleRegistry(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	form := NewForm(url.Values{"q": {q.Get("q")}, "award": {q.Get("award")}, "year": {q.Get("year")}})
	f := stakhanov.RegistryFilter{Q: strings.TrimSpace(q.Get("q")), Page: stakhanov.Page{Limit: registryPageSize}}
	if v := q.Get("award"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			form.Fail("award", "Choose an award from the list.")
		}
		f.AwardID = id
	}
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 1000 || y > 9999 {
			form.Fail("year", "Write the year with four digits, e.g. 2013.")
		}
		f.Year = y
	}
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	f.Offset = max(0, f.Offset)
	awards, err := s.allAwards(ctx)
	if err != nil {
		return err
	}
	data := registryData{Form: form, AwardNames: map[int64]string{},
		Filtered: f.Q != "" || f.AwardID != 0 || f.Year != 0}
	opts := []Option{{"", "Any award"}}
	for _, a := range awards {
		opts = append(opts, Option{strconv.FormatInt(a.ID, 10), a.Name})
		data.AwardNames[a.ID] = a.Name
	}
	if !form.OK() {
		data.Registry = &stakhanov.Registry{}
		s.render(w, r, http.StatusBadRequest, "registry", "Registry of recipients", withOptions(data, opts))
		return nil
	}
	reg, err := s.store.Registry(ctx, f)
	if err != nil {
		return err
	}
	data.Registry = reg
	data.Pager = newPager(r.URL, f.Offset, registryPageSize, len(reg.Recipients), reg.Total)
	var byAward, byYear []Bar
	for _, c := range reg.ByAward {
		byAward = append(byAward, Bar{Label: c.Award, Value: float64(c.Count), Href: fmt.Sprintf("/awards/%d", c.AwardID)})
	}
	for _, c := range reg.ByYear {
		byYear = append(byYear, Bar{Label: strconv.Itoa(c.Year), Value: float64(c.Count),
			Href: queryWith(r.URL, "year", c.Year, "offset", 0)})
	}
	data.ByAward = Chart{SVG: BarChart("chart-by-award", "Conferrals per award", byAward), Caption: "Conferrals per award in this selection"}
	data.ByYear = Chart{SVG: BarChart("chart-by-year", "Conferrals per year", byYear), Caption: "Conferrals per year in this selection"}
	s.render(w, r, http.StatusOK, "registry", "Registry of recipients", withOptions(data, opts))
	return nil
}

type registryView struct {
	registryData
	AwardOptions []Option
}

func withOptions(d registryData, opts []Option) registryView { return registryView{d, opts} }

// recipientPageSize is how many conferrals a recipient's page shows.
const recipientPageSize = 50

type recipientData struct {
	Subject    stakhanov.Subject
	Pager      pager
	Name       string
	Profession string
	Unit       string
	Entries    []recipientEntry
	// LedgerSize is the number of records in the honours ledger now: the
	// tree size the inclusion proofs are for.
	LedgerSize int64
}

// ledgerEntry is where a record is in the honours ledger; Found is false
// when the ledger holds no record for it.
type ledgerEntry struct {
	Found bool
	Index int64
}

type recipientEntry struct {
	Conferral *stakhanov.Conferral
	Award     *stakhanov.Award
	Decree    string
	// Revoked is the number of the decree that revoked it, if any.
	RevokedBy string
	Companion string
	// Ledger is the conferral's record in the honours ledger, Revocation
	// its revocation's (if revoked).
	Ledger     ledgerEntry
	Revocation ledgerEntry
}

// handleRecipient shows everything public about one recipient: each
// conferral, by which decree, and each revocation, with where each is in
// the honours ledger (and links to its record and inclusion proof), and
// each conferral's credential and baked insignia.
func (s *Server) handleRecipient(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sub, err := stakhanov.ParseSubject(r.PathValue("kind") + ":" + r.PathValue("id"))
	if err != nil {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no recipient at this address.")
	}
	// A page of conferrals, in the order they were recorded (a person
	// holds a handful; a collective may hold many), each page by date.
	offset := offsetOf(r)
	cs, total, err := s.store.FindConferrals(ctx, stakhanov.ConferralFilter{Recipient: sub, Page: stakhanov.Page{Offset: offset, Limit: recipientPageSize}})
	if err != nil {
		return err
	}
	if total == 0 {
		// Only recipients have a public page.
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no recipient at this address.")
	}
	data := recipientData{Subject: sub, Pager: newPager(r.URL, offset, recipientPageSize, len(cs), total)}
	if sub.Kind == stakhanov.SubjectPerson {
		p, err := s.store.FindPersonByID(ctx, sub.ID)
		if err != nil {
			return err
		}
		data.Name, data.Profession = p.Name, p.Profession
		if u, err := s.store.FindUnitByID(ctx, p.UnitID); err == nil {
			data.Unit = u.Name
		}
	} else {
		u, err := s.store.FindUnitByID(ctx, sub.ID)
		if err != nil {
			return err
		}
		data.Name = u.Name
	}
	awards := map[int64]*stakhanov.Award{}
	decrees := map[int64]string{}
	award := func(id int64) (*stakhanov.Award, error) {
		if a, ok := awards[id]; ok {
			return a, nil
		}
		a, err := s.store.FindAwardByID(ctx, id)
		awards[id] = a
		return a, err
	}
	decree := func(id int64) (string, error) {
		if n, ok := decrees[id]; ok {
			return n, nil
		}
		d, err := s.store.FindDecreeByID(ctx, id)
		if err != nil {
			return "", err
		}
		decrees[id] = d.Number
		return d.Number, nil
	}
	if data.LedgerSize, err = s.store.LedgerSize(ctx); err != nil {
		return err
	}
	ledgerIndex := func(kind string, id int64) (ledgerEntry, error) {
		i, err := s.store.LedgerRecordIndex(ctx, kind, id)
		if stakhanov.ErrorCode(err) == stakhanov.ENOTFOUND {
			return ledgerEntry{}, nil
		}
		if err != nil {
			return ledgerEntry{}, err
		}
		return ledgerEntry{Found: true, Index: i}, nil
	}
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].Date.Before(cs[j].Date) })
	for _, c := range cs {
		e := recipientEntry{Conferral: c}
		if e.Ledger, err = ledgerIndex(stakhanov.LedgerConferral, c.ID); err != nil {
			return err
		}
		if c.Revocation != nil {
			if e.Revocation, err = ledgerIndex(stakhanov.LedgerRevocation, c.ID); err != nil {
				return err
			}
		}
		if e.Award, err = award(c.AwardID); err != nil {
			return err
		}
		if e.Decree, err = decree(c.DecreeID); err != nil {
			return err
		}
		if c.Revocation != nil {
			if e.RevokedBy, err = decree(c.Revocation.DecreeID); err != nil {
				return err
			}
		}
		if c.CompanionOf != 0 {
			// The conferral it came with, on this page or another.
			o := func() *stakhanov.Conferral {
				for _, o := range cs {
					if o.ID == c.CompanionOf {
						return o
					}
				}
				o, _ := s.store.FindConferralByID(ctx, c.CompanionOf)
				return o
			}()
			if o != nil {
				if a, err := award(o.AwardID); err == nil {
					e.Companion = a.Name
				}
			}
		}
		data.Entries = append(data.Entries, e)
	}
	s.render(w, r, http.StatusOK, "recipient", data.Name, data)
	return nil
}

type awardsData struct {
	Awards []*stakhanov.Award
}

func (s *Server) handleAwards(w http.ResponseWriter, r *http.Request) error {
	awards, err := s.allAwards(r.Context())
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, "awards", "Awards", awardsData{Awards: awards})
	return nil
}

type awardData struct {
	Award *stakhanov.Award
	// Lineage is the award's line of titles, oldest first, the award
	// itself included.
	Lineage       []*stakhanov.Award
	Prerequisites []*stakhanov.Award
	Companions    []*stakhanov.Award
	ByYear        Chart
	Years         []stakhanov.YearCount
	Total         int
}

// handleAward shows an award: its insignia, description, rules, lineage
// and conferrals per year.
func (s *Server) handleAward(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return stakhanov.Errorf(stakhanov.ENOTFOUND, "There is no award at this address.")
	}
	a, err := s.store.FindAwardByID(ctx, id)
	if err != nil {
		return err
	}
	all, err := s.allAwards(ctx)
	if err != nil {
		return err
	}
	byID := map[int64]*stakhanov.Award{}
	successor := map[int64]*stakhanov.Award{}
	for _, x := range all {
		byID[x.ID] = x
		if x.PredecessorID != 0 {
			successor[x.PredecessorID] = x
		}
	}
	data := awardData{Award: a}
	// Walk back to the first of the line, then forward.
	first := a
	for seen := map[int64]bool{a.ID: true}; first.PredecessorID != 0; {
		p := byID[first.PredecessorID]
		if p == nil || seen[p.ID] {
			break
		}
		seen[p.ID] = true
		first = p
	}
	for x, seen := first, map[int64]bool{}; x != nil && !seen[x.ID]; x = successor[x.ID] {
		seen[x.ID] = true
		data.Lineage = append(data.Lineage, x)
	}
	for _, pid := range a.Rules.Prerequisites {
		if p := byID[pid]; p != nil {
			data.Prerequisites = append(data.Prerequisites, p)
		}
	}
	for _, cid := range a.Rules.Companions {
		if c := byID[cid]; c != nil {
			data.Companions = append(data.Companions, c)
		}
	}
	reg, err := s.store.Registry(ctx, stakhanov.RegistryFilter{AwardID: a.ID, Page: stakhanov.Page{Limit: 1}})
	if err != nil {
		return err
	}
	data.Years = reg.ByYear
	var bars []Bar
	for _, c := range reg.ByYear {
		bars = append(bars, Bar{Label: strconv.Itoa(c.Year), Value: float64(c.Count),
			Href: fmt.Sprintf("/registry?award=%d&year=%d", a.ID, c.Year)})
		data.Total += c.Count
	}
	data.ByYear = Chart{SVG: BarChart("chart-award-years", "Conferrals of "+a.Name+" per year", bars), Caption: "Conferrals per year"}
	s.render(w, r, http.StatusOK, "award", a.Name, data)
	return nil
}
