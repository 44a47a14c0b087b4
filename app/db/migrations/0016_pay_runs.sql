-- Pay runs (exports/pay): HR closes (核定) a month's pay sheet of an org unit (its subtree)
-- and the computed rows are kept, so the sheet of a closed month downloads the same each
-- time even after ratings, workload, levels or policies change. policies holds a copy of
-- every policy the rows name (rules, unit name, version), title the sheet's title as
-- closed. status: closed, or reopened once HR reopens it with a reason (who, when, why
-- are kept here and in audit_log); the month is then computed live again and may be
-- closed anew as a new run. At most one closed run per unit and month: two HR closing
-- at once get one run and one conflict.
CREATE TABLE pay_runs (
    id {{ID}},
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    period TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    clerks INTEGER NOT NULL,
    amount DOUBLE PRECISION NOT NULL,
    policies {{JSON}},
    closed_by BIGINT REFERENCES users (id),
    closed_at {{TS}} NOT NULL,
    reopened_by BIGINT REFERENCES users (id),
    reopened_at {{TS}},
    reopen_reason TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX pay_runs_closed_idx ON pay_runs (org_id, period) WHERE status = 'closed';
CREATE INDEX pay_runs_org_idx ON pay_runs (org_id, period);

-- One clerk's line of a closed run, in sheet order (seq): every input beside every
-- result, as computed when the month was closed. No foreign key to staff: the run
-- outlives changes to the roster.
CREATE TABLE pay_run_rows (
    run_id BIGINT NOT NULL REFERENCES pay_runs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    staff_id BIGINT NOT NULL,
    emp_no TEXT NOT NULL,
    name TEXT NOT NULL,
    org_id BIGINT NOT NULL,
    org_name TEXT NOT NULL,
    org_path TEXT NOT NULL,
    policy_id BIGINT NOT NULL,
    policy_org TEXT NOT NULL,
    policy_version INTEGER NOT NULL,
    policy_from TEXT NOT NULL,
    level INTEGER NOT NULL,
    allowance DOUBLE PRECISION NOT NULL,
    exam DOUBLE PRECISION NOT NULL,
    exam_parts INTEGER NOT NULL,
    rated_5 INTEGER NOT NULL,
    rated_4 INTEGER NOT NULL,
    rated_3 INTEGER NOT NULL,
    rated_2 INTEGER NOT NULL,
    rated_1 INTEGER NOT NULL,
    rating_count INTEGER NOT NULL,
    rating_points DOUBLE PRECISION NOT NULL,
    max_points DOUBLE PRECISION NOT NULL,
    service DOUBLE PRECISION NOT NULL,
    cases INTEGER NOT NULL,
    calls INTEGER NOT NULL,
    consults INTEGER NOT NULL,
    errands INTEGER NOT NULL,
    work_total INTEGER NOT NULL,
    work_basis DOUBLE PRECISION NOT NULL,
    workload DOUBLE PRECISION NOT NULL,
    weight_exam DOUBLE PRECISION NOT NULL,
    weight_service DOUBLE PRECISION NOT NULL,
    weight_workload DOUBLE PRECISION NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    tier TEXT NOT NULL,
    coefficient DOUBLE PRECISION NOT NULL,
    base DOUBLE PRECISION NOT NULL,
    performance DOUBLE PRECISION NOT NULL,
    amount DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (run_id, seq)
);
