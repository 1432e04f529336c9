package org.soos.shared.orin;

import org.soos.shared.CborSerializable;

/**
 * One nvpmodel power mode of an Orin module.
 *
 * @param id the nvpmodel mode id ({@code nvpmodel -m <id>})
 * @param name the nvpmodel mode name, e.g. {@code MAXN}, {@code MODE_30W}
 * @param budgetWatts the module power budget in this mode, watts
 * @param speedFactor job speed in this mode relative to an AGX Orin 64GB at MAXN (1.0)
 */
public record PowerMode(int id, String name, double budgetWatts, double speedFactor) implements CborSerializable {}
