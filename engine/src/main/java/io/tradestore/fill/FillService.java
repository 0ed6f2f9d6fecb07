package io.tradestore.fill;

import io.tradestore.domain.book.BookResult.FillResult;
import io.tradestore.domain.book.TradingCommand.RecordFill;
import io.vertx.core.Future;

/** The fill command {@link FillVerticle} binds; it completes once the fill, its order and position are committed. */
public interface FillService {
  Future<FillResult> record(RecordFill command);
}
