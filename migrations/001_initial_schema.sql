-- The schema the engine starts with: quotes, orders, fills, positions, balances and the outbox.
--
-- Conventions (docs/operations.md):
--   * prices, quantities, fees and PnL are canonical decimal TEXT (BigDecimal.toPlainString of the
--     stripped value): exact, never binary floating point;
--   * times are INTEGER milliseconds since the Unix epoch, UTC;
--   * a position keeps the exact cost of its open quantity (cost_basis) beside the rounded average, so that
--     averages never drift over many fills;
--   * tables that are paged by cursor have an explicit INTEGER PRIMARY KEY, which VACUUM never renumbers.

-- migrate:up

CREATE TABLE quotes (
  quote_id          TEXT    NOT NULL PRIMARY KEY,
  symbol            TEXT    NOT NULL,
  bid_price         TEXT    NOT NULL,
  bid_quantity      TEXT    NOT NULL,
  ask_price         TEXT    NOT NULL,
  ask_quantity      TEXT    NOT NULL,
  spread_bps        TEXT    NOT NULL,
  source_symbol     TEXT,
  source_bid_price  TEXT,
  source_ask_price  TEXT,
  status            TEXT    NOT NULL CHECK (status IN ('ACTIVE', 'USED', 'EXPIRED', 'CANCELLED')),
  expires_at        INTEGER,
  used_by_order_id  TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
-- active quotes of a symbol, newest first
CREATE INDEX quotes_by_symbol_status ON quotes (symbol, status, created_at DESC);
-- the expiry timer finds the next ACTIVE quote to expire; retention finds old finished quotes
CREATE INDEX quotes_by_status_expiry ON quotes (status, expires_at);
CREATE INDEX quotes_by_status_updated ON quotes (status, updated_at);

CREATE TABLE orders (
  id                 INTEGER PRIMARY KEY,
  order_id           TEXT    NOT NULL UNIQUE,
  external_order_id  TEXT,
  account            TEXT    NOT NULL,
  symbol             TEXT    NOT NULL,
  side               TEXT    NOT NULL CHECK (side IN ('BUY', 'SELL')),
  type               TEXT    NOT NULL CHECK (type IN ('LIMIT', 'MARKET')),
  quantity           TEXT    NOT NULL,
  price              TEXT,
  quote_id           TEXT,
  status             TEXT    NOT NULL CHECK (status IN ('NEW', 'ACCEPTED', 'PARTIALLY_FILLED', 'FILLED',
                                                        'CANCELLED', 'REJECTED', 'EXPIRED')),
  filled_quantity    TEXT    NOT NULL DEFAULT '0',
  filled_notional    TEXT    NOT NULL DEFAULT '0',
  average_price      TEXT,
  reject_reason      TEXT,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  CHECK (type = 'MARKET' OR price IS NOT NULL)
);
CREATE UNIQUE INDEX orders_by_external_id ON orders (external_order_id) WHERE external_order_id IS NOT NULL;
-- open orders of a symbol; an account's orders (optionally of one symbol), newest first, paged by id
CREATE INDEX orders_by_symbol_status ON orders (symbol, status);
CREATE INDEX orders_by_account ON orders (account, id);
CREATE INDEX orders_by_account_symbol ON orders (account, symbol, id);
CREATE INDEX orders_by_account_status ON orders (account, status, id);
-- retention finds terminal orders by age
CREATE INDEX orders_by_status_updated ON orders (status, updated_at);

CREATE TABLE fills (
  id           INTEGER PRIMARY KEY,
  fill_id      TEXT    NOT NULL UNIQUE,
  order_id     TEXT    NOT NULL REFERENCES orders (order_id),
  account      TEXT    NOT NULL,
  symbol       TEXT    NOT NULL,
  side         TEXT    NOT NULL CHECK (side IN ('BUY', 'SELL')),
  price        TEXT    NOT NULL,
  quantity     TEXT    NOT NULL,
  fee          TEXT,
  fee_asset    TEXT,
  liquidity    TEXT    CHECK (liquidity IN ('MAKER', 'TAKER')),
  trade_id     TEXT,
  late         INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
  executed_at  INTEGER NOT NULL,
  recorded_at  INTEGER NOT NULL
);
-- fills of an order in arrival order; fills of a symbol in a time range
CREATE INDEX fills_by_order ON fills (order_id, id);
CREATE INDEX fills_by_symbol_time ON fills (symbol, executed_at, id);
CREATE INDEX fills_by_time ON fills (executed_at);

CREATE TABLE positions (
  account        TEXT    NOT NULL,
  symbol         TEXT    NOT NULL,
  quantity       TEXT    NOT NULL,
  average_price  TEXT,
  cost_basis     TEXT    NOT NULL DEFAULT '0',
  realized_pnl   TEXT    NOT NULL,
  fees           TEXT    NOT NULL DEFAULT '{}',
  fill_count     INTEGER NOT NULL DEFAULT 0,
  last_fill_id   TEXT,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (account, symbol)
) WITHOUT ROWID;

CREATE TABLE balances (
  account     TEXT    NOT NULL,
  asset       TEXT    NOT NULL,
  available   TEXT    NOT NULL,
  locked      TEXT    NOT NULL,
  total       TEXT    NOT NULL,
  as_of       INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (account, asset)
) WITHOUT ROWID;

-- every snapshot received, for the accountant's history (balances keeps only the latest per account and asset)
CREATE TABLE balance_updates (
  id           INTEGER PRIMARY KEY,
  account      TEXT    NOT NULL,
  asset        TEXT    NOT NULL,
  available    TEXT    NOT NULL,
  locked       TEXT    NOT NULL,
  total        TEXT    NOT NULL,
  as_of        INTEGER NOT NULL,
  recorded_at  INTEGER NOT NULL
);
CREATE INDEX balance_updates_by_account ON balance_updates (account, asset, as_of);
CREATE INDEX balance_updates_by_time ON balance_updates (recorded_at);

CREATE TABLE outbox (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id         TEXT    NOT NULL UNIQUE,
  aggregate_type   TEXT    NOT NULL,
  aggregate_id     TEXT    NOT NULL,
  event_type       TEXT    NOT NULL,
  payload          TEXT    NOT NULL,
  headers          TEXT,
  created_at       INTEGER NOT NULL,
  status           TEXT    NOT NULL DEFAULT 'PENDING'
                           CHECK (status IN ('PENDING', 'IN_FLIGHT', 'PUBLISHED', 'BLOCKED', 'SKIPPED')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  INTEGER NOT NULL,
  last_error       TEXT,
  published_at     INTEGER,
  claimed_by       TEXT,
  lease_until      INTEGER
);
-- the dispatcher claims pending events in seq order, and checks that no earlier event of the same aggregate is
-- unfinished; both indexes hold only unfinished rows, so they stay small however much history is retained
CREATE INDEX outbox_pending ON outbox (seq) WHERE status = 'PENDING';
CREATE INDEX outbox_unfinished_by_aggregate ON outbox (aggregate_type, aggregate_id, seq)
  WHERE status IN ('PENDING', 'IN_FLIGHT', 'BLOCKED');
-- the next due retry; replay of one aggregate; retention purges old published and skipped events
CREATE INDEX outbox_by_status_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_by_aggregate ON outbox (aggregate_type, aggregate_id, seq);
CREATE INDEX outbox_by_status_published ON outbox (status, published_at);

-- migrate:down

DROP TABLE outbox;
DROP TABLE balance_updates;
DROP TABLE balances;
DROP TABLE positions;
DROP TABLE fills;
DROP TABLE orders;
DROP TABLE quotes;
