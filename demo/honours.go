package demo

// The demo's honours: the award catalogue, the committees of Hero of Labour
// of the Russian Federation, the known Heroes of Socialist Labour the seed
// article names, and the May Day 2013 ceremony.
//
// Sources, and what is not from them:
//
//   - Hero of Labour (USSR). The seed article dates the title to Lenin, 1921:
//     in January 1921 the All-Russian Central Council of Trade Unions
//     approved a title "Hero of Labour", conferred by the provincial trade
//     union councils on veteran workers. As a Union title it was established
//     by resolution of the Central Executive Committee and the Council of
//     People's Commissars of the USSR of 27 July 1927, for particular merit
//     in production, science, state or public service, after at least 35
//     years of work. It was no longer conferred once the Hero of Socialist
//     Labour was established on 27 December 1938 (the seed article: "replaced
//     ... in 1938"); no act abolished it as such, so the demo dates its end
//     to that decree.
//   - Hero of Socialist Labour. Established by decree of the Presidium of the
//     Supreme Soviet of the USSR of 27 December 1938, which conferred it. A
//     Hero received the Order of Lenin with it; from 22 May 1940 also the gold
//     medal "Hammer and Sickle", a five-pointed star on a red ribbon. A second
//     award brought a bronze bust in the Hero's home town; under the statute
//     before 1973 a third was to bring a bust by the Palace of Soviets in
//     Moscow, never built. No one was made a Hero four times (16 thrice), so
//     the demo's limit of three is the practice, not a rule of the statute.
//     It ended with the USSR: the demo dates its abolition 26 December 1991,
//     the Soviet of the Republics' declaration No. 142-N dissolving the Union
//     (the last conferrals were made on 24 December 1991).
//   - Order of Lenin. Established by resolution of the Presidium of the
//     Central Executive Committee of the USSR of 6 April 1930; from 1938
//     conferred by the Presidium of the Supreme Soviet. A gold disc with
//     Lenin's profile; its ribbon is red with narrow gold edges. The demo
//     ends it with the USSR as well.
//   - Hero of Labour of the Russian Federation. Established by decree of the
//     President of the Russian Federation No. 294 of 29 March 2013, conferred
//     by the President: a gold five-pointed star with the two-headed eagle on
//     a white, blue and red ribbon; held once. Its first five Heroes were
//     named by decree No. 427 of 1 May 2013 (the number as in demo.go's
//     sources) and presented by Vladimir Putin at the Konstantinovsky Palace,
//     Strelna, St Petersburg, the same day.
//   - Dmitri Shostakovich, composer, Hero of Socialist Labour by decree of 24
//     September 1966, on the eve of his sixtieth birthday (25 September).
//     Mikhail Kalashnikov, small-arms designer at the Izhevsk machine-building
//     plant (Izhmash), twice Hero of Socialist Labour: 1958 and 1976; his
//     bronze bust stands in his home village, Kurya (Altai), since 1980.
//
// Stand-ins, marked where they are made: the candidacy rule of Hero of
// Labour of the Russian Federation (the real statute has no quota rule: the
// demo applies the Soviet practice the seed article describes, "those who
// consistently outperformed ... and were recommended by others"), its
// committees and their members, the colleagues who recommend, the dossiers'
// wording beyond the facts above, the day and month of Kalashnikov's two
// decrees (from memory, unverified: 20 January 1958 and 28 July 1976), the
// numbers of the Soviet decrees, the units the two Soviet Heroes belong to,
// and the insignia of the 1927 title (a badge without a ribbon, drawn as a
// silver disc).

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

// Awards are the ids of the demo's award catalogue.
type Awards struct {
	HeroOfLabourUSSR      int64
	HeroOfSocialistLabour int64
	OrderOfLenin          int64
	HeroOfLabourRF        int64
}

// Awarding authorities: who confers each award, and who signs the decrees.
const (
	AuthorityCEC       = "Central Executive Committee of the USSR"
	AuthorityPresidium = "Presidium of the Supreme Soviet of the USSR"
	AuthorityPresident = "President of the Russian Federation"
)

// The May Day 2013 ceremony.
var MayDayDate = stakhanov.NewDate(2013, 5, 1)

