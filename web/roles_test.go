package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/demo"
	"github.com/stakhanov/stakhanov/web"
)

// Tests of the nominator's, committee member's, authority's and
// registrar's pages, on a copy of the demo store after May Day 2013. The
// web clock is the real one: the candidacy rule and the evidence of the
// 2013 candidates are read up to today.

// newRolesFixture is newFixture with the web clock at the real time.
func newRolesFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t)
	f.srv = httptest.NewServer(web.NewServer(web.Config{}, f.store, nil).Handler())
	t.Cleanup(f.srv.Close)
	return f
}

// as returns a context of the named demo user acting on the store.
func (f *fixture) as(name string) context.Context {
	f.t.Helper()
	ctx := context.Background()
	u, err := f.store.FindUserByName(ctx, name)
	if err != nil {
		f.t.Fatalf("user %s: %v", name, err)
	}
	return stakhanov.NewContext(ctx, u)
}

// nominate files a dossier nomination as the demo admin.
func (f *fixture) nominate(award, person int64, dossier string) *stakhanov.Nomination {
	f.t.Helper()
	n := &stakhanov.Nomination{AwardID: award, Candidate: stakhanov.PersonSubject(person), Source: stakhanov.SourceDossier, Dossier: dossier}
	if err := f.store.CreateNomination(f.as(stakhanov.RoleAdmin), n); err != nil {
		f.t.Fatalf("nominate person %d for award %d: %v", person, award, err)
	}
	return n
}

// renominateMelnik revokes the coal miner of 2013's Hero of Labour of the
// Russian Federation, a once-only title, and nominates him for it again:
// his two letters are on file, so the nomination is in review at the first
// stage at once.
func (f *fixture) renominateMelnik() *stakhanov.Nomination {
	f.t.Helper()
	f.revokeTitle(f.world.Honoured2013[0])
	n := f.nominate(f.world.Awards.HeroOfLabourRF, f.world.Honoured2013[0], "A second title for the same brigade leader.")
	if n.State != stakhanov.NominationInReview || n.Stage != 0 {
		f.t.Fatalf("nomination %d is %s at stage %d, want in review at stage 0", n.ID, n.State, n.Stage)
	}
	return n
}

// revokeTitle revokes a person's Hero of Labour of the Russian Federation.
func (f *fixture) revokeTitle(person int64) {
	f.t.Helper()
	ctx := stakhanov.NewContext(context.Background(), stakhanov.System)
	held, _, err := f.store.FindConferrals(ctx, stakhanov.ConferralFilter{Recipient: stakhanov.PersonSubject(person), AwardID: f.world.Awards.HeroOfLabourRF})
	if err != nil || len(held) != 1 {
		f.t.Fatalf("the title of person %d: got %v, %v", person, held, err)
	}
	d := &stakhanov.Decree{Number: fmt.Sprintf("R-%d", person), Date: stakhanov.DateOf(time.Now().UTC()), Authority: demo.AuthorityPresident,
		Kind: stakhanov.DecreeRevoke, Entries: []stakhanov.DecreeEntry{{ConferralID: held[0].ID, Grounds: "records found false"}}}
	if err := f.store.CreateDecree(ctx, d); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.store.SignDecree(ctx, d.ID); err != nil {
		f.t.Fatal(err)
	}
}

// approveHLRF has the committees of Hero of Labour of the Russian
// Federation approve a nomination, stage by stage, as the May Day scenario
// does.
func (f *fixture) approveHLRF(id int64) {
	f.t.Helper()
	w := *f.world
	w.MayDay.Nominations = []int64{id}
	for _, st := range demo.MayDay2013Steps(&w) {
		if strings.HasPrefix(st.Name, "review at stage") {
			if err := st.Run(context.Background(), f.store); err != nil {
				f.t.Fatalf("%s: %v", st.Name, err)
			}
		}
	}
}

var locationID = regexp.MustCompile(`/(\d+)(\?|$)`)

// idIn returns the id in a redirect's location, "/x/12?y=1".
func idIn(t *testing.T, location string) int64 {
	t.Helper()
	m := locationID.FindStringSubmatch(location)
	if m == nil {
		t.Fatalf("no id in location %q", location)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func wantStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d (location %q)\n%s", r.status, status, r.location, r.body)
	}
}

func mustNotContain(t *testing.T, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("page has %q", u)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", body)
		t.FailNow()
	}
}

