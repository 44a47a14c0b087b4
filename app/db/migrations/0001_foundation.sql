-- The foundation: org tree, staff, accounts, role grants, sessions, tokens, login throttling, audit.
CREATE TABLE org_units (
    id {{ID}},
    parent_id BIGINT REFERENCES org_units (id),
    tier TEXT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    path {{PATH}} NOT NULL UNIQUE,
    depth INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);
CREATE INDEX org_units_parent_idx ON org_units (parent_id);

CREATE TABLE staff (
    id {{ID}},
    emp_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    id_number TEXT UNIQUE,
    phone TEXT NOT NULL DEFAULT '',
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    position TEXT NOT NULL DEFAULT '',
    employment_type TEXT NOT NULL,
    hire_date DATE,
    education TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);
CREATE INDEX staff_org_idx ON staff (org_id, emp_no);
CREATE INDEX staff_name_idx ON staff (name);

CREATE TABLE users (
    id {{ID}},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    staff_id BIGINT UNIQUE REFERENCES staff (id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    last_login_at {{TS}},
    created_at {{TS}} NOT NULL,
    updated_at {{TS}} NOT NULL
);

CREATE TABLE grants (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    org_id BIGINT NOT NULL REFERENCES org_units (id),
    granted_by BIGINT,
    created_at {{TS}} NOT NULL,
    UNIQUE (user_id, role, org_id)
);
CREATE INDEX grants_org_idx ON grants (org_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created_at {{TS}} NOT NULL,
    last_seen_at {{TS}} NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE api_tokens (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at {{TS}} NOT NULL,
    last_used_at {{TS}},
    expires_at {{TS}},
    revoked_at {{TS}}
);

CREATE TABLE login_attempts (
    id {{ID}},
    username TEXT NOT NULL,
    ip TEXT NOT NULL,
    ok BOOLEAN NOT NULL,
    at {{TS}} NOT NULL
);
CREATE INDEX login_attempts_user_idx ON login_attempts (username, at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);

CREATE TABLE audit_log (
    id {{ID}},
    at {{TS}} NOT NULL,
    actor_id BIGINT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BIGINT,
    org_id BIGINT,
    detail {{JSON}}
);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id);
