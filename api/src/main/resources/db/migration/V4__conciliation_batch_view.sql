CREATE TABLE conciliation_batch_view (
    batch_key                  VARCHAR(255) NOT NULL,
    status                     VARCHAR(64),
    type                       VARCHAR(64),
    account_key                VARCHAR(255),
    total_amount               NUMERIC,
    conciliated_amount         NUMERIC,
    total_payment_orders       BIGINT       NOT NULL,
    conciliated_payment_orders BIGINT       NOT NULL,
    reference_date             DATE,
    created_at                 TIMESTAMPTZ,
    figures_as_of              TIMESTAMPTZ,
    first_recorded_at          TIMESTAMPTZ  NOT NULL,
    last_recorded_at           TIMESTAMPTZ  NOT NULL,
    facts_recorded             INTEGER      NOT NULL,
    position                   BIGINT       NOT NULL,
    CONSTRAINT conciliation_batch_view_pkey PRIMARY KEY (batch_key)
);
CREATE INDEX conciliation_batch_view_reference_date_idx ON conciliation_batch_view (reference_date);
