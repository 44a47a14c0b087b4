-- Background exports (exports/sheets): a workbook too large to build while the browser
-- waits is queued here; one instance claims it (SELECT … FOR UPDATE SKIP LOCKED on
-- PostgreSQL), writes the file under the data dir and records progress, so any instance
-- can answer the page that polls it. kind and params say what to export, org_path the
-- unit it covers (those who may export there may fetch it); pii_scope keeps
-- the requester's staff:pii subtrees at request time, so IDs are masked as they would be
-- in a direct download. status: queued, running, done, failed. The file is removed a day
-- after it is finished (expires_at).
CREATE TABLE export_jobs (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,
    params {{JSON}},
    org_path TEXT NOT NULL,
    pii_scope {{JSON}},
    status TEXT NOT NULL,
    done_rows INTEGER NOT NULL DEFAULT 0,
    total_rows INTEGER NOT NULL DEFAULT 0,
    filename TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    claimed_at {{TS}},
    finished_at {{TS}},
    expires_at {{TS}},
    created_at {{TS}} NOT NULL
);
CREATE INDEX export_jobs_status_idx ON export_jobs (status, created_at);
CREATE INDEX export_jobs_user_idx ON export_jobs (user_id, created_at);
