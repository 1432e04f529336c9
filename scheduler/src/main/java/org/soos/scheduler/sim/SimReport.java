package org.soos.scheduler.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The run's reports: {@code summary.json} (the figures of every policy and the ratios), one JSON object per
 * line per policy (in the benchmarks' {@code {"bench", "metric", "value", "unit", ...context}} form, then the
 * time series), and the comparison table. Deterministic: the same results give the same bytes.
 */
public final class SimReport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper LINE = new ObjectMapper();

  /** A summary figure: its field name in {@code summary.json} and its unit. */
  private record Field(String name, String unit) {}

  private static final List<Field> FIELDS = List.of(
      new Field("harvestedWh", "Wh"),
      new Field("usefulWorkWh", "Wh"),
      new Field("usefulWorkGpuHours", "GPU-h"),
      new Field("lostWorkGpuHours", "GPU-h"),
      new Field("jobsSubmitted", "jobs"),
      new Field("jobsCompleted", "jobs"),
      new Field("jobsLost", "jobs"),
      new Field("deadlineMissPercent", "%"),
      new Field("migrations", "count"),
      new Field("migrationBytes", "bytes"),
      new Field("thermalViolationSeconds", "s"),
      new Field("brownouts", "count"),
      new Field("slowdownP50", "ratio"),
      new Field("slowdownP95", "ratio"));

  private SimReport() {}

  /** The summary figures of one policy, in the documented field order. */
  static ObjectNode metrics(PolicyResult.Metrics m) {
    ObjectNode o = JSON.createObjectNode();
    o.put("harvestedWh", round(m.harvestedWh()));
    o.put("usefulWorkWh", round(m.usefulWorkWh()));
    o.put("usefulWorkGpuHours", round(m.usefulWorkGpuHours()));
    o.put("lostWorkGpuHours", round(m.lostWorkGpuHours()));
    o.put("jobsSubmitted", m.jobsSubmitted());
    o.put("jobsCompleted", m.jobsCompleted());
    o.put("jobsLost", m.jobsLost());
    o.put("deadlineMissPercent", round(m.deadlineMissPercent()));
    o.put("migrations", m.migrations());
    o.put("migrationBytes", m.migrationBytes());
    o.put("thermalViolationSeconds", round(m.thermalViolationSeconds()));
    o.put("brownouts", m.brownouts());
    if (m.slowdownP50() == null) o.putNull("slowdownP50");
    else o.put("slowdownP50", round(m.slowdownP50()));
    if (m.slowdownP95() == null) o.putNull("slowdownP95");
    else o.put("slowdownP95", round(m.slowdownP95()));
    return o;
  }

  /** {@code summary.json}: {@code policies.<name>} with the summary figures and {@code ratios} of useful work. */
  public static String summary(List<PolicyResult> results) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode policies = root.putObject("policies");
    for (PolicyResult r : results) policies.set(r.policy(), metrics(r.metrics()));
    ObjectNode ratios = root.putObject("ratios");
    putRatio(ratios, "soosOverStaticBinpack", results, "soos", "static-binpack");
    putRatio(ratios, "soosOverReactive", results, "soos", "reactive");
    putRatio(ratios, "soosOverBound", results, "soos", SimPolicies.BOUND);
    return write(JSON, root) + "\n";
  }

  /** Useful work of {@code a} over that of {@code b}; empty when either is missing or b did none. */
  public static Optional<Double> ratio(List<PolicyResult> results, String a, String b) {
    Optional<PolicyResult> ra = find(results, a);
    Optional<PolicyResult> rb = find(results, b);
    if (ra.isEmpty() || rb.isEmpty() || !(rb.get().metrics().usefulWorkGpuHours() > 0)) return Optional.empty();
    return Optional.of(ra.get().metrics().usefulWorkGpuHours() / rb.get().metrics().usefulWorkGpuHours());
  }

  private static void putRatio(ObjectNode ratios, String name, List<PolicyResult> results, String a, String b) {
    Optional<Double> r = ratio(results, a, b);
    if (r.isPresent()) ratios.put(name, Math.rint(r.get() * 10_000.0) / 10_000.0);
    else ratios.putNull(name);
  }

  private static Optional<PolicyResult> find(List<PolicyResult> results, String name) {
    return results.stream().filter(r -> r.policy().equals(name)).findFirst();
  }

  /** One policy's figures as benchmark lines ({@code bench, scenario, policy, metric, value, unit}). */
  public static List<String> metricLines(Scenario scenario, PolicyResult r) {
    List<String> out = new ArrayList<>();
    ObjectNode m = metrics(r.metrics());
    for (Field f : FIELDS) {
      ObjectNode o = line(scenario, r.policy());
      o.put("metric", f.name());
      o.set("value", m.get(f.name()));
      o.put("unit", f.unit());
      out.add(write(LINE, o));
    }
    return out;
  }

  /**
   * Everything about one policy, one JSON object per line: the summary figures, the energy account and
   * event counts (as metric lines), then the constellation series, the sample TILEs and the work per TILE.
   */
  public static String policyLines(Scenario scenario, PolicyResult r) {
    StringBuilder b = new StringBuilder();
    for (String l : metricLines(scenario, r)) b.append(l).append('\n');
    PolicyResult.Energy e = r.energy();
    String[][] energy = {
      {"energy.harvestedWh", str(e.harvestedWh())}, {"energy.consumedWh", str(e.consumedWh())},
      {"energy.storedWh", str(e.storedWh())}, {"energy.conversionLossWh", str(e.conversionLossWh())},
      {"energy.curtailedWh", str(e.curtailedWh())}, {"energy.unmetWh", str(e.unmetWh())},
      {"energy.housekeepingWh", str(e.housekeepingWh())}, {"energy.usefulJobWh", str(e.usefulJobWh())},
      {"energy.wastedJobWh", str(e.wastedJobWh())}, {"energy.idleWh", str(e.idleWh())},
      {"energy.linkWh", str(e.linkWh())}, {"energy.ledgerClosureWh", str(e.ledgerClosureWh())},
      {"energy.loadClosureWh", str(e.loadClosureWh())}
    };
    for (String[] kv : energy) {
      ObjectNode o = line(scenario, r.policy());
      o.put("metric", kv[0]);
      o.put("value", Double.parseDouble(kv[1]));
      o.put("unit", "Wh");
      b.append(write(LINE, o)).append('\n');
    }
    PolicyResult.Counters c = r.counters();
    Object[][] counts = {
      {"count.placements", c.placements()}, {"count.preemptions", c.preemptions()},
      {"count.suspensions", c.suspensions()}, {"count.powerModeChanges", c.powerModeChanges()},
      {"count.rejectedDecisions", c.rejectedDecisions()}, {"count.brownoutKills", c.brownoutKills()},
      {"count.shedSuspensions", c.shedSuspensions()}, {"count.thermalShutdowns", c.thermalShutdowns()},
      {"count.thermalThrottles", c.thermalThrottles()}, {"count.decisionRounds", c.decisionRounds()},
      {"count.lossesAtBrownout", c.lossesAtBrownout()}, {"count.lossesAtShedding", c.lossesAtShedding()},
      {"count.lossesAtThermalShutdown", c.lossesAtThermalShutdown()}, {"count.lossesAtDecision", c.lossesAtDecision()}
    };
    for (Object[] kv : counts) {
      ObjectNode o = line(scenario, r.policy());
      o.put("metric", (String) kv[0]);
      o.put("value", (Long) kv[1]);
      o.put("unit", "count");
      b.append(write(LINE, o)).append('\n');
    }
    ObjectNode executed = line(scenario, r.policy());
    executed.put("metric", "executedGpuHours");
    executed.put("value", round(c.executedGpuHours()));
    executed.put("unit", "GPU-h");
    b.append(write(LINE, executed)).append('\n');
    for (PolicyResult.SeriesPoint p : r.series()) {
      ObjectNode o = line(scenario, r.policy());
      o.put("series", "constellation");
      o.put("hours", round(p.hours()));
      o.put("harvestedWatts", round(p.harvestedWatts()));
      o.put("payloadWatts", round(p.payloadWatts()));
      o.put("jobWatts", round(p.jobWatts()));
      o.put("runningJobs", p.runningJobs());
      o.put("pendingJobs", p.pendingJobs());
      b.append(write(LINE, o)).append('\n');
    }
    for (PolicyResult.TileSample s : r.samples()) {
      ObjectNode o = line(scenario, r.policy());
      o.put("series", "tile");
      o.put("tile", s.tileId());
      o.put("hours", round(s.hours()));
      o.put("batteryEnergyWh", round(s.batteryEnergyWh()));
      o.put("maxJunctionTempCelsius", round(s.maxJunctionTempCelsius()));
      o.put("plateTempCelsius", round(s.plateTempCelsius()));
      b.append(write(LINE, o)).append('\n');
    }
    double[] w = r.workPerTileGpuHours();
    for (int i = 0; i < w.length; i++) {
      ObjectNode o = line(scenario, r.policy());
      o.put("series", "workPerTile");
      o.put("tile", r.tileIds().get(i));
      o.put("usefulWorkGpuHours", round(w[i]));
      b.append(write(LINE, o)).append('\n');
    }
    return b.toString();
  }

  private static ObjectNode line(Scenario scenario, String policy) {
    ObjectNode o = LINE.createObjectNode();
    o.put("bench", "sim");
    o.put("scenario", scenario.name());
    o.put("seed", scenario.seed());
    o.put("tiles", scenario.tileCount());
    o.put("policy", policy);
    return o;
  }

  /** The comparison table: one column per policy. */
  public static String table(Scenario scenario, List<PolicyResult> results) {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "%s: %d TILEs, %.1f h, seed %d%n", scenario.name(), scenario.tileCount(),
        scenario.duration().toMillis() / 3.6e6, scenario.seed()));
    b.append(String.format(Locale.ROOT, "%-26s", "metric"));
    for (PolicyResult r : results) b.append(String.format(Locale.ROOT, "%16s", r.policy()));
    b.append('\n');
    for (Field f : FIELDS) {
      b.append(String.format(Locale.ROOT, "%-26s", f.name() + " (" + f.unit() + ")"));
      for (PolicyResult r : results) {
        var v = metrics(r.metrics()).get(f.name());
        String text = v.isNull() ? "-" : v.isIntegralNumber() ? Long.toString(v.asLong())
            : String.format(Locale.ROOT, Math.abs(v.asDouble()) >= 1000 ? "%.0f" : "%.2f", v.asDouble());
        b.append(String.format(Locale.ROOT, "%16s", text));
      }
      b.append('\n');
    }
    String[][] ratios = {{"soos / static-binpack", "soos", "static-binpack"}, {"soos / reactive", "soos", "reactive"},
        {"soos / bound", "soos", SimPolicies.BOUND}};
    for (String[] r : ratios) {
      Optional<Double> v = ratio(results, r[1], r[2]);
      b.append(String.format(Locale.ROOT, "%-26s%16s%n", r[0], v.map(x -> String.format(Locale.ROOT, "%.3f", x)).orElse("-")));
    }
    return b.toString();
  }

  /** Rounds to 4 decimals (the reports' precision), keeping the files short and stable. */
  static double round(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) return 0.0;
    return Math.rint(v * 10_000.0) / 10_000.0;
  }

  private static String str(double v) {
    return Double.toString(round(v));
  }

  private static String write(ObjectMapper m, Object o) {
    try {
      return m.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
