-- A laptop's item the server refused for good (its own values, a contradiction with what
-- the server stores, a unit outside the account's subtree): parked, not sent again until
-- the row changes here. `parked_seq` is the row's change number here when it was parked;
-- `parked_reason` the server's message. NULL: an item refused for a reason that can
-- change, sent again on the next sync.
ALTER TABLE sync_retry ADD COLUMN parked_seq INTEGER;
ALTER TABLE sync_retry ADD COLUMN parked_reason TEXT;
