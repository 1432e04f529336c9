package org.soos.tile.process;

import java.util.concurrent.CompletionStage;
import org.soos.shared.id.JobId;

/**
 * Gets a job's latest checkpoint onto this node: from the local {@link CheckpointStore} when it is here,
 * else from whichever node of the cluster has the newest one (see {@link CheckpointTransfer}), its bytes
 * verified with SHA-256 on arrival. Thread-safe.
 */
@FunctionalInterface
public interface CheckpointFetcher {

  /**
   * The job's checkpoint with the highest epoch below {@code beforeEpoch}, stored on this node.
   * Completes exceptionally when no node has one, or the transfer fails or arrives corrupted.
   */
  CompletionStage<StoredCheckpoint> fetch(JobId jobId, long beforeEpoch);
}
