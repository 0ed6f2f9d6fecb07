package io.tradestore.domain.alert;

import io.tradestore.domain.alert.Alert.Kind;
import io.tradestore.domain.alert.AlertFiring.Cause;
import io.tradestore.domain.alert.AlertRules.Effect;
import io.tradestore.domain.position.Position;
import io.tradestore.domain.position.PositionKey;
import io.tradestore.domain.quote.Quote;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Evaluates the alerts a committed-to-be quote or position change moves, against an {@link AlertIndex} it keeps up
 * to date: each alert fired or armed again is put back into the index as it now is, so the next command of the
 * same run sees it. A quote moves the price alerts of its symbol (bid, ask and mid) and re-marks its positions'
 * unrealized PnL at its mid; a fill's position change moves that position's alerts.
 */
public final class AlertEvaluator {
  /** The alerts that changed (fired or armed again), as they now are, and the firings among them. */
  public record Evaluation(List<Alert> changed, List<AlertFiring> firings) {
    public boolean isEmpty() {
      return changed.isEmpty();
    }
  }

  private final AlertIndex index;

  public AlertEvaluator(AlertIndex index) {
    this.index = index;
  }

  /** A new quote: its symbol's price alerts, then the unrealized PnL of the positions it marks. */
  public Evaluation onQuote(Quote quote, Function<PositionKey, Position> positions, long at) {
    Evaluation evaluation = new Evaluation(new ArrayList<>(), new ArrayList<>());
    price(quote, Kind.BID, quote.bidPrice(), at, evaluation);
    price(quote, Kind.ASK, quote.askPrice(), at, evaluation);
    price(quote, Kind.MID, quote.midPrice(), at, evaluation);
    BigDecimal mark = quote.midPrice();
    for (Alert alert : index.unrealizedMovedBy(quote.symbol(), mark)) {
      Position position = positions.apply(key(alert));
      apply(alert, null, position.unrealizedPnl(mark), Cause.QUOTE, quote.quoteId(), at, evaluation);
      // its position known from now on, it waits at its own level (a no-op once keyed)
      index.setPosition(key(alert), position.quantity(), position.averagePrice());
    }
    return evaluation;
  }

  /**
   * A fill changed a position: its alerts on realized PnL and size, and on unrealized PnL at {@code mark} (the
   * symbol's fresh mark, or null when it has none: unrealized PnL is then unknown and moves nothing).
   */
  public Evaluation onPosition(Position after, BigDecimal mark, String fillId, long at) {
    Evaluation evaluation = new Evaluation(new ArrayList<>(), new ArrayList<>());
    index.setPosition(new PositionKey(after.account(), after.symbol()), after.quantity(), after.averagePrice());
    observe(index.onPosition(new PositionKey(after.account(), after.symbol())),
        alert -> positionValue(alert.kind(), after, mark), Cause.FILL, fillId, at, evaluation);
    return evaluation;
  }

  /** The value of a position an alert of this kind watches; null when unknown (unrealized PnL without a mark). */
  public static BigDecimal positionValue(Kind kind, Position position, BigDecimal mark) {
    return switch (kind) {
      case UNREALIZED_PNL -> position.unrealizedPnl(mark);
      case REALIZED_PNL -> position.realizedPnl();
      case ABS_QUANTITY -> position.quantity().abs();
      case BID, ASK, MID -> throw new IllegalArgumentException(kind + " is not a position's value");
    };
  }

  private static PositionKey key(Alert alert) {
    return new PositionKey(alert.account(), alert.symbol());
  }

  private void price(Quote quote, Kind kind, BigDecimal value, long at, Evaluation evaluation) {
    BigDecimal previous = index.lastPrice(quote.symbol(), kind);
    for (Alert alert : index.movedBy(quote.symbol(), kind, previous, value)) {
      apply(alert, previous, value, Cause.QUOTE, quote.quoteId(), at, evaluation);
    }
    index.setLastPrice(quote.symbol(), kind, value);
  }

  private void observe(Collection<Alert> alerts, Function<Alert, BigDecimal> valueOf, Cause cause, String causeId,
                       long at, Evaluation evaluation) {
    for (Alert alert : alerts) {
      apply(alert, null, valueOf.apply(alert), cause, causeId, at, evaluation);
    }
  }

  private void apply(Alert alert, BigDecimal previous, BigDecimal value, Cause cause, String causeId, long at,
                     Evaluation evaluation) {
    Effect effect = AlertRules.effect(alert, previous, value, at);
    if (effect == Effect.NONE) {
      return;
    }
    Alert after = AlertRules.apply(alert, effect, at);
    index.put(after);
    evaluation.changed().add(after);
    if (effect == Effect.FIRED) {
      evaluation.firings().add(new AlertFiring(after, value, alert.condition().isCrossing() ? previous : null,
          cause, causeId, at));
    }
  }
}
