package org.soos.shared.orbit;

import org.orekit.propagation.analytical.tle.TLE;

/**
 * Column-level checks and field readers for NORAD two-line element sets (format: CelesTrak,
 * "NORAD Two-Line Element Set Format"). Pure string work: no Orekit data context is needed.
 */
final class TleLines {
  static final int LINE_LENGTH = 69;

  private TleLines() {}

  /** Strips trailing blanks and checks length, line number, column 2 and checksum; returns the line. */
  static String requireValidLine(String field, String line, int lineNumber) {
    String problem = problem(line, lineNumber);
    if (problem != null) {
      throw new IllegalArgumentException(field + " " + problem);
    }
    return line.stripTrailing();
  }

  /** Null when {@code line} is a well-formed TLE line {@code lineNumber}, else what is wrong. */
  static String problem(String line, int lineNumber) {
    if (line == null) {
      return "is required (TLE line " + lineNumber + ")";
    }
    String l = line.stripTrailing();
    if (l.length() != LINE_LENGTH) {
      return "must be " + LINE_LENGTH + " characters (TLE line " + lineNumber + "), got " + l.length() + ": " + l;
    }
    if (l.charAt(0) != (char) ('0' + lineNumber) || l.charAt(1) != ' ') {
      return "must start with \"" + lineNumber + " \", got: " + l;
    }
    char last = l.charAt(LINE_LENGTH - 1);
    if (last < '0' || last > '9') {
      return "must end with a checksum digit (column 69), got: '" + last + "'";
    }
    int expected = checksum(l);
    if (last - '0' != expected) {
      return "has a bad checksum: column 69 is " + last + " but the line sums to " + expected;
    }
    return null;
  }

  /** Throws when the two lines are not one element set (catalog numbers, column format). */
  static void requireSamePair(String line1, String line2) {
    if (!line1.substring(2, 7).equals(line2.substring(2, 7))) {
      throw new IllegalArgumentException(
          "line1 and line2 name different catalog numbers: '" + line1.substring(2, 7) + "' and '"
              + line2.substring(2, 7) + "'");
    }
    boolean ok;
    try {
      ok = TLE.isFormatOK(line1, line2);
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      throw new IllegalArgumentException(
          "line1/line2 do not follow the TLE column format (numbers in the wrong columns?): " + line1 + " / " + line2);
    }
    double meanMotion;
    try {
      inclinationDeg(line2);
      raanDeg(line2);
      meanMotion = meanMotionRevPerDay(line2);
      epochDayOfYear(line1);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("line1/line2 have an unreadable number: " + e.getMessage(), e);
    }
    if (!(meanMotion > 0.0)) {
      throw new IllegalArgumentException("line2 mean motion (columns 53-63) must be > 0 rev/day, got: " + meanMotion);
    }
  }

  /** Modulo-10 checksum of columns 1-68: digits count their value, '-' counts 1, others 0. */
  static int checksum(String line) {
    int sum = 0;
    for (int i = 0; i < LINE_LENGTH - 1 && i < line.length(); i++) {
      char c = line.charAt(i);
      if (c >= '0' && c <= '9') {
        sum += c - '0';
      } else if (c == '-') {
        sum += 1;
      }
    }
    return sum % 10;
  }

  static int catalogNumber(String line1) {
    return TLE.parseSatelliteNumber(line1.substring(2, 7));
  }

  static double inclinationDeg(String line2) {
    return Double.parseDouble(line2.substring(8, 16).trim());
  }

  static double raanDeg(String line2) {
    return Double.parseDouble(line2.substring(17, 25).trim());
  }

  /** Two-digit epoch year (line 1, columns 19-20): 57..99 mean 1957..1999, 00..56 mean 2000..2056. */
  static int epochYear(String line1) {
    int yy = Integer.parseInt(line1.substring(18, 20).trim());
    return yy < 57 ? 2000 + yy : 1900 + yy;
  }

  /** Epoch day of the year with its fraction, 1.0 = January 1st 00:00 UTC (line 1, columns 21-32). */
  static double epochDayOfYear(String line1) {
    return Double.parseDouble(line1.substring(20, 32).trim());
  }

  static double meanMotionRevPerDay(String line2) {
    return Double.parseDouble(line2.substring(52, 63).trim());
  }
}
