// Package demo fills a fresh store with the world of the seed articles, for
// `stakhanov demo`: Alexei Stakhanov's mine in 1935, with his record shift
// and his 227-tonne claim, and the five people made Heroes of Labour of the
// Russian Federation on 1 May 2013. With them come the award catalogue
// (Hero of Labour, Hero of Socialist Labour, the Order of Lenin, Hero of
// Labour of the Russian Federation), the committees, the Heroes of Socialist
// Labour the articles name, and the May Day 2013 ceremony played through
// the store from candidacy to presentation (honours.go).
//
// Everything is written through the store's ordinary methods, as the users
// who would write it: units, people, goods and accounts by the operator
// (stakhanov.System), norms by a planner, shift reports by a foreman, the
// awards and recommendations by the demo admin, nominations by the demo
// nominator, votes by committee members, decrees by the demo authority and
// the ceremony by the demo registrar.
//
// Sources, and what is not from them:
//
//   - Stakhanov's shift: night of 30-31 August 1935 at the Tsentralnaya-Irmino
//     mine in Kadiivka (then Kadievka, Donbas), 102 t in 5 h 45 min against a
//     7 t norm, with the timbermen Gavrila Shchigolev and Tikhon Borisov; the
//     mine's party organiser Konstantin Petrov went down with him. The shift
//     was part of a 6-hour underground working day (the mine's party
//     committee resolution of 31 August speaks of "his working 6 hours").
//     On 19 September 1935 he was credited with 227 t in one shift: the seed
//     article calls it an alleged feat, questioned by the New York Times in
//     1985.
//   - Miron Dyukanov, a hewer of the same mine, was officially credited with
//     115 t in one shift on 3 September 1935 (Encyclopedia of Modern
//     Ukraine); the sources name no helpers for it.
//   - The five Heroes of Labour (decree No. 427 of 1 May 2013, presented at
//     the Konstantinovsky Palace, St Petersburg): Vladimir Melnik, mining
//     machine operator and leader of a stoping brigade at the Kotinskaya mine
//     (SUEK-Kuzbass), Kemerovo region; Konstantin Chumanov, lathe operator at
//     the Instrument-Making Plant, Trekhgorny, Chelyabinsk region; Alexander
//     Konovalov, neurosurgeon, director of the N. N. Burdenko Institute of
//     Neurosurgery, Moscow; Yuri Konnov, farm machine operator (mekhanizator)
//     at Rossiya-Agro, Gribanovsky district, Voronezh region, known for
//     growing sugar beet without manual labour (the seed article calls him
//     an agronomist); and the conductor Valery Gergiev of the Mariinsky
//     Theatre. (Press reports of the day: REGNUM, AiF, the Kemerovo and
//     Chelyabinsk regional administrations.)
//
// Stand-ins, plausible but not from the sources, are marked "stand-in" where
// they are made: the brigade as a unit and its other hewers, the everyday
// shift figures, the 2013 norms and shift figures, the shift numbering, and
// the grouping of the 2013 enterprises under one ministry.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"time"

	"github.com/stakhanov/stakhanov"
)

// Account is a demo user: one per role, with a bearer token and a web
// sign-in password (Password(Name)).
type Account struct {
	Role, Name, Token string
	// Password signs in to the web interface.
	Password         string
	UnitID, PersonID int64
}

// Password is the web sign-in password of every account the demo makes:
// its name followed by "-demo" ("worker-demo"). A demo is for showing, not
// for keeping secrets.
func Password(name string) string { return name + "-demo" }

