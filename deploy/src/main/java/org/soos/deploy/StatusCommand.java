package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code soos status}: the cluster at a glance from the scheduler's API: readiness ({@code /ready}),
 * simulated time ({@code /v1/clock}), the planes ({@code /v1/planes}), jobs per state (the
 * {@code soos_jobs} gauge of {@code /metrics}), and the local {@code soos up} from its run file.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "Show the cluster, the scheduler and the TILEs at a glance.",
    description = {
      "Ask the scheduler whether it is ready, its simulated time and warp, one line per orbital plane "
          + "(TILEs sunlit, eclipsed and silent, free Orins, queued jobs, power, battery, hottest junction), "
          + "and how many jobs are in each state. Without --url and SOOS_URL it asks the scheduler of the "
          + "local 'soos up' named in its run file, else " + ApiOptions.DEFAULT_URL + ".",
      "",
      "Exit codes: 0 the scheduler is ready, 1 it is not ready or does not answer, 2 usage error."
    },
    footer = {"", "Examples:", "  soos status", "  soos status --url http://10.0.0.1:8080 --json"})
final class StatusCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JOBS_GAUGE = Pattern.compile("^soos_jobs\\{state=\"([A-Z_]+)\"} ([0-9.eE+-]+)$", Pattern.MULTILINE);

  @Spec CommandSpec spec;

  @Mixin ApiOptions api;

  @Option(names = "--run-file", paramLabel = "FILE",
      description = "The run file of a local 'soos up' (default: run/" + RunFile.FILE_NAME + " in the SOOS folder).")
  Path runFile;

  @Option(names = "--json", description = "Print the status as one JSON object.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Optional<RunFile> run = RunFile.read(runFile != null ? runFile : RunFile.defaultPath())
        .filter(r -> r.process().isPresent());
    URI base = api.url == null && System.getenv(ApiOptions.URL_ENV) == null && run.isPresent()
        ? URI.create(run.get().url()) : api.baseUri();
    Duration timeout = Duration.ofSeconds(Math.max(1, api.timeoutSeconds));
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();

    ObjectNode status = JSON.createObjectNode();
    status.put("url", base.toString());
    run.ifPresentOrElse(r -> status.set("run", r.toJson()), () -> status.putNull("run"));
    boolean ready;
    try {
      HttpResponse<String> readiness = get(http, base, "/ready", timeout);
      JsonNode body = parse(readiness.body());
      ready = readiness.statusCode() == 200;
      status.put("ready", ready);
      status.put("memberStatus", body.path("memberStatus").asText("unknown"));
    } catch (IOException e) {
      status.put("ready", false);
      status.put("error", "the scheduler at " + base + " does not answer: " + e.getMessage());
      return print(status, 1);
    }
    status.set("clock", getJson(http, base, "/v1/clock", timeout, status));
    JsonNode planes = getJson(http, base, "/v1/planes", timeout, status).path("planes");
    status.set("planes", planes);
    ObjectNode tiles = status.putObject("tiles");
    int count = 0, sunlit = 0, eclipsed = 0, stale = 0, free = 0, queued = 0;
    for (JsonNode p : planes) {
      count += p.path("tileCount").asInt();
      sunlit += p.path("sunlitCount").asInt();
      eclipsed += p.path("eclipsedCount").asInt();
      stale += p.path("staleCount").asInt();
      free += p.path("freeOrinCount").asInt();
      queued += p.path("pendingJobCount").asInt();
    }
    tiles.put("count", count).put("sunlit", sunlit).put("eclipsed", eclipsed).put("silent", stale)
        .put("freeOrins", free).put("queuedJobs", queued);
    ObjectNode jobs = status.putObject("jobs");
    try {
      jobsByState(get(http, base, "/metrics", timeout).body()).forEach(jobs::put);
    } catch (IOException e) {
      status.put("error", "GET /metrics: " + e.getMessage());
    }
    return print(status, ready ? 0 : 1);
  }

  /** The {@code soos_jobs{state=...}} gauges of a Prometheus text scrape, by state. */
  static Map<String, Long> jobsByState(String metrics) {
    Map<String, Long> out = new TreeMap<>();
    Matcher m = JOBS_GAUGE.matcher(metrics);
    while (m.find()) {
      out.put(m.group(1), Math.round(Double.parseDouble(m.group(2))));
    }
    return out;
  }

  private int print(ObjectNode status, int code) {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(status.toPrettyString());
    } else {
      out.print(text(status));
    }
    out.flush();
    return code;
  }

  /** A person's view of a status object. */
  static String text(JsonNode s) {
    StringBuilder b = new StringBuilder();
    String ready = s.path("ready").asBoolean() ? "READY" : "NOT READY";
    line(b, "scheduler", s.path("url").asText() + "  " + ready
        + (s.has("memberStatus") ? " (cluster member " + s.path("memberStatus").asText() + ")" : ""));
    JsonNode run = s.path("run");
    if (run.isObject()) {
      line(b, "local up", "pid " + run.path("pid").asText() + ", since " + run.path("startedAt").asText()
          + ", run folder " + run.path("runDir").asText());
    }
    if (s.has("error")) line(b, "error", s.path("error").asText());
    JsonNode clock = s.path("clock");
    if (clock.isObject() && clock.has("simTime")) {
      line(b, "sim time", clock.path("simTime").asText().replaceAll("\\.\\d+Z$", "Z") + "  (warp "
          + ConstellationOptions.num(clock.path("warp").asDouble()) + "x)");
    }
    JsonNode t = s.path("tiles");
    if (t.isObject()) {
      line(b, "TILEs", t.path("count").asInt() + ": " + t.path("sunlit").asInt() + " sunlit, " + t.path("eclipsed").asInt()
          + " eclipsed, " + t.path("silent").asInt() + " silent; " + t.path("freeOrins").asInt() + " free Orins, "
          + t.path("queuedJobs").asInt() + " jobs queued");
    }
    JsonNode jobs = s.path("jobs");
    if (jobs.isObject()) {
      List<String> parts = new java.util.ArrayList<>();
      jobs.fields().forEachRemaining(e -> {
        if (e.getValue().asLong() > 0) parts.add(e.getKey() + " " + e.getValue().asLong());
      });
      line(b, "jobs", parts.isEmpty() ? "none" : String.join(", ", parts));
    }
    JsonNode planes = s.path("planes");
    if (planes.isArray() && planes.size() > 0) {
      String format = "%-8s %5s %6s %8s %6s %10s %6s %9s %9s %10s %13s%n";
      b.append(System.lineSeparator());
      b.append(String.format(Locale.ROOT, format, "PLANE", "TILES", "SUNLIT", "ECLIPSED", "SILENT", "FREE ORINS",
          "QUEUED", "SOLAR W", "BUDGET W", "MEAN SOC %", "MAX JUNCT. C"));
      for (JsonNode p : planes) {
        b.append(String.format(Locale.ROOT, format, p.path("planeId").asText(), p.path("tileCount").asText(),
            p.path("sunlitCount").asText(), p.path("eclipsedCount").asText(), p.path("staleCount").asText(),
            p.path("freeOrinCount").asText(), p.path("pendingJobCount").asText(),
            num(p.path("totalSolarInputWatts"), 0), num(p.path("totalComputeBudgetWatts"), 0),
            num(p.path("meanBatteryStateOfChargePercent"), 0), num(p.path("maxJunctionTempCelsius"), 1)));
      }
    }
    return b.toString();
  }

  static String num(JsonNode n, int digits) {
    return n.isNumber() ? String.format(Locale.ROOT, "%." + digits + "f", n.asDouble()) : "-";
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(String.format(Locale.ROOT, "%-10s %s%n", label, value));
  }

  private static HttpResponse<String> get(HttpClient http, URI base, String path, Duration timeout)
      throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** {@code GET path} as JSON; a failure is recorded in the status and gives an empty object. */
  private static JsonNode getJson(HttpClient http, URI base, String path, Duration timeout, ObjectNode status)
      throws InterruptedException {
    try {
      HttpResponse<String> r = get(http, base, path, timeout);
      if (r.statusCode() / 100 != 2) throw new IOException("HTTP " + r.statusCode());
      return parse(r.body());
    } catch (IOException e) {
      status.put("error", "GET " + path + ": " + e.getMessage());
      return JSON.createObjectNode();
    }
  }

  private static JsonNode parse(String body) throws IOException {
    try {
      return JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException("not JSON: " + e.getOriginalMessage());
    }
  }
}
