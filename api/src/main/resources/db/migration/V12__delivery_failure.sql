-- Attempts of a delivery that failed without being recorded (issue 26): a timed-out attempt rolls
-- its receipt back, so its count is kept here, apart from the receipt, keyed like the receipt by the
-- SHA-256 of the body. When the provider's resends of one body keep failing, the next attempt is
-- quarantined with the last failure as its reason instead of answering 503 forever.
CREATE TABLE delivery_failure (
    body_sha256     BYTEA        NOT NULL,
    failures        INTEGER      NOT NULL,
    last_reason     TEXT,
    first_failed_at TIMESTAMPTZ  NOT NULL,
    last_failed_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT delivery_failure_pkey PRIMARY KEY (body_sha256)
);

-- Read-model columns that hold the provider's own text become TEXT (issue 26): the provider, not the
-- ledger, decides how long an "our number", a bank code or a reason is, and a value longer than a
-- VARCHAR bound must not fail a projection. Text the translators read is bounded by
-- ProviderLimits.TEXT_CHARS instead; keys by ProviderLimits.KEY_CHARS. VARCHAR to TEXT is a catalog
-- change in PostgreSQL, not a rewrite.
ALTER TABLE bank_slip_view
    ALTER COLUMN our_number TYPE TEXT,
    ALTER COLUMN payment_bank TYPE TEXT,
    ALTER COLUMN payment_bank_ispb TYPE TEXT,
    ALTER COLUMN payment_origin_code TYPE TEXT,
    ALTER COLUMN payment_origin_description TYPE TEXT,
    ALTER COLUMN write_off_reason_code TYPE TEXT,
    ALTER COLUMN write_off_reason_description TYPE TEXT;
ALTER TABLE conciliation_batch_view
    ALTER COLUMN status TYPE TEXT,
    ALTER COLUMN type TYPE TEXT;
ALTER TABLE dda_bank_slip_view
    ALTER COLUMN barcode TYPE TEXT,
    ALTER COLUMN digitable_line TYPE TEXT;
ALTER TABLE installment_view
    ALTER COLUMN status TYPE TEXT,
    ALTER COLUMN data_status TYPE TEXT;
ALTER TABLE debt_refusal_view
    ALTER COLUMN cancel_reason TYPE TEXT,
    ALTER COLUMN reason_enumerator TYPE TEXT;
ALTER TABLE debt_failed_reservation_view
    ALTER COLUMN status TYPE TEXT;
ALTER TABLE fin_installment
    ALTER COLUMN status TYPE TEXT;
