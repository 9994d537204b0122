-- Issue 21: tamper evidence. What is chained, the canonical encoding and how to check it by hand are in
-- docs/audit.md; the Java twin of the functions below is com.qiledger.api.audit.ChainEncoding (the
-- write path and the offline verifier use it; AuditChainTest checks that both give the same links).

-- One link per event: hash_n = SHA-256(hash_{n-1} || canonical bytes of event n), hash_{-1} = 32 zero
-- bytes, per aggregate (no global order, no global lock). Written in the transaction that appends the
-- events, one multi-row insert per append; the primary key is the aggregate's sequence, like the event
-- store's own constraint, so a lost race conflicts here the same way. global_index is the event's
-- position, read back in that insert: a digest covers the links up to a position.
-- receipt_sha256 and payload_sha256 are inside the canonical bytes; kept as columns so that the
-- verifier can say which part of an event changed.
CREATE TABLE audit_chain (
    aggregate_id   VARCHAR(255) NOT NULL,
    seq            BIGINT       NOT NULL,
    global_index   BIGINT       NOT NULL,
    event_id       VARCHAR(255) NOT NULL,
    receipt_id     TEXT,
    receipt_sha256 BYTEA,
    payload_sha256 BYTEA        NOT NULL,
    hash           BYTEA        NOT NULL,
    CONSTRAINT audit_chain_pkey PRIMARY KEY (aggregate_id, seq)
);

-- A length-prefixed UTF-8 string of the canonical encoding: 4 bytes big-endian length, then the bytes;
-- NULL is the length 0xFFFFFFFF and no bytes.
CREATE FUNCTION audit_str(s TEXT) RETURNS BYTEA LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN s IS NULL THEN '\xffffffff'::bytea
                ELSE int4send(octet_length(convert_to(s, 'UTF8'))) || convert_to(s, 'UTF8') END
$$;

-- The canonical bytes of an event, version 1 ("QLC1").
CREATE FUNCTION audit_canonical(aggregate_type TEXT, aggregate_id TEXT, seq BIGINT, event_id TEXT,
                                payload_type TEXT, payload_revision TEXT, recorded TEXT, payload BYTEA,
                                metadata BYTEA, receipt_id TEXT, receipt_sha256 BYTEA)
    RETURNS BYTEA LANGUAGE sql IMMUTABLE AS $$
    SELECT '\x514c4331'::bytea
        || audit_str(aggregate_type) || audit_str(aggregate_id) || int8send(seq) || audit_str(event_id)
        || audit_str(payload_type) || audit_str(payload_revision) || audit_str(recorded)
        || sha256(payload) || coalesce(sha256(metadata), '\x'::bytea || decode(repeat('00', 32), 'hex'))
        || audit_str(receipt_id) || coalesce(receipt_sha256, decode(repeat('00', 32), 'hex'))
$$;

-- The events written before this migration get their links here, in the same way.
DO $$
DECLARE
    r        RECORD;
    previous BYTEA;
    current  TEXT := NULL;
    link     BYTEA;
BEGIN
    FOR r IN
        SELECT e.*, m.receipt_id, rc.body_sha256
        FROM domainevententry e
        LEFT JOIN LATERAL (SELECT convert_from(e.metadata, 'UTF8')::jsonb ->> 'receiptId' AS receipt_id) m ON true
        LEFT JOIN receipt rc ON rc.receipt_id::text = m.receipt_id
        ORDER BY e.aggregateidentifier, e.sequencenumber
    LOOP
        IF current IS DISTINCT FROM r.aggregateidentifier THEN
            previous := decode(repeat('00', 32), 'hex');
            current := r.aggregateidentifier;
        END IF;
        link := sha256(previous || audit_canonical(r.type, r.aggregateidentifier, r.sequencenumber,
                r.eventidentifier, r.payloadtype, r.payloadrevision, r.timestamp, r.payload, r.metadata,
                r.receipt_id, r.body_sha256));
        INSERT INTO audit_chain (aggregate_id, seq, global_index, event_id, receipt_id, receipt_sha256,
                                 payload_sha256, hash)
        VALUES (r.aggregateidentifier, r.sequencenumber, r.globalindex, r.eventidentifier, r.receipt_id,
                r.body_sha256, sha256(r.payload), link);
        previous := link;
    END LOOP;
