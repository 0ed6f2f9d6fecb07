package io.tradestore.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * Exact decimals for prices, quantities, fees and PnL. Values are parsed from JSON text (preferred) or JSON
 * numbers, kept as {@link BigDecimal}, and written as canonical text: no exponent, no trailing zeros, so that
 * equal amounts are equal strings in storage, replies and events.
 */
public final class Decimals {
  /** Fractional digits kept when a division does not terminate (averages); rounding is half-even. */
  public static final int DIVISION_SCALE = 18;

  /**
   * Input bounds: at most this many digits before and after the point. An exponent such as {@code 1e999999999}
   * fits in 64 characters but would expand into a number of a billion digits (500 or worse, a stuck writer).
   */
  public static final int MAX_INPUT_DIGITS = 36;

  private Decimals() { }

  /**
   * Parses a JSON value: a string such as {@code "0.1"} or a JSON number. A binary floating-point number is taken
   * by its shortest decimal text ({@code 0.1} stays 0.1), which is what a client that sent a number meant.
   *
   * @throws NumberFormatException when the value is not a finite decimal number
   */
  public static BigDecimal parse(Object value) {
    return bounded(parseUnbounded(value));
  }

  private static BigDecimal bounded(BigDecimal value) {
    if (value.signum() == 0) {
      return value;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    if (stripped.scale() > MAX_INPUT_DIGITS || stripped.precision() - stripped.scale() > MAX_INPUT_DIGITS) {
      throw new NumberFormatException("more than " + MAX_INPUT_DIGITS + " digits before or after the point");
    }
    return value;
  }

  private static BigDecimal parseUnbounded(Object value) {
    if (value instanceof BigDecimal d) {
      return d;
    }
    if (value instanceof String s) {
      String text = s.trim();
      if (text.isEmpty() || text.length() > 64) {
        throw new NumberFormatException("not a decimal number");
      }
      return new BigDecimal(text);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new NumberFormatException("not a finite number");
      }
      return new BigDecimal(Double.toString(d));
    }
    throw new NumberFormatException("not a decimal number");
  }

  /** Canonical text: {@code 1.50} and {@code 1.5E0} both become {@code "1.5"}; zero is {@code "0"}. */
  public static String format(BigDecimal value) {
    if (value == null) {
      return null;
    }
    return canonical(value).toPlainString();
  }

  /**
   * The canonical value: trailing fractional zeros stripped, never a negative scale ({@code 200}, not
   * {@code 2E+2}), so equal amounts are {@code equals} and print the same.
   */
  public static BigDecimal canonical(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal stripped = stripFractionZeros(value).stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  /**
   * Strips the trailing zeros of a long fraction in a few divisions instead of one per zero, which is what
   * {@link BigDecimal#stripTrailingZeros} costs once the digits no longer fit a long (every average divided to
   * {@link #DIVISION_SCALE} places: measured a fifth of the allocations of the orders list). {@code 10^k} divides
   * the digits only if {@code 2^k} does, which bounds the search; divisibility by {@code 10^k} holds for every
   * {@code k} up to the largest, so a binary search finds it.
   */
  private static BigDecimal stripFractionZeros(BigDecimal value) {
    if (value.scale() <= 0 || value.precision() <= 18) {
      return value; // kept in a long: stripTrailingZeros is cheap
    }
    BigInteger digits = value.unscaledValue();
    int low = 0;
    int high = Math.min(value.scale(), digits.getLowestSetBit());
    BigInteger best = digits;
    while (low < high) {
      int k = (low + high + 1) >>> 1;
      BigInteger[] qr = digits.divideAndRemainder(BigInteger.TEN.pow(k));
      if (qr[1].signum() == 0) {
        low = k;
        best = qr[0];
      } else {
        high = k - 1;
      }
    }
    return low == 0 ? value : new BigDecimal(best, value.scale() - low);
  }

  /** {@code dividend / divisor}, exact when it terminates within {@link #DIVISION_SCALE} digits, else rounded half-even. */
  public static BigDecimal divide(BigDecimal dividend, BigDecimal divisor) {
    return canonical(dividend.divide(divisor, DIVISION_SCALE, RoundingMode.HALF_EVEN));
  }
}
