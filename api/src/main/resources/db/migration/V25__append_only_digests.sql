-- Issue 20: digests in version 2 (docs/audit.md). A version 1 digest read every chain head and every
-- receipt of the ledger, sorted them and hashed them all, every minute: linear in the ledger (0.5 s of
-- PostgreSQL at 61k receipts, several seconds at 400k, when the service acknowledged half as much), and
-- at some millions of receipts longer than the minute itself. A version 2 digest adds what was written
-- since the digest before it to one append-only Merkle tree: the chain heads of the entities that
-- moved and the new receipts (api audit.DigestDeltas), and keeps the tree's right edge (frontier: the
-- roots of its perfect subtrees, largest first, 32 bytes each) for the next one.
--
-- previous_id: the version 2 digest whose tree this one extends (0 for the first); unique, so that two
-- digests made at once (two nodes, or the schedule and GET /api/v1/audit/digest) cannot both extend the
-- same one: the second fails and is made again on top of the first. Digests made before stay version 1
-- and verify as before. Adding nullable columns and a column with a constant default rewrites no row,
-- so the append-only fence (V17) is not lifted.
ALTER TABLE audit_digest
    ADD COLUMN version     INTEGER NOT NULL DEFAULT 1,
    ADD COLUMN previous_id BIGINT,
    ADD COLUMN frontier    BYTEA;
ALTER TABLE audit_digest ADD CONSTRAINT audit_digest_version CHECK (version IN (1, 2)
    AND (version = 1) = (previous_id IS NULL) AND (version = 1) = (frontier IS NULL));
CREATE UNIQUE INDEX audit_digest_previous_key ON audit_digest (previous_id) WHERE version = 2;
