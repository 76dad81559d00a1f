// Package gen generates workloads: a unit tree, people, norms, an award
// with a candidacy rule, and months of shift reports, written through the
// store's import path (the code `stakhanov import` runs) or as a reports
// file for it. Everything follows from the configuration and a seed.
package gen

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/stakhanov/stakhanov"
	"github.com/stakhanov/stakhanov/csvimport"
)

// Bounds of a workload.
const (
	MaxPeople = 1_000_000
	MaxShifts = 1000
)

// Config says what to generate.
type Config struct {
	People int
	// Shifts is the number of working days (Monday to Friday) each person
	// works, one shift a day.
	Shifts int
	Seed   int64
	// Today: the shifts end on the last working day before it, so that
	// none is dated after today in any time zone.
	Today stakhanov.Date
	// Progress, if set, is told each step and each tenth of the reports.
	Progress io.Writer
}

func (c *Config) Validate() error {
	switch {
	case c.People < 1 || c.People > MaxPeople:
		return stakhanov.FieldErrorf("people", "people must be from 1 to %d", MaxPeople)
	case c.Shifts < 1 || c.Shifts > MaxShifts:
		return stakhanov.FieldErrorf("shifts", "shifts must be from 1 to %d", MaxShifts)
	case c.Today.IsZero():
		return stakhanov.FieldErrorf("today", "no date for today")
	}
	return nil
}

// What the workload is made of.
const (
	// StrongShare of people are strong workers: at or above 120 % of
	// their norm on about 93 % of their shifts.
	StrongShare = 0.02
	// RecordChance is the chance of a 30 × record on any shift.
	RecordChance = 1e-5
	// RecordMultiple of the norm is a record's output.
	RecordMultiple = 30
)

// CombinePeople is the least number of people of a combine, one of
// every fifty enterprises.
const CombinePeople = 1000

// Goods are the goods worked: each enterprise works one, in turn.
var Goods = []struct{ Name, Measure, Profession, Enterprise string }{
	{"coal", "t", "hewer", "Mine"},
	{"steel", "t", "steelworker", "Steel works"},
	{"machine parts", "pieces", "turner", "Machine works"},
	{"cloth", "m", "weaver", "Textile mill"},
	{"timber", "m3", "logger", "Timber camp"},
	{"grain", "t", "combine operator", "State farm"},
}

// Plan is a workload before any of it is written: the same for the same
// Config.
type Plan struct {
	Config
	Enterprises []Enterprise
	People      []Person
	// Days are the working days, oldest first.
	Days []stakhanov.Date
}

// Enterprise works one good (an index into Goods) in its collectives.
type Enterprise struct {
	Name        string
	Good        int
	Collectives []Collective
}

// Collective holds People[First:First+Size].
type Collective struct {
	Name        string
	First, Size int
}

// Person is one worker of the plan.
type Person struct {
	Code, Name string
	Good       int
	// Norm is the amount per shift, 5 to 50.
	Norm   int
	Strong bool
}

var (
	firstNames = []string{"Ivan", "Pyotr", "Nikolai", "Alexei", "Sergei", "Mikhail", "Dmitri", "Vasily", "Yuri", "Andrei",
		"Anna", "Maria", "Olga", "Tatiana", "Yelena", "Natalia", "Valentina", "Irina", "Lyudmila", "Galina"}
	surnames = []string{"Ivanov", "Petrov", "Smirnov", "Kuznetsov", "Popov", "Sokolov", "Lebedev", "Kozlov", "Novikov", "Morozov",
		"Volkov", "Solovyov", "Vasiliev", "Zaitsev", "Pavlov", "Semyonov", "Golubev", "Vinogradov", "Bogdanov", "Vorobyov"}
)

