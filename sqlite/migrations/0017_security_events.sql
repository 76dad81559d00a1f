-- What an auditor reads of attempts to get in or to act beyond one's
-- rights: sign-ins (failed, held back by the throttle, successful) and
-- refused permissions. Only ever added to. The sign-in throttle counts a
-- name's and an address's recent failures here.
CREATE TABLE security_events (
	id      INTEGER PRIMARY KEY,
	kind    TEXT NOT NULL,
	name    TEXT NOT NULL,
	user_id INTEGER,
	address TEXT NOT NULL,
	method  TEXT NOT NULL,
	path    TEXT NOT NULL,
	detail  TEXT NOT NULL,
	at      TIMESTAMP NOT NULL
);
CREATE INDEX security_events_name ON security_events (name, kind, at);
CREATE INDEX security_events_address ON security_events (address, kind, at);
CREATE INDEX security_events_kind ON security_events (kind, id);
