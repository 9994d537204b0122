-- Issue 23: the console's find box (GET /api/v1/lookup) looks an installment billing up by its
-- digitable line; without an index that read scanned every billing. Only billings write this table,
-- so the index costs an insert per billing and nothing on the webhooks of the other families.
CREATE INDEX installment_billing_view_digitable_line_idx ON installment_billing_view (digitable_line);
