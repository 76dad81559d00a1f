-- Honours: the award catalogue and everything from recommendation to
-- ceremony. History is append-only: a nomination's state is its latest
-- event, a decree's signature, a revocation and a presentation are rows of
-- their own. Nothing here is updated in place or deleted.

CREATE TABLE awards (
	id             INTEGER PRIMARY KEY,
	name           TEXT NOT NULL,
	kind           TEXT NOT NULL,
	country        TEXT NOT NULL,
	description    TEXT NOT NULL,
	criteria       TEXT NOT NULL,
	insignia       TEXT NOT NULL,
	authority      TEXT NOT NULL,
	established    DATE NOT NULL,
	established_by TEXT NOT NULL,
	abolished      DATE,
	abolished_by   TEXT NOT NULL,
	predecessor_id INTEGER REFERENCES awards (id),
	rules          TEXT NOT NULL,
	created_at     TIMESTAMP NOT NULL,
	created_by     INTEGER
);
CREATE INDEX awards_predecessor ON awards (predecessor_id);

CREATE TABLE recommendations (
	id             INTEGER PRIMARY KEY,
	recommender_id INTEGER NOT NULL REFERENCES people (id),
	candidate_kind TEXT NOT NULL,
	candidate_id   INTEGER NOT NULL,
	award_id       INTEGER NOT NULL REFERENCES awards (id),
	letter         TEXT NOT NULL,
	created_at     TIMESTAMP NOT NULL,
	created_by     INTEGER,
	UNIQUE (recommender_id, candidate_kind, candidate_id, award_id)
);
CREATE INDEX recommendations_candidate ON recommendations (candidate_kind, candidate_id, award_id);

-- seq numbers the nominations of one candidate for one award, so that two
-- nominations filed at the same moment collide instead of both opening.
CREATE TABLE nominations (
	id             INTEGER PRIMARY KEY,
	award_id       INTEGER NOT NULL REFERENCES awards (id),
	candidate_kind TEXT NOT NULL,
	candidate_id   INTEGER NOT NULL,
	seq            INTEGER NOT NULL,
	source         TEXT NOT NULL,
	dossier        TEXT NOT NULL,
	evidence       TEXT,
	nominator_id   INTEGER,
	created_at     TIMESTAMP NOT NULL,
	UNIQUE (award_id, candidate_kind, candidate_id, seq)
);
CREATE INDEX nominations_candidate ON nominations (candidate_kind, candidate_id);

-- A nomination's state is its event with the highest seq; concurrent
-- transitions collide on the primary key.
CREATE TABLE nomination_events (
	nomination_id INTEGER NOT NULL REFERENCES nominations (id),
	seq           INTEGER NOT NULL,
	state         TEXT NOT NULL,
	stage         INTEGER NOT NULL,
	reason        TEXT NOT NULL,
	created_at    TIMESTAMP NOT NULL,
	by_user       INTEGER,
	PRIMARY KEY (nomination_id, seq)
);

CREATE TABLE votes (
	nomination_id INTEGER NOT NULL REFERENCES nominations (id),
	seq           INTEGER NOT NULL,
	stage         INTEGER NOT NULL,
	member_id     INTEGER NOT NULL REFERENCES users (id),
	vote          TEXT NOT NULL,
	comment       TEXT NOT NULL,
	created_at    TIMESTAMP NOT NULL,
	PRIMARY KEY (nomination_id, seq),
	UNIQUE (nomination_id, stage, member_id)
);

CREATE TABLE decrees (
	id         INTEGER PRIMARY KEY,
	number     TEXT NOT NULL,
	date       DATE NOT NULL,
	authority  TEXT NOT NULL,
	kind       TEXT NOT NULL,
	created_by INTEGER,
	created_at TIMESTAMP NOT NULL,
	UNIQUE (authority, number)
);

CREATE TABLE decree_entries (
	decree_id      INTEGER NOT NULL REFERENCES decrees (id),
	position       INTEGER NOT NULL,
	nomination_id  INTEGER REFERENCES nominations (id),
	conferral_id   INTEGER,
	grounds        TEXT NOT NULL,
	award_id       INTEGER REFERENCES awards (id),
	recipient_kind TEXT,
	recipient_id   INTEGER,
	PRIMARY KEY (decree_id, position)
);

CREATE TABLE decree_signatures (
	decree_id INTEGER PRIMARY KEY REFERENCES decrees (id),
	signed_at TIMESTAMP NOT NULL,
	signed_by INTEGER
);

CREATE TABLE conferrals (
	id             INTEGER PRIMARY KEY,
	award_id       INTEGER NOT NULL REFERENCES awards (id),
	recipient_kind TEXT NOT NULL,
	recipient_id   INTEGER NOT NULL,
	decree_id      INTEGER NOT NULL REFERENCES decrees (id),
	nomination_id  INTEGER REFERENCES nominations (id),
	serial         INTEGER NOT NULL,
	date           DATE NOT NULL,
	times          INTEGER NOT NULL,
	brings         TEXT NOT NULL,
	companion_of   INTEGER REFERENCES conferrals (id),
	created_at     TIMESTAMP NOT NULL,
	UNIQUE (award_id, serial)
);
CREATE INDEX conferrals_recipient ON conferrals (recipient_kind, recipient_id, award_id);
CREATE INDEX conferrals_decree ON conferrals (decree_id);
CREATE INDEX conferrals_date ON conferrals (date);

CREATE TABLE revocations (
	conferral_id INTEGER PRIMARY KEY REFERENCES conferrals (id),
	decree_id    INTEGER NOT NULL REFERENCES decrees (id),
	grounds      TEXT NOT NULL,
	date         DATE NOT NULL,
	created_at   TIMESTAMP NOT NULL
);

CREATE TABLE ceremonies (
	id         INTEGER PRIMARY KEY,
	date       DATE NOT NULL,
	place      TEXT NOT NULL,
	presenter  TEXT NOT NULL,
	created_by INTEGER,
	created_at TIMESTAMP NOT NULL
);

CREATE TABLE ceremony_conferrals (
	ceremony_id  INTEGER NOT NULL REFERENCES ceremonies (id),
	conferral_id INTEGER NOT NULL REFERENCES conferrals (id),
	position     INTEGER NOT NULL,
	PRIMARY KEY (ceremony_id, conferral_id)
);

-- A conferral is presented once.
CREATE TABLE presentations (
	conferral_id INTEGER PRIMARY KEY REFERENCES conferrals (id),
	ceremony_id  INTEGER NOT NULL REFERENCES ceremonies (id),
	created_at   TIMESTAMP NOT NULL,
	by_user      INTEGER
);
