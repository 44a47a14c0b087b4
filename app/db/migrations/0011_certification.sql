-- Level certification (exams/certify): what HR records about a person beyond the roster,
-- applications with their evaluated 申报条件, 综合评审 panel scores, the certificate
-- register, and 定岗晋级 records.

-- What 申报条件 need that the roster does not hold: service in the occupation before the
-- hire date, when the diploma was obtained, a professional title and its date.
CREATE TABLE qualifications (
    staff_id BIGINT PRIMARY KEY REFERENCES staff (id),
    prior_service_months INTEGER NOT NULL DEFAULT 0,
    education_detail TEXT NOT NULL DEFAULT '',
    education_date DATE,
    title TEXT NOT NULL DEFAULT '',
    title_date DATE,
    updated_by BIGINT REFERENCES users (id),
    updated_at {{TS}} NOT NULL
);

-- An application (申报) for a level. evaluation keeps, rule by rule, what was met and
-- why, as evaluated when the application was last checked. org_id is the person's unit
-- when applying, the scope HR acts in. An exception needs a reason; it is audited.
-- session_id is the exam session the approved applicant was placed into.
CREATE TABLE cert_applications (
    id {{ID}},
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    level INTEGER NOT NULL,
    standard_version_id BIGINT NOT NULL REFERENCES standard_versions (id),
    status TEXT NOT NULL,
    eligible BOOLEAN NOT NULL,
    evaluation {{JSON}},
    exception_reason TEXT NOT NULL DEFAULT '',
    decision_note TEXT NOT NULL DEFAULT '',
    session_id BIGINT REFERENCES exam_sessions (id),
    created_by BIGINT REFERENCES users (id),
    decided_by BIGINT REFERENCES users (id),
    decided_at {{TS}},
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);
CREATE INDEX cert_applications_org_idx ON cert_applications (org_id, status);
-- One open application per person and level.
CREATE UNIQUE INDEX cert_applications_open_idx ON cert_applications (staff_id, level)
    WHERE status IN ('submitted', 'approved', 'placed');

-- A 综合评审 panel's marks for one candidate of a session: members holds each member's
-- user id and mark; score is their mean, out of 100.
CREATE TABLE review_scores (
    session_id BIGINT NOT NULL REFERENCES exam_sessions (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    members {{JSON}},
    score DOUBLE PRECISION NOT NULL,
    pass_mark INTEGER NOT NULL,
    passed BOOLEAN NOT NULL,
    recorded_by BIGINT REFERENCES users (id),
    recorded_at {{TS}} NOT NULL,
    PRIMARY KEY (session_id, user_id)
);

-- Certificate numbers are issued from a counter per issuing unit and year, taken under
-- a row lock so concurrent awards never share one.
CREATE TABLE cert_counters (
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    year INTEGER NOT NULL,
    next_no BIGINT NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- The register (证书登记): one row per award, bound to the person by national ID.
-- status: valid, revoked (with reason) or superseded (by a higher level's certificate).
-- A revocation keeps its class (shown on public verification) apart from the reason
-- (status_reason, for HR only). parts keeps each required part's score and pass as decided.
CREATE TABLE certificates (
    id {{ID}},
    number TEXT NOT NULL UNIQUE,
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    level INTEGER NOT NULL,
    occupation TEXT NOT NULL,
    standard_version_id BIGINT NOT NULL REFERENCES standard_versions (id),
    issuing_org_id BIGINT NOT NULL REFERENCES org_units (id),
    session_id BIGINT REFERENCES exam_sessions (id),
    application_id BIGINT REFERENCES cert_applications (id),
    parts {{JSON}},
    issued_on DATE NOT NULL,
    valid_until DATE,
    status TEXT NOT NULL,
    status_reason TEXT NOT NULL DEFAULT '',
    revoke_class TEXT NOT NULL DEFAULT '',
    revoked_by BIGINT REFERENCES users (id),
    revoked_at {{TS}},
    superseded_by BIGINT REFERENCES certificates (id),
    signed_by BIGINT REFERENCES users (id),
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);
CREATE INDEX certificates_staff_idx ON certificates (staff_id, level);
CREATE INDEX certificates_org_idx ON certificates (issuing_org_id, issued_on);
-- A person holds one award per level and session; awarding twice finds the first.
CREATE UNIQUE INDEX certificates_award_idx ON certificates (staff_id, level, session_id);

-- 定岗晋级: a change of post or grade that refers to the award it rests on.
CREATE TABLE post_changes (
    id {{ID}},
    staff_id BIGINT NOT NULL REFERENCES staff (id),
    certificate_id BIGINT REFERENCES certificates (id),
    from_post TEXT NOT NULL DEFAULT '',
    to_post TEXT NOT NULL,
    from_grade TEXT NOT NULL DEFAULT '',
    to_grade TEXT NOT NULL DEFAULT '',
    effective_on DATE NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    recorded_by BIGINT REFERENCES users (id),
    created_at {{TS}} NOT NULL
);
CREATE INDEX post_changes_staff_idx ON post_changes (staff_id, effective_on);
