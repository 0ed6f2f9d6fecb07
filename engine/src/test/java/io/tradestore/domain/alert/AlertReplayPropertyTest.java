package io.tradestore.domain.alert;

import io.tradestore.domain.alert.Alert.Condition;
import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.Alert.Repeat;
import io.tradestore.domain.alert.AlertRules.Effect;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.quote.Quote;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static io.tradestore.domain.alert.Alerts.T0;
import static io.tradestore.domain.alert.Alerts.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random quote paths and random price alerts, some created along the way and some transactions rolled back: the
 * firings the index finds equal a brute-force replay of every alert against every quote of its symbol.
 */
class AlertReplayPropertyTest {
  private static final List<String> SYMBOLS = List.of("AAA", "BBB", "CCC");
  private static final Kind[] KINDS = {Kind.BID, Kind.ASK, Kind.MID};

  /** A price from 90 to 110 in steps of 0.05, so that prices land on thresholds often. */
  private static BigDecimal price(Random random) {
    return BigDecimal.valueOf((1_800 + random.nextInt(401)) * 5L, 2);
  }

  private static Alert randomAlert(Random random, int n, long at) {
    Condition condition = Condition.values()[random.nextInt(4)];
    boolean rearm = random.nextBoolean();
    Long expiresAt = random.nextInt(5) == 0 ? at + 1 + random.nextInt(200) : null;
    return Alert.create("a" + n, "desk", SYMBOLS.get(random.nextInt(SYMBOLS.size())), KINDS[random.nextInt(3)],
        condition, price(random), rearm ? Repeat.REARM : Repeat.ONCE,
        rearm ? BigDecimal.valueOf(1 + random.nextInt(400), 2) : null, expiresAt, null, at);
  }

  @Test
  void theFiringsTheIndexFindsAreTheFiringsOfABruteForceReplay() {
    for (long seed = 1; seed <= 60; seed++) {
      Random random = new Random(seed);
      AlertIndex index = new AlertIndex();
      AlertEvaluator evaluator = new AlertEvaluator(index);
      Replay replay = new Replay();
      TreeSet<String> viaIndex = new TreeSet<>();
      int alerts = 0;
      long at = T0;
      for (int step = 0; step < 600; step++) {
        at++;
        if (random.nextInt(4) == 0) {
          Alert alert = randomAlert(random, alerts++, at);
          index.put(alert);
          index.committed();
          replay.add(alert);
        } else {
          String symbol = SYMBOLS.get(random.nextInt(SYMBOLS.size()));
          BigDecimal bid = price(random);
          BigDecimal ask = bid.add(BigDecimal.valueOf(random.nextInt(3), 1));
          Quote q = quote("q" + step, symbol, bid.toPlainString(), ask.toPlainString(), at);
          boolean rollBack = random.nextInt(10) == 0;
          List<AlertFiring> firings = evaluator.onQuote(q, k -> Position.flat(k.account(), k.symbol()), at)
              .firings();
          if (rollBack) {
            index.rolledBack(); // as if the transaction failed: the quote never happened
            continue;
          }
          index.committed();
          firings.forEach(f -> viaIndex.add(f.alert().alertId() + "@" + f.causeId()));
          replay.quote(q, at);
        }
      }
      TreeSet<String> missed = new TreeSet<>(replay.fired);
      missed.removeAll(viaIndex);
      TreeSet<String> extra = new TreeSet<>(viaIndex);
      extra.removeAll(replay.fired);
      assertEquals("missed [] extra []", "missed " + missed + " extra " + extra, "seed " + seed);
      assertTrue(replay.fired.size() > 100, "seed " + seed + ": a path that fires little proves little");
    }
  }

  /** Every alert against every quote of its symbol, one at a time, with the rules alone. */
  private static final class Replay {
    final Map<String, Alert> alerts = new HashMap<>();
    final Map<String, BigDecimal> last = new HashMap<>();
    final TreeSet<String> fired = new TreeSet<>();

    void add(Alert alert) {
      alerts.put(alert.alertId(), alert);
    }

    void quote(Quote q, long at) {
      for (Alert alert : new ArrayList<>(alerts.values())) {
        if (!alert.symbol().equals(q.symbol())) {
          continue;
        }
        BigDecimal value = switch (alert.kind()) {
          case BID -> q.bidPrice();
          case ASK -> q.askPrice();
          default -> q.midPrice();
        };
        Effect effect = AlertRules.effect(alert, last.get(q.symbol() + alert.kind()), value, at);
        if (effect == Effect.FIRED) {
          fired.add(alert.alertId() + "@" + q.quoteId());
        }
        alerts.put(alert.alertId(), AlertRules.apply(alert, effect, at));
      }
      last.put(q.symbol() + Kind.BID, q.bidPrice());
      last.put(q.symbol() + Kind.ASK, q.askPrice());
      last.put(q.symbol() + Kind.MID, q.midPrice());
    }
  }
}
