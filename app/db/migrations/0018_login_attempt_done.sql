-- A login try is written down before its password is checked (so a burst of guesses at one
-- account sees itself). done tells a finished failure from a try still being checked: the
-- per-address throttle counts only finished failures, so many clerks signing in at once
-- from one exam hall's address are not refused for each other's tries in flight.
ALTER TABLE login_attempts ADD COLUMN done BOOLEAN NOT NULL DEFAULT TRUE;
