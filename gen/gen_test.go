package gen

import (
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
)

func TestPlan(t *testing.T) {
	today := stakhanov.NewDate(2026, time.March, 2) // a Monday
	p, err := NewPlan(Config{People: 10000, Shifts: 120, Seed: 9, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.People) != 10000 || p.Strong() != 200 {
		t.Fatalf("people %d, strong %d: want 10000 and 2%%", len(p.People), p.Strong())
	}
	if last := p.Days[len(p.Days)-1]; last != stakhanov.NewDate(2026, time.February, 27) {
		t.Fatalf("last day %s: want the Friday before today", last)
	}
	for i, d := range p.Days {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Fatalf("day %d, %s, is a %s", i, d, wd)
		}
		if i > 0 && (p.Days[i-1].AddDays(3).Before(d) || !p.Days[i-1].Before(d)) {
			t.Fatalf("days %s and %s are not consecutive working days", p.Days[i-1], d)
		}
	}
	goods := map[int]bool{}
	combines := 0
	for i, e := range p.Enterprises {
		goods[e.Good] = true
		size := 0
		for _, c := range e.Collectives {
			size += c.Size
		}
		// Every fiftieth enterprise a combine; the others of 1 to 5
		// collectives.
		switch combine := i%50 == 49; {
		case combine && size < CombinePeople:
			t.Fatalf("combine %s: %d people, want at least %d", e.Name, size, CombinePeople)
		case combine:
			combines++
		case len(e.Collectives) > 5:
			t.Fatalf("%s: %d collectives, want 1 to 5", e.Name, len(e.Collectives))
		}
		for _, c := range e.Collectives {
			if c.Size < 20 || c.Size >= 70 {
				t.Fatalf("%s: %d people", c.Name, c.Size)
			}
			for _, x := range p.People[c.First : c.First+c.Size] {
				if x.Good != e.Good || x.Norm < 5 || x.Norm > 50 {
					t.Fatalf("%s of %s: good %d, norm %d", x.Code, c.Name, x.Good, x.Norm)
				}
			}
		}
	}
	if combines == 0 || combines != len(p.Enterprises)/50 {
		t.Fatalf("%d combines in %d enterprises, want one in fifty", combines, len(p.Enterprises))
	}
	if len(goods) != len(Goods) {
		t.Fatalf("%d goods worked, want %d", len(goods), len(Goods))
	}
	// Ordinary workers stay below 120 % but for rare records; strong ones
	// are above it on most shifts.
	var records, strongAbove, strongShifts int
	for w, x := range p.People {
		for d := range p.Days {
			produced, accepted := p.Figures(w, d)
			if again, _ := p.Figures(w, d); again != produced || accepted > produced || accepted <= 0 {
				t.Fatalf("figures of %d on day %d: %d, %d, then %d", w, d, produced, accepted, again)
			}
			pct := float64(accepted) / float64(x.Norm*10) * 100
			switch {
			case pct >= RecordMultiple*100-1:
				records++
			case x.Strong:
				strongShifts++
				if pct >= 120 {
					strongAbove++
				}
			case pct >= 120:
				t.Fatalf("ordinary worker %s at %.0f%% on day %d", x.Code, pct, d)
			}
		}
	}
	if share := float64(strongAbove) / float64(strongShifts); share < 0.9 || share > 0.96 {
		t.Fatalf("strong workers at or above 120%% on %.2f of their shifts, want about 0.93", share)
	}
	if records == 0 || records > 30 {
		t.Fatalf("%d records in 600,000 shifts, want a few", records)
	}
}
