package io.tradestore.alert;

import io.tradestore.domain.alert.Alert;
import io.tradestore.domain.alert.AlertFiring;

import java.util.List;
import java.util.Map;

/** Told by the book after each commit what its alerts now are and did: what metrics show. */
public interface AlertObserver {
  /**
   * @param active          the active alerts by kind, as committed
   * @param firings         the firings this commit wrote
   * @param evaluations     the quotes and position changes it evaluated alerts for
   * @param evaluationNanos the time those evaluations took together
   */
  void committed(Map<Alert.Kind, Long> active, List<AlertFiring> firings, long evaluations, long evaluationNanos);
}
