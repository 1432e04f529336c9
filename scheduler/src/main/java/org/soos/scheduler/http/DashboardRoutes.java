package org.soos.scheduler.http;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.CacheControl;
import akka.http.javadsl.model.headers.CacheDirectives;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import org.soos.shared.time.SimClock;

/**
 * The operator's dashboard and the clock it animates with.
 *
 * <ul>
 *   <li>{@code GET /}: the dashboard page, classpath resource {@code dashboard/index.html}
 *   <li>{@code GET /ui/{file}}: its scripts and styles, the files listed in {@link #ASSETS} under the
 *       classpath folder {@code dashboard/}; any other name is 404 naming {@code file}
 *   <li>{@code GET /v1/clock}: the scheduler's simulated time now, the warp factor and the anchors, so a
 *       client can advance simulated time between polls ({@link Clock})
 * </ul>
 *
 * <p>Every asset is read once, at construction, and served from memory: nothing is fetched from
 * anywhere at run time, neither by the server nor by the page (plain JavaScript and SVG, no library).
 */
public final class DashboardRoutes extends AllDirectives {
  /** Classpath folder of the dashboard's files. */
  static final String FOLDER = "dashboard/";
  static final ContentType JS = ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT, HttpCharsets.UTF_8);
  static final ContentType CSS = ContentTypes.create(MediaTypes.TEXT_CSS, HttpCharsets.UTF_8);
  /** The files served under {@code /ui/}, with their content types. */
  static final Map<String, ContentType> ASSETS = Map.of("dashboard.js", JS, "dashboard.css", CSS);

  /**
   * Body of {@code GET /v1/clock}.
   *
   * @param simTime the scheduler's simulated time now
   * @param wallTime the scheduler's wall-clock time now
   * @param warp simulated seconds per wall second
   * @param simAnchor simulated instant of the anchor
   * @param wallAnchor wall-clock instant at which simulated time was {@code simAnchor}
   */
  public record Clock(Instant simTime, Instant wallTime, double warp, Instant simAnchor, Instant wallAnchor) {}

  private final SimClock clock;
  private final byte[] index;
  private final Map<String, byte[]> assets;

  public DashboardRoutes(SimClock clock) {
    this.clock = clock;
    this.index = load("index.html");
    this.assets = Map.of("dashboard.js", load("dashboard.js"), "dashboard.css", load("dashboard.css"));
  }

  /** A dashboard file's bytes. */
  static byte[] load(String name) {
    String resource = FOLDER + name;
    try (InputStream in = DashboardRoutes.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing classpath resource " + resource);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  public Route routes() {
    return concat(
        pathSingleSlash(() -> get(() -> noCache(() ->
            complete(StatusCodes.OK, HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, index))))),
        pathPrefix("ui", () -> path(PathMatchers.segment(), file -> get(() -> asset(file)))),
        path(PathMatchers.segment("v1").slash("clock"), () -> get(() -> {
          Instant now = Instant.now();
          Clock body = new Clock(clock.toSim(now), now, clock.warpFactor(), clock.simAnchor(), clock.wallAnchor());
          return complete(StatusCodes.OK, body, JsonSupport.marshaller());
        })));
  }

  private Route asset(String file) {
    ContentType type = ASSETS.get(file);
    if (type == null) {
      throw new ProblemException(StatusCodes.NOT_FOUND,
          "no dashboard file " + file + "; /ui/ serves " + String.join(", ", ASSETS.keySet().stream().sorted().toList()), "file");
    }
    return noCache(() -> complete(StatusCodes.OK, HttpEntities.create(type, assets.get(file))));
  }

  /** The page and its files change with the scheduler's version: browsers revalidate every time. */
  private Route noCache(Supplier<Route> inner) {
    return respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), inner);
  }
}
