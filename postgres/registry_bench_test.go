package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/sqlstore/registrybench"
)

// BenchmarkRegistrySearch searches a registry of 1,000,000 conferrals
// (STAKHANOV_BENCH_CONFERRALS overrides it), built afresh in a schema of
// its own on the server named by STAKHANOV_TEST_POSTGRES:
//
//	STAKHANOV_TEST_POSTGRES=postgres://... go test ./postgres -run '^$' -bench RegistrySearch -timeout 30m
func BenchmarkRegistrySearch(b *testing.B) {
	n := registrybench.Conferrals(b)
	db := pgtest.Open(b, time.Now)
	start := time.Now()
	if err := registrybench.Fill(context.Background(), db, n, b.Logf); err != nil {
		b.Fatal(err)
	}
	b.Logf("built %d conferrals in %s", n, time.Since(start).Round(time.Millisecond))
	registrybench.Run(b, db)
}
