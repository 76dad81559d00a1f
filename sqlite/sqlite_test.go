package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
	"github.com/stakhanov/stakhanov/storetest"
)

func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) stakhanov.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}

// TestStateImportsInParts runs the state's property test with imports
// that add their credits to the state every two credits, one subject a
// run, as a large import does every million, 250,000 credits a run.
func TestStateImportsInParts(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), time.Now, sqlstore.WithImportStateEvery(2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	storetest.StateProperty(t, db)
}

// TestCloseLeavesTheFileWhole checks that a closed database is its file
// alone, without its write-ahead log, after reads too: the file is what
// gets copied (stakhanov gen -out writes one to be imported into).
func TestCloseLeavesTheFileWhole(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	db, err := sqlite.Open(ctx, path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	u := &stakhanov.Unit{Kind: stakhanov.UnitMinistry, Name: "Ministry"}
	if err := db.CreateUnit(stakhanov.NewContext(ctx, stakhanov.System), u); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.FindUnits(ctx, stakhanov.UnitFilter{}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	alone := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(alone, b, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err = sqlite.Open(ctx, alone, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, n, err := db.FindUnits(ctx, stakhanov.UnitFilter{}); err != nil || n != 1 {
		t.Fatalf("the file alone holds %d units (%v), want 1", n, err)
	}
}

// TestStateSeesAnotherWriter writes a shift report through one store, a
// norm through a second store on the same file (a command run beside the
// server), then another report through the first: the first must not
// bring the state up to date from what it held before the second wrote.
func TestStateSeesAnotherWriter(t *testing.T) {
	ctx := stakhanov.NewContext(context.Background(), stakhanov.System)
	path := filepath.Join(t.TempDir(), "shared.db")
	server, err := sqlite.Open(ctx, path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer server.Close()
	mine := &stakhanov.Unit{Kind: stakhanov.UnitEnterprise, Name: "Tsentralnaya-Irmino mine"}
	if err := server.CreateUnit(ctx, mine); err != nil {
		t.Fatal(err)
	}
	miner := &stakhanov.Person{UnitID: mine.ID, Name: "Alexei Stakhanov", Profession: "hewer"}
	if err := server.CreatePerson(ctx, miner); err != nil {
		t.Fatal(err)
	}
	coal := &stakhanov.Good{Name: "coal", Measure: "t"}
	if err := server.CreateGood(ctx, coal); err != nil {
		t.Fatal(err)
	}
	subject := stakhanov.PersonSubject(miner.ID)
	if err := server.CreateNorm(ctx, &stakhanov.Norm{Subject: subject, GoodID: coal.ID, Amount: 10,
		EffectiveFrom: stakhanov.NewDate(2026, 1, 1), Reason: "first norm"}); err != nil {
		t.Fatal(err)
	}
	report := func(day int) {
		t.Helper()
		r := &stakhanov.Report{Subject: subject, GoodID: coal.ID, Date: stakhanov.NewDate(2026, 3, day), Shift: 1, Produced: 12, Accepted: 12}
		if _, err := server.CreateReports(ctx, []*stakhanov.Report{r}); err != nil {
			t.Fatal(err)
		}
	}
	report(2)
	command, err := sqlite.Open(ctx, path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := command.CreateNorm(ctx, &stakhanov.Norm{Subject: subject, GoodID: coal.ID, Amount: 20,
		EffectiveFrom: stakhanov.NewDate(2026, 3, 1), Reason: "raised"}); err != nil {
		t.Fatal(err)
	}
	if err := command.Close(); err != nil {
		t.Fatal(err)
	}
	report(3)
	var problems []string
	if err := stakhanov.VerifyState(ctx, server, stakhanov.NewDate(2026, 12, 1), func(p stakhanov.StateProblem) {
		problems = append(problems, p.Message)
	}, nil); err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("the state differs from the reports after another writer's norm:\n%s", strings.Join(problems, "\n"))
	}
}

// TestAnalyze: the statistics an import ends with are taken (an import
// goes on without them if they fail, so only this test sees it).
func TestAnalyze(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "a.db"), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Analyze(context.Background()); err != nil {
		t.Fatalf("analyze: %v", err)
	}
}
