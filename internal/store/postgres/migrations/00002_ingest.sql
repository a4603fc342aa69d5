-- +goose Up
CREATE TABLE ingest_jobs (
    id            TEXT PRIMARY KEY,
    customer_id   TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    status        TEXT NOT NULL,
    selected_mcps TEXT NOT NULL DEFAULT '[]',
    created_by    TEXT NOT NULL DEFAULT '',
    uploaded      INTEGER NOT NULL DEFAULT 0,
    current_file  TEXT NOT NULL DEFAULT '',
    error         TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ
);
CREATE INDEX ingest_jobs_customer ON ingest_jobs (customer_id, created_at);

CREATE TABLE ingest_files (
    job_id       TEXT NOT NULL REFERENCES ingest_jobs(id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    customer_id  TEXT NOT NULL,
    object       TEXT NOT NULL,
    filename     TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    status       TEXT NOT NULL,
    handler      TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    domain       TEXT NOT NULL DEFAULT '',
    reason       TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    document_id  TEXT NOT NULL DEFAULT '',
    chunks       INTEGER NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_attempt TIMESTAMPTZ NOT NULL,
    leased_by    TEXT NOT NULL DEFAULT '',
    lease_until  TIMESTAMPTZ,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE INDEX ingest_files_due ON ingest_files (status, next_attempt);
CREATE INDEX ingest_files_hash ON ingest_files (customer_id, sha256, status);

-- +goose Down
DROP TABLE ingest_files;
DROP TABLE ingest_jobs;
