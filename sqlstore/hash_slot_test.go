package sqlstore

import (
	"context"
	"runtime"
	"testing"
	"time"
)

// TestHashSlotsBounded: no more password hashes run at once than there are
// slots; the next waits, and gives up with its request.
func TestHashSlotsBounded(t *testing.T) {
	db := &DB{}
	slots := max(2, runtime.GOMAXPROCS(0))
	var releases []func()
	for range slots {
		release, err := db.hashSlot(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, release)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := db.hashSlot(ctx); err == nil {
		t.Fatalf("hash slot %d of %d: got one, want to wait", slots+1, slots)
	}
	releases[0]()
	release, err := db.hashSlot(context.Background())
	if err != nil {
		t.Fatalf("a slot after one was freed: %v", err)
	}
	release()
}