END $$;

-- Receipts in the order they were written, so that a digest can say which receipts it covers
-- (audit_seq up to a number, as events up to a position). Cache 1: values are handed out in order.
CREATE SEQUENCE receipt_audit_seq CACHE 1;
ALTER TABLE receipt ADD COLUMN audit_seq BIGINT;
WITH ordered AS (SELECT receipt_id, row_number() OVER (ORDER BY received_at, receipt_id) AS n FROM receipt)
UPDATE receipt SET audit_seq = ordered.n FROM ordered WHERE receipt.receipt_id = ordered.receipt_id;
SELECT setval('receipt_audit_seq', coalesce((SELECT max(audit_seq) FROM receipt), 0) + 1, false);
ALTER TABLE receipt ALTER COLUMN audit_seq SET DEFAULT nextval('receipt_audit_seq'),
                    ALTER COLUMN audit_seq SET NOT NULL;
ALTER SEQUENCE receipt_audit_seq OWNED BY receipt.audit_seq;

-- The provider's signature of a delivery (qitech-es512), kept for re-verification: the request's
-- method and URI and its AUTHORIZATION and API-CLIENT-KEY headers, as received.
ALTER TABLE receipt
    ADD COLUMN signature_method        VARCHAR(16),
    ADD COLUMN signature_uri           TEXT,
    ADD COLUMN signature_authorization TEXT,
    ADD COLUMN signature_client_key    TEXT;

-- Signed digests, every one kept: the Merkle root (RFC 6962) over every chain head with an event at or
-- below position, and every receipt with audit_seq at or below receipt_position, signed with the
-- ledger's key (the public key is kept with each digest and published at /api/v1/audit/public-key).
CREATE TABLE audit_digest (
    digest_id        BIGINT       NOT NULL,
    created_at       TIMESTAMPTZ  NOT NULL,
    position         BIGINT       NOT NULL,
    receipt_position BIGINT       NOT NULL,
    chains           BIGINT       NOT NULL,
    receipts         BIGINT       NOT NULL,
    root             BYTEA        NOT NULL,
    algorithm        VARCHAR(16)  NOT NULL,
    public_key       BYTEA        NOT NULL,
    signature        BYTEA        NOT NULL,
    CONSTRAINT audit_digest_pkey PRIMARY KEY (digest_id)
);
CREATE SEQUENCE audit_digest_seq OWNED BY audit_digest.digest_id;

-- The fence: the event store, the chain and the digests refuse UPDATE, DELETE and TRUNCATE; a receipt
-- refuses DELETE and any UPDATE of its identity, body or signature (its outcome, reason, position and
-- attempts are completed after it is written). To lift it for a migration, as the table's owner, in the
-- migration's own transaction:
--     ALTER TABLE domainevententry DISABLE TRIGGER domainevententry_append_only;
--     ... the change ...
--     ALTER TABLE domainevententry ENABLE TRIGGER domainevententry_append_only;
-- (and the same for the _no_truncate trigger when truncating). The verifier is the evidence; this is
-- only the fence.
CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the table is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'docs/audit.md says how to lift the trigger for a migration';
END
$$;

CREATE TRIGGER domainevententry_append_only BEFORE UPDATE OR DELETE ON domainevententry
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER domainevententry_no_truncate BEFORE TRUNCATE ON domainevententry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER audit_digest_append_only BEFORE UPDATE OR DELETE ON audit_digest
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER audit_digest_no_truncate BEFORE TRUNCATE ON audit_digest
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
-- UPDATE OF: fires only when the statement sets one of these columns, so completing a receipt costs
-- nothing more.
CREATE TRIGGER receipt_body_append_only
    BEFORE UPDATE OF receipt_id, body_sha256, body, content_type, webhook_type, received_at, audit_seq,
        signature_method, signature_uri, signature_authorization, signature_client_key
    ON receipt FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER receipt_append_only BEFORE DELETE ON receipt
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER receipt_no_truncate BEFORE TRUNCATE ON receipt
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