const (
	// MayDayDecree is the number of the decree of 1 May 2013 conferring the
	// title on the first five Heroes of Labour.
	MayDayDecree    = "427"
	MayDayPlace     = "Konstantinovsky Palace, Strelna, St Petersburg"
	MayDayPresenter = "Vladimir Putin, President of the Russian Federation"
)

// Professions of the known Heroes of Socialist Labour.
const (
	ProfessionComposer = "composer"
	ProfessionDesigner = "small-arms designer, chief designer"
)

// BronzeBust is what a second Hero of Socialist Labour brings.
const BronzeBust = "a bronze bust in the home town"

// stage is a review stage of Hero of Labour of the Russian Federation and
// the account names of its members.
type stage struct {
	name    string
	members []string
}

// conflictedMember sits on the first stage and belongs to Melnik's mine.
const conflictedMember = "committee-kotinskaya"

// hlrfStages are the review stages of Hero of Labour of the Russian
// Federation. Stand-in: the real title goes from the enterprise through the
// regional governor and the President's Commission on State Awards; the
// demo makes each step a committee of three, quorum two, from different
// places. The first stage speaks for the work collectives; its member from
// the Kotinskaya mine may not vote on a candidate of that mine.
var hlrfStages = []stage{
	{"Work collective of the enterprise (labour council)",
		[]string{conflictedMember, "committee-fnpr", "committee-rspp"}},
	{"Regional committee",
		[]string{"committee-kemerovo", "committee-chelyabinsk", "committee-moscow"}},
	{"State commission: Commission under the President of the Russian Federation on State Awards",
		[]string{stakhanov.RoleCommittee, "committee-awards-chair", "committee-awards-secretary"}},
}

// committeeUsers are the committee accounts the demo makes beside the
// demo committee account.
func committeeUsers() []string {
	var out []string
	for _, st := range hlrfStages {
		for _, m := range st.members {
			if m != stakhanov.RoleCommittee {
				out = append(out, m)
			}
		}
	}
	return out
}

// demoUserNames lists every account the demo makes.
func demoUserNames() []string {
	out := append([]string{}, stakhanov.Roles...)
	out = append(out, otherUsers...)
	return append(out, committeeUsers()...)
}

// committeeDescriptions says whom each stand-in committee account stands
// for.
var committeeDescriptions = map[string]string{
	conflictedMember:             "chair of the trade union committee of the Kotinskaya mine",
	"committee-fnpr":             "Federation of Independent Trade Unions of Russia",
	"committee-rspp":             "Russian Union of Industrialists and Entrepreneurs",
	"committee-kemerovo":         "Kemerovo region",
	"committee-chelyabinsk":      "Chelyabinsk region",
	"committee-moscow":           "City of Moscow",
	"committee-awards-chair":     "Commission on State Awards, chair",
	"committee-awards-secretary": "Commission on State Awards, secretary",
}

