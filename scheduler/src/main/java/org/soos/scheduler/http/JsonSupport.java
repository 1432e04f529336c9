package org.soos.scheduler.http;

import akka.http.javadsl.marshallers.jackson.Jackson;
import akka.http.javadsl.marshalling.Marshaller;
import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntity;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.RequestEntity;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.ExceptionHandler;
import akka.http.javadsl.server.MalformedQueryParamRejection;
import akka.http.javadsl.server.MissingQueryParamRejection;
import akka.http.javadsl.server.RejectionHandler;
import akka.http.javadsl.server.Route;
import akka.pattern.AskTimeoutException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON at the HTTP edge: the one {@link ObjectMapper} of the API (records, java.time as ISO-8601
 * strings, no default typing), the Akka HTTP marshaller over it, and every error as
 * {@code application/problem+json} ({@link Problem}) whether it comes from a route, a rejection, an
 * exception or a request timeout.
 */
public final class JsonSupport {
  private static final Logger log = LoggerFactory.getLogger(JsonSupport.class);

  /** {@code application/problem+json} (RFC 9457), UTF-8. */
  public static final ContentType.WithFixedCharset PROBLEM_JSON =
      ContentTypes.create(MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8, "json"));

  private static final ObjectMapper MAPPER = newObjectMapper();

  private JsonSupport() {}

  /**
   * A new mapper configured for the API: JavaTimeModule (ISO-8601 instants and durations, not
   * numbers), ParameterNamesModule (records and constructors without annotations), unknown properties
   * rejected on input, no default typing.
   */
  public static ObjectMapper newObjectMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .registerModule(new ParameterNamesModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  }

  /** The API's shared mapper (thread-safe; do not reconfigure). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Marshals any value to {@code application/json} with the API's mapper. */
  public static <T> Marshaller<T, RequestEntity> marshaller() {
    return Jackson.marshaller(MAPPER);
  }

  /** A complete {@code application/problem+json} response. */
  public static HttpResponse problem(StatusCode status, String detail, String field, String instance) {
    Problem body = new Problem("about:blank", status.reason(), status.intValue(), detail, instance, field);
    byte[] bytes;
    try {
      bytes = MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      // A record of strings and an int always serializes; keep a valid body regardless.
      bytes = ("{\"title\":\"" + status.reason() + "\",\"status\":" + status.intValue() + "}")
          .getBytes(StandardCharsets.UTF_8);
    }
    return HttpResponse.create().withStatus(status).withEntity(PROBLEM_JSON, bytes);
  }

  /**
   * Wraps the API's routes so that every failure answers with {@code application/problem+json}:
   * {@link ProblemException}s, timeouts, unexpected exceptions, and all rejections (unknown path 404,
   * wrong method 405, bad query parameter 400 naming it, ...).
   */
  public static Route handleErrors(Supplier<Route> inner) {
    return Directives.extractRequest(request ->
        Directives.handleExceptions(exceptionHandler(request),
            () -> Directives.handleRejections(rejectionHandler(request), inner)));
  }

  /** The response for requests that exceed the request timeout. */
  public static HttpResponse requestTimeout(HttpRequest request) {
    return problem(StatusCodes.SERVICE_UNAVAILABLE, "the request took longer than the server's request timeout",
        null, request.getUri().path());
  }

  static ExceptionHandler exceptionHandler(HttpRequest request) {
    return ExceptionHandler.newBuilder()
        .matchAny(thrown -> Directives.complete(toProblem(thrown, request.getUri().path())))
        .build();
  }

  static HttpResponse toProblem(Throwable thrown, String path) {
    Throwable cause = unwrap(thrown);
    if (cause instanceof ProblemException p) {
      HttpResponse response = problem(p.status(), p.getMessage(), p.field(), path);
      return p.retryAfterSeconds() > 0
          ? response.addHeader(akka.http.javadsl.model.headers.RawHeader.create("Retry-After",
              Long.toString(p.retryAfterSeconds())))
          : response;
    }
    if (cause instanceof akka.http.scaladsl.model.EntityStreamSizeException
        || (cause instanceof akka.http.scaladsl.model.EntityStreamException
            && String.valueOf(cause.getMessage()).startsWith("Request too large"))) {
      return problem(StatusCodes.PAYLOAD_TOO_LARGE, "the request body is larger than the server accepts",
          JobSpecReader.BODY, path);
    }
    if (cause instanceof AskTimeoutException || cause instanceof TimeoutException) {
      return problem(StatusCodes.SERVICE_UNAVAILABLE, "no answer in time: " + cause.getMessage(), null, path);
    }
    log.error("Unexpected failure serving {}", path, cause);
    return problem(StatusCodes.INTERNAL_SERVER_ERROR, "internal error", null, path);
  }

  private static Throwable unwrap(Throwable thrown) {
    Throwable t = thrown;
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static RejectionHandler rejectionHandler(HttpRequest request) {
    String path = request.getUri().path();
    return RejectionHandler.newBuilder()
        .handle(MissingQueryParamRejection.class, r -> Directives.complete(problem(StatusCodes.BAD_REQUEST,
            "query parameter " + r.parameterName() + " is required", r.parameterName(), path)))
        .handle(MalformedQueryParamRejection.class, r -> Directives.complete(problem(StatusCodes.BAD_REQUEST,
            "query parameter " + r.parameterName() + ": " + r.errorMsg(), r.parameterName(), path)))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(response -> asProblem(response, path));
  }

  /** Rewrites the default handler's plain-text rejections as problem+json; leaves others alone. */
  private static HttpResponse asProblem(HttpResponse response, String path) {
    HttpEntity entity = response.entity();
    if (entity.getContentType().equals(PROBLEM_JSON)) {
      return response;
    }
    String detail = response.status().defaultMessage();
    if (entity instanceof HttpEntity.Strict strict) {
      String text = strict.getData().utf8String().strip();
      if (!text.isEmpty()) detail = text;
    }
    HttpResponse problem = problem(response.status(), detail, null, path);
    return problem.addHeaders(response.getHeaders());
  }
}
