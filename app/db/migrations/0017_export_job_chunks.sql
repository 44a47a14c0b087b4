-- The workbook of a finished background export (exports/sheets) is kept in the database,
-- in pieces of at most 1 MiB in seq order, so whichever instance behind the load balancer
-- answers the download can stream it: no shared volume is needed. The pieces go with
-- their job (ON DELETE CASCADE) when it is pruned a day after it finished.
CREATE TABLE export_job_chunks (
    job_id BIGINT NOT NULL REFERENCES export_jobs (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data {{BLOB}} NOT NULL,
    PRIMARY KEY (job_id, seq)
);
