package stakhanov

import (
	"testing"
	"time"
)

// TestDateAgreesWithTime checks the day numbers against time.Time, day by
// day over 1600 to 2400 and at far years: the calendar, the weekday, the
// ISO week, adding days, and NewDate's normalising of months and days out
// of range.
func TestDateAgreesWithTime(t *testing.T) {
	check := func(tm time.Time) {
		t.Helper()
		d := NewDate(tm.Year(), tm.Month(), tm.Day())
		if y, m, day := d.date(); y != tm.Year() || m != tm.Month() || day != tm.Day() {
			t.Fatalf("%s: got %d-%d-%d", tm.Format(dateLayout), y, m, day)
		}
		if !d.Time().Equal(tm) || d.Weekday() != tm.Weekday() || d.String() != tm.Format(dateLayout) {
			t.Fatalf("%s: time %s, weekday %s, text %s", tm.Format(dateLayout), d.Time(), d.Weekday(), d)
		}
		wy, ww := d.ISOWeek()
		if ty, tw := tm.ISOWeek(); wy != ty || ww != tw {
			t.Fatalf("%s: ISO week %d-%d, want %d-%d", tm.Format(dateLayout), wy, ww, ty, tw)
		}
	}
	start := time.Date(1600, 1, 1, 0, 0, 0, 0, time.UTC)
	prev := NewDate(1599, 12, 31)
	for tm := start; tm.Year() < 2400; tm = tm.AddDate(0, 0, 1) {
		check(tm)
		d := DateOf(tm)
		if d.DaysSince(prev) != 1 || !prev.Before(d) || !d.After(prev) || d.Compare(prev) != 1 || prev.AddDays(1) != d {
			t.Fatalf("%s does not follow %s", d, prev)
		}
		prev = d
	}
	for _, y := range []int{-4000, -1, 0, 1, 9999, 10000, 200000} {
		check(time.Date(y, 2, 28, 0, 0, 0, 0, time.UTC))
		check(time.Date(y, 3, 1, 0, 0, 0, 0, time.UTC))
	}
	for _, c := range []struct{ y, m, d int }{{2026, 13, 1}, {2026, 0, 1}, {2026, -13, 5}, {2026, 3, 0}, {2026, 1, 32}, {2024, 2, 30}, {2026, 25, -40}} {
		want := time.Date(c.y, time.Month(c.m), c.d, 0, 0, 0, 0, time.UTC)
		if got := NewDate(c.y, time.Month(c.m), c.d); !got.Time().Equal(want) {
			t.Errorf("NewDate(%d, %d, %d) = %s, want %s", c.y, c.m, c.d, got, want.Format(dateLayout))
		}
	}
	// The zero Date is no date, and sorts and counts as time.Time's zero.
	var zero Date
	if !zero.IsZero() || !zero.Time().IsZero() || !zero.Before(NewDate(1, 1, 2)) || zero.AddDays(1) != NewDate(1, 1, 2) || NewDate(1970, 1, 1).IsZero() {
		t.Errorf("zero date: %v %v", zero.Time(), zero.AddDays(1))
	}
}

func TestFirstOfMonth(t *testing.T) {
	for d := NewDate(2023, 12, 1); d.Before(NewDate(2025, 3, 1)); d = d.AddDays(1) {
		y, m, _ := d.Date()
		if got := d.FirstOfMonth(); got != NewDate(y, m, 1) {
			t.Fatalf("%s: first of the month %s", d, got)
		}
	}
	if !(Date{}).FirstOfMonth().IsZero() {
		t.Error("the zero Date's first of the month is not zero")
	}
}
