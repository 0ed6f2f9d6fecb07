package io.tradestore.domain;

import java.util.function.Function;

/**
 * What a rule decides about one command against the current state: it changes the state (to {@code value}), it
 * repeats what is already stored (a resend: {@code value} is the stored state, nothing is written), or it is
 * refused (nothing is written).
 */
public sealed interface Decision<T> {
  /**
   * The one way to read a decision: each case has its function, so a caller cannot forget one (Java 17 has no
   * pattern matching over a sealed type in a switch).
   */
  <R> R fold(Function<T, R> changed, Function<T, R> duplicate, Function<Refusal, R> refused);

  record Changed<T>(T value) implements Decision<T> {
    @Override
    public <R> R fold(Function<T, R> changed, Function<T, R> duplicate, Function<Refusal, R> refused) {
      return changed.apply(value);
    }
  }

  record Duplicate<T>(T value) implements Decision<T> {
    @Override
    public <R> R fold(Function<T, R> changed, Function<T, R> duplicate, Function<Refusal, R> refused) {
      return duplicate.apply(value);
    }
  }

  record Refused<T>(Refusal refusal) implements Decision<T> {
    @Override
    public <R> R fold(Function<T, R> changed, Function<T, R> duplicate, Function<Refusal, R> refused) {
      return refused.apply(refusal);
    }
  }

  static <T> Decision<T> changed(T value) {
    return new Changed<>(value);
  }

  static <T> Decision<T> duplicate(T value) {
    return new Duplicate<>(value);
  }

  static <T> Decision<T> refused(Refusal refusal) {
    return new Refused<>(refusal);
  }
}
