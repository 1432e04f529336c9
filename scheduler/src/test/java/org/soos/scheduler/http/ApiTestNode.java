package org.soos.scheduler.http;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.soos.scheduler.SchedulerGuardian;
import org.soos.scheduler.SchedulerSettings;
import org.soos.scheduler.TestConfigs;
import org.soos.scheduler.TestReports;
import org.soos.scheduler.job.JobEntity;
import org.soos.scheduler.persistence.JournalSchema;
import org.soos.scheduler.persistence.JournalSettings;
import org.soos.shared.time.SimClock;

/**
 * One scheduler node for HTTP tests: the real guardian (coordinators, job entities, the API) in a
 * single-node cluster on a journal in {@code runDir}, and a real HTTP client on its port.
 */
public final class ApiTestNode implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final ActorTestKit testKit;
  final SchedulerSettings settings;
  final String base;
  final SimClock clock;

  private ApiTestNode(ActorTestKit testKit, SchedulerSettings settings, SimClock clock) {
    this.testKit = testKit;
    this.settings = settings;
    this.clock = clock;
    this.base = "http://127.0.0.1:" + settings.http().port();
  }

  /** Starts a node on the journal of {@code runDir} (H2 unless {@code extra} says otherwise) and waits for /ready. */
  public static ApiTestNode start(Path runDir, Map<String, Object> extra) throws Exception {
    Config config = TestConfigs.scheduler(runDir, extra);
    SchedulerSettings settings = SchedulerSettings.fromConfig(config);
    JournalSchema.apply(settings.journal());
    ActorTestKit testKit = ActorTestKit.create("soos", config);
    SimClock clock = new SimClock(TestReports.SIM_EPOCH, Instant.now(), 60, java.time.InstantSource.system());
    testKit.spawn(SchedulerGuardian.create(settings, clock), "scheduler");
    // The guardian starts job sharding too; initialising it here as well is idempotent (same key,
    // same factory) and keeps these tests independent of the guardian's start order.
    JobEntity.init(testKit.system(), clock);
    Cluster cluster = Cluster.get(testKit.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    ApiTestNode node = new ApiTestNode(testKit, settings, clock);
    node.awaitStatus("/ready", 200, Duration.ofSeconds(60));
    return node;
  }

  /** The node's ActorSystem. */
  public akka.actor.typed.ActorSystem<Void> system() {
    return testKit.system();
  }

  /** The node's settings (journal URL, ports). */
  public SchedulerSettings settings() {
    return settings;
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  /** POST {@code json} to {@code path} as application/json with {@code headers} (name, value, ...). */
  public HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (headers.length > 0) b.headers(headers);
    return send(b.build());
  }

  public HttpResponse<String> delete(String path, String... headers) throws IOException, InterruptedException {
    HttpRequest.Builder b = request(path).DELETE();
    if (headers.length > 0) b.headers(headers);
    return send(b.build());
  }

  public static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }

  public HttpResponse<String> awaitStatus(String path, int status, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = get(path);
        if (last.statusCode() == status) return last;
      } catch (java.net.ConnectException notYetBound) {
        // the server binds asynchronously
      }
      Thread.sleep(100);
    }
    throw new AssertionError(path + " did not answer " + status + " in time; last: "
        + (last == null ? "no connection" : last.statusCode() + " " + last.body()));
  }

  /** GETs {@code path} until its JSON satisfies {@code until} (the job index is eventually consistent). */
  public JsonNode awaitJson(String path, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> response = get(path);
      if (response.statusCode() == 200) {
        last = json(response);
        if (until.test(last)) return last;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(path + " never matched; last: " + last);
  }

  /**
   * Jobs with anything in the event journal (distinct persistence ids {@code Job|...}). Existing jobs
   * keep writing on their own (plane assignment, ...), so "nothing persisted" is checked as "no new job".
   */
  public long jobsInJournal() throws SQLException {
    return count("SELECT COUNT(DISTINCT " + column("persistence_id") + ") FROM " + table("event_journal") + " WHERE "
        + column("persistence_id") + " LIKE 'Job|%'");
  }

  /** JobSubmitted events in the journal for one job. */
  public long submittedEvents(String jobId) throws SQLException {
    return count("SELECT COUNT(*) FROM " + table("event_journal") + " WHERE " + column("persistence_id") + " = 'Job|"
        + jobId.replace("'", "") + "' AND " + column("event_ser_manifest") + " LIKE '%JobSubmitted'");
  }

  public long count(String sql) throws SQLException {
    JournalSettings journal = settings.journal();
    Properties props = new Properties();
    props.setProperty("user", journal.user());
    props.setProperty("password", journal.password());
    try (Connection c = DriverManager.getConnection(journal.url(), props);
        PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String table(String name) {
    return settings.journal().kind() == JournalSettings.Kind.H2 ? "\"" + name + "\"" : name;
  }

  private String column(String name) {
    return table(name);
  }

  @Override
  public void close() {
    testKit.shutdownTestKit();
  }
}
