-- A dead letter keeps its cause's whole message. Axon's schema (V10) gave it 1,023 characters, and
-- the message of a statement PostgreSQL refuses quotes the statement and the failing row: for the
-- bank-slip view's upsert it is longer than that, so parking the event failed in its turn, the
-- processor's transaction rolled back, and the processor retried the same event forever while its
-- read model stopped (found when issue 20 moved issue 26's test from the history to that view).
ALTER TABLE deadletterentry ALTER COLUMN causemessage TYPE TEXT;