func TestNominatorFilesDossierNomination(t *testing.T) {
	f := newRolesFixture(t)
	w := f.world
	c := f.client(t)
	if got := c.signIn(stakhanov.RoleNominator); got != "/nominator" {
		t.Fatalf("nominator lands on %q", got)
	}
	home := c.get("/nominator")
	wantStatus(t, home, http.StatusOK)
	// The May Day nominations were filed by the demo nominator.
	mustContain(t, home.body, `id="nominator-awards"`, "Hero of Labour of the Russian Federation", `id="my-nominations"`, "Valery Gergiev", "conferred")

	shubin := w.Recommenders2013[0][0] // Andrei Shubin, of Melnik's brigade
	award := strconv.FormatInt(w.Awards.HeroOfLabourRF, 10)
	page := "/nominator/nominations/new?award=" + award
	form := c.get(page)
	wantStatus(t, form, http.StatusOK)
	mustContain(t, form.body, `<label for="f-award">`, `<label for="f-candidate">`, `<label for="f-dossier">`, "Andrei Shubin", `name="csrf"`)

	// No dossier: the error is beside the field, the rest as typed.
	r := c.submit(page, "/nominator/nominations", url.Values{"award": {award}, "candidate": {strconv.FormatInt(shubin, 10)}, "dossier": {"  "}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.body, `id="f-dossier-error"`, `aria-describedby="f-dossier-hint f-dossier-error"`,
		fmt.Sprintf(`<option value="%d" selected>Andrei Shubin`, shubin))

	dossier := "Led the best shift team of the stoping section for six years without an accident."
	r = c.submit(page, "/nominator/nominations", url.Values{"award": {award}, "candidate": {strconv.FormatInt(shubin, 10)}, "dossier": {dossier}})
	wantStatus(t, r, http.StatusSeeOther)
	id := idIn(t, r.location)
	n, err := f.store.FindNominationByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	nominator, _ := f.store.FindUserByName(context.Background(), stakhanov.RoleNominator)
	if n.Source != stakhanov.SourceDossier || n.Dossier != dossier || n.Candidate != stakhanov.PersonSubject(shubin) || n.NominatorID != nominator.ID {
		t.Fatalf("nomination %+v", n)
	}
	r = c.get(r.location)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.body, `id="nomination-filed"`, "Andrei Shubin", dossier, "proposed")
	mustContain(t, c.get("/nominator").body, fmt.Sprintf(`id="nomination-%d"`, id))

	// A second open nomination of the same candidate is refused, with the
	// store's reason beside the candidate.
	r = c.submit(page, "/nominator/nominations", url.Values{"award": {award}, "candidate": {strconv.FormatInt(shubin, 10)}, "dossier": {dossier}})
	wantStatus(t, r, http.StatusConflict)
	mustContain(t, r.body, `id="f-candidate-error"`, "still open")
}

func TestNominatorProposesFromCandidacyRule(t *testing.T) {
	f := newRolesFixture(t)
	w := f.world
	c := f.client(t)
	c.signIn(stakhanov.RoleNominator)
	page := fmt.Sprintf("/nominator/awards/%d/candidates", w.Awards.HeroOfLabourRF)
	r := c.get(page)
	wantStatus(t, r, http.StatusOK)
	// Chumanov holds the once-only title since May Day 2013: no
	// Nominate, and why.
	chumanov := w.Honoured2013[1]
	mustContain(t, r.body, `id="candidates"`, "Konstantin Chumanov", fmt.Sprintf(`id="obstacle-person-%d"`, chumanov),
		"Konstantin Chumanov already holds Hero of Labour of the Russian Federation once")
	mustNotContain(t, r.body, fmt.Sprintf(`id="nominate-person-%d"`, chumanov))
	// Melnik's title revoked, he may be nominated again.
	melnik := w.Honoured2013[0]
	f.revokeTitle(melnik)
	r = c.get(page)
	button := fmt.Sprintf(`id="nominate-person-%d"`, melnik)
	mustContain(t, r.body, button)
	candidate := stakhanov.PersonSubject(melnik).String()
	r = c.submit(page, page, url.Values{"candidate": {candidate}})
	wantStatus(t, r, http.StatusSeeOther)
	n, err := f.store.FindNominationByID(context.Background(), idIn(t, r.location))
	if err != nil {
		t.Fatal(err)
	}
	if n.Source != stakhanov.SourceRule || n.Evidence == nil || n.Candidate.String() != candidate {
		t.Fatalf("nomination %+v", n)
	}
	// Now nominated: no button, a link to the nomination.
	r = c.get(page)
	mustContain(t, r.body, fmt.Sprintf(`href="/nominator/nominations/%d"`, n.ID))
	mustNotContain(t, r.body, button)
}

