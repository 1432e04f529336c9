package org.soos.tile.board;

import akka.actor.typed.javadsl.ActorContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.soos.shared.orbit.TileOrbit;
import org.soos.shared.orin.OrinModule;
import org.soos.shared.tile.TileSpec;
import org.soos.tile.exec.CompositeExecutor;
import org.soos.tile.exec.SimulatedExecutor;
import org.soos.tile.process.CheckpointFetcher;
import org.soos.tile.process.CheckpointStore;
import org.soos.tile.process.CheckpointTransfer;
import org.soos.tile.process.ProcessExecutor;
import org.soos.tile.exec.WorkloadExecutor;
import org.soos.tile.power.CommandRunner;
import org.soos.tile.power.NvpModel;
import org.soos.tile.power.NvpModelConf;
import org.soos.tile.power.NvpModelControl;
import org.soos.tile.power.PowerModeControl;
import org.soos.tile.sensor.JetsonReading;
import org.soos.tile.sensor.JetsonSysfs;

/**
 * What a board-mode tile-node builds at start: its TILE from the constellation, the TILE's hardware with
 * the board's Orin module in the board's slot (from the device tree), the board's sysfs, the executor of
 * the board's slot (simulated and process jobs; process checkpoints kept in {@code <work-dir>/checkpoints}
 * and served to other nodes by a {@link CheckpointTransfer} server, child {@code checkpoints} of the
 * guardian) and its power-mode control (nvpmodel). Built once by the guardian; holds no actor state.
 *
 * @param orbit the board's TILE
 * @param spec the TILE's hardware, the board's module in its slot
 * @param sysfs the board's sysfs
 * @param workloads runs the board slot's jobs
 * @param powerControl puts the board slot's power mode in force
 */
public record BoardNode(TileOrbit orbit, TileSpec spec, JetsonSysfs sysfs, WorkloadExecutor workloads,
    PowerModeControl powerControl) {

  /**
   * @throws IllegalArgumentException when the TILE is not in the constellation or the slot not in the TILE
   */
  public static BoardNode start(ActorContext<?> ctx, BoardSettings board, TileSpec configured,
      List<TileOrbit> constellation) {
    TileOrbit orbit = constellation.stream().filter(t -> t.tileId().equals(board.tile())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("soos.tile-node.board.tile " + board.tile()
            + " is not in the constellation (" + constellation.size() + " TILEs, e.g. "
            + (constellation.isEmpty() ? "none" : constellation.get(0).tileId()) + ")"));
    if (board.slot() >= configured.orinCount()) {
      throw new IllegalArgumentException("soos.tile-node.board.slot " + board.slot() + " is not a slot of the TILE (0.."
          + (configured.orinCount() - 1) + ", soos.tile.orins)");
    }
    JetsonSysfs sysfs = new JetsonSysfs(board.sysfsRoot());
    JetsonReading reading = sysfs.read();
    TileSpec spec = configured;
    Optional<OrinModule> module = reading.board().module();
    if (module.isPresent() && module.get() != configured.orins().get(board.slot())) {
      List<OrinModule> orins = new ArrayList<>(configured.orins());
      orins.set(board.slot(), module.get());
      spec = new TileSpec(configured.solar(), configured.battery(), configured.thermal(), orins,
          configured.housekeepingWatts());
    }
    OrinModule slotModule = spec.orins().get(board.slot());
    NvpModel nvpmodel = new NvpModel(board.sysfsRoot(), board.nvpmodel(), CommandRunner.system());
    Optional<NvpModelConf> table = nvpmodel.table();
    if (table.isPresent()) {
      List<Integer> unknown = table.get().modes().stream().map(NvpModelConf.Mode::id)
          .filter(id -> slotModule.mode(id).isEmpty()).toList();
      if (!unknown.isEmpty()) {
        ctx.getLog().warn("board: nvpmodel.conf has mode ids {} that SOOS's {} table does not know; the coordinator "
            + "will not ask for them", unknown, slotModule);
      }
    }
    PowerModeControl power = board.setPowerMode() ? new NvpModelControl(nvpmodel, null) : PowerModeControl.NONE;
    CheckpointStore store;
    try {
      java.nio.file.Files.createDirectories(board.workDir().resolve("jobs"));
      store = new CheckpointStore(board.workDir().resolve("checkpoints"), board.process().maxCheckpointBytes());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("soos.tile-node.board.work-dir " + board.workDir() + " is not usable", e);
    }
    ctx.spawn(CheckpointTransfer.server(store), "checkpoints");
    java.util.concurrent.Executor blocking = ctx.getSystem().dispatchers()
        .lookup(akka.actor.typed.DispatcherSelector.blocking());
    CheckpointFetcher fetcher = CheckpointTransfer.fetcher(ctx.getSystem(), store, board.process().transferTimeout(),
        blocking);
    WorkloadExecutor workloads = new CompositeExecutor(List.of(new SimulatedExecutor(),
        new ProcessExecutor(board.process(), board.workDir(), store, fetcher)));
    ctx.getLog().info("board mode: {} ({}) is {}/orin-{}; {} rails ({}), {} thermal zones ({} skipped), junction {} C; "
            + "power {}, orbit {}, nvpmodel {}", reading.board().model().isEmpty() ? "unknown board" : reading.board().model(),
        slotModule, orbit.tileId(), board.slot(), reading.rails().size(), reading.layout(), reading.zones().size(),
        reading.skippedZones().size(), reading.junctionTempCelsius().map(String::valueOf).orElse("unknown"),
        board.power(), board.orbit(), board.setPowerMode() ? board.nvpmodel() : "off");
    return new BoardNode(orbit, spec, sysfs, workloads, power);
  }
}
