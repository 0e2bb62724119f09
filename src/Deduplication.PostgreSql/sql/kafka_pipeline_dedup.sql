-- KafkaPipeline deduplication table (KafkaPipeline.Deduplication.PostgreSql). Idempotent.
-- key: group|message id (or its sha256); state: 'reserved' while a consumer holds the lease, then 'processed';
-- token: the holder's reservation token; expires_at: lease end while reserved, retention end once processed.
CREATE TABLE IF NOT EXISTS kafka_pipeline_dedup (
    key        text        NOT NULL PRIMARY KEY,
    state      text        NOT NULL CHECK (state IN ('reserved', 'processed')),
    token      uuid        NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS kafka_pipeline_dedup_expires_at_idx ON kafka_pipeline_dedup (expires_at);
