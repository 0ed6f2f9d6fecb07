-- Fewer index writes per fill: drop the outbox's per-aggregate index and an unused fills index; orders by finish time only
-- migrate:up
-- Every event inserted an entry into outbox_by_aggregate at its aggregate's place in the index: three per fill
-- (two on the order, one on the position), each on a different page of an index as large as the retained history,
-- so every transaction rewrote a page per order and position it touched. Measured (bench mix, NORMAL, 2 cores,
-- closed loop; docs/performance.md): dropping it took the writer from 175-239 to 132-173 us of CPU per command and
-- the engine from 7,601 / 5,886 to 9,890 / 8,481 commands/s. Its one reader was trading.outbox.replay filtered by
-- aggregate, which now reads a bounded range of seqs per request instead (docs/api.md).
DROP INDEX outbox_by_aggregate;

-- No query reads fills by time across all symbols (by symbol and time: fills_by_symbol_time).
DROP INDEX fills_by_time;

-- (status, updated_at) moved an entry at every fill of an open order (updated_at changes each time), but its only
-- reader is retention, which asks for finished orders: a partial index holds exactly those, and an order enters
-- it once, when it finishes.
CREATE INDEX orders_finished ON orders (updated_at) WHERE status IN ('FILLED', 'CANCELLED', 'REJECTED', 'EXPIRED');
DROP INDEX orders_by_status_updated;

-- migrate:down
CREATE INDEX orders_by_status_updated ON orders (status, updated_at);
DROP INDEX orders_finished;
CREATE INDEX fills_by_time ON fills (executed_at);
CREATE INDEX outbox_by_aggregate ON outbox (aggregate_type, aggregate_id, seq);
