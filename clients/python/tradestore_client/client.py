"""The connection to the engine's TCP event-bus bridge, and the typed helpers for its commands.

Frames are a 4-byte big-endian length followed by that many bytes of UTF-8 JSON (the Vert.x TCP bridge's
protocol). One reader thread takes every frame off the socket: replies complete the request waiting on their
reply address, event messages go to a second thread that runs the subscribers' handlers in arrival order, so
a slow handler never delays a reply.
"""

import datetime
import decimal
import json
import logging
import queue
import random
import socket
import ssl
import struct
import threading
import time
import uuid
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from . import addresses as A
from .errors import ConnectionLost, TradestoreError

LOG = logging.getLogger("tradestore_client")

#: The bridge's longest request timeout (``headers.timeout``), in milliseconds.
MAX_TIMEOUT_MS = 300_000
#: The bridge's default ``bridge.maxFrameBytes``: a frame announced larger than this is refused by the engine.
MAX_FRAME_BYTES = 1_048_576

_LENGTH = struct.Struct(">I")


def _json_default(value):
    if isinstance(value, decimal.Decimal):
        # plain notation: the engine's canonical text has no exponent
        return format(value, "f")
    if isinstance(value, datetime.datetime):
        return _timestamp(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _timestamp(value):
    """A datetime as the ISO-8601 UTC text the engine takes; a naive datetime is taken as UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _encode(frame):
    data = json.dumps(frame, default=_json_default, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    if len(data) > MAX_FRAME_BYTES:
        raise ValueError(f"frame of {len(data)} bytes exceeds the bridge's default limit of {MAX_FRAME_BYTES}")
    return _LENGTH.pack(len(data)) + data


class Subscription:
    """A handler registered for an address; ``close()`` removes it (and unregisters the address with the last one)."""

    def __init__(self, client, address, handler):
        self._client = client
        self.address = address
        self.handler = handler

    def close(self):
        self._client._unsubscribe(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class EventStream:
    """Events of one address as an iterator: ``for body, headers in engine.events(address): ...``.

    Bounded: when the consumer falls ``maxsize`` events behind, the oldest waiting event is dropped and counted in
    ``dropped`` rather than letting memory grow without end (the engine keeps every event; replay them with
    ``trading.outbox.replay``).
    """

    _CLOSED = object()

    def __init__(self, client, address, maxsize):
        self._queue = queue.Queue(maxsize)
        self.dropped = 0
        self._subscription = client.subscribe(address, self._offer)

    def _offer(self, body, headers):
        while True:
            try:
                self._queue.put_nowait((body, headers))
                return
            except queue.Full:
                try:
                    self._queue.get_nowait()
                    self.dropped += 1
                except queue.Empty:
                    pass

    def get(self, timeout=None):
        """The next ``(body, headers)``; raises ``queue.Empty`` after ``timeout`` seconds, ``StopIteration`` once closed."""
        item = self._queue.get(timeout=timeout)
        if item is EventStream._CLOSED:
            self._queue.put(item)
            raise StopIteration
        return item

    def __iter__(self):
        return self

    def __next__(self):
        return self.get()

    def close(self):
        self._subscription.close()
        self._offer(EventStream._CLOSED, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class Client:
    """One connection to the engine's bridge, shared safely by any number of threads.

    :param token: the access token, sent in every frame's headers when the engine has tokens on
    :param tls: ``True`` for TLS with the system's trust store, or an ``ssl.SSLContext`` of your own
    :param timeout: seconds a request waits for its reply unless the call says otherwise
    :param ping_interval: seconds between keep-alive pings (``None``: none)
    :param reconnect: after a lost connection, connect again with backoff and register the subscriptions again;
        requests outstanding at the loss fail with :class:`ConnectionLost` (their outcome is unknown: resend them
        with the same ids, the engine answers a committed one with ``"duplicate": true``)
    :param on_error: called with a :class:`TradestoreError` for an ``err`` frame no request waits on (the bridge's
        ``access_denied`` for a send or a registration, for one); default: logged
    """

    def __init__(self, host="127.0.0.1", port=7000, *, token=None, tls=None, server_hostname=None, timeout=30.0,
                 connect_timeout=10.0, ping_interval=20.0, reconnect=True, max_backoff=5.0, on_error=None):
        self.host = host
        self.port = port
        self.timeout = timeout
        self._token = token
        self._tls = ssl.create_default_context() if tls is True else tls
        self._server_hostname = server_hostname or host
        self._connect_timeout = connect_timeout
        self._ping_interval = ping_interval
        self._reconnect = reconnect
        self._max_backoff = max_backoff
        self._on_error = on_error or (lambda error: LOG.warning("unanswered err frame: %s", error))

        self._state = threading.Condition()
        self._sock = None
        self._closed = False
        self._write_lock = threading.Lock()
        self._pending = {}
        self._subscriptions = {}
        self._events = queue.Queue()
        self.reconnects = 0

        self._sock = self._open_socket()
        threading.Thread(target=self._read_loop, args=(self._sock,), name="tradestore-reader", daemon=True).start()
        threading.Thread(target=self._dispatch_loop, name="tradestore-events", daemon=True).start()
        if ping_interval:
            threading.Thread(target=self._ping_loop, name="tradestore-ping", daemon=True).start()

    # --- the wire ---------------------------------------------------------------------------------------------

    def request(self, address, body=None, timeout=None, headers=None):
        """Sends ``body`` to ``address`` and returns the reply body; raises :class:`TradestoreError` on a failure."""
        timeout = self.timeout if timeout is None else timeout
        timeout_ms = max(1, min(MAX_TIMEOUT_MS, int(timeout * 1000)))
        reply_address = "tradestore-py." + uuid.uuid4().hex
        future = Future()
        with self._state:
            self._pending[reply_address] = (future, address)
        frame = {"type": "send", "address": address, "replyAddress": reply_address, "body": body or {},
                 "headers": self._headers(headers, timeout=timeout_ms)}
        try:
            self._write(frame, deadline=time.monotonic() + timeout)
            # the engine answers TIMEOUT itself at timeout_ms; the margin lets that answer arrive first
            return future.result(timeout + 1.0)
        except FutureTimeout:
            raise TradestoreError(-1, "TIMEOUT", f"no reply within {timeout} s; the outcome is unknown: resend with "
                                  "the same ids", None, address, "TIMEOUT") from None
        finally:
            with self._state:
                self._pending.pop(reply_address, None)

    def send(self, address, body=None, headers=None):
        """A one-way send: no reply is waited for (a refusal comes to ``on_error``)."""
        self._write({"type": "send", "address": address, "body": body or {}, "headers": self._headers(headers)})

    def publish(self, address, body=None, headers=None):
        self._write({"type": "publish", "address": address, "body": body or {}, "headers": self._headers(headers)})

    def subscribe(self, address, handler):
        """Calls ``handler(body, headers)`` for every message on ``address``, on the client's event thread, in order.

        Events carry ``eventId``, ``seq`` and ``type`` in their headers; delivery is at least once, so a handler
        dedupes on ``eventId``.
        """
        subscription = Subscription(self, address, handler)
        with self._state:
            handlers = self._subscriptions.setdefault(address, [])
            first = not handlers
            handlers.append(subscription)
        if first:
            self._write({"type": "register", "address": address, "headers": self._headers(None)})
        return subscription

    def events(self, address, maxsize=10_000):
        """The messages of ``address`` as an iterator of ``(body, headers)``; close it when done."""
        return EventStream(self, address, maxsize)

    def ping(self):
        """Sends a ping; the engine answers ``pong``. Raises when the connection is down."""
        self._write({"type": "ping"})

    def close(self):
        """Closes the connection; outstanding requests fail with :class:`ConnectionLost`. Safe to call twice."""
        with self._state:
            if self._closed:
                return
            self._closed = True
            sock = self._sock
            self._state.notify_all()
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()
        self._fail_pending("the client was closed")
        self._events.put(None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def connected(self):
        with self._state:
            return self._sock is not None and not self._closed

    # --- typed helpers (docs/api.md) -------------------------------------------------------------------------

    def engine_info(self):
        return self.request(A.ENGINE_INFO)

    def submit_quote(self, quote_id, symbol, bid_price, bid_quantity, ask_price, ask_quantity, *, expires_at=None,
                     source_symbol=None, source_bid_price=None, source_ask_price=None):
        return self.request(A.QUOTES_SUBMIT, _body(
            quoteId=quote_id, symbol=symbol, bidPrice=bid_price, bidQuantity=bid_quantity, askPrice=ask_price,
            askQuantity=ask_quantity, expiresAt=expires_at, sourceSymbol=source_symbol,
            sourceBidPrice=source_bid_price, sourceAskPrice=source_ask_price))

    def cancel_quote(self, quote_id):
        return self.request(A.QUOTES_CANCEL, {"quoteId": quote_id})

    def get_quote(self, quote_id):
        return self.request(A.QUOTES_GET, {"quoteId": quote_id})

    def active_quotes(self, symbol=None, *, page_size=None):
        """The ACTIVE, unexpired quotes, newest first, fetched page by page as the iteration goes."""
        return self._pages(A.QUOTES_ACTIVE, "quotes", _body(symbol=symbol, limit=page_size))

    def place_order(self, order_id, symbol, side, quantity, *, price=None, type=None, account=None, quote_id=None):
        """A LIMIT order when ``price`` is given, else MARKET, unless ``type`` says otherwise."""
        order_type = type or ("LIMIT" if price is not None else "MARKET")
        return self.request(A.ORDERS_PLACE, _body(
            orderId=order_id, account=account, symbol=symbol, side=side, type=order_type, quantity=quantity,
            price=price, quoteId=quote_id))

    def update_order(self, order_id, status, *, external_order_id=None, reason=None):
        return self.request(A.ORDERS_UPDATE, _body(orderId=order_id, status=status,
                                                   externalOrderId=external_order_id, reason=reason))

    def cancel_order(self, order_id):
        return self.request(A.ORDERS_CANCEL, {"orderId": order_id})

    def get_order(self, order_id=None, *, external_order_id=None):
        return self.request(A.ORDERS_GET, _body(orderId=order_id, externalOrderId=external_order_id))

    def orders(self, *, account=None, symbol=None, status=None, start=None, end=None, page_size=None):
        """Every order matching the filters (created in ``[start, end)``), newest first, page by page."""
        return self._pages(A.ORDERS_LIST, "orders", _body(account=account, symbol=symbol, status=status, to=end,
                                                          limit=page_size, **{"from": start}))

    def record_fill(self, fill_id, order_id, price, quantity, *, fee=None, fee_asset=None, executed_at=None,
                    trade_id=None, liquidity=None):
        return self.request(A.FILLS_RECORD, _body(
            fillId=fill_id, orderId=order_id, price=price, quantity=quantity, fee=fee, feeAsset=fee_asset,
            executedAt=executed_at, tradeId=trade_id, liquidity=liquidity))

    def fills(self, *, order_id=None, symbol=None, account=None, start=None, end=None, page_size=None):
        """The fills of an order (arrival order), or of a symbol (and account) executed in ``[start, end)``."""
        return self._pages(A.FILLS_LIST, "fills", _body(orderId=order_id, symbol=symbol, account=account, to=end,
                                                        limit=page_size, **{"from": start}))

    def position(self, symbol, *, account=None):
        return self.request(A.POSITIONS_GET, _body(account=account, symbol=symbol))

    def positions(self, *, account=None, open_only=None):
        return self.request(A.POSITIONS_LIST, _body(account=account, openOnly=open_only))["positions"]

    def update_balance(self, asset, available, locked, *, account=None, as_of=None):
        return self.request(A.BALANCES_UPDATE, _body(account=account, asset=asset, available=available,
                                                     locked=locked, asOf=as_of))

    def balances(self, *, account=None):
        return self.request(A.BALANCES_LIST, _body(account=account))["balances"]

    def balance_history(self, asset, *, account=None, start=None, end=None, page_size=None):
        """Every recorded snapshot of one asset with ``asOf`` in ``[start, end)``, oldest first, page by page."""
        return self._pages(A.BALANCES_HISTORY, "updates", _body(account=account, asset=asset, to=end,
                                                                limit=page_size, **{"from": start}))

    def statement(self, *, account=None, start=None, end=None):
        """Per symbol: opening and closing position, realized PnL, fees and fill count of ``[start, end)``."""
        return self.request(A.STATEMENTS_GET, _body(account=account, to=end, **{"from": start}))

    def create_alert(self, alert_id, symbol, kind, condition, threshold, *, account=None, repeat=None,
                     rearm_by=None, expires_at=None, note=None):
        """A rule on ``kind`` (bid, ask, mid, unrealizedPnl, realizedPnl, absQuantity) meeting ``threshold``."""
        return self.request(A.ALERTS_CREATE, _body(
            alertId=alert_id, account=account, symbol=symbol, kind=kind, condition=condition, threshold=threshold,
            repeat=repeat, rearmBy=rearm_by, expiresAt=expires_at, note=note))

    def cancel_alert(self, alert_id):
        return self.request(A.ALERTS_CANCEL, {"alertId": alert_id})

    def get_alert(self, alert_id):
        return self.request(A.ALERTS_GET, {"alertId": alert_id})

    def alerts(self, *, symbol=None, account=None, status=None, page_size=None):
        """Every alert matching the filters, newest first, page by page."""
        return self._pages(A.ALERTS_LIST, "alerts", _body(symbol=symbol, account=account, status=status,
                                                          limit=page_size))

    def alert_firings(self, alert_id, *, page_size=None):
        """Every firing of one alert, oldest first, page by page: the value, the one before, what caused it."""
        return self._pages(A.ALERTS_FIRINGS, "firings", _body(alertId=alert_id, limit=page_size))

    def outbox_status(self, *, limit=None, finished=None):
        return self.request(A.OUTBOX_STATUS, _body(limit=limit, finished=finished))

    def _pages(self, address, key, body):
        cursor = None
        while True:
            page = self.request(address, dict(body, **({"cursor": cursor} if cursor is not None else {})))
            yield from page[key]
            cursor = page.get("nextCursor")
            if cursor is None:
                return

    # --- inside -----------------------------------------------------------------------------------------------

    def _headers(self, extra, **more):
        headers = {}
        if self._token is not None:
            headers["token"] = self._token
        headers.update(more)
        if extra:
            headers.update({k: str(v) for k, v in extra.items()})
        return headers

    def _open_socket(self):
        sock = socket.create_connection((self.host, self.port), timeout=self._connect_timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self._tls is not None:
            sock = self._tls.wrap_socket(sock, server_hostname=self._server_hostname)
        sock.settimeout(None)
        return sock

    def _write(self, frame, deadline=None):
        data = _encode(frame)
        sock = self._await_socket(deadline)
        try:
            with self._write_lock:
                sock.sendall(data)
        except OSError as e:
            raise ConnectionLost(f"sending to {self.host}:{self.port} failed: {e}") from e

    def _await_socket(self, deadline):
        """The live socket; while reconnecting, waits for it until ``deadline`` (default: the connect timeout)."""
        deadline = deadline or time.monotonic() + self._connect_timeout
        with self._state:
            while self._sock is None and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ConnectionLost(f"not connected to {self.host}:{self.port}")
                self._state.wait(left)
            if self._closed:
                raise ConnectionLost("the client was closed")
            return self._sock

    def _read_loop(self, sock):
        try:
            while True:
                frame = json.loads(_read_exactly(sock, _LENGTH.unpack(_read_exactly(sock, 4))[0]).decode("utf-8"))
                self._on_frame(frame)
        except (OSError, EOFError, ValueError) as e:
            self._connection_lost(sock, e)

    def _on_frame(self, frame):
        kind = frame.get("type")
        address = frame.get("address")
        if kind == "pong":
            return
        with self._state:
            waiting = self._pending.pop(address, None) if address is not None else None
            subscribed = address in self._subscriptions
        if waiting is not None:
            future, request_address = waiting
            if kind == "err":
                future.set_exception(TradestoreError.from_err_frame(frame, request_address))
            else:
                future.set_result(frame.get("body"))
        elif kind == "message" and subscribed:
            self._events.put((address, frame.get("body"), frame.get("headers") or {}))
        elif kind == "err":
            self._on_error(TradestoreError.from_err_frame(frame, address))

    def _dispatch_loop(self):
        while True:
            item = self._events.get()
            if item is None:
                return
            address, body, headers = item
            with self._state:
                handlers = list(self._subscriptions.get(address, ()))
            for subscription in handlers:
                try:
                    subscription.handler(body, headers)
                except Exception:  # a failing handler must not stop the others, nor later events
                    LOG.exception("handler for %s failed", address)

    def _ping_loop(self):
        while True:
            with self._state:
                if self._closed:
                    return
                self._state.wait(self._ping_interval)
                if self._closed:
                    return
                up = self._sock is not None
            if up:
                try:
                    self.ping()
                except ConnectionLost:
                    pass  # the reader sees the loss and reconnects

    def _unsubscribe(self, subscription):
        with self._state:
            handlers = self._subscriptions.get(subscription.address, [])
            if subscription in handlers:
                handlers.remove(subscription)
            last = not handlers
            if last:
                self._subscriptions.pop(subscription.address, None)
        if last:
            try:
                self._write({"type": "unregister", "address": subscription.address, "headers": self._headers(None)})
            except ConnectionLost:
                pass  # gone with the connection anyway

    def _fail_pending(self, why):
        with self._state:
            pending = list(self._pending.values())
            self._pending.clear()
        for future, address in pending:
            if not future.done():
                future.set_exception(ConnectionLost(f"{address}: {why}; the outcome is unknown, resend with the same ids"))

    def _connection_lost(self, sock, cause):
        with self._state:
            if self._sock is sock:
                self._sock = None
            closed = self._closed
        try:
            sock.close()
        except OSError:
            pass
        if closed:
            return
        self._fail_pending(f"the connection was lost ({cause})")
        if not self._reconnect:
            with self._state:
                self._closed = True
                self._state.notify_all()
            self._events.put(None)
            return
        LOG.warning("connection to %s:%s lost (%s); reconnecting", self.host, self.port, cause)
        threading.Thread(target=self._reconnect_loop, name="tradestore-reconnect", daemon=True).start()

    def _reconnect_loop(self):
        backoff = 0.05
        while True:
            with self._state:
                if self._closed:
                    return
            try:
                sock = self._open_socket()
            except OSError as e:
                pause = backoff / 2 + random.uniform(0, backoff / 2)
                LOG.info("reconnect to %s:%s failed (%s); next try in %.2f s", self.host, self.port, e, pause)
                with self._state:
                    self._state.wait(pause)
                backoff = min(self._max_backoff, backoff * 2)
                continue
            with self._state:
                addresses = list(self._subscriptions)
            try:
                for address in addresses:
                    data = _encode({"type": "register", "address": address, "headers": self._headers(None)})
                    sock.sendall(data)
            except OSError:
                sock.close()
                continue
            with self._state:
                if self._closed:
                    sock.close()
                    return
                self._sock = sock
                self.reconnects += 1
                self._state.notify_all()
            threading.Thread(target=self._read_loop, args=(sock,), name="tradestore-reader", daemon=True).start()
            LOG.info("reconnected to %s:%s; %d subscription(s) registered again", self.host, self.port, len(addresses))
            return


def _read_exactly(sock, n):
    chunks = []
    while n:
        chunk = sock.recv(min(n, 65536))
        if not chunk:
            raise EOFError("the engine closed the connection")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def _body(**fields):
    """A request body without the optional fields left at None; datetimes become ISO-8601 UTC text."""
    return {k: (_timestamp(v) if isinstance(v, datetime.datetime) else v) for k, v in fields.items() if v is not None}
