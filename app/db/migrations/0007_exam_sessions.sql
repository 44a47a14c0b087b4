-- Exam sessions (考试场次) and attempts. The server owns time and state: an attempt's
-- deadline is fixed when it starts (the earlier of start + duration and the window's end)
-- and nothing a client sends can move it; only an audited extension by an invigilator can.
CREATE TABLE exam_sessions (
    id {{ID}},
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    standard_version_id BIGINT NOT NULL REFERENCES standard_versions (id),
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    opens_at {{TS}} NOT NULL,
    closes_at {{TS}} NOT NULL,
    rooms {{JSON}},
    results_held BOOLEAN NOT NULL DEFAULT TRUE,
    status TEXT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);
CREATE INDEX exam_sessions_org_idx ON exam_sessions (org_id, opens_at);

-- One part of a session (理论知识, 技能考核, 综合评审) with its duration and where its
-- questions come from: a blueprint drawn per candidate, or a fixed paper.
CREATE TABLE session_parts (
    id {{ID}},
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    part TEXT NOT NULL,
    duration_minutes INTEGER NOT NULL,
    blueprint_id BIGINT,
    paper_id BIGINT,
    UNIQUE (session_id, part)
);

-- Candidates are people; adding a whole org unit adds each active clerk in it.
CREATE TABLE session_candidates (
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    room TEXT NOT NULL DEFAULT '',
    seat TEXT NOT NULL DEFAULT '',
    added_at {{TS}} NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

-- Invigilators (监考) and assessors (考评员) of a session.
CREATE TABLE session_staff (
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    room TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (session_id, user_id, role)
);

-- One candidate's attempt at one part. The unique pair makes a racing second start find
-- the first. seed reproduces the draw and option order. status is 'open' until the
-- candidate submits or the deadline closes it, then 'closed'; closed_by says which
-- ('candidate' or 'deadline'); submitted_at is when it closed. marked_at is set once the
-- marker has run on the closed attempt, so a crash between closing and marking is
-- retried. login_key identifies the login session that last opened the attempt, so
-- opening it from another one is recorded.
CREATE TABLE attempts (
    id {{ID}},
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    part_id BIGINT NOT NULL REFERENCES session_parts (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    seed BIGINT NOT NULL,
    status TEXT NOT NULL,
    started_at {{TS}} NOT NULL,
    deadline {{TS}} NOT NULL,
    submitted_at {{TS}},
    closed_by TEXT NOT NULL DEFAULT '',
    extra_minutes INTEGER NOT NULL DEFAULT 0,
    marked_at {{TS}},
    login_key TEXT NOT NULL DEFAULT '',
    UNIQUE (part_id, user_id)
);
CREATE INDEX attempts_open_idx ON attempts (status, deadline);
CREATE INDEX attempts_unmarked_idx ON attempts (status, marked_at);
CREATE INDEX attempts_session_idx ON attempts (session_id, user_id);

-- The candidate's own paper: question version, points, and the option order shown
-- (perm[i] is the original index of the option shown in place i).
CREATE TABLE attempt_items (
    attempt_id BIGINT NOT NULL REFERENCES attempts (id),
    idx INTEGER NOT NULL,
    question_id BIGINT NOT NULL REFERENCES questions (id),
    points DOUBLE PRECISION NOT NULL,
    perm {{JSON}},
    PRIMARY KEY (attempt_id, idx)
);

-- The latest saved answer per item, in the question's original option letters. seq is the
-- client's save counter: a late, older save never overwrites a newer one.
CREATE TABLE attempt_answers (
    attempt_id BIGINT NOT NULL REFERENCES attempts (id),
    idx INTEGER NOT NULL,
    response {{JSON}},
    flagged BOOLEAN NOT NULL DEFAULT FALSE,
    seq BIGINT NOT NULL,
    saved_at {{TS}} NOT NULL,
    PRIMARY KEY (attempt_id, idx)
);

-- Integrity events: leaving the page, pasting, a second concurrent login, extensions.
CREATE TABLE attempt_events (
    id {{ID}},
    attempt_id BIGINT NOT NULL REFERENCES attempts (id),
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    actor_id BIGINT,
    at {{TS}} NOT NULL
);
CREATE INDEX attempt_events_attempt_idx ON attempt_events (attempt_id, at);
