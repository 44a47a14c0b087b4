-- Marking and results of exam sessions (exams/marking).

-- Per-session marking settings; a session without a row uses the defaults: single
-- marking, and reviews may be asked for within 7 days of release.
CREATE TABLE marking_settings (
    session_id BIGINT PRIMARY KEY REFERENCES exam_sessions (id),
    double_practical BOOLEAN NOT NULL DEFAULT FALSE,
    margin DOUBLE PRECISION NOT NULL DEFAULT 0,
    review_days INTEGER NOT NULL DEFAULT 7,
    updated_by BIGINT REFERENCES users (id),
    updated_at {{TS}} NOT NULL
);

-- The claim of one attempt by the marker: the first MarkAttempt inserts it, a second
-- (or concurrent) one finds it and does nothing, so an attempt is marked exactly once.
CREATE TABLE marked_attempts (
    attempt_id BIGINT PRIMARY KEY REFERENCES attempts (id),
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    marked_at {{TS}} NOT NULL
);

-- The current mark of one item of an attempt. Objective items are marked at once
-- (status 'auto'); hand-marked ones wait in the queue ('pending'), may need an arbiter
-- ('arbitration') and end 'marked'. score is on the item's points on the paper; choice
-- keeps the option letters chosen (original letters) or the judge answer, for analysis.
CREATE TABLE item_marks (
    attempt_id BIGINT NOT NULL REFERENCES attempts (id),
    idx INTEGER NOT NULL,
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    question_id BIGINT NOT NULL REFERENCES questions (id),
    qtype TEXT NOT NULL,
    code TEXT NOT NULL,
    points DOUBLE PRECISION NOT NULL,
    score DOUBLE PRECISION,
    status TEXT NOT NULL,
    double_marked BOOLEAN NOT NULL DEFAULT FALSE,
    choice TEXT NOT NULL DEFAULT '',
    answered BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at {{TS}} NOT NULL,
    PRIMARY KEY (attempt_id, idx)
);
CREATE INDEX item_marks_session_idx ON item_marks (session_id, status);

-- One assessor's mark of one hand-marked item: per-criterion marks on the question's
-- own scale (a practical task's rubric), or one total for a short answer. role is
-- 'first', 'second' or 'arbiter'; via says whether it came from the marking page or a
-- paper score sheet.
CREATE TABLE assessor_marks (
    id {{ID}},
    attempt_id BIGINT NOT NULL REFERENCES attempts (id),
    idx INTEGER NOT NULL,
    assessor_id BIGINT NOT NULL REFERENCES users (id),
    role TEXT NOT NULL,
    criteria {{JSON}},
    raw DOUBLE PRECISION NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    via TEXT NOT NULL DEFAULT 'page',
    marked_at {{TS}} NOT NULL,
    UNIQUE (attempt_id, idx, assessor_id),
    UNIQUE (attempt_id, idx, role)
);

-- Every change of an item's score: who (NULL for the automatic marker), when, old and
-- new (NULL for none yet), and why.
CREATE TABLE score_audit (
    id {{ID}},
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    attempt_id BIGINT NOT NULL REFERENCES attempts (id),
    idx INTEGER NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    at {{TS}} NOT NULL,
    old_score DOUBLE PRECISION,
    new_score DOUBLE PRECISION,
    source TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX score_audit_attempt_idx ON score_audit (attempt_id, idx, id);
CREATE INDEX score_audit_session_idx ON score_audit (session_id, id);

-- A trainer's release of a session's results. A session whose results are not held
-- shows them from its close without a row here.
CREATE TABLE result_releases (
    session_id BIGINT PRIMARY KEY REFERENCES exam_sessions (id),
    released_by BIGINT REFERENCES users (id),
    released_at {{TS}} NOT NULL
);

-- One part result of one attempt, fixed to the standard version the session used so a
-- new standard never rewrites it. score is out of 100; branches holds the marks per top
-- branch of the standard with the branch names of that version.
CREATE TABLE part_results (
    attempt_id BIGINT PRIMARY KEY REFERENCES attempts (id),
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    part TEXT NOT NULL,
    standard_version_id BIGINT NOT NULL REFERENCES standard_versions (id),
    earned DOUBLE PRECISION NOT NULL,
    possible DOUBLE PRECISION NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    pass_mark INTEGER NOT NULL,
    passed BOOLEAN NOT NULL,
    complete BOOLEAN NOT NULL,
    branches {{JSON}},
    computed_at {{TS}} NOT NULL
);
CREATE INDEX part_results_session_idx ON part_results (session_id, user_id);
CREATE INDEX part_results_user_idx ON part_results (user_id);

-- A candidate's request to review one marked item, and its answer: kept, or changed
-- with the new score.
CREATE TABLE review_requests (
    id {{ID}},
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    attempt_id BIGINT NOT NULL REFERENCES attempts (id),
    idx INTEGER NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    requested_at {{TS}} NOT NULL,
    status TEXT NOT NULL,
    old_score DOUBLE PRECISION,
    new_score DOUBLE PRECISION,
    answer TEXT NOT NULL DEFAULT '',
    answered_by BIGINT REFERENCES users (id),
    answered_at {{TS}},
    UNIQUE (attempt_id, idx)
);
CREATE INDEX review_requests_session_idx ON review_requests (session_id, status);
