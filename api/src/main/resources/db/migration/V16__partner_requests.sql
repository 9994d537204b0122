-- Partner calls on debts (issue 22): the calls an operator asked the provider for, their attempts and
-- the provider's answers (read models of the partner-requests projection, rebuilt from the events like
-- every read model), and the sender's own bookkeeping (partner_call_dispatch: not a read model).
-- Bodies may hold names and document numbers (CPF/CNPJ): shown to operators, never logged.

CREATE TABLE partner_request_view (
    request_id          VARCHAR(64)  NOT NULL,
    debt_key            VARCHAR(255) NOT NULL,
    kind                VARCHAR(64)  NOT NULL,
    state               VARCHAR(32)  NOT NULL,
    idempotency_key     VARCHAR(255),
    requested_by        VARCHAR(255) NOT NULL,
    requested_at        TIMESTAMPTZ  NOT NULL,
    reason              TEXT,
    disbursement_date   DATE,
    request_body        TEXT,
    attempts            INTEGER      NOT NULL,
    answered_at         TIMESTAMPTZ,
    answer_status       INTEGER,
    answer_body         TEXT,
    answer_error        TEXT,
    confirmed_at        TIMESTAMPTZ,
    confirmed_by        VARCHAR(64),
    confirming_receipt  VARCHAR(64),
    position            BIGINT       NOT NULL,
    CONSTRAINT partner_request_view_pkey PRIMARY KEY (request_id)
);
CREATE INDEX partner_request_view_debt_idx ON partner_request_view (debt_key, requested_at);
CREATE INDEX partner_request_view_open_idx ON partner_request_view (state, kind, requested_at);

-- one row per answer (or failed attempt) recorded, keyed by the event's position: a replay writes nothing twice
CREATE TABLE partner_request_attempt_view (
    request_id   VARCHAR(64)  NOT NULL,
    position     BIGINT       NOT NULL,
    attempt      INTEGER      NOT NULL,
    outcome      VARCHAR(32)  NOT NULL,
    status       INTEGER,
    body         TEXT,
    error        TEXT,
    answered_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT partner_request_attempt_view_pkey PRIMARY KEY (request_id, position)
);

-- The sender's lease per call: how many attempts it started (counted before each send, so a resend after
-- a crash is attempt n+1 with the same request id) and how many it recorded (an attempt started and never
-- recorded was lost to a crash between sending and recording), when the next may start, and who holds it
-- until when.
CREATE TABLE partner_call_dispatch (
    request_id       VARCHAR(64)  NOT NULL,
    debt_key         VARCHAR(255) NOT NULL,
    attempts         INTEGER      NOT NULL,
    recorded         INTEGER      NOT NULL,
    next_attempt_at  TIMESTAMPTZ  NOT NULL,
    lease_owner      VARCHAR(255),
    lease_until      TIMESTAMPTZ,
    done             BOOLEAN      NOT NULL DEFAULT FALSE,
    CONSTRAINT partner_call_dispatch_pkey PRIMARY KEY (request_id)
);
