-- Differentiated pay (exports/pay): service ratings (好差评) and workload that HR imports,
-- dated pay policies per org unit, each change a new version.

-- One service rating (count 1, rated_on set) or, from the per-clerk layout, how many
-- ratings of one grade a clerk had in a month (rated_on NULL). grade: 5 非常满意 … 1
-- 非常不满意. org_id is the clerk's unit at import. A removed rating (appeal upheld) keeps
-- its row with who removed it and why, and stops counting.
CREATE TABLE pay_ratings (
    id {{ID}},
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    period TEXT NOT NULL,
    rated_on DATE,
    grade INTEGER NOT NULL,
    count INTEGER NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    case_no TEXT NOT NULL DEFAULT '',
    batch TEXT NOT NULL,
    removed_at {{TS}},
    removed_by BIGINT REFERENCES users (id),
    removed_reason TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at {{TS}} NOT NULL
);
CREATE INDEX pay_ratings_staff_idx ON pay_ratings (staff_id, period);
CREATE INDEX pay_ratings_org_idx ON pay_ratings (org_id, period);

-- Workload of one clerk in one month; a later import of the same clerk and month
-- replaces the figures.
CREATE TABLE pay_workloads (
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    period TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    cases INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    consults INTEGER NOT NULL,
    errands INTEGER NOT NULL,
    updated_by BIGINT REFERENCES users (id),
    updated_at {{TS}} NOT NULL,
    PRIMARY KEY (staff_id, period)
);
CREATE INDEX pay_workloads_org_idx ON pay_workloads (org_id, period);

-- A pay policy of one unit from a day on. Saving again makes a new version; the highest
-- version of the latest effective_from on or before a day is in force that day. rules
-- holds allowances per level, weights, grade points, workload scaling, tiers and base.
CREATE TABLE pay_policies (
    id {{ID}},
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    effective_from DATE NOT NULL,
    version INTEGER NOT NULL,
    rules {{JSON}},
    note TEXT NOT NULL DEFAULT '',
    created_by BIGINT REFERENCES users (id),
    created_at {{TS}} NOT NULL,
    UNIQUE (org_id, effective_from, version)
);
