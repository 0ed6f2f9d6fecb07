-- Alerts: price and risk rules kept with the book, and every firing of each (issue 25)
-- migrate:up
CREATE TABLE alerts (
  -- an explicit key: the list pages along it, and VACUUM may renumber an implicit rowid
  id             INTEGER PRIMARY KEY,
  alert_id       TEXT    NOT NULL UNIQUE,
  account        TEXT    NOT NULL,
  symbol         TEXT    NOT NULL,
  kind           TEXT    NOT NULL CHECK (kind IN ('BID', 'ASK', 'MID', 'UNREALIZED_PNL', 'REALIZED_PNL', 'ABS_QUANTITY')),
  condition      TEXT    NOT NULL CHECK (condition IN ('ABOVE', 'BELOW', 'CROSSES_ABOVE', 'CROSSES_BELOW')),
  threshold      TEXT    NOT NULL,
  repeat_mode    TEXT    NOT NULL CHECK (repeat_mode IN ('ONCE', 'REARM')),
  rearm_by       TEXT,
  expires_at     INTEGER,
  note           TEXT,
  status         TEXT    NOT NULL CHECK (status IN ('ACTIVE', 'TRIGGERED', 'CANCELLED', 'EXPIRED')),
  armed          INTEGER NOT NULL CHECK (armed IN (0, 1)),
  firings        INTEGER NOT NULL,
  last_fired_at  INTEGER,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
-- the writer loads the active alerts at start; the expiry timer finds the next to expire; retention finds old
-- finished alerts
CREATE INDEX alerts_by_status_expiry ON alerts (status, expires_at);
CREATE INDEX alerts_by_status_updated ON alerts (status, updated_at);
-- trading.alerts.list by symbol or by account, newest first (the id each entry carries is the order)
CREATE INDEX alerts_by_symbol ON alerts (symbol);
CREATE INDEX alerts_by_account ON alerts (account);

CREATE TABLE alert_firings (
  id        INTEGER PRIMARY KEY,
  alert_id  TEXT    NOT NULL,
  value     TEXT    NOT NULL,
  previous  TEXT,
  cause     TEXT    NOT NULL CHECK (cause IN ('QUOTE', 'FILL')),
  cause_id  TEXT    NOT NULL,
  fired_at  INTEGER NOT NULL
);
-- an alert's history of firings, in order
CREATE INDEX alert_firings_by_alert ON alert_firings (alert_id, id);

-- migrate:down
DROP TABLE alert_firings;
DROP TABLE alerts;
