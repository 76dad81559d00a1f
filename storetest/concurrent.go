package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stakhanov/stakhanov"
)

// testConcurrentReports writes reports from many goroutines at once, some
// of them bad. A store may commit concurrent writes together (SQLite's
// group commit); each must still succeed or fail on its own.
func testConcurrentReports(t *testing.T, s stakhanov.Store) {
	w := newWorld(t, s)
	miner := stakhanov.PersonSubject(w.miner.ID)
	const n = 40
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := report(miner, w.coal, date(t, "1936-01-01").AddDays(i), 1, 8, 8, fmt.Sprintf("c-%d", i))
			if i%10 == 3 {
				r.GoodID = 9999 // refused by the store, inside the transaction
			}
			_, errs[i] = s.CreateReports(system, []*stakhanov.Report{r})
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if i%10 == 3 {
			wantCode(t, err, stakhanov.EINVALID, "good_id")
		} else if err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
	}
	rs, total, err := s.FindReports(bg, stakhanov.ReportFilter{Page: stakhanov.Page{Limit: n}})
	must(t, err)
	if total != n-n/10 {
		t.Fatalf("reports written: got %d, want %d", total, n-n/10)
	}
	for _, r := range rs {
		if r.GoodID != w.coal.ID {
			t.Fatalf("a refused report was written: %+v", r)
		}
	}
}