func TestCommitteeMemberReviewsAndVotes(t *testing.T) {
	f := newRolesFixture(t)
	n := f.renominateMelnik()
	member := f.world.Committee[0][1].Name // committee-fnpr: not of the mine
	c := f.client(t)
	if got := c.signIn(member); got != "/committee" {
		t.Fatalf("%s lands on %q", member, got)
	}
	q := c.get("/committee")
	wantStatus(t, q, http.StatusOK)
	review := fmt.Sprintf("/committee/nominations/%d", n.ID)
	mustContain(t, q.body, `id="review-queue"`, `href="`+review+`"`, "Vladimir Melnik", "to review")

	r := c.get(review)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.body,
		`<svg`, `id="chart-fulfilment-`, `class="line norm"`, // the chart with its norm line
		`id="fulfilment-table-`, "2013-03", // and its numbers, by month
		"recommend them for the title",                // the letters
		"A second title for the same brigade leader.", // the dossier
		`id="nomination-history"`, `id="vote-form"`, `<label for="f-vote">`, `<label for="f-comment">`)
	mustNotContain(t, r.body, `id="conflict"`)
	// By shift, too.
	mustContain(t, c.get(review+"?period=shift").body, "2013-04-30/")

	// No choice: the error is beside the vote, the comment kept.
	action := review + "/vote"
	r = c.submit(review, action, url.Values{"vote": {""}, "comment": {"Solid record."}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.body, `id="f-vote-error"`, `aria-describedby="f-vote-error"`, ">Solid record.</textarea>")

	r = c.submit(review, action, url.Values{"vote": {stakhanov.VoteApprove}, "comment": {"Solid record."}})
	wantStatus(t, r, http.StatusSeeOther)
	r = c.get(r.location)
	mustContain(t, r.body, `id="vote-recorded"`, `id="already-voted"`, "Solid record.", "<td>you</td>")
	mustNotContain(t, r.body, `id="vote-form"`)
	got, err := f.store.FindNominationByID(context.Background(), n.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Votes) != 1 || got.Votes[0].Vote != stakhanov.VoteApprove || got.Votes[0].Comment != "Solid record." {
		t.Fatalf("votes %+v", got.Votes)
	}
}

func TestConflictedMemberSeesWhyNotToVote(t *testing.T) {
	f := newRolesFixture(t)
	n := f.renominateMelnik()
	c := f.client(t)
	c.signIn(f.world.Conflicted)
	mustContain(t, c.get("/committee").body, "may not vote", "candidate&#39;s enterprise")

	review := fmt.Sprintf("/committee/nominations/%d", n.ID)
	r := c.get(review)
	wantStatus(t, r, http.StatusOK)
	mustContain(t, r.body, `id="conflict"`, "You cannot vote on this nomination", "You belong to the candidate&#39;s enterprise")
	mustNotContain(t, r.body, `id="vote-form"`)

	// A vote sent anyway is refused by the store, and its reason shown.
	r = c.submit(review, review+"/vote", url.Values{"vote": {stakhanov.VoteApprove}, "comment": {""}})
	wantStatus(t, r, http.StatusForbidden)
	mustContain(t, r.body, `id="form-error"`, "must recuse", `id="conflict"`)
}

