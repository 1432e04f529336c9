package org.soos.tile.process;

import java.nio.file.Path;
import org.soos.shared.id.JobId;

/**
 * A packed checkpoint of a process job kept by a node.
 *
 * @param jobId the job
 * @param epoch the placement epoch the job ran under when it wrote the checkpoint
 * @param doneGpuSeconds work the checkpoint covers, GPU-seconds (the Orin's account)
 * @param sizeBytes size of the packed checkpoint (zip), bytes
 * @param sha256 SHA-256 of the packed checkpoint, lower-case hex
 * @param file the packed checkpoint on this node
 */
public record StoredCheckpoint(JobId jobId, long epoch, double doneGpuSeconds, long sizeBytes, String sha256, Path file) {}
