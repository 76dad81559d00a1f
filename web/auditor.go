package web

import (
	"encoding/base64"
	"net/http"
	"strconv"

	"golang.org/x/mod/sumdb/note"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/ledger"
)

// The auditor's page: the honours ledger's size, its latest signed
// checkpoint and public key, the checkpoints issued, and a check of the
// database against the ledger (ledger.Verify, as `stakhanov ledger verify`
// does), run each time the page is opened.

// checkpointPageSize is how many checkpoints a page lists.
const checkpointPageSize = 20

// checkpointView is a kept checkpoint with its fields read from its text.
type checkpointView struct {
	*stakhanov.LedgerCheckpoint
	Origin string
	Root   string
	// Previous is the size of the next smaller checkpoint listed, for a
	// consistency proof between the two (0 if none).
	Previous int64
}

func viewCheckpoint(c *stakhanov.LedgerCheckpoint) checkpointView {
	v := checkpointView{LedgerCheckpoint: c}
	if cp, err := ledger.ParseCheckpoint(string(c.Text)); err == nil {
		v.Origin, v.Root = cp.Origin, base64.StdEncoding.EncodeToString(cp.Hash[:])
	}
	return v
}

// TextString is the checkpoint's signed note text.
func (c checkpointView) TextString() string { return string(c.Text) }

type auditorData struct {
	Size int64
	// Latest is the latest signed checkpoint, if any was issued.
	Latest *checkpointView
	// SignError says why the current checkpoint could not be signed.
	SignError   string
	Checkpoints []checkpointView
	Total       int
	Pager       pager
	// PublicKey is the note verifier key of the ledger, if the server
	// knows it.
	PublicKey string
	Check     *ledger.Report
	// Events are the latest sign-ins and refusals (EventsPager).
	Events      []*stakhanov.SecurityEvent
	EventsPager pager
	EventKind   string
}

// eventsPageSize is how many security events a page of them shows.
const eventsPageSize = 50

// handleAuditor is the auditor's start page.
func (s *Server) handleAuditor(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var verifier note.Verifier
	data := auditorData{}
	if log := s.cfg.Ledger; log != nil {
		data.PublicKey = log.VerifierKey()
		verifier = log.Key().Verifier
		// A checkpoint of the ledger as it is now, signed if none is kept
		// for its size (as GET /api/v1/ledger/checkpoint does).
		if _, err := log.Checkpoint(ctx); err != nil {
			if stakhanov.ErrorCode(err) == "" {
				s.logger.ErrorContext(ctx, "sign ledger checkpoint", "error", err)
			}
			data.SignError = "The ledger's current checkpoint could not be signed: " + stakhanov.ErrorMessage(err)
		}
	}
	var err error
	if data.Size, err = s.store.LedgerSize(ctx); err != nil {
		return err
	}
	latest, _, err := s.store.LedgerCheckpoints(ctx, stakhanov.Page{Limit: 1})
	if err != nil {
		return err
	}
	if len(latest) > 0 {
		v := viewCheckpoint(latest[0])
		data.Latest = &v
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	offset = max(offset, 0)
	// One more than shown, for the consistency link of the last one.
	cps, total, err := s.store.LedgerCheckpoints(ctx, stakhanov.Page{Offset: offset, Limit: checkpointPageSize + 1})
	if err != nil {
		return err
	}
	for i, c := range cps {
		if i == checkpointPageSize {
			break
		}
		v := viewCheckpoint(c)
		if i+1 < len(cps) {
			v.Previous = cps[i+1].Size
		}
		data.Checkpoints = append(data.Checkpoints, v)
	}
	data.Total = total
	data.Pager = newPager(r.URL, offset, checkpointPageSize, len(data.Checkpoints), total)
	if data.Check, err = ledger.Verify(ctx, s.store, verifier); err != nil {
		return err
	}
	eventsOffset, _ := strconv.Atoi(r.URL.Query().Get("events_offset"))
	eventsOffset = max(eventsOffset, 0)
	data.EventKind = r.URL.Query().Get("kind")
	switch data.EventKind {
	case "", stakhanov.EventSignIn, stakhanov.EventSignInFailed, stakhanov.EventSignInThrottled, stakhanov.EventForbidden:
	default:
		return stakhanov.Errorf(stakhanov.EINVALID, "There is no kind of event %s.", stakhanov.ShortQuote(data.EventKind))
	}
	events, eventsTotal, err := s.store.FindSecurityEvents(ctx, stakhanov.SecurityEventFilter{Kind: data.EventKind, Page: stakhanov.Page{Offset: eventsOffset, Limit: eventsPageSize}})
	if err != nil {
		return err
	}
	data.Events, data.EventsPager = events, newPagerAt(r.URL, "events_offset", eventsOffset, eventsPageSize, len(events), eventsTotal)
	s.render(w, r, http.StatusOK, "auditor", "Honours ledger", data)
	return nil
}
