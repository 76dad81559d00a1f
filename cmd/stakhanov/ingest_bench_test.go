package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// BenchmarkSingleReportIngest measures single-report HTTP ingest: parallel
// clients each POST one report per request to a Main serving the demo
// world on SQLite, every report acknowledged only after its commit. Each
// round sends b.N reports to a server that keeps the rolling state and b.N
// to one that does not (the baseline), in turns, each first in every other
// round, so that neither always meets a busier machine; it reports both
// throughputs over all rounds (STAKHANOV_BENCH_ROUNDS, default 3) and what
// the state costs, in per cent of the baseline's time.
//
//	go test ./cmd/stakhanov -run '^$' -bench SingleReportIngest -benchtime 3000x
func BenchmarkSingleReportIngest(b *testing.B) {
	rounds := 3
	if v := os.Getenv("STAKHANOV_BENCH_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("STAKHANOV_BENCH_ROUNDS: want a positive number, got %q", v)
		}
		rounds = n
	}
	for _, clients := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			var with, without time.Duration
			for i := range rounds {
				if i%2 == 0 {
					without += benchIngest(b, clients, sqlstore.WithoutStateForBenchmark())
					with += benchIngest(b, clients)
				} else {
					with += benchIngest(b, clients)
					without += benchIngest(b, clients, sqlstore.WithoutStateForBenchmark())
				}
			}
			reportStateCost(b, float64(b.N*rounds), with, without, "reports")
		})
	}
}

func benchIngest(b *testing.B, clients int, opts ...sqlstore.Option) time.Duration {
	db, w := seededDB(b)
	s, err := sqlite.Open(context.Background(), db, time.Now, opts...)
	if err != nil {
		b.Fatal(err)
	}
	m := NewMain()
	m.Store = s
	m.Config.DB = db
	m.Config.Addr = "127.0.0.1:0"
	m.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := m.Open(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	var token string
	for _, a := range w.Accounts {
		if a.Role == stakhanov.RoleForeman {
			token = a.Token
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	url := m.URL() + "/api/v1/reports"
	var next, failed atomic.Int64
	start := stakhanov.NewDate(1950, 1, 1)
	began := time.Now()
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				// A shift a day, four shifts, across the years: every key new.
				d := start.AddDays(int(i / 4))
				body := fmt.Sprintf(`{"subject":"person:%d","good_id":%d,"date":"%s","shift":%d,"produced":8,"accepted":7.5,"key":"bench/%d"}`,
					w.Stakhanov, w.Coal, d, i%4+1, i)
				req, _ := http.NewRequest("POST", url, bytes.NewBufferString(body))
				req.Header.Set("Authorization", "Bearer "+token)
				resp, err := client.Do(req)
				if err != nil || resp.StatusCode != http.StatusCreated {
					failed.Add(1)
				}
				if resp != nil {
					resp.Body.Close()
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(began)
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d reports were not acknowledged", n, b.N)
	}
	return took
}