// honours makes the colleagues who recommend the 2013 Heroes, the
// committees, the award catalogue and the known Heroes of Socialist Labour.
func (b *builder) honours(w *World, t *people2013) {
	if b.err != nil {
		return
	}
	admin, authority := b.roles[stakhanov.RoleAdmin], b.roles[stakhanov.RoleAuthority]

	// Stand-ins: two colleagues of each Hero of 2013, who recommend them.
	colleagues := []struct {
		unit   int64
		people [2][2]string // name, profession
	}{
		{t.brigade, [2][2]string{{"Andrei Shubin", "shearer operator, deputy brigade leader"}, {"Nikolai Gorbunov", "chief of the stoping section"}}},
		{t.plant, [2][2]string{{"Pavel Lapin", "lathe operator (turner, 5th grade)"}, {"Irina Sokolova", "shop foreman"}}},
		{t.institute, [2][2]string{{"Elena Orlova", "neurosurgeon"}, {"Oleg Rybakov", "head of a neurosurgical department"}}},
		{t.farm, [2][2]string{{"Mikhail Zaitsev", "agronomist"}, {"Grigory Tarasov", ProfessionMechanizer}}},
		{t.theatre, [2][2]string{{"Anna Belova", "opera soloist"}, {"Dmitri Kuznetsov", "leader of the orchestra"}}},
	}
	for _, c := range colleagues {
		var ids []int64
		for _, p := range c.people {
			ids = append(ids, b.person(c.unit, p[0], p[1]))
		}
		w.Recommenders2013 = append(w.Recommenders2013, ids)
	}

	// The committees. The member from the Kotinskaya mine is both a person
	// of the mine and scoped to it, so that however the store tells a member
	// of the candidate's enterprise, it is one.
	unionChair := b.person(t.kotinskaya, "Tatyana Vlasova", committeeDescriptions[conflictedMember]) // stand-in
	w.Conflicted = conflictedMember
	var demoCommittee Account
	for _, a := range w.Accounts {
		if a.Role == stakhanov.RoleCommittee {
			demoCommittee = a
		}
	}
	members := make([][]int64, len(hlrfStages))
	for i, st := range hlrfStages {
		var accounts []Account
		for _, name := range st.members {
			if name == stakhanov.RoleCommittee {
				accounts = append(accounts, demoCommittee)
				members[i] = append(members[i], b.roles[stakhanov.RoleCommittee].ID)
				continue
			}
			var unit, person int64
			if name == conflictedMember {
				unit, person = t.kotinskaya, unionChair
			}
			u := b.user(name, stakhanov.RoleCommittee, unit, person)
			if b.err != nil {
				return
			}
			token, err := b.s.CreateToken(b.sys, u.ID)
			b.fail(err, "token for "+name)
			accounts = append(accounts, Account{Role: u.Role, Name: u.Name, Token: token, Password: Password(u.Name), UnitID: unit, PersonID: person})
			members[i] = append(members[i], u.ID)
		}
		w.Committee = append(w.Committee, accounts)
	}
	if b.err != nil {
		return
	}
	b.catalogue(w, admin, members)
	b.knownHolders(w, authority)
}

