package stakhanov

import (
	"math"
	"strings"
	"testing"
)

func TestRobustSpread(t *testing.T) {
	// MAD 0.5 → 0.7413.
	m, s := RobustSpread([]float64{7, 7.5, 8, 6.5, 7.2, 7.8, 30})
	if m != 7.5 || math.Abs(s-0.5*1.4826) > 1e-9 {
		t.Fatalf("got median %g spread %g", m, s)
	}
	// More than half the peers on the median: the MAD is 0, and the mean
	// absolute deviation stands in.
	m, s = RobustSpread([]float64{7, 7, 7, 7, 9, 11})
	if m != 7 || math.Abs(s-1.2533*1) > 1e-9 {
		t.Fatalf("got median %g spread %g", m, s)
	}
	// All equal: nobody is above the others, no spread, no flag.
	p := DefaultPlausibilityRules
	if _, _, ok := p.PeerStats([]float64{7, 7, 7, 7, 7, 7}); ok {
		t.Fatal("equal peers: want no judgement")
	}
}

func TestStormDays(t *testing.T) {
	p := DefaultPlausibilityRules
	for d, want := range map[string]bool{"1935-08-28": false, "1935-08-29": true, "1935-08-31": true, "1935-02-26": true, "1935-02-25": false} {
		date, _ := ParseDate(d)
		if got := p.InStormDays(date); got != want {
			t.Errorf("%s: got %v, want %v", d, got, want)
		}
	}
	if f := p.CheckStorm(StormMonth{Month: NewDate(1935, 8, 1), Shifts: 9, Total: 100, Last: 90}, "t"); f != nil {
		t.Fatalf("nine shifts: got %+v", f)
	}
	if f := p.CheckStorm(StormMonth{Month: NewDate(1935, 8, 1), Shifts: 10, Total: 100, Last: 41}, "t"); f == nil || f.Figures["share"] != 0.41 {
		t.Fatalf("41%%: got %+v", f)
	}
}

func TestPlausibilityValidate(t *testing.T) {
	for field, p := range map[string]PlausibilityRules{
		"multiple_of_norm": {MultipleOfNorm: 1},
		"peer_mads":        {PeerMADs: -1},
		"peer_minimum":     {PeerMADs: 6, PeerMinimum: 1},
		"storm_share":      {StormShare: 1},
		"storm_days":       {StormShare: 0.4, StormDays: 0, StormMinShifts: 10},
		"storm_min_shifts": {StormShare: 0.4, StormDays: 3},
		"max_per_shift":    {},
	} {
		if got := ErrorField(p.Validate()); got != field {
			t.Errorf("%+v: got field %q, want %q", p, got, field)
		}
	}
	// Every flag can be turned off; the bound cannot.
	off := PlausibilityRules{MaxPerShift: 100}
	if err := off.Validate(); err != nil {
		t.Fatalf("every rule off: %v", err)
	}
	if err := DefaultPlausibilityRules.Validate(); err != nil {
		t.Fatalf("defaults: %v", err)
	}
}

func TestPlausibilityValidateBounds(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		field string
		p     PlausibilityRules
	}{
		{"multiple_of_norm", PlausibilityRules{MultipleOfNorm: inf, MaxPerShift: 1}},
		{"multiple_of_norm", PlausibilityRules{MultipleOfNorm: nan, MaxPerShift: 1}},
		{"multiple_of_norm", PlausibilityRules{MultipleOfNorm: 1e300, MaxPerShift: 1}},
		{"peer_mads", PlausibilityRules{PeerMADs: inf, PeerMinimum: 5, MaxPerShift: 1}},
		{"peer_minimum", PlausibilityRules{PeerMADs: 6, PeerMinimum: 1 << 40, MaxPerShift: 1}},
		{"storm_min_shifts", PlausibilityRules{StormShare: 0.4, StormDays: 3, StormMinShifts: 125, MaxPerShift: 1}},
		{"max_per_shift", PlausibilityRules{MaxPerShift: -1}},
		{"max_per_shift", PlausibilityRules{MaxPerShift: inf}},
		{"max_per_shift", PlausibilityRules{MaxPerShift: nan}},
		{"max_per_shift", PlausibilityRules{MaxPerShift: MaxQuantity * 2}},
	} {
		if got := ErrorField(tc.p.Validate()); got != tc.field {
			t.Errorf("%+v: got field %q, want %q", tc.p, got, tc.field)
		}
	}
}

func TestCheckReportBounds(t *testing.T) {
	p := DefaultPlausibilityRules
	for _, tc := range []struct {
		produced, accepted float64
		field              string
	}{
		{1e6, 1e6, ""},
		{1e6 + 1, 1, "produced"},
		{0, 0, ""},
	} {
		err := p.CheckReport(&Report{Produced: tc.produced, Accepted: tc.accepted}, "t")
		if got := ErrorField(err); got != tc.field {
			t.Errorf("%g/%g: got field %q (%v), want %q", tc.produced, tc.accepted, got, err, tc.field)
		}
	}
	err := p.CheckNorm(&Norm{Amount: 2e6}, "t")
	if ErrorField(err) != "amount" || !strings.Contains(ErrorMessage(err), "1000000 t") {
		t.Fatalf("norm of 2e6: got %v, want amount refused naming the 1000000 t maximum", err)
	}
}

func TestFormatQuantity(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{7, "7"}, {7.25, "7.25"}, {0, "0"}, {1e14, "100000000000000"}, {1e300, "1e+300"},
		{math.Inf(1), "?"}, {math.NaN(), "?"}, {-1e308, "-1e+308"},
	} {
		if got := FormatQuantity(tc.v); got != tc.want {
			t.Errorf("FormatQuantity(%g): got %q, want %q", tc.v, got, tc.want)
		}
	}
}
