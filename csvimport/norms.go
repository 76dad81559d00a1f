package csvimport

import (
	"io"
	"iter"

	"github.com/stakhanov/stakhanov"
)

// Columns of a norms file, as indexes into NormsHeader.
const (
	nSubject = iota
	nGood
	nAmount
	nEffectiveFrom
	nReason
)

var normsKind = newKind(NormsHeader, NormsHeader...)

// Norms reads a file of norm versions. Every column is required:
//
//	subject         person:ID or unit:ID
//	good            good id
//	amount          quota per shift, greater than zero
//	effective_from  YYYY-MM-DD
//	reason          why the norm is set
func Norms(r io.Reader) iter.Seq[stakhanov.ImportRow[stakhanov.Norm]] {
	return rows(r, &normsKind, func(l *line) *stakhanov.Norm {
		return &stakhanov.Norm{
			Subject:       l.subject(nSubject),
			GoodID:        l.id(nGood, true),
			Amount:        l.number(nAmount, true),
			EffectiveFrom: l.date(nEffectiveFrom),
			Reason:        l.text(nReason),
		}
	})
}

// Columns of a people file, as indexes into PeopleHeader.
const (
	pCode = iota
	pName
	pProfession
	pUnit
)

var peopleKind = newKind(PeopleHeader, "code", "name", "unit")

// People reads a file of people. Columns:
//
//	code        personnel number, unique: it recognises the person on
//	            re-import (required)
//	name        full name (required)
//	profession  (optional)
//	unit        id of the unit the person works in (required)
func People(r io.Reader) iter.Seq[stakhanov.ImportRow[stakhanov.Person]] {
	return rows(r, &peopleKind, func(l *line) *stakhanov.Person {
		return &stakhanov.Person{
			Code:       l.text(pCode),
			Name:       l.text(pName),
			Profession: l.value(pProfession),
			UnitID:     l.id(pUnit, true),
		}
	})
}
