package org.soos.deploy.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The checker's last rule (RELIABILITY.md "The checker"): the cluster converges, one leader and no
 * unreachable members, within the stated time. It polls Akka Management's {@code GET /cluster/members}
 * on the management port of every given member and calls the cluster converged when every one of them
 * answers and they all agree: the same set of members, every one {@code Up}, none unreachable, the same
 * leader, and that leader one of the members.
 */
public final class ClusterConvergence {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ClusterConvergence() {}

  /** What one member says about the cluster. */
  public record View(String url, String self, String leader, Map<String, String> members, Set<String> unreachable,
      String error) {
    boolean answered() {
      return error == null;
    }

    @Override
    public String toString() {
      if (!answered()) return url + ": " + error;
      return self + ": leader " + leader + ", members " + members + ", unreachable " + unreachable;
    }
  }

  /** The outcome of {@link #await}: converged or not, after how long, and the last views. */
  public record Result(boolean converged, Duration waited, Set<String> members, String leader, List<View> views) {
    public String describe() {
      return (converged ? "converged" : "NOT converged") + " after " + waited.toMillis() + " ms on members " + members
          + " with leader " + leader + "; views: " + views;
    }
  }

  /** The members page of one management URL ({@code http://host:port/cluster/members}). */
  public static View view(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) return new View(url, null, null, Map.of(), Set.of(), "HTTP " + r.statusCode());
      JsonNode page = JSON.readTree(r.body());
      Map<String, String> members = new LinkedHashMap<>();
      for (JsonNode m : page.path("members")) members.put(m.path("node").asText(), m.path("status").asText());
      Set<String> unreachable = new TreeSet<>();
      for (JsonNode u : page.path("unreachable")) unreachable.add(u.path("node").asText(u.asText()));
      return new View(url, page.path("selfNode").asText(), page.path("leader").asText(null), members, unreachable, null);
    } catch (IOException e) {
      return new View(url, null, null, Map.of(), Set.of(), e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new View(url, null, null, Map.of(), Set.of(), "interrupted");
    }
  }

  /**
   * Whether the views agree on a converged cluster whose members are exactly {@code expected}
   * (addresses such as {@code akka://soos@127.0.0.2:25520}); empty {@code expected}: any set.
   */
  public static boolean converged(List<View> views, Set<String> expected) {
    if (views.isEmpty()) return false;
    View first = views.get(0);
    for (View v : views) {
      if (!v.answered() || v.leader() == null || v.leader().isEmpty()) return false;
      if (!v.unreachable().isEmpty()) return false;
      if (!v.members().keySet().equals(first.members().keySet())) return false;
      if (!v.leader().equals(first.leader())) return false;
      if (!v.members().containsKey(v.leader())) return false;
      for (String status : v.members().values()) if (!"Up".equals(status)) return false;
    }
    return expected.isEmpty() || first.members().keySet().equals(expected);
  }

  /**
   * Polls every URL until they agree on a converged cluster of exactly {@code expected} members or
   * {@code timeout} passes.
   */
  public static Result await(Collection<String> managementUrls, Set<String> expected, Duration timeout)
      throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    List<View> views;
    while (true) {
      views = new ArrayList<>();
      for (String url : managementUrls) views.add(view(url));
      boolean ok = converged(views, expected);
      if (ok || System.nanoTime() > deadline) {
        View first = views.get(0);
        return new Result(ok, Duration.ofNanos(System.nanoTime() - t0), new TreeSet<>(first.members().keySet()),
            first.leader(), views);
      }
      Thread.sleep(250);
    }
  }
}
