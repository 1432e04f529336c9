package org.soos.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.soos.shared.orbit.EclipseState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code soos tiles}: every TILE's latest report from {@code GET /v1/tiles}, as a table or JSON. */
@Command(
    name = "tiles",
    mixinStandardHelpOptions = true,
    versionProvider = SoosCli.Version.class,
    usageHelpAutoWidth = true,
    header = "List the TILEs: light, battery, power, temperature, jobs.",
    description = {
      "List every TILE's latest report (GET /v1/tiles), sorted by id: its light (SUNLIT, PENUMBRA, UMBRA), "
          + "battery charge, solar input, load and compute budget, hottest Orin junction, jobs, and whether it "
          + "is shedding load or silent. --json prints the reports in full (the fields of the API)."
    },
    footer = {"", "Examples:", "  soos tiles", "  soos tiles --plane p1 --light umbra", "  soos tiles --json"})
final class TilesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ApiOptions api;

  @Option(names = "--plane", paramLabel = "PLANE", description = "Only the TILEs of this plane, e.g. p0.")
  String plane;

  @Option(names = "--light", paramLabel = "STATE",
      description = "Only TILEs in this light: ${COMPLETION-CANDIDATES}.")
  EclipseState light;

  @Option(names = "--json", description = "Print the TILEs as one JSON array.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<String> query = new ArrayList<>();
    if (plane != null) query.add("plane=" + URLEncoder.encode(plane, StandardCharsets.UTF_8));
    if (light != null) query.add("eclipseState=" + light.name());
    SchedulerClient client = new SchedulerClient(api.baseUri(), Duration.ofSeconds(Math.max(1, api.timeoutSeconds)));
    JsonNode tiles = client.getJson("/v1/tiles" + (query.isEmpty() ? "" : "?" + String.join("&", query))).path("tiles");
    PrintWriter out = spec.commandLine().getOut();
    out.print(json ? tiles.toPrettyString() + System.lineSeparator() : table(tiles));
    out.flush();
    return 0;
  }

  /** The TILEs as an aligned text table (a header line, one line per TILE). */
  static String table(JsonNode tiles) {
    String format = "%-12s %-6s %-8s %5s %7s %6s %8s %10s %4s  %s%n";
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, format, "TILE", "PLANE", "LIGHT", "SOC%",
        "SOLAR W", "LOAD W", "BUDGET W", "JUNCTION C", "JOBS", "FLAGS"));
    for (JsonNode t : tiles) {
      int jobs = 0;
      for (JsonNode orin : t.path("orins")) jobs += orin.path("jobs").size();
      List<String> flags = new ArrayList<>();
      if (t.path("shedding").asBoolean()) flags.add("shedding");
      if (t.path("stale").asBoolean()) flags.add("silent");
      for (JsonNode orin : t.path("orins")) {
        String health = orin.path("health").asText("NOMINAL");
        if (!health.equals("NOMINAL")) flags.add("orin-" + orin.path("slot").asText() + " " + health.toLowerCase(Locale.ROOT));
      }
      s.append(String.format(Locale.ROOT, format, t.path("tileId").asText(), t.path("planeId").asText(),
          t.path("eclipseState").asText(), StatusCommand.num(t.path("batteryStateOfChargePercent"), 0),
          StatusCommand.num(t.path("solarInputWatts"), 0), StatusCommand.num(t.path("loadWatts"), 0),
          StatusCommand.num(t.path("computeBudgetWatts"), 0), StatusCommand.num(t.path("maxJunctionTempCelsius"), 1),
          jobs, flags.isEmpty() ? "-" : String.join(", ", flags)));
    }
    if (tiles.isEmpty()) s.append("(no TILEs have reported)").append(System.lineSeparator());
    return s.toString();
  }
}
