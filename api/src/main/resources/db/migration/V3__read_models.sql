-- Read models: disposable, rebuilt from the event store by replaying their processors.

CREATE TABLE event_history (
    position       BIGINT       NOT NULL,
    event_id       VARCHAR(255) NOT NULL,
    aggregate_type VARCHAR(64)  NOT NULL,
    aggregate_key  VARCHAR(255) NOT NULL,
    sequence       BIGINT       NOT NULL,
    event_type     VARCHAR(255) NOT NULL,
    recorded_at    TIMESTAMPTZ  NOT NULL,
    effective_at   TIMESTAMPTZ,
    receipt_id     VARCHAR(64),
    data           JSONB        NOT NULL,
    CONSTRAINT event_history_pkey PRIMARY KEY (position),
    CONSTRAINT event_history_event_id_key UNIQUE (event_id)
);
CREATE INDEX event_history_entity_idx ON event_history (aggregate_type, aggregate_key, sequence);
CREATE INDEX event_history_receipt_idx ON event_history (receipt_id);

CREATE TABLE bank_slip_view (
    bank_slip_key                VARCHAR(255) NOT NULL,
    status                       VARCHAR(64)  NOT NULL,
    our_number                   VARCHAR(64),
    expiration                   DATE,
    rebate_amount                NUMERIC,
    paid_amount                  NUMERIC,
    discount_amount              NUMERIC,
    paid_interest_amount         NUMERIC,
    payment_bank                 VARCHAR(16),
    payment_bank_ispb            VARCHAR(16),
    payment_origin_code          VARCHAR(16),
    payment_origin_description   VARCHAR(64),
    payment_credit_date          DATE,
    write_off_reason_code        VARCHAR(16),
    write_off_reason_description VARCHAR(128),
    status_occurred_at           TIMESTAMPTZ,
    first_recorded_at            TIMESTAMPTZ  NOT NULL,
    last_recorded_at             TIMESTAMPTZ  NOT NULL,
    facts_recorded               INTEGER      NOT NULL,
    position                     BIGINT       NOT NULL,
    CONSTRAINT bank_slip_view_pkey PRIMARY KEY (bank_slip_key)
);
