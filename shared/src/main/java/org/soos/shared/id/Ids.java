package org.soos.shared.id;

import java.util.regex.Pattern;

/** Validation shared by the identifier types: short, URL-safe, printable. */
final class Ids {
  static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Ids() {}

  static String require(String kind, String value) {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          kind + " must be 1-64 characters of [A-Za-z0-9._-] starting with a letter or digit, got: " + value);
    }
    return value;
  }
}
