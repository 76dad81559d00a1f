package http

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/ledger"
)

// The honours ledger is public: anyone may fetch the key, checkpoints,
// records and proofs, and check them offline (`stakhanov ledger check`).

// ledgerLog returns the server's signing log, or says there is none.
func (s *Server) ledgerLog() (*ledger.Log, error) {
	if s.cfg.Ledger == nil {
		return nil, stakhanov.Errorf(stakhanov.ENOTFOUND, "this server signs no ledger checkpoints: it was started without a ledger key")
	}
	return s.cfg.Ledger, nil
}

func writeText(w http.ResponseWriter, b []byte) error {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(b)
	return nil
}

// handleLedgerKey serves the note verifier key that checks checkpoints.
func (s *Server) handleLedgerKey(w http.ResponseWriter, r *http.Request) error {
	l, err := s.ledgerLog()
	if err != nil {
		return err
	}
	return writeText(w, []byte(l.VerifierKey()+"\n"))
}

// handleLedgerCheckpoint serves a signed checkpoint of the whole ledger.
func (s *Server) handleLedgerCheckpoint(w http.ResponseWriter, r *http.Request) error {
	l, err := s.ledgerLog()
	if err != nil {
		return err
	}
	msg, err := l.Checkpoint(r.Context())
	if err != nil {
		return err
	}
	return writeText(w, msg)
}

// count reads a whole number of zero or more; absent is -1.
func (q *query) count(name string) int64 {
	v := q.get(name)
	if v == "" {
		return -1
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		q.fail(name, "%s %q is not a whole number of zero or more", name, v)
		return -1
	}
	return n
}

func (s *Server) handleLedgerInclusion(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	index, size := q.count("index"), q.count("size")
	if err := q.check(); err != nil {
		return err
	}
	if index < 0 {
		return stakhanov.FieldErrorf("index", "index is required: the record's index, from 0")
	}
	if size == 0 {
		return stakhanov.FieldErrorf("size", "size must be 1 or more: the tree size of a checkpoint")
	}
	if size < 0 {
		size = 0 // the whole ledger
	}
	p, err := ledger.ProveInclusion(r.Context(), s.store, index, size)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) handleLedgerConsistency(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	old, new := q.count("old"), q.count("new")
	if err := q.check(); err != nil {
		return err
	}
	if old < 0 {
		return stakhanov.FieldErrorf("old", "old is required: the tree size of the checkpoint trusted before")
	}
	if new < 0 {
		return stakhanov.FieldErrorf("new", "new is required: the tree size of the newer checkpoint")
	}
	p, err := ledger.ProveConsistency(r.Context(), s.store, old, new)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// ledgerRecord is a record as served: its canonical bytes (data, base64;
// these are what is hashed), the same as JSON, and its leaf hash.
type ledgerRecord struct {
	Index     int64           `json:"index"`
	Kind      string          `json:"kind"`
	RefID     int64           `json:"ref_id"`
	Record    json.RawMessage `json:"record"`
	Data      []byte          `json:"data"`
	LeafHash  tlog.Hash       `json:"leaf_hash"`
	CreatedAt time.Time       `json:"created_at"`
}

func (s *Server) handleLedgerRecord(w http.ResponseWriter, r *http.Request) error {
	v := r.PathValue("index")
	index, err := strconv.ParseInt(v, 10, 64)
	if err != nil || index < 0 {
		return stakhanov.FieldErrorf("index", "index %q is not a whole number of zero or more", v)
	}
	rec, leaf, err := ledger.ReadRecord(r.Context(), s.store, index)
	if err != nil {
		return err
	}
	out := ledgerRecord{Index: rec.Index, Kind: rec.Kind, RefID: rec.RefID, Data: rec.Data, LeafHash: leaf, CreatedAt: rec.CreatedAt}
	if json.Valid(rec.Data) {
		out.Record = rec.Data
	} else {
		out.Record = json.RawMessage("null")
	}
	return writeJSON(w, http.StatusOK, out)
}
