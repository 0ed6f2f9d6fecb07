"""The Python client against a real engine process: requests, errors, duplicates, events, threads, reconnection."""

import decimal
import hashlib
import json
import os
import secrets
import shutil
import queue
import re
import threading
import time
import unittest
import uuid

from tradestore_client import Client, ConnectionLost, TradestoreError, addresses

from .engine import REPOSITORY, Engine


def uid(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


class ClientAgainstTheEngineTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = Engine().start()
        cls.client = Client("127.0.0.1", cls.engine.bridge_port, timeout=10)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.engine.close()

    def test_a_request_returns_the_reply_body(self):
        info = self.client.engine_info()
        self.assertEqual("tradestore", info["engine"])
        self.assertEqual("wal", info["database"]["journalMode"])

    def test_an_order_and_its_fills_give_the_position_in_exact_decimals(self):
        account, order_id = uid("acct"), uid("o")
        placed = self.client.place_order(order_id, "BTCUSDT", "BUY", "1", price="100.25", account=account)
        self.assertEqual(("NEW", "LIMIT", "100.25", False),
                         (placed["status"], placed["type"], placed["price"], placed["duplicate"]))
        self.client.record_fill(uid("f"), order_id, price="100.1", quantity=decimal.Decimal("0.1"))
        reply = self.client.record_fill(uid("f"), order_id, price=decimal.Decimal("100.2"), quantity="0.2",
                                        fee="0.01", fee_asset="USDT", liquidity="MAKER")
        self.assertEqual("0.3", reply["position"]["quantity"], "0.1 + 0.2 is 0.3, not 0.30000000000000004")
        self.assertEqual("PARTIALLY_FILLED", reply["order"]["status"])
        position = self.client.position("BTCUSDT", account=account)
        self.assertEqual("0.3", position["quantity"])
        self.assertEqual({"USDT": "0.01"}, position["fees"])

    def test_orders_of_a_time_range_are_those_created_from_its_start_up_to_its_end(self):
        account = uid("acct")
        first = self.client.place_order(uid("o"), "BTCUSDT", "BUY", "1", price="100", account=account)
        time.sleep(0.005)
        second = self.client.place_order(uid("o"), "BTCUSDT", "BUY", "1", price="100", account=account)
        listed = [o["orderId"] for o in self.client.orders(account=account, start=second["createdAt"])]
        self.assertEqual([second["orderId"]], listed)
        earlier = [o["orderId"] for o in self.client.orders(account=account, end=second["createdAt"])]
        self.assertEqual([first["orderId"]], earlier)

    def test_a_resend_is_a_duplicate_and_other_content_under_the_same_id_is_a_conflict_naming_the_field(self):
        order_id = uid("o")
        first = self.client.place_order(order_id, "ETHUSDT", "SELL", "2", price="3000")
        again = self.client.place_order(order_id, "ETHUSDT", "SELL", "2", price="3000")
        self.assertFalse(first["duplicate"])
        self.assertTrue(again["duplicate"])
        self.assertEqual(first["createdAt"], again["createdAt"])
        with self.assertRaises(TradestoreError) as raised:
            self.client.place_order(order_id, "ETHUSDT", "SELL", "3", price="3000")
        error = raised.exception
        self.assertEqual((409, "CONFLICT", "orderId"), (error.code, error.error, error.field))
        self.assertEqual(addresses.ORDERS_PLACE, error.address)
        self.assertFalse(error.retryable)

    def test_an_alert_is_fired_once_by_the_quote_that_crosses_it_and_its_firing_says_so(self):
        symbol, alert_id = uid("SYM"), uid("a")
        created = self.client.create_alert(alert_id, symbol, "mid", "crossesAbove", "100.5", note="breakout")
        self.assertEqual(("ACTIVE", False), (created["status"], created["duplicate"]))
        self.assertTrue(self.client.create_alert(alert_id, symbol, "mid", "crossesAbove", "100.5",
                                                 note="breakout")["duplicate"])
        below, above = uid("q"), uid("q")
        self.client.submit_quote(below, symbol, "100", "1", "100.5", "1")
        self.client.submit_quote(above, symbol, "100.5", "1", "101", "1")
        self.client.submit_quote(above, symbol, "100.5", "1", "101", "1")  # a resend fires nothing new
        alert = self.client.get_alert(alert_id)
        self.assertEqual(("TRIGGERED", 1), (alert["status"], alert["firings"]))
        firings = list(self.client.alert_firings(alert_id))
        self.assertEqual([("100.75", "100.25", "quote", above)],
                         [(f["value"], f["previous"], f["cause"], f["causeId"]) for f in firings])
        self.assertEqual([alert_id], [a["alertId"] for a in self.client.alerts(symbol=symbol, status="TRIGGERED")])
        with self.assertRaises(TradestoreError) as raised:
            self.client.cancel_alert(alert_id)
        self.assertEqual(409, raised.exception.code)

    def test_bad_input_is_a_400_naming_the_field(self):
        with self.assertRaises(TradestoreError) as raised:
            self.client.place_order(uid("o"), "BTCUSDT", "BUY", "-1", price="100")
        self.assertEqual((400, "INVALID_REQUEST", "quantity"),
                         (raised.exception.code, raised.exception.error, raised.exception.field))

    def test_an_unknown_id_is_a_404(self):
        with self.assertRaises(TradestoreError) as raised:
            self.client.get_order(uid("missing"))
        self.assertEqual((404, "NOT_FOUND"), (raised.exception.code, raised.exception.error))

    def test_a_misspelt_address_fails_at_once_with_no_handlers(self):
        started = time.monotonic()
        with self.assertRaises(TradestoreError) as raised:
            self.client.request("trading.order.place", {"orderId": uid("o")})
        self.assertEqual((-1, "NO_HANDLERS"), (raised.exception.code, raised.exception.error))
        self.assertLess(time.monotonic() - started, 5)

    def test_lists_are_followed_page_by_page(self):
        account = uid("acct")
        ids = [uid("o") for _ in range(5)]
        for order_id in ids:
            self.client.place_order(order_id, "SOLUSDT", "BUY", "1", price="10", account=account)
        listed = [o["orderId"] for o in self.client.orders(account=account, page_size=2)]
        self.assertEqual(list(reversed(ids)), listed, "newest first, over three pages")

    def test_active_quotes_are_followed_page_by_page(self):
        symbol = uid("PAGE")
        ids = [uid("q") for _ in range(3)]
        for quote_id in ids:
            self.client.submit_quote(quote_id, symbol, "1", "1", "2", "1")
        self.assertEqual(list(reversed(ids)), [q["quoteId"] for q in self.client.active_quotes(symbol, page_size=2)])

    def test_the_balance_history_is_followed_page_by_page_oldest_first(self):
        account = uid("acct")
        for hour in (10, 11, 12):
            self.client.update_balance("USDT", str(hour), "0", account=account, as_of=f"2026-11-23T{hour}:00:00Z")
        totals = [u["total"] for u in self.client.balance_history("USDT", account=account, page_size=2)]
        self.assertEqual(["10", "11", "12"], totals)

    def test_a_statement_of_all_time_agrees_with_the_position(self):
        account, buy, sell = uid("acct"), uid("o"), uid("o")
        self.client.place_order(buy, "BTCUSDT", "BUY", "2", account=account)
        self.client.place_order(sell, "BTCUSDT", "SELL", "1", account=account)
        self.client.record_fill(uid("f"), buy, price="100", quantity="2")
        self.client.record_fill(uid("f"), sell, price="110.5", quantity="1", fee="0.1", fee_asset="USDT")
        [btc] = self.client.statement(account=account)["symbols"]
        position = self.client.position("BTCUSDT", account=account)
        self.assertEqual(("10.5", {"USDT": "0.1"}, 2), (btc["realizedPnl"], btc["fees"], btc["fillCount"]))
        self.assertEqual(position["quantity"], btc["closing"]["quantity"])
        self.assertEqual(position["realizedPnl"], btc["realizedPnl"])

    def test_a_subscriber_gets_the_events_of_its_address(self):
        order_id, fill_id = uid("o"), uid("f")
        seen = queue.Queue()
        with self.client.subscribe("trading.events.fill.recorded", lambda body, headers: seen.put((body, headers))):
            self.client.place_order(order_id, "BTCUSDT", "BUY", "1", price="100")
            self.client.record_fill(fill_id, order_id, price="100", quantity="1")
            body, headers = self._next_matching(seen, lambda b: b["payload"]["fillId"] == fill_id)
        self.assertEqual("fill.recorded", headers["type"])
        self.assertEqual(body["eventId"], headers["eventId"])

    def test_events_can_be_iterated(self):
        order_id = uid("o")
        with self.client.events("trading.events.order.placed") as stream:
            self.client.place_order(order_id, "BTCUSDT", "BUY", "1", price="100")
            deadline = time.monotonic() + 10
            while True:
                body, _ = stream.get(timeout=max(0.1, deadline - time.monotonic()))
                if body["payload"]["orderId"] == order_id:
                    break

    def test_many_threads_share_one_client_and_each_gets_its_own_reply(self):
        errors, results = [], {}

        def work(n):
            try:
                for i in range(25):
                    order_id = f"{uid('t')}-{n}-{i}"
                    reply = self.client.place_order(order_id, "BTCUSDT", "BUY", str(i + 1), price="100")
                    results[order_id] = reply["quantity"]
            except Exception as e:  # collected: a failure in a thread would otherwise vanish
                errors.append(e)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual([], errors)
        self.assertEqual(200, len(results))
        for order_id, quantity in results.items():
            self.assertEqual(str(int(order_id.rsplit("-", 1)[1]) + 1), quantity)

    def test_every_documented_address_has_a_constant_and_every_constant_is_documented(self):
        api = (REPOSITORY / "docs" / "api.md").read_text()
        documented = set(re.findall(r"^#+ `(trading\.[a-z.]+)`", api, re.M))
        self.assertEqual(documented, set(addresses.COMMANDS))

    def _next_matching(self, events, predicate):
        deadline = time.monotonic() + 10
        while True:
            body, headers = events.get(timeout=max(0.1, deadline - time.monotonic()))
            if predicate(body):
                return body, headers


class ReconnectionTest(unittest.TestCase):
    def test_after_an_engine_restart_the_client_reconnects_and_its_subscriptions_deliver_again(self):
        engine = Engine().start()
        try:
            client = Client("127.0.0.1", engine.bridge_port, timeout=10, max_backoff=0.5)
            seen = queue.Queue()
            client.subscribe("trading.events.order.placed", lambda body, headers: seen.put(body["payload"]["orderId"]))
            client.place_order(uid("before"), "BTCUSDT", "BUY", "1", price="100")
            engine.stop()
            with self.assertRaises((ConnectionLost, TradestoreError)):
                client.request(addresses.ENGINE_INFO, timeout=1)
            engine.start()
            deadline = time.monotonic() + 30
            while client.reconnects == 0:
                self.assertLess(time.monotonic(), deadline, "no reconnect within 30 s")
                time.sleep(0.05)
            after = uid("after")
            client.place_order(after, "BTCUSDT", "BUY", "1", price="100")
            while True:
                if seen.get(timeout=max(0.1, deadline - time.monotonic())) == after:
                    break
            client.close()
        finally:
            engine.close()


class AccessTokenTest(unittest.TestCase):
    """With tokens on, the client presents its token in every frame, and only what the token permits is served."""

    @classmethod
    def setUpClass(cls):
        cls.token = secrets.token_urlsafe(32)
        cls.tokens_file = Engine.temp_file("tokens.json", json.dumps({"tokens": [{
            "name": "py-client", "sha256": hashlib.sha256(cls.token.encode()).hexdigest(),
            "send": ["trading\\.(orders|fills)\\..+", "trading\\.engine\\.info"],
            "register": ["trading\\.events\\..+"]}]}))
        cls.engine = Engine(f"-Dtradestore.security.tokensFile={cls.tokens_file}").start()

    @classmethod
    def tearDownClass(cls):
        cls.engine.close()
        shutil.rmtree(cls.tokens_file.parent)

    def test_a_client_with_the_token_is_served(self):
        with Client("127.0.0.1", self.engine.bridge_port, token=self.token, timeout=10) as client:
            self.assertEqual("tradestore", client.engine_info()["engine"])
            self.assertFalse(client.place_order(uid("o"), "BTCUSDT", "BUY", "1", price="1")["duplicate"])

    def test_a_client_without_a_token_is_refused_unauthorized(self):
        with Client("127.0.0.1", self.engine.bridge_port, timeout=10) as client:
            with self.assertRaises(TradestoreError) as raised:
                client.engine_info()
            self.assertEqual("unauthorized", raised.exception.error)


if __name__ == "__main__":
    unittest.main()
