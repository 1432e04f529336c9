package org.soos.shared.orbit;

/** Where a TILE is with respect to Earth's shadow. */
public enum EclipseState {
  /** Full Sun. */
  SUNLIT,
  /** Partial shadow: part of the solar disk is hidden by Earth. */
  PENUMBRA,
  /** Full shadow: no direct sunlight, solar input is zero. */
  UMBRA
}
