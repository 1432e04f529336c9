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

  /**
   * @param status HTTP status of the answer
   * @param detail what went wrong, for a person
   * @param field the offending input, or null
   */
  public ProblemException(StatusCode status, String detail, String field) {
    super(detail, null, false, false);
    this.status = status;
    this.field = field;
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
}
