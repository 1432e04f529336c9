package org.soos.scheduler.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.soos.shared.id.TileId;

/**
 * Everything a policy decides from: the TILEs of the scope it schedules (a plane, or the whole
 * constellation in the simulator), the jobs waiting and the jobs placed, at simulated time {@code now}.
 */
public record ClusterView(
    Instant now, Map<TileId, TileView> tiles, List<PendingJob> pending, List<RunningJob> running) {}