// World holds the ids a caller needs to show the demo.
type World struct {
	Accounts      []Account // one per role in stakhanov.Roles, in that order
	Mine, Brigade int64     // unit ids
	Coal          int64     // good id
	Stakhanov     int64     // person id of Alexei Stakhanov
	RecordReport  int64     // report id of the 31 August 1935 shift
	ClaimReport   int64     // report id of the 227-tonne claim of 19 September 1935
	// Honoured2013 are the people made Heroes of Labour on 1 May 2013, in
	// the seed article's order: the coal miner, the lathe operator, the
	// neurosurgeon, the farm machine operator ("agronomist") and the
	// conductor.
	Honoured2013 []int64
	// Recommenders2013 are, for each of Honoured2013, the two colleagues
	// whose letters support the nomination.
	Recommenders2013 [][]int64

	// Closes is the close of August 1935 and its late correction
	// (closes.go).
	Closes ClosesWorld

	// Awards is the demo's award catalogue (see honours.go).
	Awards Awards
	// Committee holds the accounts of the committee members of Hero of
	// Labour of the Russian Federation, stage by stage, each with a token.
	// The demo committee account (also in Accounts) sits on the last stage.
	Committee [][]Account
	// Conflicted names the committee account that belongs to Melnik's mine:
	// it sits on the first stage but may not vote on his nomination.
	Conflicted string
	// Shostakovich and Kalashnikov are the known Heroes of Socialist Labour
	// the seed article names; HistoricDecrees are the signed record decrees
	// that enter their titles, in date order.
	Shostakovich, Kalashnikov int64
	HistoricDecrees           []int64
	// MayDay is what PlayMayDay2013 did; empty after SeedBase.
	MayDay MayDay
	// WitnessVerifier is a verifier account for Konstantin Petrov, who
	// witnessed the record shift: the store refuses to let him verify it.
	// The demo verifier (in Accounts) is an inspector of the Commissariat,
	// independent of the shift; the record stays flagged for it to verify.
	WitnessVerifier Account
	// Needs are the needs, plans and shoe factory of September 1935.
	Needs NeedsWorld
}

// Professions of the people of the demo, for callers and tests.
const (
	ProfessionHewer      = "hewer"
	ProfessionTimberman  = "timberman"
	ProfessionMiner2013  = "coal miner: mining machine operator, stoping brigade leader"
	ProfessionTurner     = "lathe operator (turner, 6th grade)"
	ProfessionSurgeon    = "neurosurgeon, director of the institute"
	ProfessionMechanizer = "farm machine operator (mekhanizator)"
	ProfessionConductor  = "conductor, artistic and general director of the theatre"
)

// HewingNorm is the 1935 norm of a hewer: 7 t of coal per shift.
const HewingNorm = 7.0

// batchSize bounds the reports written in one transaction.
const batchSize = 250

// otherUsers are the accounts the demo makes beside the one per role: the
// planner and foremen of the 2013 enterprises.
var otherUsers = []string{"planner-2013", "foreman-kotinskaya", "foreman-trekhgorny", "foreman-rossiya-agro", witnessVerifier,
	"planner-light-industry", "foreman-skorokhod"}

// witnessVerifier is Petrov's verifier account (World.WitnessVerifier).
const witnessVerifier = "verifier-petrov"

// Seed fills a fresh, empty store with the demo world and plays the May Day
// 2013 ceremony in it (SeedBase, then PlayMayDay2013), so that the registry
// shows the five Heroes of Labour of 1 May 2013. now is the moment of
// seeding; every date of the demo lies in the past (1935, 1958-1976,
// 2012-2013), so nothing in it depends on now.
//
// Seed refuses, with ECONFLICT and before writing anything, a store that
// holds units or goods or a user with a demo account's name. It is not one
// transaction: if a write fails midway, what was written stays, so start
// again from a fresh store.
func Seed(ctx context.Context, s stakhanov.Store, now time.Time) (*World, error) {
	w, err := SeedBase(ctx, s, now)
	if err != nil {
		return nil, err
	}
	if err := PlayMayDay2013(ctx, s, w); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return w, nil
}

// SeedBase fills a fresh, empty store with the demo world as Seed does, but
// leaves the May Day 2013 ceremony to be played: the award catalogue, the
// committees and the historical Heroes of Socialist Labour are there, the
// Heroes of Labour of 2013 are not yet nominated.
func SeedBase(ctx context.Context, s stakhanov.Store, now time.Time) (*World, error) {
	_ = now
	if err := requireEmpty(ctx, s); err != nil {
		return nil, err
	}
	b := &builder{ctx: ctx, s: s, sys: stakhanov.NewContext(ctx, stakhanov.System),
		// A fixed seed: every run makes the same world.
		rng:   rand.New(rand.NewPCG(1935, 831)),
		roles: map[string]*stakhanov.User{}}
	w := &World{}
	t35 := b.world1935(w)
	t13 := b.world2013(w)
	b.accounts(w, t35, t13)
	b.shifts1935(w, t35)
	b.petrovVerifier(w, t35)
	b.shifts2013(w, t13)
	b.honours(w, t13)
	b.needs1935(w, t35)
	b.closes1935(w, t35)
	b.passwords()
	if b.err != nil {
		return nil, fmt.Errorf("demo: %w", b.err)
	}
	return w, nil
}

