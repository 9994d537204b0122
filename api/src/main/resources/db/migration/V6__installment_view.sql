-- The installment read model (disposable, rebuilt by replaying the "installments" processor).
-- One row per installment; its payments (one per installment_payment_key), its own event list
-- (occurrences, each once) and every billing it was issued, in child tables. The aggregate decides
-- what is current; the projection only folds.

CREATE TABLE installment_view (
    installment_key   VARCHAR(255) NOT NULL,
    debt_key          VARCHAR(255) NOT NULL,
    debt_key_conflict BOOLEAN      NOT NULL,
    status            VARCHAR(64),
    data_status       VARCHAR(64),
    is_finished       BOOLEAN      NOT NULL,
    status_as_of      TIMESTAMPTZ,
    status_due_date   DATE,
    billing_due_date  DATE,
    paid_at           TIMESTAMPTZ,
    paid_amount       NUMERIC      NOT NULL,
    first_recorded_at TIMESTAMPTZ  NOT NULL,
    last_recorded_at  TIMESTAMPTZ  NOT NULL,
    facts_recorded    INTEGER      NOT NULL,
    position          BIGINT       NOT NULL,
    CONSTRAINT installment_view_pkey PRIMARY KEY (installment_key)
);

-- Every debt key an installment was reported under (normally one), for the debt's list of installments.
CREATE TABLE installment_debt_view (
    debt_key        VARCHAR(255) NOT NULL,
    installment_key VARCHAR(255) NOT NULL,
    CONSTRAINT installment_debt_view_pkey PRIMARY KEY (debt_key, installment_key)
);

CREATE TABLE installment_payment_view (
    installment_key         VARCHAR(255) NOT NULL,
    installment_payment_key VARCHAR(255) NOT NULL,
    paid_at                 TIMESTAMPTZ,
    paid_amount             NUMERIC,
    paid_method_type        TEXT,
    position                BIGINT       NOT NULL,
    CONSTRAINT installment_payment_view_pkey PRIMARY KEY (installment_key, installment_payment_key)
);

CREATE TABLE installment_occurrence_view (
    installment_key VARCHAR(255) NOT NULL,
    position        BIGINT       NOT NULL,
    ordinal         INTEGER      NOT NULL,
    event_type      TEXT,
    event_date      TIMESTAMPTZ,
    amount          NUMERIC,
    created_at      TIMESTAMPTZ,
    old_status      TEXT,
    old_due_date    DATE,
    CONSTRAINT installment_occurrence_view_pkey PRIMARY KEY (installment_key, position, ordinal)
);

CREATE TABLE installment_billing_view (
    installment_key               VARCHAR(255) NOT NULL,
    position                      BIGINT       NOT NULL,
    is_current                    BOOLEAN      NOT NULL,
    digitable_line                TEXT,
    qr_code_key                   TEXT,
    qr_code_url                   TEXT,
    principal_amortization_amount NUMERIC,
    pre_fixed_amount              NUMERIC,
    bank_slip_key                 TEXT,
    due_date                      DATE,
    total_amount                  NUMERIC,
    recorded_at                   TIMESTAMPTZ  NOT NULL,
    CONSTRAINT installment_billing_view_pkey PRIMARY KEY (installment_key, position)
);
CREATE INDEX installment_billing_view_bank_slip_idx ON installment_billing_view (bank_slip_key);
