-- DDA bank slips (baas.dda.bankslip.*): disposable read model, rebuilt by replaying "dda-bank-slips".

-- One row per distinct snapshot the ledger recorded (its fingerprint is its identity).
CREATE TABLE dda_bank_slip_snapshot (
    slip_key             VARCHAR(255) NOT NULL,
    fingerprint          CHAR(64)     NOT NULL,
    webhook_type         VARCHAR(128) NOT NULL,
    status               VARCHAR(32)  NOT NULL,
    total_payment_amount NUMERIC,
    data_quality_flags   TEXT[]       NOT NULL,
    recorded_at          TIMESTAMPTZ  NOT NULL,
    position             BIGINT       NOT NULL,
    CONSTRAINT dda_bank_slip_snapshot_pkey PRIMARY KEY (slip_key, fingerprint)
);
CREATE INDEX dda_bank_slip_snapshot_position_idx ON dda_bank_slip_snapshot (slip_key, position);

-- The slip as it stands: its status and the fields of its current snapshot (whole, in snapshot).
CREATE TABLE dda_bank_slip_view (
    slip_key              VARCHAR(255) NOT NULL,
    status                VARCHAR(32)  NOT NULL,
    barcode               VARCHAR(128),
    digitable_line        VARCHAR(128),
    total_payment_amount  NUMERIC,
    partially_paid_amount NUMERIC      NOT NULL,
    data_quality_flags    TEXT[]       NOT NULL,
    snapshot_fingerprint  CHAR(64)     NOT NULL,
    snapshot_webhook_type VARCHAR(128) NOT NULL,
    snapshot              JSONB        NOT NULL,
    first_recorded_at     TIMESTAMPTZ  NOT NULL,
    last_recorded_at      TIMESTAMPTZ  NOT NULL,
    snapshots_recorded    INTEGER      NOT NULL,
    position              BIGINT       NOT NULL,
    CONSTRAINT dda_bank_slip_view_pkey PRIMARY KEY (slip_key)
);
CREATE INDEX dda_bank_slip_view_barcode_idx ON dda_bank_slip_view (barcode);
CREATE INDEX dda_bank_slip_view_digitable_line_idx ON dda_bank_slip_view (digitable_line);
