-- Editing and cancelling training events. A cancelled event keeps its registrations (the
-- clerks see it as 已取消 with the reason) but takes no more registrations, sign-ins or
-- attendance. status is 'scheduled' or 'cancelled'.
ALTER TABLE training_events ADD COLUMN status TEXT NOT NULL DEFAULT 'scheduled';
ALTER TABLE training_events ADD COLUMN cancel_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE training_events ADD COLUMN cancelled_at {{TS}};
ALTER TABLE training_events ADD COLUMN cancelled_by BIGINT;

-- OrgHours sums one year's hours of the units in a subtree: with the year, the void mark
-- and the hours in the index, SQLite answers from the index alone instead of reading every
-- entry of the year from the table. It starts with (org_id, year), so the index it
-- replaces is dropped.
CREATE INDEX training_hours_org_year_hours_idx ON training_hours (org_id, year, voided_at, hours);
DROP INDEX training_hours_org_idx;

-- Whether an event's attendance has earned hours decides if its hours may still change
-- and if it may be cancelled: found by event, not by scanning the ledger.
CREATE INDEX training_hours_event_idx ON training_hours (event_id);
