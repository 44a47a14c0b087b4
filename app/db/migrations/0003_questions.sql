-- The question bank. Each edit adds a version (same family_id, next version); papers and
-- attempts point at a version row, so what they used never changes. A used question is
-- retired, never deleted. levels is a bitmask: bit N set means level N (5 = 五级 … 1 = 一级).
CREATE TABLE questions (
    id {{ID}},
    family_id BIGINT NOT NULL,
    version INTEGER NOT NULL,
    latest BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    used BOOLEAN NOT NULL DEFAULT FALSE,
    type TEXT NOT NULL,
    levels INTEGER NOT NULL,
    code TEXT NOT NULL,
    difficulty INTEGER NOT NULL,
    point TEXT NOT NULL DEFAULT '',
    stem TEXT NOT NULL,
    options {{JSON}},
    answer {{JSON}},
    rubric {{JSON}},
    task TEXT NOT NULL DEFAULT '',
    score INTEGER NOT NULL,
    partial TEXT NOT NULL DEFAULT 'none',
    explanation TEXT NOT NULL DEFAULT '',
    pool TEXT NOT NULL,
    owner_org_id BIGINT NOT NULL REFERENCES org_units (id),
    created_by BIGINT,
    created_at {{TS}} NOT NULL,
    UNIQUE (family_id, version)
);
CREATE INDEX questions_latest_idx ON questions (latest, status, code);
CREATE INDEX questions_owner_idx ON questions (owner_org_id);