func requireEmpty(ctx context.Context, s stakhanov.Store) error {
	one := stakhanov.Page{Limit: 1}
	if _, n, err := s.FindUnits(ctx, stakhanov.UnitFilter{Page: one}); err != nil {
		return err
	} else if n > 0 {
		return stakhanov.Errorf(stakhanov.ECONFLICT, "the store already holds %d units: the demo needs a fresh, empty store", n)
	}
	if _, n, err := s.FindGoods(ctx, stakhanov.GoodFilter{Page: one}); err != nil {
		return err
	} else if n > 0 {
		return stakhanov.Errorf(stakhanov.ECONFLICT, "the store already holds %d goods: the demo needs a fresh, empty store", n)
	}
	for _, name := range demoUserNames() {
		_, err := s.FindUserByName(ctx, name)
		if err == nil {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "the store already has a user %q: the demo needs a fresh, empty store", name)
		} else if stakhanov.ErrorCode(err) != stakhanov.ENOTFOUND {
			return err
		}
	}
	return nil
}

// builder writes the world, keeping the first error so that the world can
// be described step by step; every step after an error does nothing.
type builder struct {
	ctx context.Context
	s   stakhanov.Store
	sys context.Context
	rng *rand.Rand
	err error
	// roles holds the demo account of each role.
	roles map[string]*stakhanov.User
	// users are the accounts made, to be given passwords.
	users []*stakhanov.User
}

func (b *builder) fail(err error, what string) {
	if err != nil && b.err == nil {
		b.err = fmt.Errorf("%s: %w", what, err)
	}
}

func (b *builder) unit(parent int64, kind, name string) int64 {
	if b.err != nil {
		return 0
	}
	u := &stakhanov.Unit{ParentID: parent, Kind: kind, Name: name}
	b.fail(b.s.CreateUnit(b.sys, u), "unit "+name)
	return u.ID
}

func (b *builder) person(unit int64, name, profession string) int64 {
	if b.err != nil {
		return 0
	}
	p := &stakhanov.Person{UnitID: unit, Name: name, Profession: profession}
	b.fail(b.s.CreatePerson(b.sys, p), "person "+name)
	return p.ID
}

func (b *builder) good(name, measure string) int64 {
	if b.err != nil {
		return 0
	}
	g := &stakhanov.Good{Name: name, Measure: measure}
	b.fail(b.s.CreateGood(b.sys, g), "good "+name)
	return g.ID
}

// user creates an account and returns it as the store gives it back, with
// its scope path, ready to act as.
func (b *builder) user(name, role string, unit, person int64) *stakhanov.User {
	if b.err != nil {
		return nil
	}
	if err := b.s.CreateUser(b.sys, &stakhanov.User{Name: name, Role: role, UnitID: unit, PersonID: person}); err != nil {
		b.fail(err, "user "+name)
		return nil
	}
	u, err := b.s.FindUserByName(b.ctx, name)
	b.fail(err, "user "+name)
	if err == nil {
		b.users = append(b.users, u)
	}
	return u
}

// passwords gives every account the demo made its password. A password
// hash is slow on purpose (argon2id), so they are hashed on every core.
func (b *builder) passwords() {
	if b.err != nil {
		return
	}
	var wg sync.WaitGroup
	errs := make([]error, len(b.users))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, u := range b.users {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = b.s.SetPassword(b.sys, u.ID, Password(u.Name))
		}()
	}
	wg.Wait()
	for i, err := range errs {
		b.fail(err, "password of "+b.users[i].Name)
	}
}

// as returns the context of a user acting.
func (b *builder) as(u *stakhanov.User) context.Context { return stakhanov.NewContext(b.ctx, u) }

