-- Issue 20: every money movement and every bank slip's figures paid for index entries that no query
-- reads. Each query that uses these indexes names what it needs in its WHERE clause, so the indexes
-- keep only those rows (PostgreSQL uses a partial index when the query's conditions imply its
-- predicate: a literal kind, a date range that a NULL never matches):
--  - the reconciliation report reads ledger_entry by kind = 'disbursement_refused' and effective date;
--  - the money-movement fold reads earlier installment payments by entity, key and reference;
--  - the reconciliation report reads fin_bank_slip by a settled or a notified date range, and a slip
--    paid without a notice has no notified date (and a notified one no settled date yet).
-- A bank-slip payment's ledger entry now goes into two indexes instead of four, and its fin_bank_slip
-- row into two instead of three.
DROP INDEX ledger_entry_kind_idx;
CREATE INDEX ledger_entry_refused_idx ON ledger_entry (effective_date)
    WHERE kind = 'disbursement_refused';

DROP INDEX ledger_entry_entity_idx;
CREATE INDEX ledger_entry_payment_idx ON ledger_entry (entity, entity_key, reference)
    WHERE kind IN ('installment_payment', 'installment_payment_revised');

DROP INDEX fin_bank_slip_settled_idx;
CREATE INDEX fin_bank_slip_settled_idx ON fin_bank_slip (settled_date) WHERE settled_date IS NOT NULL;

DROP INDEX fin_bank_slip_notified_idx;
CREATE INDEX fin_bank_slip_notified_idx ON fin_bank_slip (notified_date) WHERE notified_date IS NOT NULL;
