package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/demo"
	"github.com/stakhanov/stakhanov/sqlite"
	"github.com/stakhanov/stakhanov/sqlstore"
)

// Browser tests drive Debian's Chromium through chromedp against a Main
// serving the demo world. They skip when no browser is installed, unless
// STAKHANOV_REQUIRE_BROWSER is set (as CI does).

func chromiumPath() string {
	if p := os.Getenv("STAKHANOV_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser returns a chromedp context for a fresh headless browser.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("STAKHANOV_REQUIRE_BROWSER") != "" {
			t.Fatal("STAKHANOV_REQUIRE_BROWSER is set but no Chromium was found")
		}
		t.Skip("browser tests skipped: no Chromium found (install Debian's chromium, or set STAKHANOV_CHROMIUM)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first run starts the browser; it must not carry a timeout, which
	// would end the browser with it. Later steps get theirs in do.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// screenshotDir is where browser tests leave their screenshots.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("STAKHANOV_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "..", "testout", "screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// screenshot saves the whole page as name.png.
func screenshot(t *testing.T, name string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		png, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.Void{}, os.WriteFile(filepath.Join(screenshotDir(t), name+".png"), png, 0o644)
	}
}

// scenarioServer serves the demo world with the first steps of the May Day
// 2013 scenario played (all of them when steps is -1).
func scenarioServer(t *testing.T, steps int) (string, *demo.World, *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "browser.db")
	s, err := sqlite.Open(ctx, path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	w, err := demo.SeedBase(ctx, s, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	all := demo.MayDay2013Steps(w)
	if steps < 0 {
		steps = len(all)
	}
	for _, step := range all[:steps] {
		if err := step.Run(ctx, s); err != nil {
			t.Fatalf("%s: %v", step.Name, err)
		}
	}
	s.Close()
	m := NewMain()
	m.Config.DB = path
	m.Config.Addr = "127.0.0.1:0"
	if err := m.Open(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m.URL(), w, m.Store
}

// signIn signs in with a demo account's password through the form.
func signIn(base, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/signin"),
		chromedp.SetValue(chromedp.ID("f-name"), name),
		chromedp.SetValue(chromedp.ID("f-password"), demo.Password(name)),
		clickToPage(chromedp.Click(chromedp.ID("signin-submit"))),
		chromedp.WaitVisible(chromedp.ID("signed-in-as")),
	)
}

// stepTimeout bounds each group of browser steps.
const stepTimeout = 30 * time.Second

// do runs browser steps; on failure it reports where the browser was and
// what the page said, and saves a screenshot.
func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		loc, _ := chromedp.Run(dctx, chromedp.Location())
		body, _ := chromedp.Run(dctx, chromedp.Text(chromedp.CSS("main")))
		chromedp.Do(dctx, screenshot(t, "failed-"+t.Name()))
		t.Fatalf("%v\nat %s:\n%s", err, loc, body)
	}
}

// choose picks the first real option of a select (the one after its
// "Choose ..." prompt) unless one is chosen already.
func choose(id string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`(() => { const s = document.getElementById(`+strconv.Quote(id)+`);
			if (!s.value && s.options.length > 1) { s.selectedIndex = 1; } return !!s.value; })()`)(ctx, tg)
		return chromedp.Void{}, err
	}
}

// clickToPage clicks what leads to another page (a link, a form's
// button) and waits until that page has loaded. Without it, the next step
// may find what it waits for on the page being left, or run while that
// page goes ("Inspected target navigated", "Cannot find context"), which
// a busy machine makes likely. The page left is marked; the wait ends on
// a complete page without the mark.
func clickToPage(click chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		if _, err := chromedp.Evaluate[chromedp.Void](`window.stakhanovLeaving = true`)(ctx, tg); err != nil {
			return chromedp.Void{}, err
		}
		if _, err := click(ctx, tg); err != nil {
			return chromedp.Void{}, err
		}
		for {
			_, err := chromedp.Poll[chromedp.Void](`window.stakhanovLeaving === undefined && document.readyState === "complete"`)(ctx, tg)
			if err == nil || ctx.Err() != nil {
				return chromedp.Void{}, err
			}
			// The page went while it was asked: ask the next one.
			if msg := err.Error(); !strings.Contains(msg, "navigated") && !strings.Contains(msg, "context") {
				return chromedp.Void{}, err
			}
		}
	}
}

