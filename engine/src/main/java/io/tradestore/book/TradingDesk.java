package io.tradestore.book;

import io.tradestore.alert.AlertService;
import io.tradestore.domain.book.BookResult.AlertResult;
import io.tradestore.domain.book.BookResult.AlertsExpired;
import io.tradestore.domain.book.TradingCommand.CancelAlert;
import io.tradestore.domain.book.TradingCommand.CreateAlert;
import io.tradestore.domain.book.TradingCommand.ExpireAlerts;
import io.tradestore.domain.book.BookResult.FillResult;
import io.tradestore.domain.book.BookResult.OrderResult;
import io.tradestore.domain.book.BookResult.QuoteResult;
import io.tradestore.domain.book.BookResult;
import io.tradestore.domain.book.TradingCommand.PlaceOrder;
import io.tradestore.domain.book.TradingCommand.RecordFill;
import io.tradestore.domain.book.TradingCommand.ReportOrder;
import io.tradestore.domain.book.TradingCommand.SubmitQuote;
import io.tradestore.domain.book.TradingCommand;
import io.tradestore.fill.FillService;
import io.tradestore.order.OrderService;
import io.tradestore.quote.QuoteService;
import io.tradestore.store.StoreWriter;
import io.tradestore.store.Write;
import io.vertx.core.Future;

/**
 * The services the quote, order, fill and alert verticles bind, served by the {@link TradingBook} through the writer:
 * each command joins the writer's queue and is answered, typed by its kind, once its transaction committed.
 */
public final class TradingDesk implements QuoteService, OrderService, FillService, AlertService {
  private final StoreWriter writer;
  private final TradingBook book;

  public TradingDesk(StoreWriter writer, TradingBook book) {
    this.writer = writer;
    this.book = book;
  }

  @Override
  public Future<QuoteResult> submit(SubmitQuote command) {
    return decide(command);
  }

  @Override
  public Future<OrderResult> place(PlaceOrder command) {
    return decide(command);
  }

  @Override
  public Future<OrderResult> report(ReportOrder command) {
    return decide(command);
  }

  @Override
  public Future<FillResult> record(RecordFill command) {
    return decide(command);
  }

  @Override
  public Future<AlertResult> create(CreateAlert command) {
    return decide(command);
  }

  @Override
  public Future<AlertResult> cancel(CancelAlert command) {
    return decide(command);
  }

  @Override
  public Future<AlertsExpired> expire(ExpireAlerts command) {
    return decide(command);
  }

  /** The book answers a {@code TradingCommand<R>} with an {@code R}: the one place that result type is trusted. */
  private <R extends BookResult> Future<R> decide(TradingCommand<R> command) {
    return writer.submit(Write.batched(book, command));
  }
}