// catalogue creates the four awards, as the demo admin.
func (b *builder) catalogue(w *World, admin *stakhanov.User, members [][]int64) {
	presidium := []stakhanov.Stage{{Name: AuthorityPresidium, Members: []int64{b.roles[stakhanov.RoleCommittee].ID}, Quorum: 1, Majority: 0.5}}
	award := func(a *stakhanov.Award) int64 {
		if b.err != nil {
			return 0
		}
		b.fail(b.s.CreateAward(b.as(admin), a), "award "+a.Name)
		return a.ID
	}

	w.Awards.OrderOfLenin = award(&stakhanov.Award{
		Name: "Order of Lenin", Kind: stakhanov.AwardOrder, Country: "USSR",
		Description: "The highest order of the USSR. Every Hero of Socialist Labour received it with the title.",
		Criteria:    "Outstanding services in revolutionary work, labour, the defence of the homeland, friendship between peoples and the strengthening of peace.",
		Insignia: stakhanov.Insignia{
			Description: "A gold disc bearing Lenin's profile in platinum, framed by ears of wheat, under a red banner inscribed \"Lenin\"; on a red ribbon with narrow gold edges.",
			Shape:       "disc", Metal: "gold", Emblem: "lenin",
			// The edges are narrow: five equal stripes, three of them red.
			Ribbon: []string{"#d4af37", "#cc0000", "#cc0000", "#cc0000", "#d4af37"},
		},
		Authority:     AuthorityPresidium,
		Established:   stakhanov.NewDate(1930, 4, 6),
		EstablishedBy: "Resolution of the Presidium of the Central Executive Committee of the USSR of 6 April 1930",
		// Stand-in: no act abolished the order; it ended with the USSR.
		Abolished:   stakhanov.NewDate(1991, 12, 26),
		AbolishedBy: "Dissolution of the USSR: declaration No. 142-N of the Soviet of the Republics of the Supreme Soviet of the USSR, 26 December 1991",
		Rules:       stakhanov.AwardRules{MaxTimes: 0, Stages: presidium},
	})

	w.Awards.HeroOfLabourUSSR = award(&stakhanov.Award{
		Name: "Hero of Labour (USSR)", Kind: stakhanov.AwardTitle, Country: "USSR",
		Description: "An honorary title for workers. First approved in January 1921, under Lenin, by the All-Russian Central Council of Trade Unions " +
			"and conferred by the provincial trade union councils; established as a Union title in 1927. " +
			"Replaced in 1938 by the Hero of Socialist Labour.",
		Criteria: "Particular merit in production, science, state or public service, after at least 35 years of work as a worker or employee.",
		Insignia: stakhanov.Insignia{
			// Stand-in: a pin badge without a ribbon, drawn as a silver disc.
			Description: "The badge of a Hero of Labour, worn without a ribbon; drawn here as a silver disc with the hammer and sickle.",
			Shape:       "disc", Metal: "silver", Emblem: "hammer-and-sickle", Ribbon: []string{},
		},
		Authority:     AuthorityCEC,
		Established:   stakhanov.NewDate(1927, 7, 27),
		EstablishedBy: "Resolution of the Central Executive Committee and the Council of People's Commissars of the USSR of 27 July 1927",
		Abolished:     stakhanov.NewDate(1938, 12, 27),
		AbolishedBy:   "No longer conferred once the Hero of Socialist Labour was established (decree of the Presidium of the Supreme Soviet of the USSR of 27 December 1938)",
		// The 1927 resolution makes no provision for a second award.
		Rules: stakhanov.AwardRules{MaxTimes: 1, Stages: []stakhanov.Stage{{Name: AuthorityCEC, Members: presidium[0].Members, Quorum: 1, Majority: 0.5}}},
	})

	w.Awards.HeroOfSocialistLabour = award(&stakhanov.Award{
		Name: "Hero of Socialist Labour", Kind: stakhanov.AwardTitle, Country: "USSR",
		Description: "The highest degree of distinction of the USSR for labour, conferred on more than 20,000 people. " +
			"A Hero received the Order of Lenin with it, and from 1940 the gold medal \"Hammer and Sickle\".",
		Criteria: "Exceptional services in economic and cultural construction: heroic labour that advanced industry, agriculture, transport, trade, science and culture.",
		Insignia: stakhanov.Insignia{
			Description: "The gold medal \"Hammer and Sickle\" (from 22 May 1940): a gold five-pointed star with the hammer and sickle, on a red ribbon.",
			Shape:       "star", Metal: "gold", Emblem: "hammer-and-sickle", Ribbon: []string{"#cc0000"},
		},
		Authority:     AuthorityPresidium,
		Established:   stakhanov.NewDate(1938, 12, 27),
		EstablishedBy: "Decree of the Presidium of the Supreme Soviet of the USSR of 27 December 1938",
		// It ended with the USSR (the last conferrals were of 24 December 1991).
		Abolished:     stakhanov.NewDate(1991, 12, 26),
		AbolishedBy:   "Dissolution of the USSR: declaration No. 142-N of the Soviet of the Republics of the Supreme Soviet of the USSR, 26 December 1991",
		PredecessorID: w.Awards.HeroOfLabourUSSR,
		Rules: stakhanov.AwardRules{
			// Nobody was made a Hero of Socialist Labour four times.
			MaxTimes:   3,
			Companions: []int64{w.Awards.OrderOfLenin},
			RepeatBrings: []stakhanov.RepeatBenefit{
				{Times: 2, Brings: BronzeBust},
				// Under the statute before 1973; the Palace was never built.
				{Times: 3, Brings: "a bronze bust by the Palace of Soviets in Moscow"},
			},
			Stages: presidium,
		},
	})

	stages := make([]stakhanov.Stage, len(hlrfStages))
	for i, st := range hlrfStages {
		stages[i] = stakhanov.Stage{Name: st.name, Members: members[i], Quorum: 2, Majority: 0.5}
	}
	w.Awards.HeroOfLabourRF = award(&stakhanov.Award{
		Name: "Hero of Labour of the Russian Federation", Kind: stakhanov.AwardTitle, Country: "Russian Federation",
		Description: "The highest distinction of the Russian Federation for labour, restoring the Soviet Hero of Socialist Labour. " +
			"First conferred on five people on 1 May 2013.",
		Criteria: "Particular labour merit before the state and the people, for outstanding results in state, public and economic activity " +
			"for the well-being and prosperity of Russia. In the demo: fulfilment at or above 120% on at least 50 of the last 60 shifts, " +
			"or a nominator's dossier for work without a norm, and 2 recommendations.",
		Insignia: stakhanov.Insignia{
			Description: "A gold five-pointed star bearing the two-headed eagle of Russia, on a white, blue and red ribbon.",
			Shape:       "star", Metal: "gold", Emblem: "two-headed-eagle",
			Ribbon: []string{"#ffffff", "#0039a6", "#d52b1e"},
		},
		Authority:     AuthorityPresident,
		Established:   stakhanov.NewDate(2013, 3, 29),
		EstablishedBy: "Decree of the President of the Russian Federation No. 294 of 29 March 2013",
		PredecessorID: w.Awards.HeroOfSocialistLabour,
		Rules: stakhanov.AwardRules{
			MaxTimes: 1,
			// Stand-in: the Soviet practice the seed article describes.
			Candidacy: &stakhanov.CandidacyRule{
				Kind: stakhanov.RuleKOfN, Subject: stakhanov.SubjectPerson,
				Percent: 120, K: 50, N: 60,
			},
			RecommendationsNeeded: 2,
			Stages:                stages,
		},
	})
}