func (b *builder) norm(as *stakhanov.User, person, good int64, amount float64, from stakhanov.Date, reason string) {
	if b.err != nil {
		return
	}
	n := &stakhanov.Norm{Subject: stakhanov.PersonSubject(person), GoodID: good, Amount: amount, EffectiveFrom: from, Reason: reason}
	b.fail(b.s.CreateNorm(b.as(as), n), "norm for person "+fmt.Sprint(person))
}

// reports writes reports as the given foreman, in atomic batches.
func (b *builder) reports(as *stakhanov.User, rs []*stakhanov.Report) {
	for len(rs) > 0 && b.err == nil {
		n := min(len(rs), batchSize)
		_, err := b.s.CreateReports(b.as(as), rs[:n])
		b.fail(err, "reports")
		rs = rs[n:]
	}
}

func key(slug string, d stakhanov.Date, shift int) string {
	return fmt.Sprintf("demo/%s/%s/%d", slug, d, shift)
}

// days returns the days from from to to, both included, that keep.
func days(from, to stakhanov.Date, keep func(stakhanov.Date) bool) []stakhanov.Date {
	var out []stakhanov.Date
	for d := from; !d.After(to); d = d.AddDays(1) {
		if keep(d) {
			out = append(out, d)
		}
	}
	return out
}

// workday1935 follows the Soviet six-day week of 1931-1940, with common
// rest days on the 6th, 12th, 18th, 24th and 30th of each month; the
// seven-day week with Sunday rest came back only in June 1940. (Whether the
// mine kept common rest days or staggered them is not in the sources.)
// June-October 1935 has no other holiday.
func workday1935(d stakhanov.Date) bool {
	switch d.Time().Day() {
	case 6, 12, 18, 24, 30:
		return false
	}
	return true
}

// workday2013 is a Russian working day of early 2013: Monday to Friday,
// less the New Year holidays (1-8 January) and 8 March.
func workday2013(d stakhanov.Date) bool {
	t := d.Time()
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	if t.Month() == time.January && t.Day() <= 8 || t.Month() == time.March && t.Day() == 8 {
		return false
	}
	return true
}

// harvestDay is a day of a harvest campaign: Monday to Saturday (stand-in).
func harvestDay(d stakhanov.Date) bool { return d.Weekday() != time.Sunday }

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// between returns a number drawn evenly from [lo, hi).
func (b *builder) between(lo, hi float64) float64 { return lo + b.rng.Float64()*(hi-lo) }

// people1935 is the mine of 1935.
type people1935 struct {
	commissariat        int64
	hewers              []hewer
	dyukanov            int64
	shchigolev, borisov int64
	petrov              int64
	inspector           int64
	planner, foreman    *stakhanov.User
}

type hewer struct {
	slug string
	id   int64
	mean float64 // the hewer's usual output per shift, t (stand-in)
}

// world1935 builds the Commissariat, the mine, the brigade and its people.
func (b *builder) world1935(w *World) *people1935 {
	t := &people1935{}
	t.commissariat = b.unit(0, stakhanov.UnitMinistry, "People's Commissariat of Heavy Industry of the USSR")
	w.Mine = b.unit(t.commissariat, stakhanov.UnitEnterprise, "Tsentralnaya-Irmino mine, Kadiivka (Donbas)")
	// Stand-in: the sources speak of Stakhanov's section of the mine, not
	// of a brigade; the demo groups his hewers and timbermen as one.
	w.Brigade = b.unit(w.Mine, stakhanov.UnitCollective, "Stakhanov's brigade")

	w.Stakhanov = b.person(w.Brigade, "Alexei Stakhanov", ProfessionHewer)
	t.dyukanov = b.person(w.Brigade, "Miron Dyukanov", ProfessionHewer)
	t.hewers = []hewer{{"stakhanov", w.Stakhanov, 7.6}, {"dyukanov", t.dyukanov, 7.3}}
	// Stand-ins: hewers the sources do not name, so that the brigade has
	// peers to compare against.
	for i, h := range []struct{ slug, name string }{
		{"kovalenko", "Ivan Kovalenko"}, {"sidorenko", "Pyotr Sidorenko"}, {"bondar", "Fyodor Bondar"},
	} {
		t.hewers = append(t.hewers, hewer{h.slug, b.person(w.Brigade, h.name, ProfessionHewer), 6.6 + 0.3*float64(i)})
	}
	t.shchigolev = b.person(w.Brigade, "Gavrila Shchigolev", ProfessionTimberman)
	t.borisov = b.person(w.Brigade, "Tikhon Borisov", ProfessionTimberman)
	t.petrov = b.person(w.Mine, "Konstantin Petrov", "party organiser of the mine")
	// Stand-in: the demo verifier, an inspector of the Commissariat with
	// no part in the mine's shifts.
	t.inspector = b.person(t.commissariat, "Inspector of the Commissariat", "inspector")
	w.Coal = b.good("coal", "t")
	return t
}

