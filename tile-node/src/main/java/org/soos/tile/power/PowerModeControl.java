package org.soos.tile.power;

import org.soos.shared.orin.PowerMode;

/**
 * Puts an Orin's power mode in force on the hardware. An emulated Orin has no hardware: {@link #NONE}.
 * A board's Orin server calls {@link #apply} whenever the mode in force changes (coordinator request,
 * thermal guard, TILE load shedding); implementations must return quickly (do the work elsewhere).
 */
@FunctionalInterface
public interface PowerModeControl {
  /** No hardware: nothing to do. */
  PowerModeControl NONE = mode -> { };

  /** Put {@code mode} in force. */
  void apply(PowerMode mode);
}
