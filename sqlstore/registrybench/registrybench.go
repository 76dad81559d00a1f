// Package registrybench builds a large registry, n conferrals, quickly, and
// benchmarks searching it. The sqlite and postgres packages run it:
//
//	go test ./sqlite -run '^$' -bench RegistrySearch -timeout 30m
//	STAKHANOV_TEST_POSTGRES=postgres://... go test ./postgres -run '^$' -bench RegistrySearch -timeout 30m
//
// The fixture bypasses decree signing: units, people, decrees and
// conferrals are written with plain SQL in large transactions. The search
// index is then filled by the store's own code (sqlstore.DB.IndexRegistry),
// so it holds what signing would have written.
package registrybench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// EnvVar overrides the number of conferrals (1,000,000).
const EnvVar = "STAKHANOV_BENCH_CONFERRALS"

// Version changes whenever the fixture does, so that a cached database
// built by an older one is not reused.
const Version = 2

// Conferrals returns the number of conferrals to build.
func Conferrals(tb testing.TB) int {
	n := 1_000_000
	if v := os.Getenv(EnvVar); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			tb.Fatalf("%s=%q: want a positive number of conferrals", EnvVar, v)
		}
	}
	return n
}

var (
	firstMale = []string{"Ivan", "Pyotr", "Alexei", "Nikolai", "Sergei", "Mikhail", "Andrei", "Dmitry", "Vladimir", "Yuri",
		"Boris", "Grigory", "Pavel", "Viktor", "Fyodor", "Konstantin", "Leonid", "Anatoly", "Vasily", "Stepan"}
	firstFemale = []string{"Maria", "Anna", "Olga", "Tatiana", "Yelena", "Natalia", "Irina", "Galina", "Valentina", "Lyudmila",
		"Svetlana", "Nina", "Zoya", "Vera", "Pasha", "Larisa", "Tamara", "Lidia", "Klavdia", "Yevdokia"}
	// Patronymics of the male first names, in their order.
	patronymic = []string{"Ivanov", "Petrov", "Alexeyev", "Nikolayev", "Sergeyev", "Mikhailov", "Andreyev", "Dmitriyev", "Vladimirov", "Yuryev",
		"Borisov", "Grigoryev", "Pavlov", "Viktorov", "Fyodorov", "Konstantinov", "Leonidov", "Anatolyev", "Vasilyev", "Stepanov"}
	surnames = []string{"Ivanov", "Smirnov", "Kuznetsov", "Popov", "Vasilyev", "Petrov", "Sokolov", "Mikhailov", "Novikov", "Fyodorov",
		"Morozov", "Volkov", "Alexeyev", "Lebedev", "Semyonov", "Yegorov", "Pavlov", "Kozlov", "Stepanov", "Nikolayev",
		"Orlov", "Andreyev", "Makarov", "Nikitin", "Zakharov", "Zaitsev", "Solovyov", "Borisov", "Yakovlev", "Grigoryev",
		"Romanov", "Vorobyov", "Sergeyev", "Kuzmin", "Frolov", "Alexandrov", "Dmitriyev", "Korolyov", "Gusev", "Kiselyov",
		"Ilyin", "Maximov", "Polyakov", "Sorokin", "Vinogradov", "Kovalyov", "Belov", "Medvedev", "Antonov", "Tarasov",
		"Zhukov", "Baranov", "Filippov", "Komarov", "Davydov", "Belyayev", "Gerasimov", "Bogdanov", "Osipov", "Sidorov",
		"Matveyev", "Titov", "Markov", "Mironov", "Krylov", "Kulikov", "Karpov", "Vlasov", "Melnikov", "Denisov",
		"Gavrilov", "Tikhonov", "Kazakov", "Afanasyev", "Danilov", "Savelyev", "Timofeyev", "Fomin", "Chernov", "Abramov",
		"Martynov", "Yefimov", "Fedotov", "Shcherbakov", "Nazarov", "Kalinin", "Isayev", "Chernyshov", "Bykov", "Maslov",
		"Rodionov", "Konovalov", "Lazarev", "Voronin", "Klimov", "Filatov", "Ponomaryov", "Golubev", "Kudryavtsev", "Prokhorov"}
	professions = []string{"coal miner", "hewer", "timberer", "steelworker", "blast furnace operator", "rolling mill operator", "lathe operator",
		"milling machine operator", "fitter", "welder", "weaver", "spinner", "tractor driver", "combine harvester operator", "milkmaid",
		"shepherd", "locomotive driver", "track layer", "bricklayer", "crane operator", "oil driller", "geologist", "shipbuilder",
		"assembler", "electrician", "chemist", "teacher", "surgeon", "seamstress", "baker"}
	enterpriseKinds = []string{"mine", "steel works", "textile mill", "collective farm", "machine-building plant", "railway depot",
		"shipyard", "oil field", "construction trust", "chemical plant"}
	towns = []string{"Donetsk", "Magnitogorsk", "Ivanovo", "Kharkiv", "Sverdlovsk", "Gorky", "Chelyabinsk", "Karaganda", "Kuznetsk",
		"Zaporizhzhia", "Novosibirsk", "Baku", "Tula", "Yaroslavl", "Perm", "Omsk", "Kemerovo", "Vorkuta", "Norilsk", "Murmansk"}
	awards = []string{"Hero of Socialist Labour", "Order of Lenin", "Order of the Red Banner of Labour", "Order of the Badge of Honour",
		"Medal for Labour Valour", "Medal for Distinguished Labour"}
)

