-- Fixed-window rate limits shared by every instance on the database (rbac.Limiter): one row
-- per bucket (a limit's name and a client key, or the limit's overall bucket) and window,
-- counted by one atomic upsert per hit; the janitor deletes windows older than a day.
-- UNLOGGED on PostgreSQL: a hit commits without waiting for a WAL flush (about 10 times
-- faster), and a crash merely empties the table, which forgives the current windows.
CREATE {{UNLOGGED}} TABLE rate_windows (
    bucket TEXT NOT NULL,
    window_start {{TS}} NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
-- Pruning deletes by age across all buckets.
CREATE INDEX rate_windows_start_idx ON rate_windows (window_start);