// checkAll ticks every checkbox the selector matches.
func checkAll(selector string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[int](`(() => { const boxes = document.querySelectorAll(`+strconv.Quote(selector)+`);
			boxes.forEach(b => { b.checked = true; }); return boxes.length; })()`)(ctx, tg)
		return chromedp.Void{}, err
	}
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func value(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("value of %s: %v", sel, err)
	}
	return s
}

func TestBrowserPublicRegistry(t *testing.T) {
	ctx := browser(t)
	base, w, _ := scenarioServer(t, -1)
	do(t, ctx,
		chromedp.Navigate(base+"/registry"),
		chromedp.SetValue(chromedp.ID("f-q"), "Gergiev"),
		clickToPage(chromedp.Click(chromedp.ID("registry-search"))),
		chromedp.WaitVisible(chromedp.ID("registry-results")),
		screenshot(t, "registry"),
	)
	if got := text(t, ctx, "#registry-results"); !strings.Contains(got, "Gergiev") || !strings.Contains(got, "Hero of Labour") {
		t.Fatalf("registry search for Gergiev: got %q", got)
	}
	do(t, ctx,
		clickToPage(chromedp.Click(chromedp.CSS("#registry-results tbody a"))),
		chromedp.WaitVisible(chromedp.ID("recipient-name")),
		screenshot(t, "recipient"),
	)
	if got := text(t, ctx, "#recipient-name"); !strings.Contains(got, "Gergiev") {
		t.Fatalf("recipient page: got %q", got)
	}
	do(t, ctx,
		chromedp.Navigate(fmt.Sprintf("%s/awards/%d", base, w.Awards.HeroOfLabourRF)),
		chromedp.WaitVisible(chromedp.ID("insignia")),
		screenshot(t, "award-hero-of-labour"),
	)
	if got := text(t, ctx, "#award-name"); got != "Hero of Labour of the Russian Federation" {
		t.Fatalf("award page heading: got %q", got)
	}
}

func TestBrowserWorkerFulfilment(t *testing.T) {
	ctx := browser(t)
	base, _, _ := scenarioServer(t, -1)
	do(t, ctx,
		signIn(base, "worker"),
		chromedp.Navigate(base+"/worker/fulfilment"),
		chromedp.WaitVisible(chromedp.CSS("figure.chart svg")),
		screenshot(t, "worker-fulfilment"),
	)
	if got := text(t, ctx, "#fulfilment-table"); !strings.Contains(got, "1935") {
		t.Fatalf("fulfilment numbers: got %q", got)
	}
}

// TestBrowserForeman enters a shift report with a negative quantity: the
// error shows beside the field and the other values stay; then corrects it.
func TestBrowserForeman(t *testing.T) {
	ctx := browser(t)
	base, _, _ := scenarioServer(t, -1)
	do(t, ctx,
		signIn(base, "foreman"),
		chromedp.Navigate(base+"/foreman"),
		chromedp.WaitVisible(chromedp.ID("report-form")),
		choose("f-subject"), choose("f-good"), choose("f-shift"),
		chromedp.SetValue(chromedp.ID("f-produced"), "-5"),
		chromedp.SetValue(chromedp.ID("f-accepted"), "3"),
		chromedp.SetValue(chromedp.ID("f-minutes"), "360"),
		clickToPage(chromedp.Click(chromedp.ID("report-submit"))),
		chromedp.WaitVisible(chromedp.ID("f-produced-error")),
		screenshot(t, "foreman-form-error"),
	)
	if got := text(t, ctx, "#f-produced-error"); !strings.Contains(got, "negative") {
		t.Fatalf("error beside produced: got %q", got)
	}
	if a, m := value(t, ctx, "#f-accepted"), value(t, ctx, "#f-minutes"); a != "3" || m != "360" {
		t.Fatalf("kept values: accepted %q minutes %q, want 3 and 360", a, m)
	}
	// Find by name: the form comes back with the matches, as typed and
	// unsaved.
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("f-helpers_q"), "dyukanov"),
		clickToPage(chromedp.Click(chromedp.ID("f-helpers-find"))),
		chromedp.WaitVisible(chromedp.ID("f-helpers-found")),
	)
	if got := text(t, ctx, "#f-helpers-found"); !strings.Contains(got, "1 found") {
		t.Fatalf("search for dyukanov: got %q", got)
	}
	if a := value(t, ctx, "#f-accepted"); a != "3" {
		t.Fatalf("after a search, accepted is %q, want 3", a)
	}
	// Enter in a quantity saves the report: it does not press Find.
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("f-produced"), "8"),
		chromedp.SendKeys(chromedp.ID("f-produced"), "\r"),
		chromedp.WaitVisible(chromedp.ID("report-saved")),
	)
}

