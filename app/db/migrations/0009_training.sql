-- Training events (讲座, 分享会, 练兵日), who may attend them, registrations and sign-in
-- codes, and the training hours ledger (学时). An event's registered count is kept on the
-- event and raised by one conditional UPDATE, so two clerks taking the last place leave
-- one registered on either store.
CREATE TABLE training_events (
    id {{ID}},
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    starts_at {{TS}} NOT NULL,
    ends_at {{TS}} NOT NULL,
    place TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    registered INTEGER NOT NULL DEFAULT 0,
    hours DOUBLE PRECISION NOT NULL,
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    course_id BIGINT,
    created_by BIGINT,
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);
CREATE INDEX training_events_org_idx ON training_events (org_id, starts_at);
CREATE INDEX training_events_time_idx ON training_events (starts_at);

-- The units whose clerks (subtrees included) may attend.
CREATE TABLE training_event_audience (
    event_id BIGINT NOT NULL REFERENCES training_events (id),
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    PRIMARY KEY (event_id, org_id)
);

CREATE TABLE training_registrations (
    event_id BIGINT NOT NULL REFERENCES training_events (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    registered_at {{TS}} NOT NULL,
    registered_by BIGINT,
    attended_at {{TS}},
    attended_via TEXT NOT NULL DEFAULT '',
    code_failures INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX training_registrations_user_idx ON training_registrations (user_id);

-- One-time sign-in codes shown in the room: each is valid for a short while and for one
-- clerk only; a used code is marked with who used it.
CREATE TABLE training_event_codes (
    id {{ID}},
    event_id BIGINT NOT NULL REFERENCES training_events (id),
    code TEXT NOT NULL,
    issued_at {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL,
    used_by BIGINT,
    used_at {{TS}},
    UNIQUE (event_id, code)
);

-- The ledger. Every course completion, attendance and external training is one entry;
-- source_key makes completions and attendances idempotent (NULL for external entries).
-- year is the calendar year in China Standard Time, fixed when the entry is written.
CREATE TABLE training_hours (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    org_id BIGINT REFERENCES org_units (id),
    source TEXT NOT NULL,
    source_key TEXT UNIQUE,
    course_id BIGINT,
    course_revision INTEGER,
    event_id BIGINT REFERENCES training_events (id),
    title TEXT NOT NULL,
    provider TEXT NOT NULL DEFAULT '',
    hours DOUBLE PRECISION NOT NULL,
    earned_at {{TS}} NOT NULL,
    year INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    evidence_name TEXT NOT NULL DEFAULT '',
    evidence_file TEXT NOT NULL DEFAULT '',
    evidence_type TEXT NOT NULL DEFAULT '',
    evidence_size INTEGER NOT NULL DEFAULT 0,
    created_by BIGINT,
    created_at {{TS}} NOT NULL,
    voided_at {{TS}},
    voided_by BIGINT,
    void_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX training_hours_user_idx ON training_hours (user_id, year);
CREATE INDEX training_hours_org_idx ON training_hours (org_id, year);
