-- Every delivery the provider makes, byte for byte. A delivery is "the same" as an earlier one when
-- its body bytes are identical (the provider resends identical bodies): the unique SHA-256 of the
-- body is what makes a resend a duplicate, enforced here rather than by a check-then-insert.
CREATE TABLE receipt (
    receipt_id      UUID         NOT NULL,
    body_sha256     BYTEA        NOT NULL,
    body            BYTEA        NOT NULL,
    content_type    VARCHAR(255),
    webhook_type    VARCHAR(255),
    received_at     TIMESTAMPTZ  NOT NULL,
    outcome         VARCHAR(16)  NOT NULL,
    reason          TEXT,
    position        BIGINT,
    attempts        INTEGER      NOT NULL DEFAULT 1,
    last_attempt_at TIMESTAMPTZ  NOT NULL,
    CONSTRAINT receipt_pkey PRIMARY KEY (receipt_id),
    CONSTRAINT receipt_body_sha256_key UNIQUE (body_sha256),
    CONSTRAINT receipt_outcome_check CHECK (outcome IN ('applied', 'duplicate', 'quarantined'))
);
CREATE INDEX receipt_quarantine_idx ON receipt (received_at, receipt_id) WHERE outcome = 'quarantined';
