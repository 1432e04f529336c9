package org.soos.scheduler.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.soos.shared.id.JobId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.orin.OrinPowerModel;

/**
 * The jobs of a run: generated from the scenario's {@code workload} block and seed, or read from its trace.
 * Deterministic: the same scenario and seed give the same jobs, in the same order, on any machine
 * ({@link Random} is a specified algorithm).
 *
 * <p>Generator: arrivals are a Poisson process (exponential gaps) of rate {@code arrivalsPerHour}, or
 * {@code oversubscription} x (harvestable payload power of the constellation) / (mean energy of a job),
 * where a job's energy is its module draw at the top power mode (idle plus the job's power, capped at the
 * mode's budget) times its run time at full speed, the mean taken over 20 000 draws of a separate stream
 * of the same seed. Each job then draws, in this order: size (lognormal with the given median and sigma,
 * redrawn above the maximum, at least one GPU-minute), power (uniform), memory (uniform), whether it
 * checkpoints, checkpoint size (log-uniform) and interval (uniform), whether it has a deadline and its
 * slack (uniform), and its priority (by share).
 */
public final class WorkloadGenerator {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final int MEAN_SAMPLES = 20_000;

  private WorkloadGenerator() {}

  /** One job and when it arrives, in seconds from the scenario start. */
  public record Arrival(JobId id, double atSeconds, JobSpec spec) {}

  /** The generated or replayed jobs, in arrival order, and the arrival rate used (jobs/h; NaN for a trace). */
  public record Workload(List<Arrival> arrivals, double arrivalsPerHour) {}

  /**
   * The run's jobs.
   *
   * @param harvestablePayloadWatts mean harvestable payload power of the constellation, W (sizes the arrival
   *     rate when the workload gives an oversubscription)
   */
  public static Workload jobs(Scenario scenario, double harvestablePayloadWatts) {
    WorkloadSpec w = scenario.workload();
    if (w.trace() != null) return new Workload(readTrace(scenario), Double.NaN);
    OrinModule module = scenario.tile().orins().get(0);
    double rate = w.arrivalsPerHour() != null
        ? w.arrivalsPerHour()
        : w.oversubscription() * harvestablePayloadWatts / meanJobEnergyWh(w, module, scenario.seed());
    Random rng = new Random(scenario.seed());
    double runSeconds = scenario.duration().toNanos() / 1e9;
    double perSecond = rate / 3600.0;
    List<Arrival> out = new ArrayList<>();
    double t = 0;
    int n = 0;
    while (true) {
      t += -Math.log(1.0 - rng.nextDouble()) / perSecond;
      if (t >= runSeconds) break;
      n++;
      JobId id = JobId.of(String.format("j%07d", n));
      out.add(new Arrival(id, t, draw(w, rng, scenario.start(), t, id)));
    }
    return new Workload(List.copyOf(out), rate);
  }

  private static JobSpec draw(WorkloadSpec w, Random rng, Instant start, double atSeconds, JobId id) {
    double gpuSeconds = size(w, rng);
    double power = w.powerWatts().at(rng.nextDouble());
    double memory = w.memoryGb().at(rng.nextDouble());
    boolean checkpointable = rng.nextDouble() < w.checkpointableShare();
    double lnMin = Math.log(w.checkpointGb().min());
    double lnMax = Math.log(w.checkpointGb().max());
    long bytes = Math.round(Math.exp(lnMin + (lnMax - lnMin) * rng.nextDouble()) * 1e9);
    double intervalSeconds = 60.0 * w.checkpointIntervalMinutes().at(rng.nextDouble());
    boolean hasDeadline = rng.nextDouble() < w.deadlineShare();
    double slack = w.deadlineSlack().at(rng.nextDouble());
    int priority = priority(w, rng.nextDouble());
    Instant submitted = start.plusNanos(Math.round(atSeconds * 1e9));
    Instant deadline = hasDeadline ? submitted.plusMillis(Math.round(slack * gpuSeconds * 1000.0)) : null;
    JobSpec.CheckpointSpec cp = checkpointable ? new JobSpec.CheckpointSpec(intervalSeconds, bytes, true) : null;
    return new JobSpec("sim-" + id.value(), JobKind.SIMULATED, gpuSeconds, round3(power), round3(memory), priority,
        deadline, cp, null, null);
  }

  private static double size(WorkloadSpec w, Random rng) {
    double maxSeconds = w.maxGpuHours() * 3600.0;
    for (int i = 0; i < 1000; i++) {
      double s = w.medianGpuHours() * 3600.0 * Math.exp(w.sizeSigma() * rng.nextGaussian());
      if (s <= maxSeconds) return Math.max(60.0, Math.rint(s));
    }
    return maxSeconds;
  }

