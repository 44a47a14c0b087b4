-- Papers (组卷). A blueprint shares one part's 100 marks out over the standard's branches:
-- each spec row asks for a count of questions of one type within a branch at so many
-- points each; every candidate gets their own draw from the exam pool. A fixed paper is an
-- ordered list of question versions with points. Both belong to an org unit (like
-- questions) and record the standard version they were checked against when saved.
-- spec_rows, mix and items are JSON; revision guards edits against lost updates.
CREATE TABLE blueprints (
    id {{ID}},
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    part TEXT NOT NULL,
    standard_version_id BIGINT NOT NULL REFERENCES standard_versions (id),
    owner_org_id BIGINT NOT NULL REFERENCES org_units (id),
    tolerance DOUBLE PRECISION NOT NULL,
    mix {{JSON}},
    spec_rows {{JSON}},
    note TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT,
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);
CREATE INDEX blueprints_level_idx ON blueprints (level, part, updated_at);
CREATE INDEX blueprints_owner_idx ON blueprints (owner_org_id);

CREATE TABLE papers (
    id {{ID}},
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    part TEXT NOT NULL,
    standard_version_id BIGINT NOT NULL REFERENCES standard_versions (id),
    owner_org_id BIGINT NOT NULL REFERENCES org_units (id),
    tolerance DOUBLE PRECISION NOT NULL,
    items {{JSON}},
    note TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    created_by BIGINT,
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);
CREATE INDEX papers_level_idx ON papers (level, part, updated_at);
CREATE INDEX papers_owner_idx ON papers (owner_org_id);