func TestBrowserPlanner(t *testing.T) {
	ctx := browser(t)
	base, _, _ := scenarioServer(t, -1)
	do(t, ctx,
		signIn(base, "planner"),
		chromedp.Navigate(base+"/planner/norms/new"),
		chromedp.WaitVisible(chromedp.ID("norm-form")),
		choose("f-subject"), choose("f-good"),
		chromedp.SetValue(chromedp.ID("f-amount"), "8"),
		chromedp.SetValue(chromedp.ID("f-effective_from"), "1936-01-01"),
		chromedp.SetValue(chromedp.ID("f-reason"), "New pneumatic picks"),
		clickToPage(chromedp.Click(chromedp.ID("norm-submit"))),
		chromedp.WaitVisible(chromedp.ID("norm-saved")),
	)
}

// TestBrowserShortages opens the public page of shortages for September
// 1935: the Heavy Industry's coal over its plan, in tonnes, while the
// children's shoes people need are short; then the planner's previews
// of a norm and its reports.
func TestBrowserShortages(t *testing.T) {
	ctx := browser(t)
	base, w, _ := scenarioServer(t, -1)
	do(t, ctx,
		chromedp.Navigate(base+"/shortages?period=month&from=1935-09-01&to=1935-09-30"),
		chromedp.WaitVisible(chromedp.CSS("section.public-ministry figure.chart svg")),
		screenshot(t, "shortages-september-1935"),
	)
	// Each table's row: needed, planned, produced, accepted, shortage,
	// surplus, quality loss.
	figures := func(good string) []float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => {
			for (const h of document.querySelectorAll("section.public-ministry h3")) {
				if (h.textContent !== `+strconv.Quote(good)+`) continue;
				let n = h.nextElementSibling;
				while (n && !n.querySelector("table")) n = n.nextElementSibling;
				const cells = n.querySelectorAll("tbody tr td");
				return Array.from(cells).map(c => parseFloat(c.textContent.replace(/[^0-9.]/g, "")));
			}
			return [];
		})()`))
		if err != nil || len(v) != 7 {
			t.Fatalf("figures of %s: got %v (%v)", good, v, err)
		}
		return v
	}
	coal, shoes := figures("coal"), figures("children's shoes")
	if coal[3] <= coal[1] || coal[3] <= demo.MineCoalPlanSept1935 {
		t.Fatalf("coal, September 1935: accepted %v, want it over the plan of %v", coal[3], coal[1])
	}
	if shoes[4] <= 0 || shoes[0] != demo.ShoesNeedSept1935 {
		t.Fatalf("children's shoes, September 1935: got %v, want a shortage of the %d pairs needed", shoes, demo.ShoesNeedSept1935)
	}

	do(t, ctx,
		signIn(base, "planner"),
		chromedp.Navigate(fmt.Sprintf("%s/planner/norms/new?subject=person:%d&good=%d", base, w.Stakhanov, w.Coal)),
		chromedp.WaitVisible(chromedp.ID("norm-form")),
		chromedp.SetValue(chromedp.ID("f-amount"), "10"),
		chromedp.SetValue(chromedp.ID("f-effective_from"), "1935-12-01"),
		chromedp.SetValue(chromedp.ID("f-reason"), "A trial of a higher norm"),
		clickToPage(chromedp.Click(chromedp.ID("norm-preview"))),
		chromedp.WaitVisible(chromedp.ID("norm-preview-result")),
		screenshot(t, "planner-norm-preview"),
		chromedp.Navigate(base+"/planner/ratchets?from=1935-01-01&to=1935-12-31"),
		chromedp.WaitVisible(chromedp.ID("ratchet-raises")),
		screenshot(t, "planner-ratchets"),
		chromedp.Navigate(base+"/planner/plans?from=1935-09-01&to=1935-09-30"),
		chromedp.WaitVisible(chromedp.CSS("section.plan figure.chart svg")),
		screenshot(t, "planner-plans"),
	)
}

// TestBrowserAdminDisablesAccount: the admin finds the foreman on the
// accounts page and disables it with a reason; the foreman, signing in
// next, is told the account is disabled.
func TestBrowserAdminDisablesAccount(t *testing.T) {
	ctx := browser(t)
	base, _, _ := scenarioServer(t, -1)
	do(t, ctx,
		signIn(base, "admin"),
		chromedp.Navigate(base+"/admin/accounts?q=foreman"),
		chromedp.WaitVisible(chromedp.ID("accounts")),
		screenshot(t, "admin-accounts"),
		clickToPage(chromedp.Click(chromedp.CSS(`#accounts a[href^="/admin/accounts/"]`))),
		chromedp.WaitVisible(chromedp.ID("switch-form")),
		chromedp.SetValue(chromedp.ID("f-reason"), "dismissed on 4 December"),
		clickToPage(chromedp.Click(chromedp.ID("switch-submit"))),
		chromedp.WaitVisible(chromedp.ID("account-saved")),
		screenshot(t, "admin-account-disabled"),
	)
	if got := text(t, ctx, "#account-state"); !strings.Contains(got, "Disabled") {
		t.Fatalf("the account's state: got %q", got)
	}
	do(t, ctx,
		clickToPage(chromedp.Click(chromedp.CSS("#signout-form button"))),
		chromedp.Navigate(base+"/signin"),
		chromedp.SetValue(chromedp.ID("f-name"), "foreman"),
		chromedp.SetValue(chromedp.ID("f-password"), demo.Password("foreman")),
		clickToPage(chromedp.Click(chromedp.ID("signin-submit"))),
		chromedp.WaitVisible(chromedp.ID("form-error")),
	)
	if got := text(t, ctx, "#form-error"); !strings.Contains(got, "disabled") {
		t.Fatalf("a disabled foreman signing in: got %q", got)
	}
}