  private static int priority(WorkloadSpec w, double u) {
    double total = 0;
    for (WorkloadSpec.PriorityShare p : w.priorities()) total += p.share();
    double x = u * total;
    for (WorkloadSpec.PriorityShare p : w.priorities()) {
      x -= p.share();
      if (x < 0) return p.priority();
    }
    return w.priorities().get(w.priorities().size() - 1).priority();
  }

  /** Mean energy of one job at its top power mode and full speed, Wh. */
  static double meanJobEnergyWh(WorkloadSpec w, OrinModule module, long seed) {
    Random rng = new Random(seed ^ 0x6A09E667F3BCC909L);
    double sum = 0;
    for (int i = 0; i < MEAN_SAMPLES; i++) {
      double gpuSeconds = size(w, rng);
      double power = w.powerWatts().at(rng.nextDouble());
      double draw = OrinPowerModel.drawWatts(module, module.maxMode(), power);
      sum += draw * gpuSeconds / module.maxMode().speedFactor() / 3600.0;
    }
    return sum / MEAN_SAMPLES;
  }

  private static double round3(double v) {
    return Math.rint(v * 1000.0) / 1000.0;
  }

  /**
   * Reads a JSON-lines trace: one job per line, {@code {"at": ISO instant | "offsetSeconds": s, "id": optional,
   * "spec": JobSpec}}; blank lines and lines starting with {@code #} are skipped. Jobs before the start or
   * after the end of the run are dropped.
   */
  static List<Arrival> readTrace(Scenario scenario) {
    var path = scenario.workload().trace();
    List<Arrival> out = new ArrayList<>();
    Set<JobId> seen = new HashSet<>();
    double runSeconds = scenario.duration().toNanos() / 1e9;
    try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) continue;
        String where = path + ":" + number + ": ";
        JsonNode node;
        try {
          node = MAPPER.readTree(text);
        } catch (IOException e) {
          throw new IllegalArgumentException(where + "not valid JSON: " + e.getMessage(), e);
        }
        if (!node.isObject()) throw new IllegalArgumentException(where + "each line must be a JSON object");
        double at;
        if (node.hasNonNull("offsetSeconds")) {
          at = node.get("offsetSeconds").asDouble();
        } else if (node.hasNonNull("at")) {
          try {
            at = Duration.between(scenario.start(), Instant.parse(node.get("at").asText())).toNanos() / 1e9;
          } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + "at must be an ISO-8601 instant, got: " + node.get("at"), e);
          }
        } else {
          throw new IllegalArgumentException(where + "at or offsetSeconds is required");
        }
        if (!node.hasNonNull("spec")) throw new IllegalArgumentException(where + "spec is required");
        JobSpec spec;
        try {
          spec = MAPPER.treeToValue(node.get("spec"), JobSpec.class);
        } catch (IOException e) {
          throw new IllegalArgumentException(where + "spec: " + e.getMessage(), e);
        }
        validate(where, spec);
        JobId id;
        try {
          id = node.hasNonNull("id") ? JobId.of(node.get("id").asText()) : JobId.of(String.format("t%07d", number));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(where + "id: " + e.getMessage(), e);
        }
        if (!seen.add(id)) throw new IllegalArgumentException(where + "id " + id + " appears twice");
        if (at < 0 || at >= runSeconds) continue;
        out.add(new Arrival(id, at, spec));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read workload.trace " + path.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparingDouble(Arrival::atSeconds).thenComparing(Arrival::id));
    return List.copyOf(out);
  }

  private static void validate(String where, JobSpec s) {
    if (!(s.workGpuSeconds() > 0) || Double.isInfinite(s.workGpuSeconds())) {
      throw new IllegalArgumentException(where + "spec.workGpuSeconds must be > 0, got: " + s.workGpuSeconds());
    }
    if (!(s.powerWatts() >= 0) || Double.isInfinite(s.powerWatts())) {
      throw new IllegalArgumentException(where + "spec.powerWatts must be >= 0, got: " + s.powerWatts());
    }
    if (!(s.memoryGb() >= 0)) throw new IllegalArgumentException(where + "spec.memoryGb must be >= 0, got: " + s.memoryGb());
    if (s.priority() < 0 || s.priority() > 9) {
      throw new IllegalArgumentException(where + "spec.priority must be in 0..9, got: " + s.priority());
    }
    if (s.checkpoint() != null && (!(s.checkpoint().intervalSeconds() > 0) || s.checkpoint().sizeBytes() < 0)) {
      throw new IllegalArgumentException(where + "spec.checkpoint needs intervalSeconds > 0 and sizeBytes >= 0");
    }
    if (s.kind() != null && s.kind() != JobKind.SIMULATED) {
      throw new IllegalArgumentException(where + "spec.kind must be SIMULATED in a simulation, got: " + s.kind());
    }
  }
}