// people2013 is the Russian Federation of 2013.
type people2013 struct {
	ministry                    int64
	kotinskaya, plant, farm     int64
	brigade, institute, theatre int64
	melnik, chumanov, konnov    int64
	parts, beet                 int64
}

// world2013 builds the five Heroes of Labour of 1 May 2013 and their
// enterprises.
func (b *builder) world2013(w *World) *people2013 {
	t := &people2013{}
	// Stand-in: the enterprises belong to different owners (a coal
	// company, Rosatom, the Academy of Medical Sciences, a farming company,
	// the Ministry of Culture); the demo groups them under one ministry.
	t.ministry = b.unit(0, stakhanov.UnitMinistry, "Ministry of Labour and Social Protection of the Russian Federation")
	t.kotinskaya = b.unit(t.ministry, stakhanov.UnitEnterprise, "Kotinskaya mine (SUEK-Kuzbass), Kiselyovsk, Kemerovo region")
	t.brigade = b.unit(t.kotinskaya, stakhanov.UnitCollective, "Melnik's stoping brigade")
	t.plant = b.unit(t.ministry, stakhanov.UnitEnterprise, "Instrument-Making Plant, Trekhgorny, Chelyabinsk region")
	t.institute = b.unit(t.ministry, stakhanov.UnitEnterprise, "N. N. Burdenko Institute of Neurosurgery, Moscow")
	t.farm = b.unit(t.ministry, stakhanov.UnitEnterprise, "Rossiya-Agro, Gribanovsky district, Voronezh region")
	t.theatre = b.unit(t.ministry, stakhanov.UnitEnterprise, "Mariinsky Theatre, St Petersburg")

	t.melnik = b.person(t.brigade, "Vladimir Melnik", ProfessionMiner2013)
	t.chumanov = b.person(t.plant, "Konstantin Chumanov", ProfessionTurner)
	konovalov := b.person(t.institute, "Alexander Konovalov", ProfessionSurgeon)
	t.konnov = b.person(t.farm, "Yuri Konnov", ProfessionMechanizer)
	gergiev := b.person(t.theatre, "Valery Gergiev", ProfessionConductor)
	w.Honoured2013 = []int64{t.melnik, t.chumanov, konovalov, t.konnov, gergiev}

	t.parts = b.good("machined parts", "pieces")
	b.good("neurosurgical operations", "operations")
	t.beet = b.good("sugar beet harvested", "ha")
	b.good("performances", "performances")
	return t
}

// accounts creates the demo accounts, one per role in stakhanov.Roles
// order, each with a token.
func (b *builder) accounts(w *World, t35 *people1935, t13 *people2013) {
	for _, role := range stakhanov.Roles {
		var unit, person int64
		switch role {
		case stakhanov.RolePlanner, stakhanov.RoleForeman:
			unit = w.Mine
		case stakhanov.RoleWorker:
			unit, person = w.Brigade, w.Stakhanov
		case stakhanov.RoleVerifier:
			// Above the mine, so independent of the people whose records
			// it checks: an inspector of the Commissariat (a verifier must
			// be a person, so that its independence can be checked).
			unit, person = t35.commissariat, t35.inspector
		case stakhanov.RoleNominator:
			// Files the dossiers of the surgeon and the conductor.
			unit = t13.ministry
		}
		// admin, committee, authority, registrar and auditor: the whole tree.
		u := b.user(role, role, unit, person)
		if b.err != nil {
			return
		}
		token, err := b.s.CreateToken(b.sys, u.ID)
		b.fail(err, "token for "+role)
		w.Accounts = append(w.Accounts, Account{Role: role, Name: u.Name, Token: token, Password: Password(u.Name), UnitID: unit, PersonID: person})
		b.roles[role] = u
		switch role {
		case stakhanov.RolePlanner:
			t35.planner = u
		case stakhanov.RoleForeman:
			t35.foreman = u
		}
	}
}

