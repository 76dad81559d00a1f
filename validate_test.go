package stakhanov

import (
	"strings"
	"testing"
)

func TestVoteValidate(t *testing.T) {
	for _, tt := range []struct {
		v     Vote
		field string
	}{
		{Vote{NominationID: 1, Vote: VoteApprove}, ""},
		{Vote{Vote: VoteApprove}, "nomination_id"},
		{Vote{NominationID: 1, Vote: "maybe"}, "vote"},
		{Vote{NominationID: 1, Vote: VoteAbstain, Comment: strings.Repeat("x", MaxCommentLength+1)}, "comment"},
	} {
		if got := ErrorField(tt.v.Validate()); got != tt.field {
			t.Errorf("%+v: field %q, want %q", tt.v.Vote, got, tt.field)
		}
	}
}

func TestNominationValidate(t *testing.T) {
	who := PersonSubject(1)
	for _, tt := range []struct {
		n     Nomination
		field string
	}{
		{Nomination{AwardID: 1, Candidate: who, Source: SourceRule}, ""},
		{Nomination{AwardID: 1, Candidate: who, Source: SourceDossier, Dossier: "forty years in the mine"}, ""},
		{Nomination{Candidate: who, Source: SourceRule}, "award_id"},
		{Nomination{AwardID: 1, Source: SourceRule}, "candidate"},
		{Nomination{AwardID: 1, Candidate: who}, "source"},
		{Nomination{AwardID: 1, Candidate: who, Source: "friendship"}, "source"},
		{Nomination{AwardID: 1, Candidate: who, Source: SourceDossier, Dossier: "  "}, "dossier"},
		{Nomination{AwardID: 1, Candidate: who, Source: SourceDossier, Dossier: strings.Repeat("x", MaxDossierLength+1)}, "dossier"},
	} {
		if got := ErrorField(tt.n.Validate()); got != tt.field {
			t.Errorf("%+v: field %q, want %q", tt.n, got, tt.field)
		}
	}
}
