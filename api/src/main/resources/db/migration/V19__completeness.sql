-- Completeness against the provider (issue 28): what the ledger asked the provider's notification API
-- and what it answered, as append-only facts. These rows are the audit trail of the sweep ("events, not
-- log lines"), so a past fact is never changed or removed: a trigger refuses UPDATE, DELETE and TRUNCATE.
-- They are not Axon events because they are about the ledger's conversation with the provider, not about
-- a bank slip or a debt: nothing but intake turns a provider payload into ledger facts, and a resent
-- delivery comes back through /webhooks/qitech like any other. Kept in a schema of their own, outside
-- the public tables a read-model rebuild regenerates. The sweep's progress watermark is no mutable
-- cursor: it is the newest page fact of the sweep that has no end fact (CompletenessSweep).
CREATE SCHEMA IF NOT EXISTS completeness;

-- An operator's POST /api/v1/completeness/sweeps: served by whichever node holds the sweep lock next.
CREATE TABLE completeness.sweep_request (
    request_id   UUID         NOT NULL,
    asked_by     VARCHAR(255) NOT NULL,
    asked_at     TIMESTAMPTZ  NOT NULL,
    range_start  TIMESTAMPTZ,
    range_end    TIMESTAMPTZ,
    CONSTRAINT sweep_request_pkey PRIMARY KEY (request_id)
);

-- A sweep started: the range it covers, cut into windows of at most 14 days.
CREATE TABLE completeness.sweep (
    sweep_id     UUID         NOT NULL,
    started_at   TIMESTAMPTZ  NOT NULL,
    started_by   VARCHAR(255) NOT NULL,
    request_id   UUID,
    node         VARCHAR(255) NOT NULL,
    range_start  TIMESTAMPTZ  NOT NULL,
    range_end    TIMESTAMPTZ  NOT NULL,
    CONSTRAINT sweep_pkey PRIMARY KEY (sweep_id),
    CONSTRAINT sweep_request_key UNIQUE (request_id),
    CONSTRAINT sweep_request_fkey FOREIGN KEY (request_id) REFERENCES completeness.sweep_request (request_id),
    CONSTRAINT sweep_range_check CHECK (range_start < range_end)
);
CREATE INDEX sweep_started_idx ON completeness.sweep (started_at DESC);

-- One call for one page of one window and how it ended: read (more pages follow), last (short or empty
-- page: the window is done), failed (time-out, 429, 5xx: retried), refused (4xx: a bug, logged with the
-- request), garbage (not JSON, missing fields, a page that repeats: the sweep stops). counts: callbacks
-- seen per status on this page. events_sha256: SHA-256 of the page's event keys in order; a page whose
-- events are those of the page before it repeats it.
CREATE TABLE completeness.page (
    sweep_id      UUID         NOT NULL,
    seq           INTEGER      NOT NULL,
    window_start  TIMESTAMPTZ  NOT NULL,
    window_end    TIMESTAMPTZ  NOT NULL,
    page          INTEGER      NOT NULL,
    request       TEXT         NOT NULL,
    node          VARCHAR(255) NOT NULL,
    recorded_at   TIMESTAMPTZ  NOT NULL,
    outcome       VARCHAR(16)  NOT NULL,
    status        INTEGER,
    events        INTEGER      NOT NULL DEFAULT 0,
    counts        JSONB        NOT NULL DEFAULT '{}',
    resends       INTEGER      NOT NULL DEFAULT 0,
    events_sha256 BYTEA,
    error         TEXT,
    CONSTRAINT page_pkey PRIMARY KEY (sweep_id, seq),
    CONSTRAINT page_sweep_fkey FOREIGN KEY (sweep_id) REFERENCES completeness.sweep (sweep_id),
    CONSTRAINT page_outcome_check CHECK (outcome IN ('read', 'last', 'failed', 'refused', 'garbage')),
    CONSTRAINT page_window_check CHECK (window_start < window_end AND window_end - window_start <= INTERVAL '14 days')
);

-- A sweep ended: completed (every window to its last page) or stopped (a 4xx or garbage; not resumed).
CREATE TABLE completeness.sweep_end (
    sweep_id   UUID         NOT NULL,
    ended_at   TIMESTAMPTZ  NOT NULL,
    outcome    VARCHAR(16)  NOT NULL,
    error      TEXT,
    CONSTRAINT sweep_end_pkey PRIMARY KEY (sweep_id),
    CONSTRAINT sweep_end_sweep_fkey FOREIGN KEY (sweep_id) REFERENCES completeness.sweep (sweep_id),
    CONSTRAINT sweep_end_outcome_check CHECK (outcome IN ('completed', 'stopped'))
);

-- A callback's status as a sweep saw it, recorded when it differs from the last one recorded (the first
-- sighting included), so a quiet event costs nothing per sweep. window_start: the day the provider
-- lists the event under (windows are cut at whole windows from the epoch, a day by default).
CREATE TABLE completeness.callback_status (
    id                 BIGSERIAL    NOT NULL,
    event_key          VARCHAR(255) NOT NULL,
    callback_key       VARCHAR(255) NOT NULL,
    event_type         VARCHAR(255),
    event_status       VARCHAR(255),
    origin_enumerator  VARCHAR(255),
    origin_key         VARCHAR(255),
    callback_status    VARCHAR(64)  NOT NULL,
    window_start       TIMESTAMPTZ  NOT NULL,
    sweep_id           UUID         NOT NULL,
    seen_at            TIMESTAMPTZ  NOT NULL,
    CONSTRAINT callback_status_pkey PRIMARY KEY (id),
    CONSTRAINT callback_status_sweep_fkey FOREIGN KEY (sweep_id) REFERENCES completeness.sweep (sweep_id)
);
CREATE INDEX callback_status_key_idx ON completeness.callback_status (event_key, callback_key, id DESC);
CREATE INDEX callback_status_window_idx ON completeness.callback_status (window_start);

