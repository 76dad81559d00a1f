package sqlstore

import (
	"reflect"
	"testing"

	"github.com/stakhanov/stakhanov"
)

func TestMonthEncoding(t *testing.T) {
	k := monthKey{subject: stakhanov.UnitSubject(7), tree: true, good: 3, month: stakhanov.NewDate(2026, 2, 1)}
	norm, same, zero := 12.5, 12.5, 0.0
	want := []*stakhanov.ShiftState{
		{Subject: k.subject, Tree: true, GoodID: 3, Date: stakhanov.NewDate(2026, 2, 1), Shift: 1, Produced: 10, Accepted: 9.75, Credits: 1},
		{Subject: k.subject, Tree: true, GoodID: 3, Date: stakhanov.NewDate(2026, 2, 1), Shift: 300, Produced: 1e-320, Accepted: -0.5, Credits: 2,
			HeldProduced: 4, HeldAccepted: 3, HeldCredits: 1, OwnNorm: &norm},
		{Subject: k.subject, Tree: true, GoodID: 3, Date: stakhanov.NewDate(2026, 2, 2), Shift: 1, Produced: 7, Accepted: 6, Credits: 1, OwnNorm: &same},
		{Subject: k.subject, Tree: true, GoodID: 3, Date: stakhanov.NewDate(2026, 2, 28), Shift: 2, Produced: 5, Accepted: 5, Credits: 3, OwnNorm: &zero,
			MemberNorm: 30, MemberNormed: 2, VMemberNorm: 15, VMemberNormed: 1},
	}
	b := encodeMonth(want)
	got, err := decodeMonth(k, b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
	}
	// The third state's norm is the second's: day, shift, flags, produced,
	// accepted and credits are written, not the norm again.
	if n := len(encodeMonth(want[:3])) - len(encodeMonth(want[:2])); n != 20 {
		t.Errorf("a state with the norm before it takes %d bytes, want 20", n)
	}
	// Cut at the end of a state, it reads the states before; anywhere
	// else it fails.
	ends := map[int]int{}
	for i := range want {
		ends[len(encodeMonth(want[:i]))] = i
	}
	for n := 1; n < len(b); n++ {
		states, err := decodeMonth(k, b[:n])
		if i, end := ends[n]; end {
			if err != nil || len(states) != i {
				t.Errorf("%d of %d bytes: %d states, %v; want %d", n, len(b), len(states), err, i)
			}
		} else if err == nil {
			t.Errorf("%d of %d bytes decoded, want an error", n, len(b))
		}
	}
	if _, err := decodeMonth(k, []byte{9}); err == nil {
		t.Error("decoded an unknown encoding")
	}
	if states, err := decodeMonth(k, encodeMonth(nil)); err != nil || len(states) != 0 {
		t.Errorf("empty month: %v, %v", states, err)
	}
}