func TestBrowserNominator(t *testing.T) {
	ctx := browser(t)
	base, _, _ := scenarioServer(t, 0)
	do(t, ctx,
		signIn(base, "nominator"),
		chromedp.Navigate(base+"/nominator/nominations/new"),
		chromedp.WaitVisible(chromedp.ID("nomination-form")),
		choose("f-award"), choose("f-candidate"),
		chromedp.SetValue(chromedp.ID("f-dossier"), "Forty years at the rostrum of the Mariinsky Theatre."),
		clickToPage(chromedp.Click(chromedp.ID("nomination-submit"))),
		chromedp.WaitVisible(chromedp.ID("nomination-filed")),
	)
	if got := text(t, ctx, "#nomination-state"); got == "" {
		t.Fatal("the filed nomination shows no state")
	}
}

// TestBrowserCommittee reviews a nomination at its first stage and votes;
// a member of the candidate's enterprise sees why they may not.
func TestBrowserCommittee(t *testing.T) {
	ctx := browser(t)
	base, w, store := scenarioServer(t, 4) // candidates, nominations, recommendations
	ns, _, err := store.FindNominations(context.Background(), stakhanov.NominationFilter{
		AwardID: w.Awards.HeroOfLabourRF, Candidate: stakhanov.PersonSubject(w.Honoured2013[0])})
	if err != nil || len(ns) != 1 {
		t.Fatalf("Melnik's nomination: %v %v", ns, err)
	}
	melnik := fmt.Sprintf("%s/committee/nominations/%d", base, ns[0].ID)
	do(t, ctx,
		signIn(base, "committee-fnpr"),
		chromedp.Navigate(base+"/committee"),
		chromedp.WaitVisible(chromedp.ID("review-queue")),
		chromedp.Navigate(melnik),
		chromedp.WaitVisible(chromedp.ID("review-heading")),
		screenshot(t, "committee-review"),
		chromedp.SetValue(chromedp.ID("f-vote"), "approve"),
		chromedp.SetValue(chromedp.ID("f-comment"), "Fifty of sixty shifts above 120 %, on accepted coal."),
		clickToPage(chromedp.Click(chromedp.ID("vote-submit"))),
		chromedp.WaitVisible(chromedp.ID("vote-recorded")),
	)
	conflicted := browser(t)
	do(t, conflicted,
		signIn(base, w.Conflicted),
		chromedp.Navigate(melnik),
		chromedp.WaitVisible(chromedp.ID("conflict")),
	)
	if got := text(t, conflicted, "#conflict"); !strings.Contains(got, "enterprise") {
		t.Fatalf("conflicted member: got %q", got)
	}
}

