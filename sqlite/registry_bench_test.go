package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore/registrybench"
)

// BenchmarkRegistrySearch searches a registry of 1,000,000 conferrals
// (STAKHANOV_BENCH_CONFERRALS overrides it):
//
//	go test ./sqlite -run '^$' -bench RegistrySearch -timeout 30m
//
// The database is built once and kept in the system's temporary directory,
// named by the fixture's version and size; delete it to build it anew.
func BenchmarkRegistrySearch(b *testing.B) {
	n := registrybench.Conferrals(b)
	ctx := context.Background()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("stakhanov-registry-bench-v%d-%d.db", registrybench.Version, n))
	if _, err := os.Stat(path); os.IsNotExist(err) {
		building := path + ".building"
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(building + suffix)
		}
		db, err := sqlite.Open(ctx, building, time.Now)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := registrybench.Fill(ctx, db, n, b.Logf); err != nil {
			db.Close()
			b.Fatal(err)
		}
		if err := db.Close(); err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(building, path); err != nil {
			b.Fatal(err)
		}
		b.Logf("built %s in %s", path, time.Since(start).Round(time.Millisecond))
	} else if err != nil {
		b.Fatal(err)
	}
	db, err := sqlite.Open(ctx, path, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	registrybench.Run(b, db)
}
