package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/storetest"
)

func TestStoreContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) stakhanov.Store {
		db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"), time.Now)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	})
}
