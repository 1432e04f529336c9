package org.soos.deploy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine;

/**
 * Reads an ISO-8601 instant: {@code 2026-03-20T00:00:00Z}, with an offset
 * ({@code 2026-03-20T01:00:00+01:00}), without one (taken as UTC), a date (midnight UTC), or
 * {@code now} (truncated to the second).
 */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
  @Override
  public Instant convert(String value) {
    return parse(value);
  }

  static Instant parse(String value) {
    String text = value.trim();
    if (text.equalsIgnoreCase("now")) {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException ignored) {
      // try the other forms
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException ignored) {
      // try the other forms
    }
    try {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException ignored) {
      // try the other forms
    }
    try {
      return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new CommandLine.TypeConversionException(
          "'" + value + "' is not an ISO-8601 instant like 2026-03-20T00:00:00Z (or a date, or 'now')");
    }
  }
}