// NewPlan draws the plan of a workload.
func NewPlan(c Config) (*Plan, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(uint64(c.Seed), 0x5eed))
	p := &Plan{Config: c, People: make([]Person, 0, c.People)}
	// Collectives of 20 to 50 people (the last takes what is left), in
	// enterprises of 1 to 5 collectives; every fiftieth enterprise is a
	// combine of collectives until it has CombinePeople people, the
	// size of the leaderboard the targets name.
	for len(p.People) < c.People {
		e := Enterprise{Good: len(p.Enterprises) % len(Goods)}
		g := Goods[e.Good]
		e.Name = fmt.Sprintf("%s No. %d", g.Enterprise, len(p.Enterprises)+1)
		combine := len(p.Enterprises)%50 == 49
		start := len(p.People)
		for n := 1 + rng.IntN(5); (n > 0 || combine && len(p.People)-start < CombinePeople) && len(p.People) < c.People; n-- {
			size := 20 + rng.IntN(31)
			if left := c.People - len(p.People); left-size < 20 {
				size = left
			}
			col := Collective{Name: fmt.Sprintf("%s, brigade %d", e.Name, len(e.Collectives)+1), First: len(p.People), Size: size}
			for range size {
				i := len(p.People)
				first := rng.IntN(len(firstNames))
				name := firstNames[first] + " " + surnames[rng.IntN(len(surnames))]
				if first >= 10 {
					name += "a" // the feminine surname
				}
				p.People = append(p.People, Person{Code: fmt.Sprintf("G%07d", i+1), Name: name, Good: e.Good, Norm: 5 + rng.IntN(46)})
			}
			e.Collectives = append(e.Collectives, col)
		}
		p.Enterprises = append(p.Enterprises, e)
	}
	strong := max(1, int(math.Round(StrongShare*float64(c.People))))
	for _, i := range rng.Perm(c.People)[:strong] {
		p.People[i].Strong = true
	}
	p.Days = make([]stakhanov.Date, c.Shifts)
	d := c.Today
	for i := c.Shifts - 1; i >= 0; i-- {
		d = d.AddDays(-1)
		for wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday; wd = d.Weekday() {
			d = d.AddDays(-1)
		}
		p.Days[i] = d
	}
	if p.Days[0].Year() < 1 {
		return nil, stakhanov.FieldErrorf("shifts", "%d working days before %s start before the year 1", c.Shifts, c.Today)
	}
	return p, nil
}

// Strong counts the strong workers.
func (p *Plan) Strong() int {
	n := 0
	for _, x := range p.People {
		if x.Strong {
			n++
		}
	}
	return n
}

// Figures returns person w's produced and accepted output, in tenths, on
// day d. It is a function of the seed, w and d alone, so that the reports
// can be written in any order, or again, without holding them.
func (p *Plan) Figures(w, d int) (produced, accepted int64) {
	h := mix(uint64(p.Seed) ^ mix(uint64(w)<<32|uint64(d)))
	u := func() float64 {
		h = mix(h)
		return float64(h>>11) / (1 << 53)
	}
	x := p.People[w]
	var f float64
	switch {
	case u() < RecordChance:
		f = RecordMultiple
	case x.Strong && u() < 0.93:
		f = 1.22 + 0.38*u() // at least 120 %
	case x.Strong:
		f = 0.85 + 0.3*u()
	default:
		f = 0.7 + 0.48*u() // below 120 %
	}
	accepted = int64(math.Round(float64(x.Norm) * 10 * f))
	produced = accepted + int64(math.Round(float64(accepted)*0.03*u()))
	return produced, accepted
}

// mix is SplitMix64's finaliser: a good hash of 64 bits.
func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Names of what Build writes besides the plan.
const (
	AdminName     = "gen"
	CommitteeName = "gen-committee"
	AwardName     = "Shock Worker of Communist Labour"
)

// Base is a plan written to a store, all but its reports.
type Base struct {
	*Plan
	Admin *stakhanov.User
	// Token is the admin's bearer token.
	Token     string
	Award     *stakhanov.Award
	GoodIDs   []int64 // by index into Goods
	PersonIDs []int64 // by index into People
}

