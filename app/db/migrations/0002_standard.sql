-- The skill standard as versioned data. Rows are append-only: a new version never rewrites an
-- old one, and the current version is the one with the highest version_no. The unique
-- version_no makes two racing writers of the same version fail instead of both landing.
CREATE TABLE standard_versions (
    id {{ID}},
    version_no INTEGER NOT NULL UNIQUE,
    code TEXT NOT NULL,
    version_label TEXT NOT NULL,
    definition {{JSON}} NOT NULL,
    provisional BOOLEAN NOT NULL,
    imported_by BIGINT,
    note TEXT NOT NULL DEFAULT '',
    created_at {{TS}} NOT NULL
);