func TestAuthorityDraftsAndSignsDecree(t *testing.T) {
	f := newRolesFixture(t)
	w := f.world
	// A second Hero of Socialist Labour for Shostakovich, approved by the
	// Presidium (one member, quorum one).
	n := f.nominate(w.Awards.HeroOfSocialistLabour, w.Shostakovich, "For the Fifteenth Symphony.")
	if _, err := f.store.CastVote(f.as(stakhanov.RoleCommittee), &stakhanov.Vote{NominationID: n.ID, Vote: stakhanov.VoteApprove}); err != nil {
		t.Fatal(err)
	}
	c := f.client(t)
	if got := c.signIn(stakhanov.RoleAuthority); got != "/authority" {
		t.Fatalf("authority lands on %q", got)
	}
	mustContain(t, c.get("/authority").body, `id="decrees"`, "427", "1 approved nomination waits")

	page := "/authority/decrees/new"
	r := c.get(page)
	box := fmt.Sprintf(`id="nomination-%d"`, n.ID)
	mustContain(t, r.body, box, "Dmitri Shostakovich", `<label for="f-number">`, `<label for="f-date">`)

	// No number: the error beside it, the nomination still chosen.
	nom := strconv.FormatInt(n.ID, 10)
	r = c.submit(page, "/authority/decrees", url.Values{"number": {""}, "date": {"1975-09-25"}, "authority": {demo.AuthorityPresidium}, "nomination": {nom}})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.body, `id="f-number-error"`, `value="1975-09-25"`, box+" checked")

	r = c.submit(page, "/authority/decrees", url.Values{"number": {"PVS-1975-1"}, "date": {"1975-09-25"}, "authority": {demo.AuthorityPresidium}, "nomination": {nom}})
	wantStatus(t, r, http.StatusSeeOther)
	decree := fmt.Sprintf("/authority/decrees/%d", idIn(t, r.location))
	r = c.get(r.location)
	mustContain(t, r.body, `id="decree-drafted"`, "draft", `id="precheck-summary"`, "no eligibility problems", "eligible", `id="sign-submit"`)

	r = c.submit(decree, decree+"/sign", url.Values{})
	wantStatus(t, r, http.StatusSeeOther)
	r = c.get(r.location)
	mustContain(t, r.body, `id="decree-signed"`, `id="decree-conferrals"`, "Order of Lenin", "brings "+demo.BronzeBust)
	mustNotContain(t, r.body, `id="sign-submit"`)
}

