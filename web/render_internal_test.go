package web

import (
	"math"
	"testing"
)

// A figure stored before the bounds, however large, prints short; one that
// is not finite prints as "?", never "+Inf".
func TestFiguresPrintShort(t *testing.T) {
	for _, tc := range []struct {
		v        float64
		num, pct string
	}{
		{7, "7", "7 %"},
		{7.256, "7.26", "7 %"},
		{486.3, "486.3", "486 %"},
		{1e300, "1e+300", "1e+300 %"},
		{-1e300, "-1e+300", "-1e+300 %"},
		{math.Inf(1), "?", "? %"},
		{math.NaN(), "?", "? %"},
	} {
		if got := formatNum(tc.v); got != tc.num {
			t.Errorf("formatNum(%g): got %q, want %q", tc.v, got, tc.num)
		}
		v := tc.v
		if got := formatPercent(&v); got != tc.pct {
			t.Errorf("formatPercent(%g): got %q, want %q", tc.v, got, tc.pct)
		}
	}
}
