package org.soos.tile.power;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soos.shared.orin.PowerMode;

/**
 * {@link PowerModeControl} of a real board: {@code nvpmodel -m N} on a thread of its own, so the Orin
 * server never waits for it. Requests are coalesced: while one call runs, only the latest request waits,
 * and a request for the mode already set is not sent again. Failures are logged and reported to
 * {@code onResult}; the next request tries again.
 */
public final class NvpModelControl implements PowerModeControl, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NvpModelControl.class);

  /** What one attempt gave: the mode asked for, and the error (null on success). */
  public record Outcome(PowerMode requested, String error) {}

  private final NvpModel nvpmodel;
  private final Consumer<Outcome> onResult;
  private final ExecutorService thread;
  private final AtomicReference<PowerMode> pending = new AtomicReference<>();
  private volatile Integer appliedId;

  public NvpModelControl(NvpModel nvpmodel, Consumer<Outcome> onResult) {
    if (nvpmodel == null) throw new IllegalArgumentException("nvpmodel is required");
    this.nvpmodel = nvpmodel;
    this.onResult = onResult == null ? o -> { } : onResult;
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "nvpmodel");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void apply(PowerMode mode) {
    if (pending.getAndSet(mode) == null) thread.execute(this::drain);
  }

  private void drain() {
    PowerMode mode = pending.getAndSet(null);
    if (mode == null) return;
    if (appliedId != null && appliedId == mode.id()) return;
    try {
      NvpModelStatus now = nvpmodel.set(mode.id());
      appliedId = now.id();
      LOG.info("nvpmodel: power mode {} ({}) in force", now.id(), now.name());
      onResult.accept(new Outcome(mode, null));
    } catch (IOException | IllegalArgumentException e) {
      appliedId = null;
      LOG.warn("nvpmodel: could not set mode {} ({}): {}", mode.id(), mode.name(), e.getMessage());
      onResult.accept(new Outcome(mode, e.getMessage()));
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
