-- Outbox: drop outbox_due, which only the status report read; every event paid for it twice
-- migrate:up
-- outbox_due held (next_attempt_at) of every PENDING event: each append inserted an entry and each publication
-- removed it, three of each per fill. Its only reader was trading.outbox.status (the next due event), which now
-- reads the same PENDING rows through outbox_pending, as it already did for the oldest pending event; the
-- dispatcher finds due events through outbox_pending and retries through outbox_held_by_aggregate. Measured
-- (docs/performance.md): plain JDBC, the engine's writes per fill plus the publication marks, 30 fills per
-- transaction, NORMAL, seven rounds: 83 -> 78 us of CPU per fill; the engine, fills closed loop, four alternating
-- pairs: the writer's thread 98-140 -> 89-132 us per fill, lower in every pair.
DROP INDEX outbox_due;

-- migrate:down
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'PENDING';