// Build writes a plan to a fresh store: goods, the unit tree (a ministry,
// its enterprises, their collectives), the people and their norms (through
// the import path), an admin account named gen with a token, a committee
// account, and an award whose candidacy rule is at or above 120 % on at
// least 50 of the last 60 shifts.
func Build(ctx context.Context, s stakhanov.Store, p *Plan) (*Base, error) {
	if _, n, err := s.FindUnits(ctx, stakhanov.UnitFilter{Page: stakhanov.Page{Limit: 1}}); err != nil {
		return nil, err
	} else if n > 0 {
		return nil, fmt.Errorf("the database already holds %d units: gen fills a fresh database", n)
	}
	b := &Base{Plan: p}
	sys := stakhanov.NewContext(ctx, stakhanov.System)
	b.Admin = &stakhanov.User{Name: AdminName, Role: stakhanov.RoleAdmin}
	if err := s.CreateUser(sys, b.Admin); err != nil {
		return nil, fmt.Errorf("account %s: %w", AdminName, err)
	}
	committee := &stakhanov.User{Name: CommitteeName, Role: stakhanov.RoleCommittee}
	if err := s.CreateUser(sys, committee); err != nil {
		return nil, fmt.Errorf("account %s: %w", CommitteeName, err)
	}
	var err error
	if b.Token, err = s.CreateToken(sys, b.Admin.ID); err != nil {
		return nil, err
	}
	as := stakhanov.NewContext(ctx, b.Admin)
	for _, g := range Goods {
		good := &stakhanov.Good{Name: g.Name, Measure: g.Measure}
		if err := s.CreateGood(as, good); err != nil {
			return nil, fmt.Errorf("good %s: %w", g.Name, err)
		}
		b.GoodIDs = append(b.GoodIDs, good.ID)
	}

	ministry := &stakhanov.Unit{Kind: stakhanov.UnitMinistry, Name: "Ministry of Industry"}
	if err := s.CreateUnit(as, ministry); err != nil {
		return nil, err
	}
	collectives := 0
	units := make([]int64, len(p.People)) // each person's collective
	for _, e := range p.Enterprises {
		eu := &stakhanov.Unit{Kind: stakhanov.UnitEnterprise, Name: e.Name, ParentID: ministry.ID}
		if err := s.CreateUnit(as, eu); err != nil {
			return nil, fmt.Errorf("unit %s: %w", e.Name, err)
		}
		for _, c := range e.Collectives {
			cu := &stakhanov.Unit{Kind: stakhanov.UnitCollective, Name: c.Name, ParentID: eu.ID}
			if err := s.CreateUnit(as, cu); err != nil {
				return nil, fmt.Errorf("unit %s: %w", c.Name, err)
			}
			for i := c.First; i < c.First+c.Size; i++ {
				units[i] = cu.ID
			}
			collectives++
		}
	}
	b.logf("units: a ministry, %d enterprises, %d collectives", len(p.Enterprises), collectives)

	res, err := importCSV(func(w *csv.Writer) error {
		w.Write([]string{"code", "name", "profession", "unit"})
		for i, x := range p.People {
			if err := w.Write([]string{x.Code, x.Name, Goods[x.Good].Profession, strconv.FormatInt(units[i], 10)}); err != nil {
				return err
			}
		}
		return nil
	}, func(r io.Reader) (stakhanov.ImportResult, error) { return s.ImportPeople(as, csvimport.People(r)) })
	if err != nil {
		return nil, fmt.Errorf("import people: %w", err)
	}
	b.logf("people: %d imported", res.Created)
	byCode := make(map[string]int64, len(p.People))
	for offset := 0; ; offset += stakhanov.MaxLimit {
		page, _, err := s.FindPeople(ctx, stakhanov.PersonFilter{Page: stakhanov.Page{Offset: offset, Limit: stakhanov.MaxLimit}})
		if err != nil {
			return nil, err
		}
		for _, x := range page {
			byCode[x.Code] = x.ID
		}
		if len(page) < stakhanov.MaxLimit {
			break
		}
	}
	b.PersonIDs = make([]int64, len(p.People))
	for i, x := range p.People {
		if b.PersonIDs[i] = byCode[x.Code]; b.PersonIDs[i] == 0 {
			return nil, fmt.Errorf("person %s was imported but is not found", x.Code)
		}
	}

	from := p.Days[0].String()
	res, err = importCSV(func(w *csv.Writer) error {
		w.Write([]string{"subject", "good", "amount", "effective_from", "reason"})
		for i, x := range p.People {
			err := w.Write([]string{stakhanov.PersonSubject(b.PersonIDs[i]).String(), strconv.FormatInt(b.GoodIDs[x.Good], 10),
				strconv.Itoa(x.Norm), from, "generated workload"})
			if err != nil {
				return err
			}
		}
		return nil
	}, func(r io.Reader) (stakhanov.ImportResult, error) { return s.ImportNorms(as, csvimport.Norms(r)) })
	if err != nil {
		return nil, fmt.Errorf("import norms: %w", err)
	}
	b.logf("norms: %d imported, in force from %s", res.Created, from)

	b.Award = &stakhanov.Award{
		Name: AwardName, Kind: stakhanov.AwardTitle, Country: "USSR",
		Description: "A generated workload's award, for those who outperform their norm shift after shift.",
		Criteria:    "At or above 120 % of the norm on at least 50 of the last 60 shifts.",
		Insignia: stakhanov.Insignia{Description: "A bronze disc with a hammer and sickle.", Shape: "disc", Metal: "bronze",
			Emblem: "hammer-and-sickle", Ribbon: []string{"#cc0000"}},
		Authority:   "Ministry of Industry",
		Established: stakhanov.NewDate(1958, time.October, 1),
		Rules: stakhanov.AwardRules{
			Candidacy: &stakhanov.CandidacyRule{Kind: stakhanov.RuleKOfN, Subject: stakhanov.SubjectPerson, Percent: 120, K: 50, N: 60},
			Stages:    []stakhanov.Stage{{Name: "Ministry committee", Members: []int64{committee.ID}, Quorum: 1, Majority: 0.5}},
		},
	}
	if err := s.CreateAward(as, b.Award); err != nil {
		return nil, fmt.Errorf("award: %w", err)
	}
	b.logf("award %d: %s, candidates at or above 120 %% on 50 of the last 60 shifts", b.Award.ID, b.Award.Name)
	return b, nil
}

