-- Every re-drive of a quarantined delivery: who asked, when, and what came of it. A receipt's own
-- outcome shows its latest state; this table keeps every attempt, so nothing an operator did is lost.
CREATE TABLE receipt_redrive (
    redrive_id   UUID         NOT NULL,
    receipt_id   UUID         NOT NULL,
    requested_by VARCHAR(255) NOT NULL,
    requested_at TIMESTAMPTZ  NOT NULL,
    outcome      VARCHAR(16)  NOT NULL,
    reason       TEXT,
    position     BIGINT,
    CONSTRAINT receipt_redrive_pkey PRIMARY KEY (redrive_id),
    CONSTRAINT receipt_redrive_receipt_fkey FOREIGN KEY (receipt_id) REFERENCES receipt (receipt_id),
    CONSTRAINT receipt_redrive_outcome_check CHECK (outcome IN ('applied', 'duplicate', 'quarantined'))
);
CREATE INDEX receipt_redrive_receipt_idx ON receipt_redrive (receipt_id, requested_at);
-- Paging through all receipts of one outcome, oldest first.
CREATE INDEX receipt_outcome_received_idx ON receipt (outcome, received_at, receipt_id);
