package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/demo"
	"github.com/stakhanov/stakhanov/ledger"
	"github.com/stakhanov/stakhanov/web"
)

// Tests of the honours ledger on the web: the auditor's page and the
// ledger entries of the public recipient page.

// withLedger serves the fixture's store with a ledger signed by a new key.
func withLedger(t *testing.T, f *fixture) *ledger.Log {
	t.Helper()
	key, err := ledger.GenerateKey("stakhanov.test/ledger")
	if err != nil {
		t.Fatal(err)
	}
	log := ledger.NewLog(f.store, key)
	f.srv = httptest.NewServer(web.NewServer(web.Config{Now: func() time.Time { return now }, Ledger: log}, f.store, nil).Handler())
	t.Cleanup(f.srv.Close)
	return log
}

func TestAuditorSeesCheckpointsAndCheck(t *testing.T) {
	f := newFixture(t)
	log := withLedger(t, f)
	ctx := context.Background()
	size, err := f.store.LedgerSize(ctx)
	if err != nil || size == 0 {
		t.Fatalf("ledger size %d, %v", size, err)
	}
	c := f.client(t)
	if got := c.signIn(stakhanov.RoleAuditor); got != "/auditor" {
		t.Fatalf("auditor lands on %q", got)
	}
	r := c.get("/auditor")
	wantStatus(t, r, http.StatusOK)
	// The page signed a checkpoint of the ledger as it is.
	mustContain(t, r.body, fmt.Sprintf(`<dd id="ledger-size">%d</dd>`, size),
		`id="checkpoint-text"`, fmt.Sprintf("stakhanov.test/ledger\n%d\n", size), "— stakhanov.test/ledger ",
		fmt.Sprintf(`id="checkpoint-%d"`, size), `id="ledger-key"`,
		`id="check-ok"`, "No problems", "with their signatures", `href="/auditor"`)
	mustNotContain(t, r.body, `id="role-tasks"`, `id="check-problems"`)
	mustContain(t, html.UnescapeString(r.body), log.VerifierKey())

	// A conferral's ledger record deleted: the check names it.
	cs, _, err := f.store.FindConferrals(ctx, stakhanov.ConferralFilter{Recipient: stakhanov.PersonSubject(f.world.Honoured2013[4])})
	if err != nil || len(cs) == 0 {
		t.Fatalf("Gergiev's conferrals: %v %v", cs, err)
	}
	idx, err := f.store.LedgerRecordIndex(ctx, stakhanov.LedgerConferral, cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.WriteDB().ExecContext(ctx, "DELETE FROM ledger_records WHERE idx = ?", idx); err != nil {
		t.Fatal(err)
	}
	r = c.get("/auditor")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.body, `id="check-problems"`, fmt.Sprintf("ledger record %d is missing", idx))
	mustNotContain(t, r.body, `id="check-ok"`)

	// Other roles may not open it.
	v := f.client(t)
	v.signIn("verifier")
	wantStatus(t, v.get("/auditor"), http.StatusForbidden)
}

func TestAuditorWithoutLedgerKey(t *testing.T) {
	f := newFixture(t) // a server that is not given the ledger
	c := f.client(t)
	c.signIn(stakhanov.RoleAuditor)
	r := c.get("/auditor")
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.body, `id="no-checkpoint"`, `id="check-ok"`, "signatures <strong>not</strong> checked")
}

func TestRecipientShowsLedgerAndCredential(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	gergiev := stakhanov.PersonSubject(f.world.Honoured2013[4])
	cs, _, err := f.store.FindConferrals(ctx, stakhanov.ConferralFilter{Recipient: gergiev})
	if err != nil || len(cs) == 0 {
		t.Fatalf("Gergiev's conferrals: %v %v", cs, err)
	}
	conf := cs[0].ID
	idx, err := f.store.LedgerRecordIndex(ctx, stakhanov.LedgerConferral, conf)
	if err != nil {
		t.Fatal(err)
	}
	size, err := f.store.LedgerSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	page := fmt.Sprintf("/recipients/person/%d", gergiev.ID)
	c := f.client(t) // signed out: the page is public
	r := c.get(page)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.body, "Valery Gergiev", fmt.Sprintf(`id="ledger-conferral-%d"`, conf),
		fmt.Sprintf(`Verified in the ledger at index <a href="/api/v1/ledger/records/%d"`, idx),
		fmt.Sprintf(`href="/api/v1/ledger/proof/inclusion?index=%d&amp;size=%d"`, idx, size),
		fmt.Sprintf(`href="/api/v1/conferrals/%d/credential"`, conf),
		fmt.Sprintf(`href="/api/v1/conferrals/%d/insignia.svg"`, conf))
	mustNotContain(t, r.body, "Not found in the ledger", "salt")

	// Revoked: the revocation's record is shown too.
	authority := f.as(stakhanov.RoleAuthority)
	d := &stakhanov.Decree{Number: "R-17", Date: stakhanov.NewDate(2014, 2, 3), Authority: demo.AuthorityPresident, Kind: stakhanov.DecreeRevoke,
		Entries: []stakhanov.DecreeEntry{{ConferralID: conf, Grounds: "records found false"}}}
	if err := f.store.CreateDecree(authority, d); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SignDecree(authority, d.ID); err != nil {
		t.Fatal(err)
	}
	ridx, err := f.store.LedgerRecordIndex(ctx, stakhanov.LedgerRevocation, conf)
	if err != nil {
		t.Fatal(err)
	}
	r = c.get(page)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.body, "Revoked", fmt.Sprintf(`id="ledger-revocation-%d"`, conf),
		fmt.Sprintf(`Revocation verified in the ledger at index <a href="/api/v1/ledger/records/%d"`, ridx),
		fmt.Sprintf(`href="/api/v1/ledger/proof/inclusion?index=%d&amp;size=%d"`, ridx, ridx+1))
	if strings.Count(r.body, "Verified in the ledger") < 1 {
		t.Fatal("the conferral's own record is gone from the page")
	}
}
