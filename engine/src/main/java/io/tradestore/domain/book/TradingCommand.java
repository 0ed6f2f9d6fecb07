package io.tradestore.domain.book;

import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.book.BookResult.AlertResult;
import io.tradestore.domain.book.BookResult.AlertsExpired;
import io.tradestore.domain.book.BookResult.FillResult;
import io.tradestore.domain.book.BookResult.OrderResult;
import io.tradestore.domain.book.BookResult.QuoteResult;
import io.tradestore.domain.fill.Fill;
import io.tradestore.domain.order.Order;
import io.tradestore.domain.order.OrderStatus;
import io.tradestore.domain.quote.Quote;

import java.math.BigDecimal;

/**
 * The commands that change quotes, orders, fills, positions and alerts, each typed by the result it is answered with.
 * Code that handles every kind does so through {@link #accept}: a new kind adds a method to {@link Visitor}, so
 * every handler that forgets it fails to compile.
 *
 * @param <R> what the command is answered with once committed
 */
public sealed interface TradingCommand<R extends BookResult> {

  /** The order the command is about, or null (a quote, an alert). */
  String orderId();

  <T> T accept(Visitor<T> visitor);

  /** One method per kind of command. */
  interface Visitor<T> {
    T submitQuote(SubmitQuote command);

    T placeOrder(PlaceOrder command);

    T reportOrder(ReportOrder command);

    T recordFill(RecordFill command);

    T createAlert(CreateAlert command);

    T cancelAlert(CancelAlert command);

    T expireAlerts(ExpireAlerts command);
  }

  /** A new quote (status ACTIVE). */
  record SubmitQuote(Quote quote) implements TradingCommand<QuoteResult> {
    @Override
    public String orderId() {
      return null;
    }

    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.submitQuote(this);
    }
  }

  /** A new order (status NEW), optionally using a quote. */
  record PlaceOrder(Order order) implements TradingCommand<OrderResult> {
    @Override
    public String orderId() {
      return order.orderId();
    }

    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.placeOrder(this);
    }
  }

  /** Venue feedback or a local cancel: ACCEPTED (with the venue's id), REJECTED (with a reason), CANCELLED, EXPIRED. */
  record ReportOrder(String orderId, OrderStatus status, String externalOrderId, String reason)
      implements TradingCommand<OrderResult> {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.reportOrder(this);
    }
  }

  /**
   * A fill as requested: account, symbol and side come from its order. {@code executedAt} is null when the request
   * left it out (it then becomes the time of receipt, {@code receivedAt}).
   */
  record RecordFill(String fillId, String orderId, BigDecimal price, BigDecimal quantity, BigDecimal fee,
                    String feeAsset, Fill.Liquidity liquidity, String tradeId, Long executedAt, long receivedAt)
      implements TradingCommand<FillResult> {
    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.recordFill(this);
    }
  }

  /** A new alert (ACTIVE and armed), as its create request asked for it. */
  record CreateAlert(Alert alert) implements TradingCommand<AlertResult> {
    @Override
    public String orderId() {
      return null;
    }

    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.createAlert(this);
    }
  }

  /** A caller's cancel of an active alert. */
  record CancelAlert(String alertId) implements TradingCommand<AlertResult> {
    @Override
    public String orderId() {
      return null;
    }

    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.cancelAlert(this);
    }
  }

  /** The expiry timer's run: the active alerts past their expiry become EXPIRED, at most {@code limit} of them. */
  record ExpireAlerts(int limit) implements TradingCommand<AlertsExpired> {
    @Override
    public String orderId() {
      return null;
    }

    @Override
    public <T> T accept(Visitor<T> visitor) {
      return visitor.expireAlerts(this);
    }
  }
}
