-- Practice: each question handed out gets a random token its answer must quote, so an
-- answer is counted once and only for the clerk it was served to. Answers keep the
-- question version they were given; the wrong-answer notebook (错题本) is per question
-- family so a new version of a question still counts.
CREATE TABLE practice_serves (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    question_id BIGINT NOT NULL REFERENCES questions (id),
    family_id BIGINT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    level INTEGER NOT NULL,
    branch TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL,
    counted_level INTEGER NOT NULL,
    served_at {{TS}} NOT NULL
);
CREATE INDEX practice_serves_user_idx ON practice_serves (user_id, served_at);

CREATE TABLE practice_answers (
    id {{ID}},
    serve_id BIGINT NOT NULL UNIQUE REFERENCES practice_serves (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    question_id BIGINT NOT NULL REFERENCES questions (id),
    family_id BIGINT NOT NULL,
    level INTEGER NOT NULL,
    code TEXT NOT NULL,
    correct BOOLEAN,
    points DOUBLE PRECISION NOT NULL DEFAULT 0,
    max_points INTEGER NOT NULL,
    self_marked BOOLEAN,
    response {{JSON}},
    answered_at {{TS}} NOT NULL
);
CREATE INDEX practice_answers_user_idx ON practice_answers (user_id, family_id, answered_at);
CREATE INDEX practice_answers_level_idx ON practice_answers (user_id, level, code);

CREATE TABLE wrong_book (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    family_id BIGINT NOT NULL,
    question_id BIGINT NOT NULL REFERENCES questions (id),
    wrong_count INTEGER NOT NULL DEFAULT 1,
    last_answer {{JSON}},
    last_wrong_at {{TS}} NOT NULL,
    UNIQUE (user_id, family_id)
);

CREATE TABLE practice_prefs (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    level INTEGER NOT NULL,
    branch TEXT NOT NULL DEFAULT '',
    updated_at {{TS}} NOT NULL
);
