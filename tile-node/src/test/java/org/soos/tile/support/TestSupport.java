package org.soos.tile.support;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;
import org.soos.shared.job.JobKind;
import org.soos.shared.job.JobSpec;
import org.soos.shared.orbit.EclipseTimeline;
import org.soos.shared.orbit.EclipseWindow;
import org.soos.shared.orbit.OrbitSpec;
import org.soos.shared.orbit.TileOrbit;
import org.soos.tile.tile.EclipseSource;
import org.soos.tile.tile.TileSettings;

/** Shared fixtures of the tile-node tests. */
public final class TestSupport {
  /** Elements epoch of the test orbits. */
  public static final Instant EPOCH = Instant.parse("2026-03-20T00:00:00Z");

  private TestSupport() {}

  /** The tile-node role config with a local (non-cluster) provider, for ActorTestKit. */
  public static Config testKitConfig() {
    Config overrides = ConfigFactory.parseString(String.join("\n",
        "akka.actor.provider = local",
        "akka.loglevel = INFO",
        "akka.actor.testkit.typed.single-expect-default = 10s"));
    return org.soos.shared.runtime.RoleConfig.load("tile-node", overrides);
  }

  /** Behaviour settings from reference.conf, with overrides in HOCON. */
  public static TileSettings settings(String overrides) {
    return TileSettings.fromConfig(org.soos.shared.runtime.RoleConfig.load("tile-node", ConfigFactory.parseString(overrides)));
  }

  /** A 550 km, 53 deg circular TILE orbit. */
  public static TileOrbit orbit(String tileId, String planeId) {
    return new TileOrbit(TileId.of(tileId), PlaneId.of(planeId), new OrbitSpec.Circular(550, 53, 0, 0, EPOCH));
  }

  /**
   * A made-up but regular shadow pattern: passes every {@code periodSeconds}, the first penumbra entry
   * {@code firstEntrySeconds} after EPOCH, 8 s penumbra crossings, {@code umbraSeconds} of umbra; beta 10 deg.
   */
  public static EclipseSource syntheticEclipses(double periodSeconds, double firstEntrySeconds, double umbraSeconds) {
    return (orbit, from, until) -> {
      List<EclipseWindow> windows = new ArrayList<>();
      double fromS = seconds(from);
      double untilS = seconds(until);
      long k0 = (long) Math.floor((fromS - firstEntrySeconds - umbraSeconds - 16) / periodSeconds);
      for (long k = k0; ; k++) {
        double p0 = firstEntrySeconds + k * periodSeconds;
        if (p0 >= untilS) break;
        double p3 = p0 + umbraSeconds + 16;
        if (p3 <= fromS) continue;
        windows.add(new EclipseWindow(at(p0), at(p0 + 8), at(p0 + 8 + umbraSeconds), at(p3)));
      }
      return new EclipseSource.Prediction(new EclipseTimeline(from, until, windows), 10.0, 10.0);
    };
  }

  /** A simulated job: work GPU-s, power W, priority, checkpoint every interval s (0: none). */
  public static JobSpec job(double workGpuSeconds, double powerWatts, int priority, double checkpointIntervalSeconds) {
    JobSpec.CheckpointSpec cp = checkpointIntervalSeconds > 0
        ? new JobSpec.CheckpointSpec(checkpointIntervalSeconds, 1_000_000L, true) : null;
    return new JobSpec("test", JobKind.SIMULATED, workGpuSeconds, powerWatts, 8.0, priority, null, cp, null, null);
  }

  public static Instant at(double secondsAfterEpoch) {
    return EPOCH.plus(Duration.ofNanos(Math.round(secondsAfterEpoch * 1e9)));
  }

  public static double seconds(Instant t) {
    return Duration.between(EPOCH, t).toNanos() / 1e9;
  }
}
