-- Issue 20: a journal transaction is identified by its event's position (the primary key), as the
-- other read models' rows are since V14; the second unique index, on the event's identifier, cost one
-- more random-key index insert (and its WAL) per monetary event and was never searched: the journal's
-- reads go by position, date and account, and select event_id only to show it. A replayed event still
-- conflicts on the position (ON CONFLICT DO NOTHING).
ALTER TABLE journal_transaction DROP CONSTRAINT journal_transaction_event_key;