// importCSV writes a file with write and imports it with load, through a
// pipe: the file is never held whole.
func importCSV(write func(*csv.Writer) error, load func(io.Reader) (stakhanov.ImportResult, error)) (stakhanov.ImportResult, error) {
	return pipe(func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := write(cw); err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}, load)
}

// errStopped ends the writer of a pipe whose reader stopped.
var errStopped = errors.New("the import stopped reading")

func pipe(write func(io.Writer) error, load func(io.Reader) (stakhanov.ImportResult, error)) (stakhanov.ImportResult, error) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := write(pw)
		pw.CloseWithError(err)
		done <- err
	}()
	res, err := load(pr)
	// A load that stopped reading early must not leave the writer blocked.
	pr.CloseWithError(errStopped)
	if werr := <-done; werr != nil && !errors.Is(werr, errStopped) {
		// The cause, rather than what the import made of a broken file.
		return res, fmt.Errorf("generating the file: %w", werr)
	}
	return res, err
}

// Reports returns the reports of the workload: one shift a working day for
// each person, len(People) × Shifts lines, day after day.
func (b *Base) Reports() *csvimport.Shifts {
	workers := make([]csvimport.Worker, len(b.People))
	for i, x := range b.People {
		workers[i] = csvimport.Worker{ID: b.PersonIDs[i], GoodID: b.GoodIDs[x.Good]}
	}
	return &csvimport.Shifts{Workers: workers, Lines: len(b.People) * len(b.Days),
		Day: func(d int) stakhanov.Date { return b.Days[d] }, Figures: b.Figures}
}

// WriteReports writes the reports file, in the format `stakhanov import
// reports` reads.
func (b *Base) WriteReports(w io.Writer) error {
	sh := b.Reports()
	return sh.Write(&countingWriter{w, b.progress(sh.Lines, "written")})
}

// ImportReports imports the reports as the admin, through the parser and
// the store's import, as `stakhanov import reports` does.
func (b *Base) ImportReports(ctx context.Context, s stakhanov.Store) (stakhanov.ImportResult, error) {
	sh := b.Reports()
	as := stakhanov.NewContext(ctx, b.Admin)
	return pipe(sh.Write, func(r io.Reader) (stakhanov.ImportResult, error) {
		p := b.progress(sh.Lines, "read")
		p.then = "the import judges them and commits"
		return s.ImportReports(as, csvimport.Reports(&countingReader{r, p}))
	})
}

func (b *Base) logf(format string, args ...any) {
	if b.Progress != nil {
		fmt.Fprintf(b.Progress, "gen: "+format+"\n", args...)
	}
}

// progress tells, every tenth of the lines of the reports file, how many
// were written or read.
type progress struct {
	b        *Base
	total, n int
	step     int
	verb     string
	then     string // said once every line is counted
}

func (b *Base) progress(lines int, verb string) *progress {
	return &progress{b: b, total: lines, verb: verb}
}

func (p *progress) count(buf []byte) {
	p.n += bytes.Count(buf, []byte{'\n'})
	// The header is a line too.
	for p.step < 10 && p.n-1 >= p.total*(p.step+1)/10 {
		p.step++
		p.b.logf("reports: %d%% (%d of %d %s)", p.step*10, p.total*p.step/10, p.total, p.verb)
		if p.step == 10 && p.then != "" {
			p.b.logf("reports: %s", p.then)
		}
	}
}

type countingReader struct {
	r io.Reader
	p *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.p.count(b[:n])
	return n, err
}

type countingWriter struct {
	w io.Writer
	p *progress
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.p.count(b[:n])
	return n, err
}