// historicDecree is a decree of the Presidium entering known holders.
type historicDecree struct {
	date       stakhanov.Date
	recipients []int64
}

// knownHolders enters the Heroes of Socialist Labour the seed article
// names, each by a signed record decree of its date, in date order, as the
// demo authority. Each conferral brings its Order of Lenin; Kalashnikov's
// second brings the bust.
func (b *builder) knownHolders(w *World, authority *stakhanov.User) {
	if b.err != nil {
		return
	}
	// Stand-ins: the ministries (Izhmash answered to a regional economic
	// council in 1958) and the Union of Composers as an enterprise.
	culture := b.unit(0, stakhanov.UnitMinistry, "Ministry of Culture of the USSR")
	composers := b.unit(culture, stakhanov.UnitEnterprise, "Union of Composers of the USSR")
	defence := b.unit(0, stakhanov.UnitMinistry, "Ministry of Defence Industry of the USSR")
	izhmash := b.unit(defence, stakhanov.UnitEnterprise, "Izhevsk Machine-Building Plant (Izhmash), Izhevsk")
	w.Shostakovich = b.person(composers, "Dmitri Shostakovich", ProfessionComposer)
	w.Kalashnikov = b.person(izhmash, "Mikhail Kalashnikov", ProfessionDesigner)

	for _, d := range []historicDecree{
		// Day and month from memory, unverified; the years are sure.
		{stakhanov.NewDate(1958, 1, 20), []int64{w.Kalashnikov}},
		{stakhanov.NewDate(1966, 9, 24), []int64{w.Shostakovich}},
		{stakhanov.NewDate(1976, 7, 28), []int64{w.Kalashnikov}},
	} {
		if b.err != nil {
			return
		}
		dec := &stakhanov.Decree{
			// Stand-in: the decrees' own numbers are not in the sources.
			Number:    "PVS " + d.date.String(),
			Date:      d.date,
			Authority: AuthorityPresidium,
			Kind:      stakhanov.DecreeRecord,
		}
		for _, r := range d.recipients {
			dec.Entries = append(dec.Entries, stakhanov.DecreeEntry{AwardID: w.Awards.HeroOfSocialistLabour, Recipient: stakhanov.PersonSubject(r)})
		}
		ctx := b.as(authority)
		if err := b.s.CreateDecree(ctx, dec); err != nil {
			b.fail(err, "record decree of "+d.date.String())
			return
		}
		_, err := b.s.SignDecree(ctx, dec.ID)
		b.fail(err, "sign the record decree of "+d.date.String())
		w.HistoricDecrees = append(w.HistoricDecrees, dec.ID)
	}
}

// MayDay is what the May Day 2013 scenario did.
type MayDay struct {
	// Candidates are those the candidacy rule of Hero of Labour of the
	// Russian Federation found on the eve of the ceremony.
	Candidates []stakhanov.Candidate
	// Nominations and Conferrals are in Honoured2013 order.
	Nominations []int64
	Decree      int64
	Conferrals  []int64
	Ceremony    int64
}

// ByRule and ByDossier are the indices in Honoured2013 of the Heroes of 2013
// nominated from the candidacy rule (the coal miner and the lathe operator)
// and with a nominator's dossier (the neurosurgeon, the farm machine
// operator and the conductor).
var (
	ByRule    = []int{0, 1}
	ByDossier = []int{2, 3, 4}
)

