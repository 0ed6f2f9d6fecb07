-- Outbox: index due and finished events by partial indexes instead of two indexes over every row by status
-- migrate:up
-- (status, next_attempt_at) and (status, published_at) held an entry for every event, moved at each status change:
-- an event's claim and its mark each moved two index entries, and its append wrote two. The queries they served
-- only ever look at PENDING events (when is the next one due) or at finished ones (retention): partial indexes hold
-- exactly those, so an append writes one entry (outbox_due), a claim removes it, a mark adds one (outbox_finished).
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX outbox_finished ON outbox (published_at) WHERE status IN ('PUBLISHED', 'SKIPPED');
DROP INDEX outbox_by_status_due;
DROP INDEX outbox_by_status_published;

-- migrate:down
CREATE INDEX outbox_by_status_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_status_published ON outbox (status, published_at);
DROP INDEX outbox_finished;
DROP INDEX outbox_due;
