package storetest

import (
	"slices"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// testRegistrySearch: the registry's q matches recipients whose name,
// profession or unit has, for every word of q, a word beginning with it,
// whatever the case; with the award and year filters, pages and counts.
func testRegistrySearch(t *testing.T, s stakhanov.Store) {
	h := newHonours(t, s)
	theatre := &stakhanov.Unit{Kind: stakhanov.UnitEnterprise, Name: "Mariinsky Theatre", ParentID: h.ministry.ID}
	must(t, s.CreateUnit(system, theatre))
	orchestra := &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: "Orchestra of the Mariinsky", ParentID: theatre.ID}
	must(t, s.CreateUnit(system, orchestra))
	person := func(u *stakhanov.Unit, name, prof string) *stakhanov.Person {
		p := &stakhanov.Person{UnitID: u.ID, Name: name, Profession: prof}
		must(t, s.CreatePerson(system, p))
		return p
	}
	gergiev := person(theatre, "Valery Gergiev", "conductor")
	miner := person(h.brigade, "Ivan Petrov", "coal miner")
	ivanov := person(h.brigade, "Пётр ИВАНОВ", "шахтёр")
	obrien := person(h.factory, "Seán O'Brien", "steel-worker")
	nobody := person(h.brigade, "Nikolai Gergievsky", "coal miner") // never decorated

	// Conferrals by two decrees: the Order of Lenin in 1950 and 1960 (the
	// orchestra, a unit, in 1960 only), Hero of Socialist Labour in 1960
	// (with the Order of Lenin as its companion).
	_, err := h.decree(t, s, "50", "1950-05-01", stakhanov.DecreeRecord,
		record(h.lenin, gergiev), record(h.lenin, miner), record(h.lenin, ivanov), record(h.lenin, obrien))
	must(t, err)
	_, err = h.decree(t, s, "60", "1960-05-01", stakhanov.DecreeRecord,
		record(h.lenin, gergiev), record(h.hsl, miner),
		stakhanov.DecreeEntry{AwardID: h.lenin.ID, Recipient: stakhanov.UnitSubject(orchestra.ID)})
	must(t, err)

	search := func(f stakhanov.RegistryFilter) *stakhanov.Registry {
		t.Helper()
		reg, err := s.Registry(bg, f)
		must(t, err)
		return reg
	}
	names := func(reg *stakhanov.Registry) []string {
		out := []string{}
		for _, r := range reg.Recipients {
			out = append(out, r.Name)
		}
		return out
	}
	for _, c := range []struct {
		q    string
		want []string // by name
	}{
		{"gerg", []string{"Valery Gergiev"}},
		{"GERGIEV", []string{"Valery Gergiev"}},
		{"  valery   gerg ", []string{"Valery Gergiev"}},
		{"coal miner", []string{"Ivan Petrov"}},
		{"miner coal", []string{"Ivan Petrov"}},
		{"coal mi", []string{"Ivan Petrov"}},
		{"coal turner", nil},                   // every word must match
		{"ergiev", nil},                        // a word's start, not its middle
		{"oal", nil},                           // nor a profession's
		{"иванов", []string{"Пётр ИВАНОВ"}},    // case folds beyond ASCII
		{"пётр шахт", []string{"Пётр ИВАНОВ"}}, // and words are Unicode
		{"o'brien", []string{"Seán O'Brien"}},
		{"brien", []string{"Seán O'Brien"}},
		{"seán steel", []string{"Seán O'Brien"}},
		{"steel-worker", []string{"Seán O'Brien"}},
		{"kirov", []string{"Seán O'Brien"}}, // the person's unit
		// The orchestra by its own name, and by its parent's (the unit the
		// registry shows for it); Gergiev by his unit.
		{"mariinsky", []string{"Orchestra of the Mariinsky", "Valery Gergiev"}},
		{"theatre", []string{"Orchestra of the Mariinsky", "Valery Gergiev"}},
		{"orchestra", []string{"Orchestra of the Mariinsky"}},
		{"stakhanov's brigade", []string{"Ivan Petrov", "Пётр ИВАНОВ"}},
		{"%", nil},
		{"*", nil},
		{"\"", nil},
		{"gerg*", []string{"Valery Gergiev"}},
		{"'gerg' & x:*", nil},
		{"gerg OR coal", nil},
		{"NOT gerg", nil},
	} {
		reg := search(stakhanov.RegistryFilter{Q: c.q})
		got := names(reg)
		want := c.want
		if want == nil {
			want = []string{}
		}
		if !slices.Equal(got, want) || reg.Total != len(want) {
			t.Errorf("registry q=%q: got %q (total %d), want %q", c.q, got, reg.Total, want)
		}
	}
	if reg := search(stakhanov.RegistryFilter{Q: nobody.Name}); reg.Total != 0 {
		t.Errorf("a person never decorated is in the registry: %+v", reg)
	}

	// Filters, counts and pages with q.
	reg := search(stakhanov.RegistryFilter{Q: "gerg"})
	if len(reg.Recipients) != 1 || len(reg.Recipients[0].Conferrals) != 2 || reg.Recipients[0].Profession != "conductor" || reg.Recipients[0].Unit != "Mariinsky Theatre" ||
		!slices.Equal(reg.ByAward, []stakhanov.AwardCount{{AwardID: h.lenin.ID, Award: h.lenin.Name, Count: 2}}) ||
		!slices.Equal(reg.ByYear, []stakhanov.YearCount{{Year: 1950, Count: 1}, {Year: 1960, Count: 1}}) {
		t.Errorf("registry q=gerg: got %+v", reg)
	}
	reg = search(stakhanov.RegistryFilter{Q: "coal", AwardID: h.hsl.ID})
	if got := names(reg); !slices.Equal(got, []string{"Ivan Petrov"}) || len(reg.Recipients[0].Conferrals) != 3 ||
		!slices.Equal(reg.ByAward, []stakhanov.AwardCount{{AwardID: h.hsl.ID, Award: h.hsl.Name, Count: 1}}) {
		t.Errorf("registry q=coal award=hsl: got %+v", reg)
	}
	reg = search(stakhanov.RegistryFilter{Q: "brigade", Year: 1960})
	if got := names(reg); !slices.Equal(got, []string{"Ivan Petrov"}) ||
		!slices.Equal(reg.ByYear, []stakhanov.YearCount{{Year: 1960, Count: 2}}) {
		t.Errorf("registry q=brigade year=1960: got %+v", reg)
	}
	reg = search(stakhanov.RegistryFilter{Q: "mariinsky", AwardID: h.lenin.ID, Year: 1950})
	if got := names(reg); !slices.Equal(got, []string{"Valery Gergiev"}) {
		t.Errorf("registry q=mariinsky award=lenin year=1950: got %+v", reg)
	}
	reg = search(stakhanov.RegistryFilter{Q: "mariinsky", Page: stakhanov.Page{Limit: 1, Offset: 1}})
	if got := names(reg); !slices.Equal(got, []string{"Valery Gergiev"}) || reg.Total != 2 {
		t.Errorf("registry q=mariinsky second page: got %+v", reg)
	}
	if reg = search(stakhanov.RegistryFilter{}); reg.Total != 5 {
		t.Errorf("whole registry: got %d recipients, want 5", reg.Total)
	}
}
