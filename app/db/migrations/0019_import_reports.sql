-- The error report of a refused import (the uploaded workbook with an 错误说明 column, from
-- exams/bank and exports/sheets) is kept here for its uploader, so whichever instance
-- behind the load balancer answers the download can serve it. id is the random key in
-- the download link (32 hex digits); only user_id may fetch it. A report is at most
-- 8 MiB and is pruned an hour after it was made (expires_at).
CREATE TABLE import_reports (
    id TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    data {{BLOB}} NOT NULL,
    created_at {{TS}} NOT NULL,
    expires_at {{TS}} NOT NULL
);
CREATE INDEX import_reports_user_idx ON import_reports (user_id, created_at);
CREATE INDEX import_reports_expires_idx ON import_reports (expires_at);