// dossiers are the nominators' dossiers, by index in Honoured2013.
var dossiers = map[int]string{
	2: "Alexander Konovalov, neurosurgeon, director of the N. N. Burdenko Institute of Neurosurgery since 1975, " +
		"a founder of microneurosurgery in the country; academician. Operations are not counted against a norm.",
	3: "Yuri Konnov, farm machine operator of Rossiya-Agro, Gribanovsky district, Voronezh region, " +
		"known for growing sugar beet without manual labour, and teaching it.",
	4: "Valery Gergiev, conductor, artistic director of the Mariinsky Theatre since 1988 and its general director since 1996. " +
		"Performances are not counted against a norm.",
}

// Step is one step of a scenario, run against a store.
type Step struct {
	Name string
	Run  func(ctx context.Context, s stakhanov.Store) error
}

// PlayMayDay2013 plays the May Day 2013 ceremony in a world made by
// SeedBase: every step of MayDay2013Steps, in order.
func PlayMayDay2013(ctx context.Context, s stakhanov.Store, w *World) error {
	for _, st := range MayDay2013Steps(w) {
		if err := st.Run(ctx, s); err != nil {
			return fmt.Errorf("May Day 2013: %s: %w", st.Name, err)
		}
	}
	return nil
}

// MayDay2013Steps returns the steps of the May Day 2013 ceremony, each done
// through the store as the demo user whose work it is, recording in
// w.MayDay what it made:
//
//  1. the candidacy rule of Hero of Labour of the Russian Federation finds
//     the coal miner and the lathe operator on their shifts;
//  2. the demo nominator files their nominations from the rule;
//  3. and those of the neurosurgeon, the farm machine operator and the
//     conductor with dossiers;
//  4. two colleagues recommend each of the five (recorded by the demo admin
//     on their behalf), which sends the nominations into review;
//  5. each review stage approves each nomination, its members voting in
//     order, save those conflicted, until the stage is decided;
//  6. the demo authority drafts decree No. 427 of 1 May 2013 on the five
//  7. and signs it;
//  8. the demo registrar schedules the ceremony at the Konstantinovsky
//     Palace
//  9. and marks each Hero presented.
func MayDay2013Steps(w *World) []Step {
	p := &play{w: w}
	steps := []Step{
		{"find the candidates", p.candidates},
		{"nominate from the candidacy rule", p.nominateByRule},
		{"nominate with dossiers", p.nominateByDossier},
		{"recommend", p.recommend},
	}
	for i := range hlrfStages {
		steps = append(steps, Step{fmt.Sprintf("review at stage %d", i+1),
			func(ctx context.Context, s stakhanov.Store) error { return p.review(ctx, s, i) }})
	}
	return append(steps,
		Step{"draft the decree", p.draftDecree},
		Step{"sign the decree", p.signDecree},
		Step{"schedule the ceremony", p.ceremony},
		Step{"present", p.present},
	)
}

// play is the state of a scenario being played.
type play struct {
	w *World
}

// as returns the context of the named demo user acting.
func (p *play) as(ctx context.Context, s stakhanov.Store, name string) (context.Context, *stakhanov.User, error) {
	u, err := s.FindUserByName(ctx, name)
	if err != nil {
		return nil, nil, fmt.Errorf("user %s: %w", name, err)
	}
	return stakhanov.NewContext(ctx, u), u, nil
}

func (p *play) award(ctx context.Context, s stakhanov.Store) (*stakhanov.Award, error) {
	return s.FindAwardByID(ctx, p.w.Awards.HeroOfLabourRF)
}

func (p *play) candidates(ctx context.Context, s stakhanov.Store) error {
	a, err := p.award(ctx, s)
	if err != nil {
		return err
	}
	cands, err := stakhanov.AllCandidates(ctx, s, a.ID, MayDayDate.AddDays(-1))
	if err != nil {
		return err
	}
	p.w.MayDay.Candidates = cands
	for _, i := range ByRule {
		found := false
		for _, c := range cands {
			found = found || c.Subject == stakhanov.PersonSubject(p.w.Honoured2013[i])
		}
		if !found {
			return fmt.Errorf("person %d does not meet the candidacy rule", p.w.Honoured2013[i])
		}
	}
	return nil
}

