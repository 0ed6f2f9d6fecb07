package io.tradestore.order;

import io.tradestore.domain.book.BookResult.OrderResult;
import io.tradestore.domain.book.TradingCommand.PlaceOrder;
import io.tradestore.domain.book.TradingCommand.ReportOrder;
import io.vertx.core.Future;

/** The order commands {@link OrderVerticle} binds; each future completes once the change is committed. */
public interface OrderService {
  Future<OrderResult> place(PlaceOrder command);

  Future<OrderResult> report(ReportOrder command);
}
