package stakhanov

import (
	"math"
	"testing"
)

// TestPlanValidate: a plan's periods, starts, phases and bounds, each
// refusal naming its field.
func TestPlanValidate(t *testing.T) {
	ok := Plan{UnitID: 1, GoodID: 2, Period: PlanQuarter, Start: NewDate(2026, 7, 1), Quantity: 300, Phases: []float64{90, 100, 110}, Reason: "r"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("a good plan: %v", err)
	}
	if end := ok.End(); end != NewDate(2026, 9, 30) {
		t.Errorf("end of the third quarter: got %s", end)
	}
	for _, c := range []struct {
		change func(*Plan)
		field  string
	}{
		{func(p *Plan) { p.Period = "decade" }, "period"},
		{func(p *Plan) { p.Start = NewDate(2026, 8, 1) }, "start"},
		{func(p *Plan) { p.Start = NewDate(2026, 7, 2) }, "start"},
		{func(p *Plan) { p.Start = NewDate(9999, 7, 1) }, "start"},
		{func(p *Plan) { p.Quantity = math.Inf(1) }, "quantity"},
		{func(p *Plan) { p.Quantity = 1e300 }, "quantity"},
		{func(p *Plan) { p.Quantity = 0 }, "quantity"},
		{func(p *Plan) { p.Phases = []float64{100, 100} }, "phases"},
		{func(p *Plan) { p.Phases = []float64{100, 100, 99} }, "phases"},
		{func(p *Plan) { p.Phases = []float64{math.NaN(), 100, 110} }, "phases[0]"},
		{func(p *Plan) { p.Phases = []float64{90, -100, 310} }, "phases[1]"},
		{func(p *Plan) { p.Phases = []float64{90, 100, math.Inf(1)} }, "phases[2]"},
		{func(p *Plan) { p.Period, p.Start, p.Phases = PlanMonth, NewDate(2026, 8, 1), []float64{300} }, "phases"},
		{func(p *Plan) { p.Reason = " " }, "reason"},
	} {
		p := ok
		p.Phases = append([]float64(nil), ok.Phases...)
		c.change(&p)
		err := p.Validate()
		if e, isErr := err.(*Error); !isErr || e.Field != c.field {
			t.Errorf("%+v: got %v, want an error naming %s", p, err, c.field)
		}
	}
}