func (p *play) nominate(ctx context.Context, s stakhanov.Store, indices []int, source string) error {
	as, _, err := p.as(ctx, s, stakhanov.RoleNominator)
	if err != nil {
		return err
	}
	if p.w.MayDay.Nominations == nil {
		p.w.MayDay.Nominations = make([]int64, len(p.w.Honoured2013))
	}
	for _, i := range indices {
		n := &stakhanov.Nomination{
			AwardID:   p.w.Awards.HeroOfLabourRF,
			Candidate: stakhanov.PersonSubject(p.w.Honoured2013[i]),
			Source:    source,
		}
		if source == stakhanov.SourceDossier {
			n.Dossier = dossiers[i]
		}
		if err := s.CreateNomination(as, n); err != nil {
			return fmt.Errorf("nominate person %d: %w", p.w.Honoured2013[i], err)
		}
		p.w.MayDay.Nominations[i] = n.ID
	}
	return nil
}

func (p *play) nominateByRule(ctx context.Context, s stakhanov.Store) error {
	return p.nominate(ctx, s, ByRule, stakhanov.SourceRule)
}

func (p *play) nominateByDossier(ctx context.Context, s stakhanov.Store) error {
	return p.nominate(ctx, s, ByDossier, stakhanov.SourceDossier)
}

func (p *play) recommend(ctx context.Context, s stakhanov.Store) error {
	as, _, err := p.as(ctx, s, stakhanov.RoleAdmin)
	if err != nil {
		return err
	}
	for i, id := range p.w.Honoured2013 {
		name, err := stakhanov.SubjectName(ctx, s, stakhanov.PersonSubject(id))
		if err != nil {
			return err
		}
		for _, rec := range p.w.Recommenders2013[i] {
			r := &stakhanov.Recommendation{
				RecommenderID: rec, Candidate: stakhanov.PersonSubject(id), AwardID: p.w.Awards.HeroOfLabourRF,
				Text: "I have worked beside " + name + " for years and recommend them for the title of Hero of Labour.", // stand-in
			}
			if err := s.CreateRecommendation(as, r); err != nil {
				return fmt.Errorf("recommendation of person %d by person %d: %w", id, rec, err)
			}
		}
	}
	return nil
}

// review has each nomination approved at stage k by its members, in order,
// save those conflicted.
func (p *play) review(ctx context.Context, s stakhanov.Store, k int) error {
	a, err := p.award(ctx, s)
	if err != nil {
		return err
	}
	st := a.Rules.Stages[k]
	for _, id := range p.w.MayDay.Nominations {
		n, err := s.FindNominationByID(ctx, id)
		if err != nil {
			return err
		}
		if n.State != stakhanov.NominationInReview || n.Stage != k {
			return fmt.Errorf("nomination %d is %s at stage %d, not in review at stage %d", id, n.State, n.Stage, k)
		}
		var after *stakhanov.Nomination
		for _, m := range p.w.Committee[k] {
			as, u, err := p.as(ctx, s, m.Name)
			if err != nil {
				return err
			}
			isConflicted, err := conflicted(ctx, s, u, n)
			if err != nil {
				return err
			}
			if isConflicted {
				continue
			}
			v := &stakhanov.Vote{NominationID: id, Stage: k, MemberID: u.ID, Vote: stakhanov.VoteApprove,
				Comment: "Approved: " + st.Name + "."}
			if after, err = s.CastVote(as, v); err != nil {
				return fmt.Errorf("%s's vote on nomination %d: %w", u.Name, id, err)
			}
			if after.State != stakhanov.NominationInReview || after.Stage != k {
				break
			}
		}
		if after == nil || after.State == stakhanov.NominationInReview && after.Stage == k {
			return fmt.Errorf("nomination %d: stage %d not decided after every member who may vote did", id, k+1)
		}
		if after.State == stakhanov.NominationRejected {
			return fmt.Errorf("nomination %d rejected at stage %d", id, k+1)
		}
	}
	return nil
}

