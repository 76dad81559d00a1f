package storetest

import (
	"fmt"
	"math"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// testStorming: a month built to storm (90 % of the output in its last
// third) is found, with its days and beside its plan; an even month is
// not, nor the same enterprise's months when all of them end so.
func testStorming(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner, turner := stakhanov.PersonSubject(w.miner.ID), stakhanov.PersonSubject(w.turner.ID)
	var rs []*stakhanov.Report
	for d := 1; d <= 30; d++ {
		// The mine: 6 t a day, August and September alike.
		rs = append(rs, report(miner, w.coal, stakhanov.NewDate(1935, 8, d), 1, 6, 6, fmt.Sprint("aug", d)))
		rs = append(rs, report(miner, w.coal, stakhanov.NewDate(1935, 9, d), 1, 6, 6, fmt.Sprint("sep", d)))
		// The plant: 1 piece a day to the 20th of September, 20 after.
		parts := 1.0
		if d > 20 {
			parts = 20
		}
		rs = append(rs, report(turner, w.parts, stakhanov.NewDate(1935, 9, d), 1, parts, parts, fmt.Sprint("parts", d)))
	}
	_, err := s.CreateReports(system, rs)
	must(t, err)
	must(t, s.CreatePlan(system, &stakhanov.Plan{UnitID: w.factory.ID, GoodID: w.parts.ID, Period: stakhanov.PlanMonth,
		Start: date(t, "1935-09-01"), Quantity: 200, Reason: "September"}))

	got, err := s.Storming(bg, stakhanov.StormQuery{UnitID: w.ministry.ID, From: date(t, "1935-08-01"), To: date(t, "1935-09-30")})
	must(t, err)
	byKey := map[string]*stakhanov.StormingMonth{}
	for _, m := range got {
		byKey[m.Enterprise+" "+m.Good+" "+m.Month.String()] = m
	}
	if len(got) != 3 {
		t.Fatalf("storming: got %d months, want 3: %v", len(got), byKey)
	}
	plant := byKey["Kirov plant parts 1935-09-01"]
	if plant == nil || !plant.Storming || plant.Accepted != 220 || plant.InLastThird != 200 || math.Abs(plant.Share-200.0/220) > 1e-9 ||
		plant.LastThird.String() != "1935-09-21" || len(plant.Days) != 30 || plant.Planned == nil || *plant.Planned != 200 || math.Abs(*plant.Percent-110) > 1e-9 {
		t.Fatalf("the plant's September: got %+v, want it storming, 200 of 220 from the 21st, 110 %% of its plan", plant)
	}
	for _, k := range []string{"Tsentralnaya-Irmino mine coal 1935-08-01", "Tsentralnaya-Irmino mine coal 1935-09-01"} {
		m := byKey[k]
		if m == nil || m.Storming || math.Abs(m.Share-10.0/30) > 1e-9 {
			t.Fatalf("%s: got %+v, want an even month, not storming", k, m)
		}
	}
	if sep := byKey["Tsentralnaya-Irmino mine coal 1935-09-01"]; sep.OwnUsual == nil || math.Abs(*sep.OwnUsual-10.0/30) > 1e-9 || sep.PeersUsual != nil {
		t.Fatalf("the mine's September: own usual %v, peers %v, want August's third and no peers", sep.OwnUsual, sep.PeersUsual)
	}

	// A month that ends as heavy as the enterprise's usual is its
	// pattern, not a storm.
	heavy := stakhanov.StormingMonth{Month: date(t, "1935-09-01"), Days: plant.Days}
	heavy.Judge([]float64{0.85, 0.9}, nil)
	if heavy.Storming {
		t.Fatalf("a month as heavy as the usual: got storming")
	}
	_, err = s.Storming(bg, stakhanov.StormQuery{})
	wantCode(t, err, stakhanov.EINVALID, "unit")
}
