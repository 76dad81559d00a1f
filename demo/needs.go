package demo

import (
	"math"

	"github.com/stakhanov/stakhanov"
)

// Needs and plans of September 1935 ([6]): the mine over its coal plan in
// tonnes while the children's shoes people need are short, and the shoe
// factory storming at the month's end. Stand-ins
// throughout: the sources give neither the plans nor the needs.
const (
	// MineCoalPlanSept1935 is the mine's September plan: five hewers, a 7 t
	// norm, 25 working days.
	MineCoalPlanSept1935 = 875
	// CoalNeedSept1935 is the Commissariat's need of the mine's coal.
	CoalNeedSept1935 = 900
	// ShoesPlanSept1935 is the shoe factory's September plan of children's
	// shoes, cascaded whole to its one line.
	ShoesPlanSept1935 = 4000
	// ShoesNeedSept1935 is what the trade network asked of the Commissariat
	// of Light Industry for the autumn.
	ShoesNeedSept1935 = 12000
	// ShoeNorm is a shoemaker's norm of children's shoes, pairs per shift.
	ShoeNorm = 40
)

// NeedsWorld is what needs1935 made, for callers and tests.
type NeedsWorld struct {
	LightIndustry, ShoeFactory, ShoeLine int64 // unit ids
	Shoes                                int64 // good id
	Coal                                 int64
	HeavyIndustry                        int64
}

func (b *builder) needs1935(w *World, t *people1935) {
	if b.err != nil {
		return
	}
	n := &w.Needs
	n.Coal, n.HeavyIndustry = w.Coal, t.commissariat
	n.LightIndustry = b.unit(0, stakhanov.UnitMinistry, "People's Commissariat of Light Industry of the USSR")
	n.ShoeFactory = b.unit(n.LightIndustry, stakhanov.UnitEnterprise, "Skorokhod shoe factory, Leningrad")
	n.ShoeLine = b.unit(n.ShoeFactory, stakhanov.UnitCollective, "Children's shoe line")
	n.Shoes = b.good("children's shoes", "pairs")
	planner := b.user(otherUsers[5], stakhanov.RolePlanner, n.LightIndustry, 0)
	foreman := b.user(otherUsers[6], stakhanov.RoleForeman, n.ShoeFactory, 0)
	var makers []int64
	for _, name := range []string{"Anna Smirnova", "Maria Kuznetsova", "Olga Vasilieva", "Pavel Fedorov"} {
		makers = append(makers, b.person(n.ShoeLine, name, "shoemaker"))
	}
	sept1, sept30 := stakhanov.NewDate(1935, 9, 1), stakhanov.NewDate(1935, 9, 30)
	for _, p := range makers {
		b.norm(planner, p, n.Shoes, ShoeNorm, sept1, "1935 norm for children's shoes: 40 pairs per shift")
	}
	// The factory storms: well under the norm to the 20th, then a rush to
	// make the plan (most of the month's pairs in its last third); a
	// tenth of the pairs fail inspection.
	var rs []*stakhanov.Report
	for _, d := range days(sept1, sept30, workday1935) {
		pace := b.between(0.55, 0.70)
		if !d.Before(stakhanov.LastThird(sept1)) {
			pace = b.between(1.65, 1.85)
		}
		for i, p := range makers {
			produced := math.Round(ShoeNorm * pace * b.between(0.97, 1.03))
			accepted := math.Round(produced * b.between(0.86, 0.94))
			rs = append(rs, &stakhanov.Report{Subject: stakhanov.PersonSubject(p), GoodID: n.Shoes, Date: d, Shift: 1,
				Minutes: 480, Produced: produced, Accepted: accepted, Key: key("shoes"+string(rune('a'+i)), d, 1)})
		}
	}
	b.reports(foreman, rs)
	b.plan(t.planner, w.Mine, w.Coal, sept1, MineCoalPlanSept1935, "September 1935 plan of the mine: five hewers at the 7 t norm, 25 working days")
	b.plan(planner, n.ShoeFactory, n.Shoes, sept1, ShoesPlanSept1935, "September 1935 plan of children's shoes: four shoemakers at 40 pairs, 25 working days")
	b.plan(planner, n.ShoeLine, n.Shoes, sept1, ShoesPlanSept1935, "the factory's September plan, cascaded to its one line")
	// The Commissariat's need is above the mine's planner: the operator
	// records it.
	b.need(stakhanov.System, t.commissariat, w.Coal, sept1, sept30, CoalNeedSept1935, "the Commissariat's call on the mine's coal for September")
	b.need(planner, n.LightIndustry, n.Shoes, sept1, sept30, ShoesNeedSept1935, "the trade network's order of children's shoes for the autumn, September's part")
	// Both Commissariats publish their shortages on the public page.
	b.fail(b.s.SetUnitPublishesShortages(b.as(planner), n.LightIndustry, true), "publishing Light Industry's shortages")
	b.fail(b.s.SetUnitPublishesShortages(b.sys, t.commissariat, true), "publishing Heavy Industry's shortages")
}

func (b *builder) plan(as *stakhanov.User, unit, good int64, month stakhanov.Date, qty float64, reason string) {
	if b.err != nil {
		return
	}
	p := &stakhanov.Plan{UnitID: unit, GoodID: good, Period: stakhanov.PlanMonth, Start: month, Quantity: qty, Reason: reason}
	b.fail(b.s.CreatePlan(b.as(as), p), "plan of unit "+reason)
}

func (b *builder) need(as *stakhanov.User, unit, good int64, from, to stakhanov.Date, qty float64, note string) {
	if b.err != nil {
		return
	}
	n := &stakhanov.Need{UnitID: unit, GoodID: good, From: from, To: to, Quantity: qty, Note: note}
	b.fail(b.s.CreateNeed(b.as(as), n), "need: "+note)
}
