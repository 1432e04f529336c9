package org.soos.scheduler.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /v1/openapi.yaml}: the OpenAPI 3 description of the whole API, the classpath resource
 * {@value #RESOURCE}, as {@code application/yaml}.
 */
public final class OpenApiRoutes extends AllDirectives {
  /** Classpath resource of the document. */
  public static final String RESOURCE = "openapi.yaml";
  static final ContentType YAML = ContentTypes.create(MediaTypes.applicationWithOpenCharset("yaml", "yaml"), HttpCharsets.UTF_8);

  private final byte[] document;

  public OpenApiRoutes() {
    this.document = load();
  }

  /** The document's bytes (UTF-8 YAML). */
  public static byte[] load() {
    try (InputStream in = OpenApiRoutes.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + RESOURCE);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  public Route routes() {
    return path(akka.http.javadsl.server.PathMatchers.segment("v1").slash("openapi.yaml"),
        () -> get(() -> complete(StatusCodes.OK, HttpEntities.create(YAML, document))));
  }
}
