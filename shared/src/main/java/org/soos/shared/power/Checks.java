package org.soos.shared.power;

/** Argument checks for physics specs: each failure names the field and the value. */
public final class Checks {
  private Checks() {}

  /** {@code value} must be finite and &gt; 0. */
  public static double positive(String field, double value) {
    if (!(value > 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number > 0, got: " + value);
    }
    return value;
  }

  /** {@code value} must be finite and &gt;= 0. */
  public static double nonNegative(String field, double value) {
    if (!(value >= 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must be a finite number >= 0, got: " + value);
    }
    return value;
  }

  /** {@code value} must be in [0, 1]. */
  public static double fraction(String field, double value) {
    return range(field, value, 0.0, 1.0);
  }

  /** {@code value} must be in [min, max]. */
  public static double range(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(field + " must be in " + min + ".." + max + ", got: " + value);
    }
    return value;
  }
}
