package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/sqlstore"
	"github.com/stakhanov/stakhanov/storetest"
)

func TestStoreContract(t *testing.T) {
	pgtest.URL(t)
	storetest.Run(t, func(t *testing.T, now func() time.Time) stakhanov.Store { return pgtest.Open(t, now) })
}

// TestStateImportsInParts runs the state's property test with imports
// that read their credits from the staging table two at a time and add
// them to the state as they go, as an import of more than a million rows
// does.
func TestStateImportsInParts(t *testing.T) {
	pgtest.URL(t)
	storetest.StateProperty(t, pgtest.Open(t, time.Now, sqlstore.WithImportStateEvery(2)))
}

// TestAnalyze: the statistics and the vacuum an import ends with run (an
// import goes on without them if they fail, so only this test sees it).
func TestAnalyze(t *testing.T) {
	pgtest.URL(t)
	if err := pgtest.Open(t, time.Now).Analyze(context.Background()); err != nil {
		t.Fatalf("analyze: %v", err)
	}
}