func TestAuthoritySeesEligibilityProblems(t *testing.T) {
	f := newRolesFixture(t)
	// Melnik, his title revoked, nominated and approved for it again; then
	// a record decree gives it back to him before the new decree is
	// signed: it may be held once.
	n := f.renominateMelnik()
	f.approveHLRF(n.ID)
	ctx := stakhanov.NewContext(context.Background(), stakhanov.System)
	rec := &stakhanov.Decree{Number: "REC-1", Date: stakhanov.NewDate(2013, 5, 1), Authority: demo.AuthorityPresident, Kind: stakhanov.DecreeRecord,
		Entries: []stakhanov.DecreeEntry{{AwardID: f.world.Awards.HeroOfLabourRF, Recipient: stakhanov.PersonSubject(f.world.Honoured2013[0])}}}
	if err := f.store.CreateDecree(ctx, rec); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.SignDecree(ctx, rec.ID); err != nil {
		t.Fatal(err)
	}
	member := f.client(t)
	member.signIn(f.world.Committee[0][1].Name)
	mustContain(t, member.get(fmt.Sprintf("/committee/nominations/%d", n.ID)).body, `id="obstacles"`, "already holds Hero of Labour of the Russian Federation once")
	c := f.client(t)
	c.signIn(stakhanov.RoleAuthority)
	page := "/authority/decrees/new"
	r := c.submit(page, "/authority/decrees", url.Values{"number": {"1001"}, "date": {"2013-06-01"},
		"authority": {demo.AuthorityPresident}, "nomination": {strconv.FormatInt(n.ID, 10)}})
	wantStatus(t, r, http.StatusSeeOther)
	id := idIn(t, r.location)
	decree := fmt.Sprintf("/authority/decrees/%d", id)
	r = c.get(decree)
	mustContain(t, r.body, "Pre-check", "1 entry has eligibility problems",
		"Vladimir Melnik", "already holds Hero of Labour of the Russian Federation once; it may be held at most once")

	// Signing is refused; the store's reason is shown beside the entry.
	r = c.submit(decree, decree+"/sign", url.Values{})
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.body, `id="sign-error"`, "decree 1001 cannot be signed", "entry 1:", "Refused at signing")

	// The failing entry is removed from the draft, on record; the empty
	// draft cannot be signed and is discarded.
	r = c.submit(decree, decree+"/entries/1/remove", url.Values{"reason": {"he holds it already"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = c.get(decree)
	mustContain(t, r.body, `id="removed-entries"`, "he holds it already")
	r = c.submit(decree, decree+"/discard", url.Values{"reason": {"nothing left to confer"}})
	wantStatus(t, r, http.StatusSeeOther)
	r = c.get(decree)
	mustContain(t, r.body, `id="decree-discarded"`, "nothing left to confer", "discarded ")
	mustNotContain(t, r.body, `id="sign-submit"`)
	d, err := f.store.FindDecreeByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if d.SignedAt != nil {
		t.Fatal("the decree was signed")
	}
}

func TestRegistrarSchedulesCeremonyAndMarksPresented(t *testing.T) {
	f := newRolesFixture(t)
	w := f.world
	ctx := context.Background()
	// Shostakovich's title, entered by a record decree, was never presented.
	cs, _, err := f.store.FindConferrals(ctx, stakhanov.ConferralFilter{Recipient: stakhanov.PersonSubject(w.Shostakovich), AwardID: w.Awards.HeroOfSocialistLabour})
	if err != nil || len(cs) != 1 {
		t.Fatalf("conferrals %v, %v", cs, err)
	}
	conf := cs[0].ID
	c := f.client(t)
	if got := c.signIn(stakhanov.RoleRegistrar); got != "/registrar" {
		t.Fatalf("registrar lands on %q", got)
	}
	mustContain(t, c.get("/registrar").body, `id="ceremonies"`, demo.MayDayPlace, "5 of 5")

	page := "/registrar/ceremonies/new"
	box := fmt.Sprintf(`id="conferral-%d"`, conf)
	mustContain(t, c.get(page).body, box, "Dmitri Shostakovich", `<label for="f-place">`)

	// No place: the error beside it; what was typed and chosen stays.
	form := url.Values{"date": {"1966-10-01"}, "place": {""}, "presenter": {"Nikolai Podgorny"}, "conferral": {strconv.FormatInt(conf, 10)}}
	r := c.submit(page, "/registrar/ceremonies", form)
	wantStatus(t, r, http.StatusBadRequest)
	mustContain(t, r.body, `id="f-place-error"`, `value="Nikolai Podgorny"`, box+" checked")

	form.Set("place", "Grand Kremlin Palace, Moscow")
	r = c.submit(page, "/registrar/ceremonies", form)
	wantStatus(t, r, http.StatusSeeOther)
	ceremony := fmt.Sprintf("/registrar/ceremonies/%d", idIn(t, r.location))
	r = c.get(r.location)
	button := fmt.Sprintf(`id="present-%d"`, conf)
	mustContain(t, r.body, `id="ceremony-scheduled"`, "Grand Kremlin Palace, Moscow", "0 of 1", button)

	r = c.submit(ceremony, ceremony+"/presented", url.Values{"conferral": {strconv.FormatInt(conf, 10)}})
	wantStatus(t, r, http.StatusSeeOther)
	r = c.get(r.location)
	mustContain(t, r.body, `id="just-presented"`, "1 of 1", "presented 1966-10-01")
	mustNotContain(t, r.body, button)
	got, err := f.store.FindConferralByID(ctx, conf)
	if err != nil {
		t.Fatal(err)
	}
	if got.PresentedAt == nil || got.PresentedAt.Date.String() != "1966-10-01" {
		t.Fatalf("presentation: got %+v, want dated the ceremony's day, 1966-10-01", got.PresentedAt)
	}

	// Marked again (a stale page): the store's answer is shown.
	r = c.submit(ceremony, ceremony+"/presented", url.Values{"conferral": {strconv.FormatInt(conf, 10)}})
	wantStatus(t, r, http.StatusConflict)
	mustContain(t, r.body, `id="form-error"`, "presented already")
}

func TestHonoursPagesAreForTheirRoles(t *testing.T) {
	f := newRolesFixture(t)
	c := f.client(t)
	if r := c.get("/committee"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.location, "/signin") {
		t.Fatalf("signed out: status %d, location %q", r.status, r.location)
	}
	c.signIn(stakhanov.RoleNominator)
	for _, path := range []string{"/committee", "/authority", "/registrar/ceremonies/new"} {
		if r := c.get(path); r.status != http.StatusForbidden {
			t.Errorf("nominator on %s: status %d", path, r.status)
		}
	}
	// A form without its CSRF token is refused.
	r := c.post("/nominator/nominations", url.Values{"award": {"1"}, "candidate": {"1"}, "dossier": {"x"}})
	wantStatus(t, r, http.StatusForbidden)
}
