package org.soos.scheduler.http;

import akka.event.LoggingAdapter;
import akka.http.ParsingErrorHandler;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.scaladsl.model.ErrorInfo;
import akka.http.scaladsl.settings.ServerSettings;
import java.util.Locale;

/**
 * Answers requests Akka HTTP cannot parse (before any route runs) as {@code application/problem+json}:
 * too many or too large headers become 431 Request Header Fields Too Large (RFC 6585), a body over the
 * limit 413, anything else the parser's own status (400, 414, 501, ...). Installed with
 * {@code akka.http.server.parsing.error-handler} by {@link SchedulerHttpServer}.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {
  @Override
  public HttpResponse handle(akka.http.scaladsl.model.StatusCode status, ErrorInfo info, LoggingAdapter log,
      ServerSettings settings) {
    String summary = info.summary() == null ? "" : info.summary();
    StatusCode answer = headerLimit(summary) ? StatusCodes.REQUEST_HEADER_FIELDS_TOO_LARGE : status;
    log.debug("Refused an unparseable request with {}: {}", answer.intValue(), summary);
    String field = answer.intValue() == 431 ? "headers" : answer.intValue() == 413 ? JobSpecReader.BODY : null;
    return JsonSupport.problem(answer, summary.isEmpty() ? answer.reason() : summary, field, null);
  }

  /** Whether the parser stopped at one of the header limits (count, name length, value length). */
  static boolean headerLimit(String summary) {
    String s = summary.toLowerCase(Locale.ROOT);
    return s.contains("header") && (s.contains("limit") || s.contains("too long") || s.contains("too many"));
  }
}
