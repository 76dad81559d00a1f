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

func TestEvidenceRoundTrip(t *testing.T) {
	pct := 133.33333333333334
	rows := []FulfilmentRow{
		{Period: "2026-11-03/1", From: NewDate(2026, 11, 3), To: NewDate(2026, 11, 3), GoodID: 7, Shifts: 1, Produced: 9.1, Accepted: 8.5, Norm: 7, Percent: &pct},
		{Period: "2026-11", From: NewDate(2026, 11, 1), To: NewDate(2026, 11, 30), GoodID: 2, Shifts: 20, ShiftsWithoutNorm: 2, Produced: 1e-9, Accepted: 0, Held: 3},
	}
	got, err := DecodeEvidence(EncodeEvidence(rows))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("got %+v, want %+v", got, rows)
	}
	if got, err := DecodeEvidence(""); err != nil || len(got) != 0 || got == nil {
		t.Errorf("empty evidence: got %v, %v; want an empty list", got, err)
	}
	if _, err := DecodeEvidence("2026-11 x\n"); err == nil {
		t.Error("a damaged line was read without an error")
	}
}
