-- Debt read model: one row per debt, its failed reservations and its disbursement refusals.
-- Rows are keyed by the global event position that wrote them, so a replay writes nothing twice.
-- Document numbers (CPF/CNPJ) live inside the JSONB details: shown to auditors, never logged.

CREATE TABLE debt_view (
    debt_key                 VARCHAR(255) NOT NULL,
    status                   VARCHAR(64)  NOT NULL,
    final_state              BOOLEAN      NOT NULL,
    canceled_permanently_at  TIMESTAMPTZ,
    collateral               JSONB,
    collateral_check         JSONB,
    collateral_occurred_at   TIMESTAMPTZ,
    collateral_position      BIGINT,
    latest_refusal_position  BIGINT,
    first_recorded_at        TIMESTAMPTZ  NOT NULL,
    last_recorded_at         TIMESTAMPTZ  NOT NULL,
    facts_recorded           INTEGER      NOT NULL,
    ignored_after_final      INTEGER      NOT NULL,
    position                 BIGINT       NOT NULL,
    CONSTRAINT debt_view_pkey PRIMARY KEY (debt_key)
);
CREATE INDEX debt_view_status_idx ON debt_view (status);

CREATE TABLE debt_failed_reservation_view (
    debt_key     VARCHAR(255) NOT NULL,
    position     BIGINT       NOT NULL,
    occurred_at  TIMESTAMPTZ  NOT NULL,
    recorded_at  TIMESTAMPTZ  NOT NULL,
    status       VARCHAR(64),
    enumerator   TEXT,
    description  TEXT,
    CONSTRAINT debt_failed_reservation_view_pkey PRIMARY KEY (debt_key, position)
);

CREATE TABLE debt_refusal_view (
    debt_key          VARCHAR(255) NOT NULL,
    position          BIGINT       NOT NULL,
    occurred_at       TIMESTAMPTZ  NOT NULL,
    recorded_at       TIMESTAMPTZ  NOT NULL,
    cancel_reason     VARCHAR(64)  NOT NULL,
    reason_enumerator VARCHAR(255),
    reason            TEXT,
    amount            NUMERIC,
    transaction_key   VARCHAR(255),
    refusal           JSONB        NOT NULL,
    CONSTRAINT debt_refusal_view_pkey PRIMARY KEY (debt_key, position)
);
CREATE INDEX debt_refusal_view_reason_idx ON debt_refusal_view (reason_enumerator);
