package io.tradestore.alert;

import io.tradestore.domain.book.BookResult.AlertResult;
import io.tradestore.domain.book.BookResult.AlertsExpired;
import io.tradestore.domain.book.TradingCommand.CancelAlert;
import io.tradestore.domain.book.TradingCommand.CreateAlert;
import io.tradestore.domain.book.TradingCommand.ExpireAlerts;
import io.vertx.core.Future;

/** The alert commands {@link AlertVerticle} binds and its expiry timer runs, which the book decides; each completes once committed. */
public interface AlertService {
  Future<AlertResult> create(CreateAlert command);

  Future<AlertResult> cancel(CancelAlert command);

  Future<AlertsExpired> expire(ExpireAlerts command);
}
