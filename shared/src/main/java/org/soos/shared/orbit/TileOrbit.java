package org.soos.shared.orbit;

import org.soos.shared.CborSerializable;
import org.soos.shared.id.PlaneId;
import org.soos.shared.id.TileId;

/**
 * One TILE of a constellation: its id, the orbital plane it belongs to, and its orbit.
 *
 * @param tileId the TILE
 * @param planeId the plane (the scheduler runs one coordinator per plane)
 * @param orbit where it flies
 */
public record TileOrbit(TileId tileId, PlaneId planeId, OrbitSpec orbit) implements CborSerializable {
  public TileOrbit {
    if (tileId == null) throw new IllegalArgumentException("tileId is required");
    if (planeId == null) throw new IllegalArgumentException("planeId is required");
    if (orbit == null) throw new IllegalArgumentException("orbit is required");
  }
}
