package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/csvimport"
	"github.com/stakhanov/stakhanov/gen"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// BenchmarkImportStateCost measures what keeping the rolling state costs
// a CSV import: the same generated reports file (STAKHANOV_BENCH_PEOPLE
// people, default 2,000, × 100 shifts) imported into copies of the same
// base database, once with the state and once without it, alternating, in
// one run. It reports both throughputs and the cost: how much slower the
// import is with the state, in per cent of the baseline.
//
//	go test ./cmd/stakhanov -run '^$' -bench ImportStateCost -benchtime 3x
func BenchmarkImportStateCost(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	base := filepath.Join(dir, "base.db")
	plan := benchPlan(b)
	s, err := sqlite.Open(ctx, base, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	world, err := gen.Build(ctx, s, plan)
	if err != nil {
		b.Fatal(err)
	}
	var csv bytes.Buffer
	if err := world.WriteReports(&csv); err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil {
		b.Fatal(err)
	}
	lines := len(plan.People) * len(plan.Days)

	importOnce := func(i int, opts ...sqlstore.Option) time.Duration {
		b.Helper()
		path := filepath.Join(dir, fmt.Sprintf("import-%d-%d.db", i, len(opts)))
		copyFile(b, base, path)
		defer os.Remove(path)
		s, err := sqlite.Open(ctx, path, time.Now, opts...)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		return timeImport(b, s, csv.Bytes(), lines)
	}
	var with, without time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Alternate which goes first, so that neither always meets a
		// warmer or a busier machine.
		if i%2 == 0 {
			without += importOnce(i, sqlstore.WithoutStateForBenchmark())
			with += importOnce(i)
		} else {
			with += importOnce(i)
			without += importOnce(i, sqlstore.WithoutStateForBenchmark())
		}
	}
	b.StopTimer()
	reportStateCost(b, float64(lines*b.N), with, without, "reports")
}

// timeImport imports a reports file as the generator's admin, checks that
// it wrote every line, and returns how long it took.
func timeImport(b *testing.B, s *sqlstore.DB, csv []byte, lines int) time.Duration {
	b.Helper()
	ctx := context.Background()
	admin, err := s.FindUserByName(ctx, gen.AdminName)
	if err != nil {
		b.Fatal(err)
	}
	began := time.Now()
	res, err := s.ImportReports(stakhanov.NewContext(ctx, admin), csvimport.Reports(bytes.NewReader(csv)))
	took := time.Since(began)
	if err != nil {
		b.Fatal(err)
	}
	if res.Created != lines {
		b.Fatalf("imported %d reports, want %d", res.Created, lines)
	}
	return took
}

// benchPlan is the generated workload of the import benchmarks.
func benchPlan(b *testing.B) *gen.Plan {
	people := 2000
	if v := os.Getenv("STAKHANOV_BENCH_PEOPLE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("STAKHANOV_BENCH_PEOPLE: %v", err)
		}
		people = n
	}
	plan, err := gen.NewPlan(gen.Config{People: people, Shifts: 100, Seed: 1, Today: stakhanov.DateOf(time.Now())})
	if err != nil {
		b.Fatal(err)
	}
	return plan
}

// BenchmarkImportStateCostPostgres is BenchmarkImportStateCost on
// PostgreSQL (STAKHANOV_TEST_POSTGRES): each import goes into a fresh
// schema that the generator filled with the same people and norms.
func BenchmarkImportStateCostPostgres(b *testing.B) {
	pgtest.URL(b)
	ctx := context.Background()
	plan := benchPlan(b)
	build := func(opts ...sqlstore.Option) (*sqlstore.DB, *gen.Base) {
		b.Helper()
		s := pgtest.Open(b, time.Now, opts...)
		world, err := gen.Build(ctx, s, plan)
		if err != nil {
			b.Fatal(err)
		}
		return s, world
	}
	_, world := build()
	var csv bytes.Buffer
	if err := world.WriteReports(&csv); err != nil {
		b.Fatal(err)
	}
	lines := len(plan.People) * len(plan.Days)
	importOnce := func(opts ...sqlstore.Option) time.Duration {
		b.Helper()
		s, _ := build(opts...)
		return timeImport(b, s, csv.Bytes(), lines)
	}
	var with, without time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 {
			without += importOnce(sqlstore.WithoutStateForBenchmark())
			with += importOnce()
		} else {
			with += importOnce()
			without += importOnce(sqlstore.WithoutStateForBenchmark())
		}
	}
	b.StopTimer()
	reportStateCost(b, float64(lines*b.N), with, without, "reports")
}

// reportStateCost reports throughput with and without the state, and the
// cost: the time the state adds, in per cent of the time without it.
func reportStateCost(b *testing.B, n float64, with, without time.Duration, unit string) {
	b.ReportMetric(n/with.Seconds(), unit+"/s")
	b.ReportMetric(n/without.Seconds(), "baseline-"+unit+"/s")
	b.ReportMetric(100*(with.Seconds()-without.Seconds())/without.Seconds(), "state-cost-%")
}

func copyFile(b *testing.B, from, to string) {
	b.Helper()
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
