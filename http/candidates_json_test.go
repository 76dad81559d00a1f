package http

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// TestCandidatesJSON checks the hand-written answer against encoding/json's.
func TestCandidatesJSON(t *testing.T) {
	pct := 125.0
	c := candidates{AwardID: 3, Date: stakhanov.NewDate(2026, 12, 1), list: newList([]stakhanov.Candidate{
		{Subject: stakhanov.PersonSubject(7), Name: `Ivan "the Hewer" Petrenko`, AwardID: 3,
			Rule: stakhanov.CandidacyRule{Kind: stakhanov.RuleKOfN, Subject: "person", GoodID: 1, Percent: 120, K: 1, N: 2},
			Met:  1, Considered: 2, Shifts: []stakhanov.FulfilmentRow{
				{Period: "2026-11-30/1", From: stakhanov.NewDate(2026, 11, 30), To: stakhanov.NewDate(2026, 11, 30), GoodID: 1, Shifts: 1, Produced: 9, Accepted: 8.75, Norm: 7, Percent: &pct},
				{Period: "2026-11-29/2", GoodID: 1, Shifts: 1, Produced: 1, Accepted: 0.5, Norm: 7, Held: 0.5},
			}},
		{Subject: stakhanov.UnitSubject(2), Name: "Brigade", Shifts: []stakhanov.FulfilmentRow{}},
	}, 2, stakhanov.Page{Offset: 0, Limit: 100})}
	parts, err := candidatesJSON(c)
	if err != nil {
		t.Fatal(err)
	}
	got := bytes.Join(parts, nil)
	want, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// As the state gives them: the shifts already written.
	for i := range c.Items {
		c.Items[i].ShiftsJSON, c.Items[i].Shifts = stakhanov.EvidenceJSON(c.Items[i].Shifts), nil
	}
	parts, err = candidatesJSON(c)
	if got := bytes.Join(parts, nil); err != nil || string(got) != string(want) {
		t.Errorf("from the state's JSON: got %s, %v\nwant %s", got, err, want)
	}
}
