package stakhanov

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"
)

// TestFulfilmentRowJSON checks the hand-written encoding against
// encoding/json's own for the same fields.
func TestFulfilmentRowJSON(t *testing.T) {
	type plain FulfilmentRow // no MarshalJSON
	pct := func(v float64) *float64 { return &v }
	rows := []FulfilmentRow{
		{Period: "2026-11-03/1", From: NewDate(2026, 11, 3), To: NewDate(2026, 11, 3), GoodID: 7, Shifts: 1, Produced: 9, Accepted: 8.5, Norm: 7, Percent: pct(121.42857142857143)},
		{Period: "2026-W45", GoodID: 1, Shifts: 3, ShiftsWithoutNorm: 3, Produced: 1e-7, Accepted: 1e21, Held: 0.1 + 0.2},
		{Period: `a "quoted" \ label`, Shifts: 2, Produced: 123456789.125, Accepted: -0.0, Norm: 1e-320, Percent: pct(math.SmallestNonzeroFloat64)},
	}
	for _, r := range rows {
		got, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(plain(r))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

func TestEvidenceJSON(t *testing.T) {
	pct := 133.33333333333334
	rows := []FulfilmentRow{
		{Period: "2026-11-03/1", From: NewDate(2026, 11, 3), To: NewDate(2026, 11, 3), GoodID: 7, Shifts: 1, Produced: 9.1, Accepted: 8.5, Norm: 7, Percent: &pct},
		{Period: "2026-11", From: NewDate(2026, 11, 1), To: NewDate(2026, 11, 30), GoodID: 2, Shifts: 20, ShiftsWithoutNorm: 2, Produced: 1e-9, Accepted: 0, Held: 3},
	}
	c := Candidate{ShiftsJSON: EvidenceJSON(rows)}
	if err := c.DecodeShifts(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Shifts, rows) {
		t.Errorf("got %+v, want %+v", c.Shifts, rows)
	}
	if got := string(EvidenceJSON(nil)); got != "[]" {
		t.Errorf("no shifts: got %s, want []", got)
	}
}

// TestDateText checks the fast date writing and reading against the time
// package's.
func TestDateText(t *testing.T) {
	for d := NewDate(700, 1, 1); d.Year() < 2101; d = d.AddDays(37) {
		want := d.Time().Format("2006-01-02")
		if got := d.String(); got != want {
			t.Fatalf("String: got %s, want %s", got, want)
		}
		if got, ok := parseDigits(want); !ok || got != d {
			t.Fatalf("parseDigits(%s): got %v, %v", want, got, ok)
		}
	}
	for _, bad := range []string{"2026-02-30", "2026-13-01", "2026-1-01", "20x6-01-01", "2026-00-10"} {
		if _, ok := parseDigits(bad); ok {
			t.Errorf("parseDigits(%q) took it", bad)
		}
	}
}
