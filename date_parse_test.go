package stakhanov

import (
	"testing"
	"time"
)

// TestParseDateAgreesWithTimeParse: the quick path reads what time.Parse
// reads and refuses what it refuses.
func TestParseDateAgreesWithTimeParse(t *testing.T) {
	inputs := []string{"0000-01-01", "0001-01-01", "9999-12-31", "2024-02-29", "2023-02-29", "2026-04-31", "2026-13-01",
		"2026-00-10", "2026-01-00", "2026-1-01", "2026/01/01", "20260101xx", "2026-01-0a", "+026-01-01", "-026-01-01", "2026-01-01 "}
	for d := NewDate(1999, 12, 1); d.Before(NewDate(2001, 3, 31)); d = d.AddDays(1) {
		inputs = append(inputs, d.String())
	}
	for _, s := range inputs {
		want, werr := time.Parse(dateLayout, s)
		got, gerr := ParseDate(s)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("ParseDate(%q): error %v, time.Parse's %v", s, gerr, werr)
		}
		if werr == nil && !got.Time().Equal(want) {
			t.Fatalf("ParseDate(%q) = %s, want %s", s, got, want.Format(dateLayout))
		}
	}
}
