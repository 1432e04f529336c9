package org.soos.scheduler.http;

import akka.http.javadsl.model.StatusCode;

/**
 * Ends a request with a {@link Problem}: thrown by routes (also inside futures) and turned into an
 * {@code application/problem+json} response by {@link JsonSupport#exceptionHandler()}.
 */
public final class ProblemException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient StatusCode status;
  private final String field;
  private final long retryAfterSeconds;

  /**
   * @param status HTTP status of the answer
   * @param detail what went wrong, for a person
   * @param field the offending input, or null
   */
  public ProblemException(StatusCode status, String detail, String field) {
    this(status, detail, field, 0);
  }

  /**
   * @param retryAfterSeconds sent as {@code Retry-After} when above 0 (for 503: when trying again makes sense)
   */
  public ProblemException(StatusCode status, String detail, String field, long retryAfterSeconds) {
    super(detail, null, false, false);
    this.status = status;
    this.field = field;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** 400: {@code field} is wrong, {@code detail} says how. */
  public static ProblemException badInput(String field, String detail) {
    return new ProblemException(akka.http.javadsl.model.StatusCodes.BAD_REQUEST, detail, field);
  }

  public StatusCode status() {
    return status;
  }

  public String field() {
    return field;
  }

  /** Seconds for the {@code Retry-After} header; 0: no header. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
