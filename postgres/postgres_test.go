package postgres_test

import (
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/postgres/pgtest"
	"github.com/stakhanov/stakhanov/storetest"
)

func TestStoreContract(t *testing.T) {
	pgtest.URL(t)
	storetest.Run(t, func(t *testing.T) stakhanov.Store { return pgtest.Open(t, time.Now) })
}