// TestBrowserAuthority drafts a decree from the approved nominations and
// signs it.
func TestBrowserAuthority(t *testing.T) {
	ctx := browser(t)
	base, _, _ := scenarioServer(t, 7) // through every review stage
	do(t, ctx,
		signIn(base, "authority"),
		chromedp.Navigate(base+"/authority/decrees/new"),
		chromedp.WaitVisible(chromedp.ID("decree-form")),
		chromedp.SetValue(chromedp.ID("f-number"), "427"),
		chromedp.SetValue(chromedp.ID("f-date"), "2013-05-01"),
		chromedp.SetValue(chromedp.ID("f-authority"), demo.AuthorityPresident),
		checkAll("input[name=nomination]"),
		clickToPage(chromedp.Click(chromedp.ID("decree-submit"))),
		chromedp.WaitVisible(chromedp.ID("decree-heading")),
		screenshot(t, "decree"),
		clickToPage(chromedp.Click(chromedp.ID("sign-submit"))),
		chromedp.WaitVisible(chromedp.ID("decree-signed")),
	)
	if got := text(t, ctx, "#decree-conferrals"); strings.Count(got, "Hero of Labour") != 5 {
		t.Fatalf("conferrals of the signed decree: got %q, want five", got)
	}
}

// TestBrowserRegistrar schedules the May Day ceremony and marks a
// conferral presented.
func TestBrowserRegistrar(t *testing.T) {
	ctx := browser(t)
	base, _, _ := scenarioServer(t, 9) // through the signed decree
	do(t, ctx,
		signIn(base, "registrar"),
		chromedp.Navigate(base+"/registrar/ceremonies/new"),
		chromedp.WaitVisible(chromedp.ID("ceremony-form")),
		chromedp.SetValue(chromedp.ID("f-date"), "2013-05-01"),
		chromedp.SetValue(chromedp.ID("f-place"), demo.MayDayPlace),
		chromedp.SetValue(chromedp.ID("f-presenter"), demo.MayDayPresenter),
		checkAll("input[name=conferral]"),
		clickToPage(chromedp.Click(chromedp.ID("ceremony-submit"))),
		chromedp.WaitVisible(chromedp.ID("ceremony-heading")),
		clickToPage(chromedp.Click(chromedp.CSS("button[id^=present-]"))),
		chromedp.WaitVisible(chromedp.ID("just-presented")),
		screenshot(t, "ceremony"),
	)
}

// TestBrowserVerifier opens the verifier's queue, where Stakhanov's record
// of 31 August 1935 waits flagged, and verifies it with a note.
func TestBrowserVerifier(t *testing.T) {
	ctx := browser(t)
	base, w, store := scenarioServer(t, 0)
	row := fmt.Sprintf("queue-%d", w.RecordReport)
	do(t, ctx,
		signIn(base, "verifier"),
		chromedp.Navigate(base+"/verifier"),
		chromedp.WaitVisible(chromedp.ID(row)),
		screenshot(t, "verifier-queue"),
	)
	if got := text(t, ctx, "#"+row); !strings.Contains(got, "Above a multiple of the norm") || !strings.Contains(got, "4.9 times the norm of 7 t") {
		t.Fatalf("queue row of the record: %q", got)
	}
	do(t, ctx,
		clickToPage(chromedp.Click(chromedp.CSS("#"+row+" th a"))),
		chromedp.WaitVisible(chromedp.ID("verify-form")),
		chromedp.SetValue(chromedp.ID("f-decision"), stakhanov.DecisionVerified),
		chromedp.SetValue(chromedp.ID("f-note"), "Measured the workings with the timbering logs: 102 t cut by a team of three."),
		clickToPage(chromedp.Click(chromedp.ID("verify-submit"))),
		chromedp.WaitVisible(chromedp.ID("decision-recorded")),
	)
	if gone, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.getElementById(`+strconv.Quote(row)+`)`)); err != nil || !gone {
		t.Fatalf("the record is still in the queue (%v):\n%s", err, text(t, ctx, "main"))
	}
	r, err := store.FindReportByID(context.Background(), w.RecordReport)
	if err != nil || r.Review != stakhanov.ReviewVerified {
		t.Fatalf("the record after verifying: %+v, %v", r, err)
	}
}
