-- Course attachments and training evidence (app/blobs) are kept in the database, so every
-- instance behind the load balancer serves the same bytes and `clerkskill backup` carries
-- them: no shared volume is needed. namespace keeps each user's names apart
-- ("attachments", "evidence"); name is the key the owning store made up. A file's bytes
-- are pieces of 1 MiB in seq order (the last one shorter), written in one transaction with
-- the file row, so a reader never sees half a file; they go with it (ON DELETE CASCADE).
CREATE TABLE file_blobs (
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    size BIGINT NOT NULL,
    created_at {{TS}} NOT NULL,
    PRIMARY KEY (namespace, name)
);

CREATE TABLE file_blob_chunks (
    namespace TEXT NOT NULL,
    name TEXT NOT NULL,
    seq INTEGER NOT NULL,
    data {{BLOB}} NOT NULL,
    PRIMARY KEY (namespace, name, seq),
    FOREIGN KEY (namespace, name) REFERENCES file_blobs (namespace, name) ON DELETE CASCADE
);
