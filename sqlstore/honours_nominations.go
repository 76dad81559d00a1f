package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/stakhanov/stakhanov"
)

const recommendationColumns = `id, recommender_id, candidate_kind, candidate_id, award_id, letter, created_at, COALESCE(created_by, 0)`

func scanRecommendation(row interface{ Scan(...any) error }) (*stakhanov.Recommendation, error) {
	r := &stakhanov.Recommendation{}
	err := row.Scan(&r.ID, &r.RecommenderID, &r.Candidate.Kind, &r.Candidate.ID, &r.AwardID, &r.Text, &r.CreatedAt, &r.CreatedBy)
	return r, err
}

// CreateRecommendation records a letter of support: in the acting user's
// own name, or, for an admin, on behalf of the person in RecommenderID.
func (db *DB) CreateRecommendation(ctx context.Context, r *stakhanov.Recommendation) error {
	who := stakhanov.UserFromContext(ctx)
	if who == nil {
		return stakhanov.Errorf(stakhanov.EUNAUTHORIZED, "sign in to do this")
	}
	if who.Role == stakhanov.RoleAdmin {
		if r.RecommenderID == 0 {
			r.RecommenderID = who.PersonID
		}
		if r.RecommenderID <= 0 {
			return stakhanov.FieldErrorf("recommender_id", "recommender_id is required: whose letter it is")
		}
	} else {
		if who.PersonID == 0 {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s is not a person's account: only people recommend", who.Name)
		}
		if r.RecommenderID != 0 && r.RecommenderID != who.PersonID {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s may recommend only in its own name", who.Name)
		}
		r.RecommenderID = who.PersonID
	}
	if r.AwardID <= 0 {
		return stakhanov.FieldErrorf("award_id", "award_id is required")
	}
	if r.Candidate.IsZero() {
		return stakhanov.FieldErrorf("candidate", "candidate is required (person:ID or unit:ID)")
	}
	if r.Candidate == stakhanov.PersonSubject(r.RecommenderID) {
		return stakhanov.FieldErrorf("candidate", "nobody recommends themselves: the recommender is the candidate")
	}
	return db.inTx(ctx, func(q querier) error {
		award, err := findAward(ctx, q, r.AwardID)
		if err != nil {
			return stakhanov.FieldErrorf("award_id", "award %d not found", r.AwardID)
		}
		ok, err := exists(ctx, q, "people WHERE id = ?", r.RecommenderID)
		if err != nil {
			return err
		}
		if !ok {
			return stakhanov.FieldErrorf("recommender_id", "person %d not found", r.RecommenderID)
		}
		if _, err := candidateExists(ctx, q, r.Candidate, "candidate"); err != nil {
			return err
		}
		r.CreatedAt, r.CreatedBy = db.now().UTC(), who.ID
		r.ID, err = q.insert(ctx, `INSERT INTO recommendations (recommender_id, candidate_kind, candidate_id, award_id, letter, created_at, created_by)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.RecommenderID, r.Candidate.Kind, r.Candidate.ID, r.AwardID, r.Text, r.CreatedAt, nullID(who.ID))
		if db.dialect.IsUniqueViolation(err) {
			return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "candidate",
				Message: fmt.Sprintf("%s has already recommended %s for %s: one letter each", subjectName(ctx, db.reader(), stakhanov.PersonSubject(r.RecommenderID)),
					subjectName(ctx, db.reader(), r.Candidate), award.Name)}
		}
		if err != nil {
			return err
		}
		var nomID int64
		err = q.queryRow(ctx, "SELECT n.id FROM "+nominationFrom+` WHERE n.award_id = ? AND n.candidate_kind = ? AND n.candidate_id = ? AND e.state = ?`,
			r.AwardID, r.Candidate.Kind, r.Candidate.ID, stakhanov.NominationProposed).Scan(&nomID)
		if err == sql.ErrNoRows {
			return nil
		} else if err != nil {
			return err
		}
		return db.maybeEnterReview(ctx, q, award, nomID, r.Candidate, who.ID)
	})
}

// maybeEnterReview moves a proposed nomination into review at its first
// stage once it has the recommendations the award needs.
func (db *DB) maybeEnterReview(ctx context.Context, q querier, award *stakhanov.Award, nomID int64, cand stakhanov.Subject, by int64) error {
	var n int
	if err := q.queryRow(ctx, `SELECT COUNT(*) FROM recommendations WHERE award_id = ? AND candidate_kind = ? AND candidate_id = ?`,
		award.ID, cand.Kind, cand.ID).Scan(&n); err != nil {
		return err
	}
	if n < award.Rules.RecommendationsNeeded {
		return nil
	}
	return db.appendEvent(ctx, q, nomID, stakhanov.NominationInReview, 0,
		fmt.Sprintf("%d recommendations of %d needed: in review at stage %q", n, award.Rules.RecommendationsNeeded, award.Rules.Stages[0].Name), by)
}

func (db *DB) FindRecommendations(ctx context.Context, f stakhanov.RecommendationFilter) ([]*stakhanov.Recommendation, int, error) {
	w := &where{}
	if !f.Candidate.IsZero() {
		w.add("candidate_kind = ? AND candidate_id = ?", f.Candidate.Kind, f.Candidate.ID)
	}
	if f.AwardID != 0 {
		w.add("award_id = ?", f.AwardID)
	}
	return list(ctx, db.reader(), recommendationColumns, "recommendations", w, "id", f.Page,
		func(r *sql.Rows) (*stakhanov.Recommendation, error) { return scanRecommendation(r) })
}

// nominationFrom joins each nomination to its latest event, which is its
// state.
const nominationFrom = `nominations n JOIN nomination_events e ON e.nomination_id = n.id
	AND e.seq = (SELECT MAX(x.seq) FROM nomination_events x WHERE x.nomination_id = n.id)`

const nominationColumns = `n.id, n.award_id, n.candidate_kind, n.candidate_id, n.source, n.dossier, n.evidence,
	COALESCE(n.nominator_id, 0), n.created_at, e.state, e.stage`

func scanNomination(row interface{ Scan(...any) error }) (*stakhanov.Nomination, error) {
	n := &stakhanov.Nomination{}
	var evidence sql.NullString
	err := row.Scan(&n.ID, &n.AwardID, &n.Candidate.Kind, &n.Candidate.ID, &n.Source, &n.Dossier, &evidence,
		&n.NominatorID, &n.CreatedAt, &n.State, &n.Stage)
	if err != nil {
		return nil, err
	}
	if evidence.Valid && evidence.String != "" {
		n.Evidence = &stakhanov.Candidate{}
		if err := json.Unmarshal([]byte(evidence.String), n.Evidence); err != nil {
			return nil, fmt.Errorf("nomination %d evidence: %w", n.ID, err)
		}
	}
	return n, nil
}

func findNomination(ctx context.Context, q querier, id int64) (*stakhanov.Nomination, error) {
	n, err := scanNomination(q.queryRow(ctx, "SELECT "+nominationColumns+" FROM "+nominationFrom+" WHERE n.id = ?", id))
	if err != nil {
		return nil, notFound("nomination", id, err)
	}
	return n, nil
}

// appendEvent records a nomination's next state. Two transitions at the
// same moment collide on (nomination_id, seq); the later one is refused.
func (db *DB) appendEvent(ctx context.Context, q querier, nomID int64, state string, stage int, reason string, by int64) error {
	var seq int
	if err := q.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM nomination_events WHERE nomination_id = ?`, nomID).Scan(&seq); err != nil {
		return err
	}
	_, err := q.exec(ctx, `INSERT INTO nomination_events (nomination_id, seq, state, stage, reason, created_at, by_user) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		nomID, seq, state, stage, reason, db.now().UTC(), nullID(by))
	if db.dialect.IsUniqueViolation(err) {
		return stakhanov.Errorf(stakhanov.ECONFLICT, "nomination %d changed at the same moment; try again", nomID)
	}
	return err
}

// CreateNomination files a nomination from the candidacy rule or with a
// dossier.
func (db *DB) CreateNomination(ctx context.Context, n *stakhanov.Nomination) error {
	who, err := actor(ctx, stakhanov.RoleNominator, stakhanov.RoleAdmin)
	if err != nil {
		return err
	}
	if err := n.Validate(); err != nil {
		return err
	}
	award, err := findAward(ctx, db.reader(), n.AwardID)
	if err != nil {
		return stakhanov.FieldErrorf("award_id", "award %d not found", n.AwardID)
	}
	path, err := candidateExists(ctx, db.reader(), n.Candidate, "candidate")
	if err != nil {
		return err
	}
	if !who.Covers(path) {
		return requireScope(who, path, subjectName(ctx, db.reader(), n.Candidate))
	}
	// A nomination that could never be signed is not filed.
	obstacles, err := db.NominationObstacles(ctx, award.ID, n.Candidate)
	if err != nil {
		return err
	}
	if len(obstacles) > 0 {
		return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "candidate",
			Message: fmt.Sprintf("%s cannot be nominated for %s: %s", subjectName(ctx, db.reader(), n.Candidate), award.Name, strings.Join(obstacles, "; "))}
	}
	n.Evidence = nil
	if n.Source == stakhanov.SourceRule {
		c, err := db.evaluateCandidate(ctx, award, n.Candidate)
		if err != nil {
			return err
		}
		n.Evidence = c
	}
	var evidence any
	if n.Evidence != nil {
		b, err := json.Marshal(n.Evidence)
		if err != nil {
			return err
		}
		evidence = string(b)
	}
	err = db.inTx(ctx, func(q querier) error {
		var open int64
		var state string
		err := q.queryRow(ctx, "SELECT n.id, e.state FROM "+nominationFrom+` WHERE n.award_id = ? AND n.candidate_kind = ? AND n.candidate_id = ?
			AND e.state IN (?, ?, ?)`, n.AwardID, n.Candidate.Kind, n.Candidate.ID, stakhanov.OpenNominationStates[0], stakhanov.OpenNominationStates[1], stakhanov.OpenNominationStates[2]).Scan(&open, &state)
		if err == nil {
			return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "candidate",
				Message: fmt.Sprintf("nomination %d of %s for %s is still open (%s)", open, subjectName(ctx, q, n.Candidate), award.Name, state)}
		} else if err != sql.ErrNoRows {
			return err
		}
		var seq int
		if err := q.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM nominations WHERE award_id = ? AND candidate_kind = ? AND candidate_id = ?`,
			n.AwardID, n.Candidate.Kind, n.Candidate.ID).Scan(&seq); err != nil {
			return err
		}
		n.NominatorID, n.CreatedAt = who.ID, db.now().UTC()
		n.ID, err = q.insert(ctx, `INSERT INTO nominations (award_id, candidate_kind, candidate_id, seq, source, dossier, evidence, nominator_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			n.AwardID, n.Candidate.Kind, n.Candidate.ID, seq, n.Source, n.Dossier, evidence, nullID(who.ID), n.CreatedAt)
		if db.dialect.IsUniqueViolation(err) {
			return &stakhanov.Error{Code: stakhanov.ECONFLICT, Field: "candidate",
				Message: fmt.Sprintf("%s was nominated for this award at the same moment", n.Candidate)}
		} else if err != nil {
			return err
		}
		reason := "filed with a dossier"
		if n.Source == stakhanov.SourceRule {
			reason = fmt.Sprintf("proposed by the candidacy rule: %d of %d shifts met", n.Evidence.Met, n.Evidence.Considered)
		}
		if err := db.appendEvent(ctx, q, n.ID, stakhanov.NominationProposed, 0, reason, who.ID); err != nil {
			return err
		}
		return db.maybeEnterReview(ctx, q, award, n.ID, n.Candidate, who.ID)
	})
	if err != nil {
		return err
	}
	got, err := db.FindNominationByID(ctx, n.ID)
	if err != nil {
		return err
	}
	*n = *got
	return nil
}

// evaluateCandidate applies the award's candidacy rule to one subject on
// today's data, from the rolling state.
func (db *DB) evaluateCandidate(ctx context.Context, award *stakhanov.Award, sub stakhanov.Subject) (*stakhanov.Candidate, error) {
	rule := award.Rules.Candidacy
	if rule == nil {
		return nil, stakhanov.FieldErrorf("source", "%s has no candidacy rule: file a dossier instead", award.Name)
	}
	if sub.Kind != rule.Subject {
		return nil, stakhanov.FieldErrorf("candidate", "the candidacy rule of %s is for a %s, not a %s", award.Name, rule.Subject, sub.Kind)
	}
	// The state holds the standing; flagged reports count in it only once
	// verified.
	c, ok, err := db.Candidacy(ctx, award.ID, sub, db.today())
	if err != nil {
		return nil, err
	}
	if !ok {
		name, err := stakhanov.SubjectName(ctx, db, sub)
		if err != nil {
			return nil, err
		}
		return nil, stakhanov.FieldErrorf("candidate", "%s does not meet the candidacy rule of %s today: %d of %d shifts at or above %g%%",
			name, award.Name, c.Met, c.Considered, rule.Percent)
	}
	return c, nil
}

func (db *DB) FindNominationByID(ctx context.Context, id int64) (*stakhanov.Nomination, error) {
	q := db.reader()
	n, err := findNomination(ctx, q, id)
	if err != nil {
		return nil, err
	}
	rows, err := q.query(ctx, `SELECT created_at, COALESCE(by_user, 0), state, stage, reason FROM nomination_events WHERE nomination_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var e stakhanov.NominationEvent
		if err := rows.Scan(&e.At, &e.By, &e.State, &e.Stage, &e.Reason); err != nil {
			rows.Close()
			return nil, err
		}
		n.History = append(n.History, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if n.Votes, err = votes(ctx, q, id, -1); err != nil {
		return nil, err
	}
	// Every letter of support, however many: the committee reads them all.
	n.Recommendations, err = stakhanov.All(func(p stakhanov.Page) ([]*stakhanov.Recommendation, int, error) {
		return list(ctx, q, recommendationColumns, "recommendations",
			&where{conds: []string{"award_id = ? AND candidate_kind = ? AND candidate_id = ?"}, args: []any{n.AwardID, n.Candidate.Kind, n.Candidate.ID}},
			"id", p, func(r *sql.Rows) (*stakhanov.Recommendation, error) { return scanRecommendation(r) })
	})
	return n, err
}

// votes returns a nomination's votes, at one stage or (stage < 0) all.
func votes(ctx context.Context, q querier, nomID int64, stage int) ([]stakhanov.Vote, error) {
	query := `SELECT nomination_id, stage, member_id, vote, comment, created_at FROM votes WHERE nomination_id = ?`
	args := []any{nomID}
	if stage >= 0 {
		query += " AND stage = ?"
		args = append(args, stage)
	}
	rows, err := q.query(ctx, query+" ORDER BY seq", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []stakhanov.Vote
	for rows.Next() {
		var v stakhanov.Vote
		if err := rows.Scan(&v.NominationID, &v.Stage, &v.MemberID, &v.Vote, &v.Comment, &v.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (db *DB) FindNominations(ctx context.Context, f stakhanov.NominationFilter) ([]*stakhanov.Nomination, int, error) {
	q := db.reader()
	w := &where{}
	if f.AwardID != 0 {
		w.add("n.award_id = ?", f.AwardID)
	}
	if !f.Candidate.IsZero() {
		w.add("n.candidate_kind = ? AND n.candidate_id = ?", f.Candidate.Kind, f.Candidate.ID)
	}
	if f.State != "" {
		w.add("e.state = ?", f.State)
	}
	if f.Nominator != 0 {
		w.add("n.nominator_id = ?", f.Nominator)
	}
	if f.Member != 0 {
		awards, err := allAwards(ctx, q)
		if err != nil {
			return nil, 0, err
		}
		var conds []string
		var args []any
		for _, a := range awards {
			for i, s := range a.Rules.Stages {
				for _, m := range s.Members {
					if m == f.Member {
						conds = append(conds, "(n.award_id = ? AND e.stage = ?)")
						args = append(args, a.ID, i)
					}
				}
			}
		}
		if len(conds) == 0 {
			return []*stakhanov.Nomination{}, 0, nil
		}
		w.add("e.state = ?", stakhanov.NominationInReview)
		w.add("("+strings.Join(conds, " OR ")+")", args...)
	}
	return list(ctx, q, nominationColumns, nominationFrom, w, "n.id", f.Page, func(r *sql.Rows) (*stakhanov.Nomination, error) { return scanNomination(r) })
}

// WithdrawNomination closes an open nomination: by the nominator who filed
// it, or an admin.
func (db *DB) WithdrawNomination(ctx context.Context, id int64, reason string) (*stakhanov.Nomination, error) {
	who, err := actor(ctx, stakhanov.RoleNominator, stakhanov.RoleAdmin)
	if err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(q querier) error {
		n, err := findNomination(ctx, q, id)
		if err != nil {
			return err
		}
		if who.Role != stakhanov.RoleAdmin && n.NominatorID != who.ID {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "only the nominator who filed nomination %d, or an admin, may withdraw it", id)
		}
		if err := recipientInScope(ctx, q, who, n.Candidate); err != nil {
			return err
		}
		if !n.Open() {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "nomination %d is %s: it can no longer be withdrawn", id, n.State)
		}
		if strings.TrimSpace(reason) == "" {
			reason = "withdrawn"
		}
		return db.appendEvent(ctx, q, id, stakhanov.NominationWithdrawn, n.Stage, reason, who.ID)
	})
	if err != nil {
		return nil, err
	}
	return db.FindNominationByID(ctx, id)
}

// CastVote records the acting committee member's vote at the nomination's
// current stage and moves the nomination on when the stage is decided.
func (db *DB) CastVote(ctx context.Context, v *stakhanov.Vote) (*stakhanov.Nomination, error) {
	who, err := actor(ctx, stakhanov.RoleCommittee)
	if err != nil {
		return nil, err
	}
	if err := v.Validate(); err != nil {
		return nil, err
	}
	err = db.inTx(ctx, func(q querier) error {
		n, err := findNomination(ctx, q, v.NominationID)
		if err != nil {
			return err
		}
		if n.State != stakhanov.NominationInReview {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "nomination %d is %s, not in review: no votes are taken", n.ID, n.State)
		}
		award, err := findAward(ctx, q, n.AwardID)
		if err != nil {
			return err
		}
		if n.Stage < 0 || n.Stage >= len(award.Rules.Stages) {
			return fmt.Errorf("nomination %d is at stage %d of %d", n.ID, n.Stage, len(award.Rules.Stages))
		}
		stage := award.Rules.Stages[n.Stage]
		member := slices.Contains(stage.Members, who.ID) || slices.Contains(stage.Substitutes, who.ID)
		if !member {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s is not a member of stage %q (%s) of %s", who.Name, stage.Name, strconv.Itoa(n.Stage), award.Name)
		}
		standing, err := stageStanding(ctx, q, n, award)
		if err != nil {
			return err
		}
		if standing.Stuck && !slices.Contains(standing.Eligible, who.ID) {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "nomination %d cannot be decided at stage %q: %s", n.ID, stage.Name, standing.WayOut)
		}
		voted, err := exists(ctx, q, "votes WHERE nomination_id = ? AND stage = ? AND member_id = ?", n.ID, n.Stage, who.ID)
		if err != nil {
			return err
		}
		if voted {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "%s has already voted on nomination %d at stage %q", who.Name, n.ID, stage.Name)
		}
		if why, err := memberConflicts(ctx, q, who.ID, n); err != nil {
			return err
		} else if len(why) > 0 {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s must recuse from nomination %d: %s", who.Name, n.ID, why[0])
		}
		if !slices.Contains(standing.Eligible, who.ID) && !(standing.ChairDecides && who.ID == stage.Chair) {
			return stakhanov.Errorf(stakhanov.EFORBIDDEN, "%s is a substitute of stage %q: the members who may vote make the quorum", who.Name, stage.Name)
		}
		var seq int
		if err := q.queryRow(ctx, `SELECT COALESCE(MAX(seq), 0) + 1 FROM votes WHERE nomination_id = ?`, n.ID).Scan(&seq); err != nil {
			return err
		}
		v.Stage, v.MemberID, v.CreatedAt = n.Stage, who.ID, db.now().UTC()
		_, err = q.exec(ctx, `INSERT INTO votes (nomination_id, seq, stage, member_id, vote, comment, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			n.ID, seq, v.Stage, v.MemberID, v.Vote, v.Comment, v.CreatedAt)
		if db.dialect.IsUniqueViolation(err) {
			return stakhanov.Errorf(stakhanov.ECONFLICT, "another vote on nomination %d was cast at the same moment; try again", n.ID)
		} else if err != nil {
			return err
		}
		atStage, err := votes(ctx, q, n.ID, n.Stage)
		if err != nil {
			return err
		}
		decided, approved := standing.Outcome(stage, atStage)
		by := ""
		if standing.ChairDecides {
			by = fmt.Sprintf(", by its chair %s alone (%s)", who.Name, standing.WayOut)
		}
		switch {
		case !decided:
			return nil
		case !approved:
			return db.appendEvent(ctx, q, n.ID, stakhanov.NominationRejected, n.Stage, fmt.Sprintf("rejected at stage %q%s", stage.Name, by), who.ID)
		case n.Stage+1 < len(award.Rules.Stages):
			return db.appendEvent(ctx, q, n.ID, stakhanov.NominationInReview, n.Stage+1,
				fmt.Sprintf("approved at stage %q%s; in review at stage %q", stage.Name, by, award.Rules.Stages[n.Stage+1].Name), who.ID)
		default:
			return db.appendEvent(ctx, q, n.ID, stakhanov.NominationApproved, n.Stage, fmt.Sprintf("approved at the last stage, %q%s", stage.Name, by), who.ID)
		}
	})
	if err != nil {
		return nil, err
	}
	return db.FindNominationByID(ctx, v.NominationID)
}

// MemberConflicts says why a committee member may not vote on a
// nomination.
func (db *DB) MemberConflicts(ctx context.Context, userID, nominationID int64) ([]stakhanov.Conflict, error) {
	q := db.reader()
	var n stakhanov.Nomination
	err := q.queryRow(ctx, `SELECT award_id, candidate_kind, candidate_id FROM nominations WHERE id = ?`, nominationID).
		Scan(&n.AwardID, &n.Candidate.Kind, &n.Candidate.ID)
	if err != nil {
		return nil, notFound("nomination", nominationID, err)
	}
	return memberConflicts(ctx, q, userID, &n)
}

// memberConflicts says why a committee member may not vote on a
// nomination: it is the candidate, one of the candidate's recommenders for
// the award, or of the candidate's enterprise (by its person or its unit
// scope).
func memberConflicts(ctx context.Context, q querier, userID int64, n *stakhanov.Nomination) ([]stakhanov.Conflict, error) {
	var personID, unitID int64
	if err := q.queryRow(ctx, `SELECT COALESCE(person_id, 0), COALESCE(unit_id, 0) FROM users WHERE id = ?`, userID).Scan(&personID, &unitID); err != nil {
		return nil, notFound("user", userID, err)
	}
	var why []stakhanov.Conflict
	if personID != 0 && n.Candidate == stakhanov.PersonSubject(personID) {
		why = append(why, stakhanov.Conflict{Reason: stakhanov.ConflictCandidate})
	}
	if personID != 0 {
		rec, err := exists(ctx, q, `recommendations WHERE recommender_id = ? AND award_id = ? AND candidate_kind = ? AND candidate_id = ?`,
			personID, n.AwardID, n.Candidate.Kind, n.Candidate.ID)
		if err != nil {
			return nil, err
		}
		if rec {
			why = append(why, stakhanov.Conflict{Reason: stakhanov.ConflictRecommender})
		}
	}
	_, candPath, err := subjectPath(ctx, q, n.Candidate)
	if err != nil {
		return nil, err
	}
	candEnt, err := enterpriseOf(ctx, q, candPath)
	if err != nil || candEnt == 0 {
		return why, err
	}
	var paths []string
	if personID != 0 {
		_, p, err := subjectPath(ctx, q, stakhanov.PersonSubject(personID))
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	if unitID != 0 {
		_, p, err := subjectPath(ctx, q, stakhanov.UnitSubject(unitID))
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	for _, p := range paths {
		ent, err := enterpriseOf(ctx, q, p)
		if err != nil {
			return nil, err
		}
		if ent == candEnt {
			return append(why, stakhanov.Conflict{Reason: stakhanov.ConflictEnterprise, Enterprise: ent}), nil
		}
	}
	return why, nil
}

// enterpriseOf returns the nearest unit of kind enterprise on a unit path
// ("/1/4/9/"), or 0.
func enterpriseOf(ctx context.Context, q querier, path string) (int64, error) {
	ids, isEnterprise, err := enterprisesOn(ctx, q, path)
	if err != nil {
		return 0, err
	}
	for i := len(ids) - 1; i >= 0; i-- {
		if isEnterprise[ids[i]] {
			return ids[i], nil
		}
	}
	return 0, nil
}

// StageStanding says who may decide a nomination in review at its stage,
// and, where too few may, the way out the award defines.
func (db *DB) StageStanding(ctx context.Context, nominationID int64) (*stakhanov.StageStanding, error) {
	q := db.reader()
	n, err := findNomination(ctx, q, nominationID)
	if err != nil {
		return nil, err
	}
	if n.State != stakhanov.NominationInReview {
		return nil, stakhanov.Errorf(stakhanov.ECONFLICT, "nomination %d is %s, not in review", n.ID, n.State)
	}
	award, err := findAward(ctx, q, n.AwardID)
	if err != nil {
		return nil, err
	}
	return stageStanding(ctx, q, n, award)
}

func stageStanding(ctx context.Context, q querier, n *stakhanov.Nomination, award *stakhanov.Award) (*stakhanov.StageStanding, error) {
	if n.Stage < 0 || n.Stage >= len(award.Rules.Stages) {
		return nil, fmt.Errorf("nomination %d is at stage %d of %d", n.ID, n.Stage, len(award.Rules.Stages))
	}
	stage := award.Rules.Stages[n.Stage]
	conflicts := map[int64][]stakhanov.Conflict{}
	for _, id := range append(slices.Clone(stage.Members), stage.Substitutes...) {
		c, err := memberConflicts(ctx, q, id, n)
		if err != nil {
			return nil, err
		}
		if len(c) > 0 {
			conflicts[id] = c
		}
	}
	st := stage.Standing(n.Stage, conflicts)
	return &st, nil
}
