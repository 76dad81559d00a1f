package stakhanov_test

import (
	"errors"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// list is a store's list of n items, paged as the store pages.
func list(n int, calls *int) func(stakhanov.Page) ([]int, int, error) {
	return func(p stakhanov.Page) ([]int, int, error) {
		*calls++
		p = p.Normalize()
		var out []int
		for i := p.Offset; i < n && len(out) < p.Limit; i++ {
			out = append(out, i)
		}
		return out, n, nil
	}
}

func TestAllReadsEveryPage(t *testing.T) {
	for _, n := range []int{0, 1, stakhanov.MaxLimit, stakhanov.MaxLimit + 1, 2*stakhanov.MaxLimit + 345} {
		calls := 0
		got, err := stakhanov.All(list(n, &calls))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != n {
			t.Fatalf("%d items: got %d", n, len(got))
		}
		for i, v := range got {
			if v != i {
				t.Fatalf("%d items: item %d is %d", n, i, v)
			}
		}
		if want := max(1, (n+stakhanov.MaxLimit-1)/stakhanov.MaxLimit); calls != want {
			t.Errorf("%d items: %d reads, want %d", n, calls, want)
		}
	}
}

func TestEachStopsEarlyAndOnError(t *testing.T) {
	calls := 0
	seen := 0
	for v, err := range stakhanov.Each(list(5000, &calls)) {
		if err != nil {
			t.Fatal(err)
		}
		if seen++; v == 1500 {
			break
		}
	}
	if seen != 1501 || calls != 2 {
		t.Errorf("stopping at item 1500: saw %d items in %d reads, want 1501 in 2", seen, calls)
	}
	boom := errors.New("boom")
	_, err := stakhanov.All(func(p stakhanov.Page) ([]int, int, error) {
		if p.Offset > 0 {
			return nil, 0, boom
		}
		return make([]int, stakhanov.MaxLimit), 3000, nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("error on the second page: got %v, want %v", err, boom)
	}
	// A store whose total overstates what it has must not loop for ever.
	calls = 0
	got, err := stakhanov.All(func(p stakhanov.Page) ([]int, int, error) {
		calls++
		if p.Offset > 0 {
			return nil, 5000, nil
		}
		return []int{1, 2}, 5000, nil
	})
	if err != nil || len(got) != 2 || calls != 2 {
		t.Errorf("overstated total: got %v, %v after %d reads", got, err, calls)
	}
}
