package org.soos.scheduler.http;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Bearer-token authentication of mutating calls (RFC 6750, header form only).
 *
 * <ul>
 *   <li>With no token configured every call passes.
 *   <li>With a token, {@link #require} answers 401 with {@code WWW-Authenticate: Bearer realm="soos"}
 *       (plus {@code error="invalid_token"} when a token was sent but is wrong) unless the request
 *       carries {@code Authorization: Bearer <token>}. The comparison takes the same time whatever
 *       the sent token is: both sides are hashed, then compared with {@link MessageDigest#isEqual}.
 *   <li>{@link #refuseQueryTokens} answers 400 (naming {@code access_token}) to any request with a
 *       token in its query string, configured or not: URLs end up in logs and browser histories.
 * </ul>
 */
public final class BearerAuth {
  /** The realm of the challenge. */
  public static final String REALM = "soos";
  /** The query parameter RFC 6750 section 2.3 defines and this API refuses. */
  public static final String QUERY_PARAMETER = "access_token";

  private final Optional<byte[]> tokenHash;

  public BearerAuth(Optional<String> token) {
    this.tokenHash = token.filter(t -> !t.isEmpty()).map(BearerAuth::sha256);
  }

  /** True when a token is configured. */
  public boolean enabled() {
    return tokenHash.isPresent();
  }

  /** Runs {@code inner} when the request is authorised; answers 401 otherwise. */
  public Route require(Supplier<Route> inner) {
    if (tokenHash.isEmpty()) return inner.get();
    return Directives.extractRequest(request -> {
      Optional<HttpHeader> header = request.getHeader("Authorization");
      if (header.isEmpty()) {
        return Directives.complete(unauthorized(request.getUri().path(), "missing Authorization: Bearer token", null));
      }
      String value = header.get().value().strip();
      int space = value.indexOf(' ');
      String scheme = space < 0 ? value : value.substring(0, space);
      if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
        return Directives.complete(unauthorized(request.getUri().path(),
            "the Authorization scheme must be Bearer", null));
      }
      String presented = space < 0 ? "" : value.substring(space + 1).strip();
      if (!MessageDigest.isEqual(sha256(presented), tokenHash.get())) {
        return Directives.complete(unauthorized(request.getUri().path(), "the bearer token is not valid", "invalid_token"));
      }
      return inner.get();
    });
  }

  /** Answers 400 to requests with {@value #QUERY_PARAMETER} in the query string; passes others on. */
  public static Route refuseQueryTokens(Supplier<Route> inner) {
    return Directives.extractRequest(request -> {
      if (request.getUri().query().get(QUERY_PARAMETER).isPresent()) {
        HttpResponse response = JsonSupport.problem(StatusCodes.BAD_REQUEST,
            "tokens in the query string are refused; send Authorization: Bearer <token>", QUERY_PARAMETER,
            request.getUri().path());
        return Directives.complete(response.addHeader(challenge("invalid_request")));
      }
      return inner.get();
    });
  }

  private static HttpResponse unauthorized(String path, String detail, String error) {
    StatusCode status = StatusCodes.UNAUTHORIZED;
    return JsonSupport.problem(status, detail, "Authorization", path).addHeader(challenge(error));
  }

  /** The challenge in RFC 6750's own form: {@code Bearer realm="soos", error="invalid_token"}. */
  private static HttpHeader challenge(String error) {
    String value = "Bearer realm=\"" + REALM + "\"" + (error == null ? "" : ", error=\"" + error + "\"");
    return RawHeader.create("WWW-Authenticate", value);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
