package org.soos.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.soos.shared.runtime.ParentProcessWatch;

/**
 * A stand-in for the scheduler and tile-node mains in {@link LocalConstellationTest}: it reads the
 * same system properties, answers the scheduler's {@code /ready}, {@code /v1/tiles} and
 * {@code /v1/planes} with canned JSON, exits when its parent does, and can be told to crash.
 *
 * <p>Test knobs: {@code fake.tiles} (TILEs the fake scheduler lists), {@code fake.exit-after-ms} and
 * {@code fake.exit-code} (a tile-node that dies).
 */
public final class FakeNodeMain {
  private FakeNodeMain() {}

  public static void main(String[] args) throws Exception {
    ParentProcessWatch.onParentExit(ConfigFactory.systemProperties(), () -> {
      System.out.println("parent exited, stopping");
      Runtime.getRuntime().halt(0);
    });
    String role = System.getProperty("akka.cluster.roles.0");
    System.out.println("fake " + role + " started, pid " + ProcessHandle.current().pid());
    if ("scheduler".equals(role)) {
      serve(Integer.getInteger("soos.scheduler.http.port"), Integer.getInteger("fake.tiles", 0));
    }
    long exitAfter = Long.getLong("fake.exit-after-ms", -1);
    if (exitAfter >= 0 && "tile-node".equals(role)) {
      Thread.sleep(exitAfter);
      System.out.println("fake crash");
      System.exit(Integer.getInteger("fake.exit-code", 3));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("fake " + role + " got SIGTERM")));
    Thread.sleep(Long.MAX_VALUE);
  }

  private static void serve(int port, int tiles) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    server.createContext("/ready", ex -> reply(ex, "{\"ready\":true}"));
    StringBuilder list = new StringBuilder("[");
    for (int i = 0; i < tiles; i++) {
      list.append(i == 0 ? "" : ",").append("{\"tileId\":\"p0-t").append(i).append("\",\"eclipseState\":\"SUNLIT\"}");
    }
    String tilesJson = list.append("]").toString();
    server.createContext("/v1/tiles", ex -> reply(ex, tilesJson));
    server.createContext("/v1/planes", ex -> reply(ex,
        "[{\"planeId\":\"p0\",\"tileCount\":" + tiles + ",\"staleCount\":0,\"sunlitCount\":" + tiles + ",\"eclipsedCount\":0}]"));
    server.start();
  }

  private static void reply(HttpExchange ex, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
