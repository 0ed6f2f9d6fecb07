-- Outbox: index only the events that hold back their aggregate, not every unfinished one
-- migrate:up
-- The claim asks, for each due PENDING event, whether an earlier event of its aggregate still holds it back
-- (in flight, blocked, or a retry not yet due). Indexed over every unfinished event, that question walked all the
-- earlier PENDING events of the aggregate, so a busy order with a backlog of N events cost O(N^2) per claim.
-- A fresh PENDING event (attempts = 0) is always due and never holds anything back, so it is left out: the index
-- holds the in-flight, blocked and retried events only, and appending an event no longer writes to it.
CREATE INDEX outbox_held_by_aggregate ON outbox (aggregate_type, aggregate_id, seq)
  WHERE status IN ('IN_FLIGHT', 'BLOCKED') OR (status = 'PENDING' AND attempts > 0);
DROP INDEX outbox_unfinished_by_aggregate;

-- migrate:down
CREATE INDEX outbox_unfinished_by_aggregate ON outbox (aggregate_type, aggregate_id, seq)
  WHERE status IN ('PENDING', 'IN_FLIGHT', 'BLOCKED');
DROP INDEX outbox_held_by_aggregate;
