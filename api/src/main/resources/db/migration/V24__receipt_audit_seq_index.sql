-- Issue 20: each digest (every minute) begins by reading the highest receipt number,
-- max(audit_seq); without an index that read every receipt (0.2 s at 61k receipts, growing with the
-- ledger) while intake waited for the same CPU. Receipts take their numbers in order, so this index
-- grows at its right edge: one cheap index insert per receipt.
CREATE INDEX receipt_audit_seq_idx ON receipt (audit_seq);
