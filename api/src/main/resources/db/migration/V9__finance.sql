-- Finance read side (processing group "money-movements"): the money-movement ledger and the
-- per-entity figures the reconciliation report joins. Disposable: the processor's reset handler
-- truncates every table here and a replay rebuilds them. One processor writes all of them, so they
-- are always consistent with each other (same token). See docs/finance.md.

-- Every monetary fact, one row each; (position, ordinal) is the identity: an event may carry several
-- facts (an installment status change with two new payments), each gets its ordinal.
CREATE TABLE ledger_entry (
    position         BIGINT       NOT NULL,
    ordinal          INTEGER      NOT NULL,
    event_id         VARCHAR(255) NOT NULL,
    entity           VARCHAR(32)  NOT NULL,
    entity_key       VARCHAR(255) NOT NULL,
    kind             VARCHAR(32)  NOT NULL,
    amount           NUMERIC,
    effective_date   DATE         NOT NULL,
    effective_source VARCHAR(16)  NOT NULL,
    effective_at     TIMESTAMPTZ  NOT NULL,
    recorded_at      TIMESTAMPTZ  NOT NULL,
    receipt_id       VARCHAR(64),
    reference        VARCHAR(255),
    detail           TEXT,
    CONSTRAINT ledger_entry_pkey PRIMARY KEY (position, ordinal),
    CONSTRAINT ledger_entry_event_key UNIQUE (event_id, ordinal),
    CONSTRAINT ledger_entry_source_check CHECK (effective_source IN ('provider', 'recorded'))
);
CREATE INDEX ledger_entry_effective_idx ON ledger_entry (effective_date, position, ordinal);
CREATE INDEX ledger_entry_kind_idx ON ledger_entry (kind, effective_date);
CREATE INDEX ledger_entry_entity_idx ON ledger_entry (entity, entity_key, kind, reference);

-- Bank slips: the earliest payment notice and the standing settlement (latest provider time wins).
CREATE TABLE fin_bank_slip (
    bank_slip_key     VARCHAR(255) NOT NULL,
    status            VARCHAR(64)  NOT NULL,
    notice_kind       VARCHAR(64),
    notified_at       TIMESTAMPTZ,
    notified_date     DATE,
    notified_amount   NUMERIC,
    settled_at        TIMESTAMPTZ,
    settled_date      DATE,
    settled_amount    NUMERIC,
    position          BIGINT       NOT NULL,
    CONSTRAINT fin_bank_slip_pkey PRIMARY KEY (bank_slip_key)
);
CREATE INDEX fin_bank_slip_settled_idx ON fin_bank_slip (settled_date);
CREATE INDEX fin_bank_slip_notified_idx ON fin_bank_slip (notified_date);

-- Installments: the current billing (what is expected, from which slip, by when) and the payments.
CREATE TABLE fin_installment (
    installment_key   VARCHAR(255) NOT NULL,
    debt_key          VARCHAR(255) NOT NULL,
    status            VARCHAR(64),
    status_date       DATE,
    paid_amount       NUMERIC      NOT NULL,
    last_payment_date DATE,
    bank_slip_key     VARCHAR(255),
    total_amount      NUMERIC,
    due_date          DATE,
    expected_date     DATE,
    payment_check_date DATE GENERATED ALWAYS AS (COALESCE(last_payment_date, status_date)) STORED,
    position          BIGINT       NOT NULL,
    CONSTRAINT fin_installment_pkey PRIMARY KEY (installment_key)
);
CREATE INDEX fin_installment_bank_slip_idx ON fin_installment (bank_slip_key);
CREATE INDEX fin_installment_expected_idx ON fin_installment (expected_date) WHERE bank_slip_key IS NOT NULL;
CREATE INDEX fin_installment_payment_check_idx ON fin_installment (payment_check_date)
    WHERE total_amount IS NOT NULL;

-- DDA slips: status, the current snapshot's amounts and the sum of partial payments.
CREATE TABLE fin_dda_slip (
    slip_key              VARCHAR(255) NOT NULL,
    status                VARCHAR(32)  NOT NULL,
    total_amount          NUMERIC,
    total_payment_amount  NUMERIC,
    partially_paid_amount NUMERIC      NOT NULL,
    snapshot_date         DATE         NOT NULL,
    position              BIGINT       NOT NULL,
    CONSTRAINT fin_dda_slip_pkey PRIMARY KEY (slip_key)
);
CREATE INDEX fin_dda_slip_status_idx ON fin_dda_slip (status, snapshot_date);

-- Conciliation batches: the current figures; report_date places a batch in a period.
CREATE TABLE fin_batch (
    batch_key          VARCHAR(255) NOT NULL,
    reference_date     DATE,
    figures_date       DATE         NOT NULL,
    report_date        DATE GENERATED ALWAYS AS (COALESCE(reference_date, figures_date)) STORED,
    total_amount       NUMERIC,
    conciliated_amount NUMERIC,
    total_orders       BIGINT       NOT NULL,
    conciliated_orders BIGINT       NOT NULL,
    position           BIGINT       NOT NULL,
    CONSTRAINT fin_batch_pkey PRIMARY KEY (batch_key)
);
CREATE INDEX fin_batch_report_date_idx ON fin_batch (report_date);

-- Collateral of a debt: the current one's declared total against the sum of its funds' locks.
CREATE TABLE fin_collateral (
    debt_key        VARCHAR(255) NOT NULL,
    total_amount    NUMERIC      NOT NULL,
    funds_amount    NUMERIC      NOT NULL,
    collateral_date DATE         NOT NULL,
    position        BIGINT       NOT NULL,
    CONSTRAINT fin_collateral_pkey PRIMARY KEY (debt_key)
);
CREATE INDEX fin_collateral_date_idx ON fin_collateral (collateral_date);
