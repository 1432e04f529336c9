package org.soos.scheduler.policy;

import java.util.List;

/**
 * A scheduling policy: pure, deterministic, no clock reads. The live coordinator and the
 * simulator call the same implementations.
 */
public interface SchedulingPolicy {

  /** Short name used in reports and on the command line, e.g. {@code soos}. */
  String name();

  /** The placements, migrations, preemptions and mode changes to make now, in the order to apply them. */
  List<Decision> decide(ClusterView view);
}
