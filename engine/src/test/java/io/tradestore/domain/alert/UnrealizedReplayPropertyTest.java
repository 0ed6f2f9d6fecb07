package io.tradestore.domain.alert;

import io.tradestore.domain.alert.Alert.Condition;
import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.Alert.Repeat;
import io.tradestore.domain.alert.AlertRules.Effect;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.quote.Quote;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.tradestore.domain.alert.Alerts.T0;
import static io.tradestore.domain.alert.Alerts.quote;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unrealized-PnL alerts on many positions of one symbol, long, short and flat, with averages that divide into no
 * exact level, their positions changed by fills between random quotes, some transactions rolled back: the firings
 * the index finds through its mark ladders equal every alert evaluated one by one at every quote and fill.
 */
class UnrealizedReplayPropertyTest {
  private static final String SYMBOL = "AAA";
  private static final int ACCOUNTS = 12;

  /** A mark from 90 to 110 in steps of 0.05. */
  private static BigDecimal mark(Random random) {
    return BigDecimal.valueOf((1_800 + random.nextInt(401)) * 5L, 2);
  }

  /** Long, short or flat; averages in thirds and sevenths, so that thresholds / quantity seldom divide exactly. */
  private static Position position(Random random, String account) {
    int quantity = random.nextInt(7) - 3;
    if (quantity == 0) {
      return Position.flat(account, SYMBOL);
    }
    BigDecimal average = BigDecimal.valueOf(95 + random.nextInt(11))
        .add(BigDecimal.ONE.divide(BigDecimal.valueOf(random.nextBoolean() ? 3 : 7), 18, java.math.RoundingMode.HALF_EVEN));
    BigDecimal q = BigDecimal.valueOf(quantity);
    return new Position(account, SYMBOL, q, average, q.multiply(average), BigDecimal.ZERO, Map.of(), 1);
  }

  private static Alert randomAlert(Random random, int n, long at) {
    boolean rearm = random.nextBoolean();
    return Alert.create("u" + n, "acct-" + random.nextInt(ACCOUNTS), SYMBOL, Kind.UNREALIZED_PNL,
        random.nextBoolean() ? Condition.ABOVE : Condition.BELOW, BigDecimal.valueOf(random.nextInt(4001) - 2000, 2),
        rearm ? Repeat.REARM : Repeat.ONCE, rearm ? BigDecimal.valueOf(1 + random.nextInt(300), 2) : null, null, null,
        at);
  }

  @Test
  void theFiringsFoundThroughTheMarkLaddersAreThoseOfEveryAlertEvaluatedOneByOne() {
    int firingsSeen = 0;
    for (long seed = 1; seed <= 80; seed++) {
      Random random = new Random(seed);
      AlertIndex index = new AlertIndex();
      AlertEvaluator evaluator = new AlertEvaluator(index);
      Map<PositionKey, Position> positions = new HashMap<>();
      for (int i = 0; i < ACCOUNTS; i++) {
        positions.put(new PositionKey("acct-" + i, SYMBOL), position(random, "acct-" + i));
      }
      Map<String, Alert> reference = new HashMap<>();
      BigDecimal lastMark = null;
      int alerts = 0;
      long at = T0;
      for (int step = 0; step < 400; step++) {
        at++;
        Map<String, Alert> referenceBefore = new HashMap<>(reference);
        Map<PositionKey, Position> positionsBefore = new HashMap<>(positions);
        List<String> expected = new ArrayList<>();
        List<AlertFiring> found;
        int action = random.nextInt(6);
        if (action == 0) {
          Alert alert = randomAlert(random, alerts++, at);
          index.put(alert);
          reference.put(alert.alertId(), alert);
          found = List.of();
        } else if (action == 1) {
          // a fill changes one position; its alerts are evaluated at the last mark
          String account = "acct-" + random.nextInt(ACCOUNTS);
          Position after = position(random, account);
          positions.put(new PositionKey(account, SYMBOL), after);
          BigDecimal mark = lastMark;
          found = evaluator.onPosition(after, mark, "f" + step, at).firings();
          evaluate(reference, a -> a.account().equals(account), a -> after.unrealizedPnl(mark), at, expected);
        } else {
          BigDecimal mark = mark(random);
          Quote q = quote("q" + step, SYMBOL, mark.toPlainString(), mark.toPlainString(), at);
          found = evaluator.onQuote(q, positions::get, at).firings();
          evaluate(reference, a -> true,
              a -> positions.get(new PositionKey(a.account(), SYMBOL)).unrealizedPnl(mark), at, expected);
          lastMark = mark;
        }
        List<String> foundIds = found.stream().map(f -> f.alert().alertId()).sorted().toList();
        assertEquals(expected.stream().sorted().toList(), foundIds, "seed " + seed + ", step " + step);
        firingsSeen += foundIds.size();
        if (random.nextInt(10) == 0) {
          index.rolledBack();
          reference.clear();
          reference.putAll(referenceBefore);
          positions.clear();
          positions.putAll(positionsBefore);
        } else {
          index.committed();
        }
      }
    }
    assertTrue(firingsSeen > 500, "the replay fires often enough to mean something: " + firingsSeen);
  }

  /** Every active reference alert the predicate selects, at the value given, one by one; fired ids into {@code fired}. */
  private static void evaluate(Map<String, Alert> reference, java.util.function.Predicate<Alert> which,
                               java.util.function.Function<Alert, BigDecimal> value, long at, List<String> fired) {
    for (Alert alert : List.copyOf(reference.values())) {
      if (!which.test(alert)) {
        continue;
      }
      Effect effect = AlertRules.effect(alert, null, value.apply(alert), at);
      if (effect == Effect.FIRED) {
        fired.add(alert.alertId());
      }
      Alert after = AlertRules.apply(alert, effect, at);
      if (after.status() == Alert.Status.ACTIVE) {
        reference.put(after.alertId(), after);
      } else {
        reference.remove(after.alertId());
      }
    }
  }
}
