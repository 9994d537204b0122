-- Issue 20: a version 2 digest (V25) reads the chain links of the events written since the digest
-- before it. Through the event store's primary key and one lookup per event in audit_chain's key
-- (aggregate id, sequence) that read cost 15.5 µs of PostgreSQL per webhook (pg_stat_statements, fresh
-- ledger at 3,650/s), the most of the digest. With this index it is one range of positions: links are
-- written in position order, so each entry lands at the index's right edge and the range reads the
-- table's pages in order.
CREATE INDEX audit_chain_global_index_idx ON audit_chain (global_index);
