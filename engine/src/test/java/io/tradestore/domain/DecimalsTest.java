package io.tradestore.domain;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Canonical values: the fast stripping of long fractions must give exactly what stripTrailingZeros gives. */
class DecimalsTest {
  private static BigDecimal reference(BigDecimal value) {
    if (value.signum() == 0) {
      return BigDecimal.ZERO;
    }
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }

  @Test
  void canonicalStripsExactlyTheTrailingZerosWhateverTheSizeOfTheDigits() {
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      BigInteger digits = new BigInteger(1 + random.nextInt(120), random);
      if (random.nextBoolean()) {
        digits = digits.multiply(BigInteger.TEN.pow(random.nextInt(30))); // trailing zeros to strip
      }
      if (random.nextBoolean()) {
        digits = digits.negate();
      }
      BigDecimal value = new BigDecimal(digits, random.nextInt(-5, 40));
      BigDecimal canonical = Decimals.canonical(value);
      assertEquals(reference(value), canonical, value.toString());
      assertEquals(0, canonical.compareTo(value), "same amount: " + value);
    }
  }

  @Test
  void averagesDividedToEighteenPlacesAreCanonical() {
    Random random = new Random(3);
    for (int i = 0; i < 50_000; i++) {
      BigDecimal notional = BigDecimal.valueOf(random.nextLong(1, 1_000_000_000_000L), random.nextInt(0, 12));
      BigDecimal quantity = BigDecimal.valueOf(random.nextLong(1, 1_000_000L), random.nextInt(0, 8));
      BigDecimal average = Decimals.divide(notional, quantity);
      assertEquals(reference(notional.divide(quantity, Decimals.DIVISION_SCALE, RoundingMode.HALF_EVEN)), average);
    }
    assertEquals("100.5", Decimals.format(Decimals.divide(new BigDecimal("201.0"), new BigDecimal("2"))));
    assertEquals("0.333333333333333333", Decimals.format(Decimals.divide(BigDecimal.ONE, new BigDecimal("3"))));
  }
}