// conflicted reports whether a committee member may not vote on a
// nomination: it is the candidate, or one of its recommenders, or it
// belongs (by its person or its unit scope) to the candidate's enterprise.
func conflicted(ctx context.Context, s stakhanov.Store, u *stakhanov.User, n *stakhanov.Nomination) (bool, error) {
	if u.PersonID != 0 {
		if n.Candidate == stakhanov.PersonSubject(u.PersonID) {
			return true, nil
		}
		for _, r := range n.Recommendations {
			if r.RecommenderID == u.PersonID {
				return true, nil
			}
		}
	}
	var candidateUnit int64
	if n.Candidate.Kind == stakhanov.SubjectPerson {
		p, err := s.FindPersonByID(ctx, n.Candidate.ID)
		if err != nil {
			return false, err
		}
		candidateUnit = p.UnitID
	} else {
		candidateUnit = n.Candidate.ID
	}
	enterprise, err := enterpriseOf(ctx, s, candidateUnit)
	if err != nil || enterprise == 0 {
		return false, err
	}
	units := []int64{u.UnitID}
	if u.PersonID != 0 {
		p, err := s.FindPersonByID(ctx, u.PersonID)
		if err != nil {
			return false, err
		}
		units = append(units, p.UnitID)
	}
	for _, unit := range units {
		if unit == 0 {
			continue
		}
		e, err := enterpriseOf(ctx, s, unit)
		if err != nil {
			return false, err
		}
		if e == enterprise {
			return true, nil
		}
	}
	return false, nil
}

// enterpriseOf returns the nearest enterprise that holds a unit (or is
// it), or 0.
func enterpriseOf(ctx context.Context, s stakhanov.Store, unit int64) (int64, error) {
	u, err := s.FindUnitByID(ctx, unit)
	if err != nil {
		return 0, err
	}
	path := strings.Split(strings.Trim(u.Path, "/"), "/")
	slices.Reverse(path)
	for _, part := range path {
		id, err := strconv.ParseInt(part, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("unit %d: bad path %q", unit, u.Path)
		}
		a, err := s.FindUnitByID(ctx, id)
		if err != nil {
			return 0, err
		}
		if a.Kind == stakhanov.UnitEnterprise {
			return a.ID, nil
		}
	}
	return 0, nil
}

func (p *play) draftDecree(ctx context.Context, s stakhanov.Store) error {
	as, _, err := p.as(ctx, s, stakhanov.RoleAuthority)
	if err != nil {
		return err
	}
	d := &stakhanov.Decree{Number: MayDayDecree, Date: MayDayDate, Authority: AuthorityPresident, Kind: stakhanov.DecreeConfer}
	for _, id := range p.w.MayDay.Nominations {
		d.Entries = append(d.Entries, stakhanov.DecreeEntry{NominationID: id})
	}
	if err := s.CreateDecree(as, d); err != nil {
		return err
	}
	p.w.MayDay.Decree = d.ID
	return nil
}

func (p *play) signDecree(ctx context.Context, s stakhanov.Store) error {
	as, _, err := p.as(ctx, s, stakhanov.RoleAuthority)
	if err != nil {
		return err
	}
	d, err := s.SignDecree(as, p.w.MayDay.Decree)
	if err != nil {
		return err
	}
	byNomination := map[int64]int64{}
	for _, id := range d.Conferrals {
		c, err := s.FindConferralByID(ctx, id)
		if err != nil {
			return err
		}
		if c.NominationID != 0 && c.CompanionOf == 0 {
			byNomination[c.NominationID] = c.ID
		}
	}
	p.w.MayDay.Conferrals = make([]int64, len(p.w.MayDay.Nominations))
	for i, n := range p.w.MayDay.Nominations {
		if p.w.MayDay.Conferrals[i] = byNomination[n]; p.w.MayDay.Conferrals[i] == 0 {
			return fmt.Errorf("decree %d signed without a conferral for nomination %d", d.ID, n)
		}
	}
	return nil
}

func (p *play) ceremony(ctx context.Context, s stakhanov.Store) error {
	as, _, err := p.as(ctx, s, stakhanov.RoleRegistrar)
	if err != nil {
		return err
	}
	c := &stakhanov.Ceremony{Date: MayDayDate, Place: MayDayPlace, Presenter: MayDayPresenter,
		Conferrals: append([]int64{}, p.w.MayDay.Conferrals...)}
	if err := s.CreateCeremony(as, c); err != nil {
		return err
	}
	p.w.MayDay.Ceremony = c.ID
	return nil
}

func (p *play) present(ctx context.Context, s stakhanov.Store) error {
	as, _, err := p.as(ctx, s, stakhanov.RoleRegistrar)
	if err != nil {
		return err
	}
	for _, id := range p.w.MayDay.Conferrals {
		if err := s.MarkPresented(as, p.w.MayDay.Ceremony, id); err != nil {
			return fmt.Errorf("conferral %d: %w", id, err)
		}
	}
	return nil
}