// petrovVerifier gives Petrov, the witness of the record shift, a verifier
// account (World.WitnessVerifier) with a token.
func (b *builder) petrovVerifier(w *World, t *people1935) {
	u := b.user(witnessVerifier, stakhanov.RoleVerifier, w.Mine, t.petrov)
	if b.err != nil {
		return
	}
	token, err := b.s.CreateToken(b.sys, u.ID)
	b.fail(err, "token for "+witnessVerifier)
	w.WitnessVerifier = Account{Role: u.Role, Name: u.Name, Token: token, Password: Password(u.Name), UnitID: w.Mine, PersonID: t.petrov}
}

// shifts1935 sets the hewers' norms and writes the mine's shifts as the
// demo foreman.
func (b *builder) shifts1935(w *World, t *people1935) {
	if b.err != nil {
		return
	}
	for _, h := range t.hewers {
		b.norm(t.planner, h.id, w.Coal, HewingNorm, stakhanov.NewDate(1935, 1, 1), "1935 hewing norm: 7 t per shift")
	}

	record := &stakhanov.Report{
		Subject: stakhanov.PersonSubject(w.Stakhanov), GoodID: w.Coal,
		// The night shift of 30-31 August, dated the day it ended; the
		// shift number is the demo's.
		Date: stakhanov.NewDate(1935, 8, 31), Shift: 1, Minutes: 5*60 + 45,
		Produced: 102, Accepted: 102,
		Helpers:   []stakhanov.Helper{{PersonID: t.shchigolev}, {PersonID: t.borisov}},
		Witnesses: []int64{t.petrov},
		Note: "Night shift of 30-31 August 1935: 102 t hewn in 5 h 45 min against a 7 t norm. " +
			"The timbermen Shchigolev and Borisov shored up the face behind him; the party organiser Petrov was present.",
		Key: key("stakhanov", stakhanov.NewDate(1935, 8, 31), 1),
	}
	claim := &stakhanov.Report{
		Subject: stakhanov.PersonSubject(w.Stakhanov), GoodID: w.Coal,
		Date: stakhanov.NewDate(1935, 9, 19), Shift: 1, Produced: 227, Accepted: 227,
		Note: "227 t claimed for one shift. The figure is a claim: the sources name no helpers, and " +
			"the New York Times reported in 1985 that the feat was staged.",
		Key: key("stakhanov", stakhanov.NewDate(1935, 9, 19), 1),
	}
	dyukanov := &stakhanov.Report{
		Subject: stakhanov.PersonSubject(t.dyukanov), GoodID: w.Coal,
		Date: stakhanov.NewDate(1935, 9, 3), Shift: 1, Produced: 115, Accepted: 115,
		Note: "115 t in one shift, the official figure; the sources name no helpers.",
		Key:  key("dyukanov", stakhanov.NewDate(1935, 9, 3), 1),
	}
	special := map[string]bool{record.Key: true, claim.Key: true, dyukanov.Key: true}

	// Stand-in: ordinary shifts, June to October 1935, one a working day,
	// around the norm (5-9 t, 6-hour shifts); now and then some rock is
	// rejected.
	var rs []*stakhanov.Report
	for _, d := range days(stakhanov.NewDate(1935, 6, 1), stakhanov.NewDate(1935, 10, 31), workday1935) {
		for _, h := range t.hewers {
			k := key(h.slug, d, 1)
			if special[k] {
				continue
			}
			produced := round1(min(9, max(5, h.mean+b.rng.NormFloat64()*0.9)))
			accepted := produced
			if b.rng.IntN(5) == 0 {
				accepted = round1(produced - b.between(0.1, 0.6))
			}
			rs = append(rs, &stakhanov.Report{
				Subject: stakhanov.PersonSubject(h.id), GoodID: w.Coal, Date: d, Shift: 1,
				Minutes: 360, Produced: produced, Accepted: accepted, Key: k,
			})
		}
	}
	rs = append(rs, record, dyukanov, claim)
	b.reports(t.foreman, rs)
	w.RecordReport, w.ClaimReport = record.ID, claim.ID
}

