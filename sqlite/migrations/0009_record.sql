-- The record of work: dates and bounds.
--
-- A presentation carries its own date, the ceremony's: presenting at a 2013
-- ceremony records 2013-05-01, while created_at keeps when it was written.
-- Presentations made before this migration take their ceremony's date.
ALTER TABLE presentations ADD COLUMN date DATE;
UPDATE presentations SET date = (SELECT c.date FROM ceremonies c WHERE c.id = presentations.ceremony_id);

-- A good's rules bound what one shift may record of it (produced,
-- accepted, a norm): a million of its measure unless set otherwise.
ALTER TABLE good_plausibility ADD COLUMN max_per_shift REAL NOT NULL DEFAULT 1000000;
