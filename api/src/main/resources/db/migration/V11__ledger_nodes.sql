-- The service nodes sharing this database, each with its latest heartbeat (the database's clock, so
-- nodes' clocks need not agree). A node that holds no segment claim in tokenentry is otherwise
-- invisible; the fair share of segments per node is ceil(segments / live nodes), where a node is live
-- while its heartbeat is recent. Nothing here is a record or a read model: it lives in its own schema,
-- outside the public tables that a read-model rebuild regenerates, and rows of stopped nodes expire.
CREATE SCHEMA IF NOT EXISTS ledger_ops;

CREATE TABLE ledger_ops.node (
    node_id      VARCHAR(255) NOT NULL,
    started_at   TIMESTAMPTZ  NOT NULL,
    heartbeat_at TIMESTAMPTZ  NOT NULL,
    CONSTRAINT node_pkey PRIMARY KEY (node_id)
);