// series is one person's shifts on one good.
type series struct {
	slug     string
	person   int64
	good     int64
	norm     float64
	reason   string
	from, to stakhanov.Date
	workday  func(stakhanov.Date) bool
	minutes  int
	foreman  *stakhanov.User
	// whole counts in whole pieces; rejectsIn > 0 gives one shift in
	// rejectsIn a rejected piece.
	whole     bool
	rejectsIn int
}

// shifts2013 sets the norms and writes the shifts of the three 2013
// honourees whose work has a measure. The surgeon and the conductor have
// none: their nominations go by dossier.
func (b *builder) shifts2013(w *World, t *people2013) {
	// Each enterprise sets its own norms and records its own shifts: a
	// planner for the 2013 units and a foreman per enterprise. They are
	// not demo accounts and have no tokens.
	planner := b.user(otherUsers[0], stakhanov.RolePlanner, t.ministry, 0)
	foremanMine := b.user(otherUsers[1], stakhanov.RoleForeman, t.kotinskaya, 0)
	foremanPlant := b.user(otherUsers[2], stakhanov.RoleForeman, t.plant, 0)
	foremanFarm := b.user(otherUsers[3], stakhanov.RoleForeman, t.farm, 0)
	if b.err != nil {
		return
	}
	jan9, apr30 := stakhanov.NewDate(2013, 1, 9), stakhanov.NewDate(2013, 4, 30)
	// Stand-ins: the norms and shift figures. The sources give only the
	// brigade's records (470.1 kt in April 2006, 4.414 Mt in 2007, 707.2 kt
	// in March 2010). On a mechanised longwall the shearer operator's
	// shift output is the face's, so Melnik's norm is the face's shift
	// plan. Sugar beet is lifted from late August to early November: the
	// 2012 campaign is the last before the award.
	all := []series{
		{slug: "melnik", person: t.melnik, good: w.Coal, norm: 3000,
			reason: "2013 shift plan of the longwall face: 3,000 t per shift",
			from:   jan9, to: apr30, workday: workday2013, minutes: 360, foreman: foremanMine},
		{slug: "chumanov", person: t.chumanov, good: t.parts, norm: 24,
			reason: "2013 norm for precision turning: 24 parts per shift",
			from:   jan9, to: apr30, workday: workday2013, minutes: 480, foreman: foremanPlant, whole: true, rejectsIn: 6},
		{slug: "konnov", person: t.konnov, good: t.beet, norm: 12,
			reason: "2012 harvest norm for a self-propelled beet harvester: 12 ha per shift",
			from:   stakhanov.NewDate(2012, 8, 27), to: stakhanov.NewDate(2012, 11, 3), workday: harvestDay, minutes: 600, foreman: foremanFarm},
	}
	for _, sr := range all {
		b.norm(planner, sr.person, sr.good, sr.norm, stakhanov.NewDate(sr.from.Year(), 1, 1), sr.reason)
		var rs []*stakhanov.Report
		for _, d := range days(sr.from, sr.to, sr.workday) {
			// Consistently above the norm: 121% to 140% accepted.
			accepted := round1(sr.norm * b.between(1.21, 1.40))
			if sr.whole {
				accepted = math.Ceil(sr.norm * b.between(1.21, 1.40))
			}
			produced := accepted
			if sr.rejectsIn > 0 && b.rng.IntN(sr.rejectsIn) == 0 {
				produced++
			}
			rs = append(rs, &stakhanov.Report{
				Subject: stakhanov.PersonSubject(sr.person), GoodID: sr.good, Date: d, Shift: 1,
				Minutes: sr.minutes, Produced: produced, Accepted: accepted, Key: key(sr.slug, d, 1),
			})
		}
		b.reports(sr.foreman, rs)
	}
}