// Awards are created through the store; this is their ids, 1..len(awards).
func awardID(i int) int64 { return int64(i + 1) }

// The shape of the fixture for n conferrals.
func shape(n int) (enterprises, collectives, people, decrees int) {
	people = max(1, n*3/4)
	collectives = max(1, people/150)
	enterprises = max(1, collectives/20)
	decrees = max(1, n/200)
	return
}

// Fill builds n conferrals in db, an empty store just migrated. logf, if
// not nil, reports progress.
func Fill(ctx context.Context, db *sqlstore.DB, n int, logf func(string, ...any)) error {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	start := time.Now()
	sys := stakhanov.NewContext(ctx, stakhanov.System)
	committee := &stakhanov.User{Name: "bench-committee", Role: stakhanov.RoleCommittee}
	if err := db.CreateUser(sys, committee); err != nil {
		return fmt.Errorf("user: %w", err)
	}
	for i, name := range awards {
		a := &stakhanov.Award{Name: name, Kind: stakhanov.AwardOrder, Country: "USSR", Authority: "Presidium of the Supreme Soviet of the USSR",
			Established: stakhanov.NewDate(1930, 1, 1), Insignia: stakhanov.Insignia{Shape: "disc", Metal: "gold"},
			Rules: stakhanov.AwardRules{Stages: []stakhanov.Stage{{Name: "commission", Quorum: 1, Majority: 0.5, Members: []int64{committee.ID}}}}}
		if err := db.CreateAward(sys, a); err != nil {
			return fmt.Errorf("award: %w", err)
		}
		if a.ID != awardID(i) {
			return fmt.Errorf("award %q has id %d, want %d: the store is not empty", name, a.ID, awardID(i))
		}
	}
	nEnt, nCol, nPeople, nDecrees := shape(n)
	r := rand.New(rand.NewPCG(1935, 8))
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	d := db.Dialect()
	w := db.WriteDB()

	// Units: a ministry, enterprises under it, collectives under those.
	err := insertRows(ctx, w, d, "units", []string{"id", "parent_id", "kind", "name", "path", "created_at"}, 1+nEnt+nCol, func(i int) []any {
		id := int64(i + 1)
		switch {
		case i == 0:
			return []any{id, nil, stakhanov.UnitMinistry, "Ministry of Heavy Industry", "/1/", now}
		case i <= nEnt:
			name := fmt.Sprintf("%s %s No. %d", towns[i%len(towns)], enterpriseKinds[i%len(enterpriseKinds)], i)
			return []any{id, 1, stakhanov.UnitEnterprise, name, fmt.Sprintf("/1/%d/", id), now}
		default:
			parent := int64(2 + (i-1-nEnt)%nEnt)
			name := fmt.Sprintf("Brigade %d", i-nEnt)
			return []any{id, parent, stakhanov.UnitCollective, name, fmt.Sprintf("/1/%d/%d/", parent, id), now}
		}
	})
	if err != nil {
		return err
	}
	logf("units: %d (%s)", 1+nEnt+nCol, time.Since(start).Round(time.Millisecond))

	// People, in collectives: "First Patronymic Surname". About one in
	// 10,000 is a Stakhanov, for a rare name.
	err = insertRows(ctx, w, d, "people", []string{"id", "unit_id", "name", "profession", "created_at"}, nPeople, func(i int) []any {
		male := r.IntN(2) == 0
		father := r.IntN(len(firstMale))
		surname := surnames[r.IntN(len(surnames))]
		if r.IntN(10000) == 0 {
			surname = "Stakhanov"
		}
		var name string
		if male {
			name = firstMale[r.IntN(len(firstMale))] + " " + patronymic[father] + "ich " + surname
		} else {
			name = firstFemale[r.IntN(len(firstFemale))] + " " + patronymic[father] + "na " + surname + "a"
		}
		unit := int64(2 + nEnt + r.IntN(nCol))
		return []any{int64(i + 1), unit, name, professions[r.IntN(len(professions))], now}
	})
	if err != nil {
		return err
	}
	logf("people: %d (%s)", nPeople, time.Since(start).Round(time.Millisecond))

	// Decrees, one a week or so from 1935 to 2024.
	first := stakhanov.NewDate(1935, 1, 1)
	days := stakhanov.NewDate(2025, 1, 1).DaysSince(first)
	decreeDate := func(i int) stakhanov.Date { return first.AddDays(i * days / nDecrees) }
	err = insertRows(ctx, w, d, "decrees", []string{"id", "number", "date", "authority", "kind", "created_at"}, nDecrees, func(i int) []any {
		return []any{int64(i + 1), strconv.Itoa(i + 1), decreeDate(i), "Presidium", stakhanov.DecreeRecord, now}
	})
	if err != nil {
		return err
	}
	logf("decrees: %d (%s)", nDecrees, time.Since(start).Round(time.Millisecond))

	// Conferrals: in decree order, each to a random person or, one in
	// twenty, a collective.
	serial := make([]int, len(awards))
	err = insertRows(ctx, w, d, "conferrals", []string{"id", "award_id", "recipient_kind", "recipient_id", "decree_id", "serial", "date", "times", "brings", "created_at"}, n, func(i int) []any {
		a := r.IntN(len(awards))
		serial[a]++
		decree := i * nDecrees / n
		kind, id := "person", int64(1+r.IntN(nPeople))
		if r.IntN(20) == 0 {
			kind, id = "unit", int64(2+nEnt+r.IntN(nCol))
		}
		return []any{int64(i + 1), awardID(a), kind, id, int64(decree + 1), serial[a], decreeDate(decree), 1, "", now}
	})
	if err != nil {
		return err
	}
	logf("conferrals: %d (%s)", n, time.Since(start).Round(time.Millisecond))

	if d.Name() == "postgres" {
		for _, t := range []string{"units", "people", "decrees", "conferrals"} {
			if _, err := w.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT MAX(id) FROM `+t+`))`); err != nil {
				return err
			}
		}
	}
	indexed, err := db.IndexRegistry(ctx)
	if err != nil {
		return fmt.Errorf("index: %w", err)
	}
	logf("search index: %d recipients (%s)", indexed, time.Since(start).Round(time.Millisecond))
	// Statistics, and on PostgreSQL the visibility map that index-only
	// scans need, as autovacuum would leave them.
	analyze := "ANALYZE "
	if d.Name() == "postgres" {
		analyze = "VACUUM ANALYZE "
	}
	for _, t := range []string{"units", "people", "decrees", "conferrals", "registry_search"} {
		if _, err := w.ExecContext(ctx, analyze+t); err != nil {
			return err
		}
	}
	return nil
}

// insertRows writes rows 0..n-1 of table with multi-row INSERTs, in
// transactions of up to 100,000 rows.
func insertRows(ctx context.Context, db *sql.DB, d sqlstore.Dialect, table string, cols []string, n int, row func(i int) []any) error {
	const perStmt, perTx = 500, 100_000
	var tx *sql.Tx
	var err error
	defer func() {
		if tx != nil {
			tx.Rollback()
		}
	}()
	var b strings.Builder
	args := make([]any, 0, perStmt*len(cols))
	for i := 0; i < n; {
		if tx == nil {
			if tx, err = db.BeginTx(ctx, nil); err != nil {
				return err
			}
		}
		b.Reset()
		args = args[:0]
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		for k := 0; k < perStmt && i < n; k, i = k+1, i+1 {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for c := range cols {
				if c > 0 {
					b.WriteString(", ")
				}
				b.WriteString(d.Placeholder(len(args) + c + 1))
			}
			b.WriteByte(')')
			args = append(args, row(i)...)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		if i%perTx == 0 || i == n {
			if err := tx.Commit(); err != nil {
				return err
			}
			tx = nil
		}
	}
	return nil
}

// Run benchmarks registry searches on s, a store filled by Fill, each a
// sub-benchmark reporting ms/search and the matching recipients.
func Run(b *testing.B, s stakhanov.Store) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		f    stakhanov.RegistryFilter
	}{
		{"q=ivanov", stakhanov.RegistryFilter{Q: "ivanov", Page: stakhanov.Page{Limit: 20}}},
		{"q=ivanov,award,year", stakhanov.RegistryFilter{Q: "ivanov", AwardID: awardID(1), Year: 1975, Page: stakhanov.Page{Limit: 20}}},
		{"q=ivanov,page=50", stakhanov.RegistryFilter{Q: "ivanov", Page: stakhanov.Page{Limit: 20, Offset: 1000}}},
		{"q=iv", stakhanov.RegistryFilter{Q: "iv", Page: stakhanov.Page{Limit: 20}}},
		{"q=stakhanov", stakhanov.RegistryFilter{Q: "stakhanov", Page: stakhanov.Page{Limit: 20}}},
		{"q=stakhanov,award,year", stakhanov.RegistryFilter{Q: "stakhanov", AwardID: awardID(1), Year: 1975, Page: stakhanov.Page{Limit: 20}}},
		{"q=coal_miner_ivanovna", stakhanov.RegistryFilter{Q: "coal miner ivanovna", Page: stakhanov.Page{Limit: 20}}},
		{"q=nomatch", stakhanov.RegistryFilter{Q: "gergiev", Page: stakhanov.Page{Limit: 20}}},
		{"award,year", stakhanov.RegistryFilter{AwardID: awardID(1), Year: 1975, Page: stakhanov.Page{Limit: 20}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var reg *stakhanov.Registry
			var err error
			b.ResetTimer()
			for range b.N {
				if reg, err = s.Registry(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/search")
			b.ReportMetric(float64(reg.Total), "recipients")
		})
	}
}
