package sqlstore

import (
	"encoding/binary"
	"math"
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
	// accepted and credits are written, not the norm again, and 7 t and
	// 6 t take three bytes each.
	if n := len(encodeMonth(want[:3])) - len(encodeMonth(want[:2])); n != 10 {
		t.Errorf("a state with the norm before it takes %d bytes, want 10", n)
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

// TestMonthFigures checks that every figure comes back to the bit, in
// few bytes when it is a whole number of thousandths.
func TestMonthFigures(t *testing.T) {
	tenth, fifth := 0.1, 0.2 // variables: as constants, 0.1 + 0.2 is 0.3
	for _, c := range []struct {
		v    float64
		size int
	}{
		{0, 1}, {41.7, 3}, {-0.5, 2}, {12.5, 3}, {1e6, 5}, {0.001, 1},
		{math.Copysign(0, -1), 9}, {tenth + fifth, 9}, {1e-320, 9}, {1e300, 9}, {-1e300, 9},
		{math.MaxFloat64, 9}, {1 << 52 / 1000.0, 9}, {123456789.123, 6}, {math.SmallestNonzeroFloat64, 9},
	} {
		b := appendFigure(nil, c.v)
		got, n := figure(b)
		if n != len(b) || math.Float64bits(got) != math.Float64bits(c.v) {
			t.Errorf("%v: read %v in %d of %d bytes", c.v, got, n, len(b))
		}
		if len(b) != c.size {
			t.Errorf("%v takes %d bytes, want %d", c.v, len(b), c.size)
		}
	}
	if _, n := figure([]byte{1, 0, 0}); n > 0 {
		t.Error("read a figure from a marker without its 8 bytes")
	}
	if _, n := figure([]byte{3, 0, 0, 0, 0, 0, 0, 0, 0}); n > 0 {
		t.Error("read a figure after an unknown marker")
	}
}

// TestMonthEncodingRaw reads a month row written by version 1, every
// figure in 8 bytes: databases hold them until their months change.
func TestMonthEncodingRaw(t *testing.T) {
	k := monthKey{subject: stakhanov.PersonSubject(7), good: 3, month: stakhanov.NewDate(2026, 2, 1)}
	b := []byte{monthEncodingRaw, 2, 1, 0}
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(41.7))
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(40.5))
	b = binary.AppendVarint(b, 1)
	got, err := decodeMonth(k, b)
	if err != nil {
		t.Fatal(err)
	}
	want := []*stakhanov.ShiftState{{Subject: k.subject, GoodID: 3, Date: stakhanov.NewDate(2026, 2, 2), Shift: 1, Produced: 41.7, Accepted: 40.5, Credits: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, want)
	}
}
