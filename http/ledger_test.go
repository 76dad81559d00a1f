package http_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"

	stakhttp "github.com/stakhanov/stakhanov/http"
	"github.com/stakhanov/stakhanov/ledger"
	"github.com/stakhanov/stakhanov/storetest"
)

// TestLedger fetches the key, a checkpoint, records and proofs without a
// token, and checks them as an outsider would, offline.
func TestLedger(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			s := b.open(t)
			key, err := ledger.GenerateKey("stakhanov.test/ledger")
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, s, stakhttp.Config{Ledger: ledger.NewLog(s, key)})
			w := storetest.NewLedgerWorld(t, s)

			text := func(path string) string {
				t.Helper()
				res := e.do("GET", path, "", nil)
				if res.status != http.StatusOK || !strings.HasPrefix(res.header.Get("Content-Type"), "text/plain") {
					t.Fatalf("GET %s: %d %s %s", path, res.status, res.header.Get("Content-Type"), res.body)
				}
				return string(res.body)
			}
			vkey := strings.TrimSpace(text("/api/v1/ledger/key"))
			if vkey != key.Public {
				t.Fatalf("key: got %q, want %q", vkey, key.Public)
			}
			cp, err := ledger.CheckCheckpoint(vkey, []byte(text("/api/v1/ledger/checkpoint")))
			if err != nil {
				t.Fatal(err)
			}
			if cp.Size != 7 || cp.Origin != "stakhanov.test/ledger" {
				t.Fatalf("checkpoint: %+v", cp)
			}

			var rec struct {
				Index    int64           `json:"index"`
				Kind     string          `json:"kind"`
				RefID    int64           `json:"ref_id"`
				Record   json.RawMessage `json:"record"`
				Data     []byte          `json:"data"`
				LeafHash tlog.Hash       `json:"leaf_hash"`
			}
			res := e.do("GET", "/api/v1/ledger/records/3", "", nil)
			res.want(t, http.StatusOK)
			res.decode(t, &rec)
			if rec.Index != 3 || rec.Kind != "conferral" || rec.RefID != w.Title || string(rec.Record) != string(rec.Data) ||
				rec.LeafHash != tlog.RecordHash(rec.Data) || !strings.Contains(string(rec.Data), fmt.Sprintf(`"recipient":"person:%d"`, w.Turner)) {
				t.Fatalf("record 3: %+v %s", rec, rec.Data)
			}
			var inc ledger.InclusionProof
			res = e.do("GET", "/api/v1/ledger/proof/inclusion?index=3&size=7", "", nil)
			res.want(t, http.StatusOK)
			res.decode(t, &inc)
			if err := ledger.CheckInclusion(cp, rec.Data, &inc); err != nil {
				t.Fatal(err)
			}

			// An older checkpoint, and the proof that the ledger only grew.
			oldMsg, err := ledger.NewLog(s, key).Sign(context.Background(), 2)
			if err != nil {
				t.Fatal(err)
			}
			old, err := ledger.CheckCheckpoint(vkey, oldMsg)
			if err != nil {
				t.Fatal(err)
			}
			var cons ledger.ConsistencyProof
			res = e.do("GET", "/api/v1/ledger/proof/consistency?old=2&new=7", "", nil)
			res.want(t, http.StatusOK)
			res.decode(t, &cons)
			if err := ledger.CheckConsistency(old, cp, &cons); err != nil {
				t.Fatal(err)
			}

			e.do("GET", "/api/v1/ledger/records/7", "", nil).wantError(t, http.StatusNotFound, "not_found", "")
			e.do("GET", "/api/v1/ledger/records/x", "", nil).wantError(t, http.StatusBadRequest, "invalid", "index")
			e.do("GET", "/api/v1/ledger/proof/inclusion?index=7", "", nil).wantError(t, http.StatusBadRequest, "invalid", "index")
			e.do("GET", "/api/v1/ledger/proof/inclusion", "", nil).wantError(t, http.StatusBadRequest, "invalid", "index")
			e.do("GET", "/api/v1/ledger/proof/inclusion?index=0&size=8", "", nil).wantError(t, http.StatusBadRequest, "invalid", "size")
			e.do("GET", "/api/v1/ledger/proof/consistency?old=7&new=2", "", nil).wantError(t, http.StatusBadRequest, "invalid", "old")
			e.do("GET", "/api/v1/ledger/proof/consistency?old=2&new=9", "", nil).wantError(t, http.StatusBadRequest, "invalid", "new")
			e.do("GET", "/api/v1/ledger/proof/consistency?old=-1&new=2", "", nil).wantError(t, http.StatusBadRequest, "invalid", "old")

			// A server without a key serves records and proofs, not
			// checkpoints.
			srv := httptest.NewServer(stakhttp.NewServer(stakhttp.Config{}, s, nil).Handler())
			t.Cleanup(srv.Close)
			bare := &env{t: t, store: s, srv: srv}
			bare.do("GET", "/api/v1/ledger/checkpoint", "", nil).wantError(t, http.StatusNotFound, "not_found", "")
			bare.do("GET", "/api/v1/ledger/key", "", nil).wantError(t, http.StatusNotFound, "not_found", "")
			bare.do("GET", "/api/v1/ledger/records/0", "", nil).want(t, http.StatusOK)
		})
	}
}
