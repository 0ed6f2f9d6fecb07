"""The engine's event-bus addresses, as docs/api.md lists them (a test checks the two agree)."""

ENGINE_INFO = "trading.engine.info"

QUOTES_SUBMIT = "trading.quotes.submit"
QUOTES_CANCEL = "trading.quotes.cancel"
QUOTES_GET = "trading.quotes.get"
QUOTES_ACTIVE = "trading.quotes.active"

ORDERS_PLACE = "trading.orders.place"
ORDERS_UPDATE = "trading.orders.update"
ORDERS_CANCEL = "trading.orders.cancel"
ORDERS_GET = "trading.orders.get"
ORDERS_LIST = "trading.orders.list"

FILLS_RECORD = "trading.fills.record"
FILLS_LIST = "trading.fills.list"

POSITIONS_GET = "trading.positions.get"
POSITIONS_LIST = "trading.positions.list"

BALANCES_UPDATE = "trading.balances.update"
BALANCES_LIST = "trading.balances.list"
BALANCES_HISTORY = "trading.balances.history"

STATEMENTS_GET = "trading.statements.get"

ALERTS_CREATE = "trading.alerts.create"
ALERTS_CANCEL = "trading.alerts.cancel"
ALERTS_GET = "trading.alerts.get"
ALERTS_LIST = "trading.alerts.list"
ALERTS_FIRINGS = "trading.alerts.firings"

OUTBOX_STATUS = "trading.outbox.status"
OUTBOX_REQUEUE = "trading.outbox.requeue"
OUTBOX_SKIP = "trading.outbox.skip"
OUTBOX_REPLAY = "trading.outbox.replay"

#: Every event is published here and on ``EVENTS + "." + type`` (``trading.events.fill.recorded``).
EVENTS = "trading.events"

COMMANDS = tuple(value for name, value in sorted(globals().items()) if name.isupper() and name != "EVENTS"
                 and isinstance(value, str))