-- A resend the ledger asked for (PATCH of one callback), recorded before it is sent ...
CREATE TABLE completeness.resend (
    resend_id        UUID         NOT NULL,
    event_key        VARCHAR(255) NOT NULL,
    callback_key     VARCHAR(255) NOT NULL,
    event_type       VARCHAR(255),
    origin_key       VARCHAR(255),
    status_seen      VARCHAR(64)  NOT NULL,
    asked_by         VARCHAR(255) NOT NULL,
    sweep_id         UUID,
    node             VARCHAR(255) NOT NULL,
    request          TEXT         NOT NULL,
    asked_at         TIMESTAMPTZ  NOT NULL,
    CONSTRAINT resend_pkey PRIMARY KEY (resend_id),
    CONSTRAINT resend_sweep_fkey FOREIGN KEY (sweep_id) REFERENCES completeness.sweep (sweep_id)
);
CREATE INDEX resend_key_idx ON completeness.resend (event_key, callback_key, asked_at DESC);
CREATE INDEX resend_asked_idx ON completeness.resend (asked_at);

-- ... and the provider's answer to it, as received (none: the ledger stopped between asking and recording).
CREATE TABLE completeness.resend_answer (
    resend_id    UUID         NOT NULL,
    answered_at  TIMESTAMPTZ  NOT NULL,
    outcome      VARCHAR(16)  NOT NULL,
    status       INTEGER,
    body         TEXT,
    error        TEXT,
    CONSTRAINT resend_answer_pkey PRIMARY KEY (resend_id),
    CONSTRAINT resend_answer_resend_fkey FOREIGN KEY (resend_id) REFERENCES completeness.resend (resend_id),
    CONSTRAINT resend_answer_outcome_check CHECK (outcome IN ('accepted', 'refused', 'failed'))
);

CREATE FUNCTION completeness.append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'completeness.% is append-only: its rows record what was asked of the provider and what it answered',
        TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

DO $$
DECLARE t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['sweep_request', 'sweep', 'page', 'sweep_end', 'callback_status', 'resend',
                             'resend_answer'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON completeness.%I FOR EACH ROW '
                       'EXECUTE FUNCTION completeness.append_only()', t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON completeness.%I FOR EACH STATEMENT '
                       'EXECUTE FUNCTION completeness.append_only()', t || '_no_truncate', t);
    END LOOP;
END
$$;

-- A delivery's body as JSON, or null when it is not JSON (a quarantined body may be anything): the report
-- links a resent delivery to its resend request by the event's origin key inside the body.
CREATE FUNCTION completeness.body_json(body BYTEA) RETURNS JSONB LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN convert_from(body, 'UTF8')::jsonb;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END
$$;

-- The receipt that answered a resend: the first delivery (new, or counted again as a duplicate) at or
-- after the request and before the next request for the same callback, whose body carries the event's
-- origin key as a value.
CREATE FUNCTION completeness.arrival(origin TEXT, since TIMESTAMPTZ, until TIMESTAMPTZ)
    RETURNS TABLE (receipt_id UUID, outcome VARCHAR, arrived_at TIMESTAMPTZ)
    LANGUAGE sql STABLE AS $$
    SELECT r.receipt_id, r.outcome, CASE WHEN r.received_at >= since THEN r.received_at ELSE r.last_attempt_at END
    FROM public.receipt r
    WHERE origin IS NOT NULL AND r.last_attempt_at >= since AND (until IS NULL OR r.received_at < until)
      AND jsonb_path_exists(completeness.body_json(r.body), '$.** ? (@ == $k)', jsonb_build_object('k', origin))
    ORDER BY r.last_attempt_at, r.receipt_id
    LIMIT 1
$$;

-- Every resend with the one after it for the same callback (the end of the time its delivery may arrive in).
CREATE VIEW completeness.resend_span AS
    SELECT r.*, lead(r.asked_at) OVER (PARTITION BY r.event_key, r.callback_key ORDER BY r.asked_at, r.resend_id)
        AS next_asked_at
    FROM completeness.resend r;
