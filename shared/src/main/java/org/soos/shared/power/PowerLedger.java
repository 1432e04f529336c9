package org.soos.shared.power;

/**
 * Running energy account of one TILE, Wh. Every step adds:
 * harvested (array output available) = consumed (load served) + stored (battery energy change)
 * + losses (charge/discharge conversion) + curtailed (array output left unused).
 * {@link #closureErrorWh()} is what that balance misses (zero up to rounding); unmet load is
 * tracked beside it (demand that was not served is not energy that flowed anywhere).
 *
 * <p>Mutable and not thread-safe: owned by one TILE (one actor, or one simulator loop).
 */
public final class PowerLedger {
  private double harvestedWh;
  private double consumedWh;
  private double storedWh;
  private double lossWh;
  private double curtailedWh;
  private double unmetWh;
  private double elapsedSeconds;

  /**
   * Adds one step.
   *
   * @param harvestWatts array output available during the step, W
   * @param servedLoadWatts load actually served (demand minus unmet), W
   * @param step the battery's account of the step
   * @param storedChangeWh battery energy at the end minus at the start, Wh
   * @param dtSeconds step length, s
   */
  public void record(double harvestWatts, double servedLoadWatts, BatteryStep step, double storedChangeWh,
      double dtSeconds) {
    double hours = dtSeconds / 3600.0;
    harvestedWh += harvestWatts * hours;
    consumedWh += servedLoadWatts * hours;
    storedWh += storedChangeWh;
    lossWh += step.lossWatts() * hours;
    curtailedWh += step.curtailedWatts() * hours;
    unmetWh += step.unmetWatts() * hours;
    elapsedSeconds += dtSeconds;
  }

  /** Array output available, Wh. */
  public double harvestedWh() {
    return harvestedWh;
  }

  /** Load served (housekeeping plus Orins), Wh. */
  public double consumedWh() {
    return consumedWh;
  }

  /** Net change of stored battery energy, Wh (negative when the battery ran down). */
  public double storedWh() {
    return storedWh;
  }

  /** Charge and discharge conversion losses, Wh. */
  public double lossWh() {
    return lossWh;
  }

  /** Array output left unused because the battery was full or at its charge limit, Wh. */
  public double curtailedWh() {
    return curtailedWh;
  }

  /** Load demanded but not served (brownout), Wh. */
  public double unmetWh() {
    return unmetWh;
  }

  /** Simulated time covered, s. */
  public double elapsedSeconds() {
    return elapsedSeconds;
  }

  /** harvested - (consumed + stored + losses + curtailed), Wh: zero when the books close. */
  public double closureErrorWh() {
    return harvestedWh - (consumedWh + storedWh + lossWh + curtailedWh);
  }

  /** A copy of this account. */
  public PowerLedger copy() {
    PowerLedger c = new PowerLedger();
    c.harvestedWh = harvestedWh;
    c.consumedWh = consumedWh;
    c.storedWh = storedWh;
    c.lossWh = lossWh;
    c.curtailedWh = curtailedWh;
    c.unmetWh = unmetWh;
    c.elapsedSeconds = elapsedSeconds;
    return c;
  }

  @Override
  public String toString() {
    return String.format(
        "PowerLedger[harvested=%.3f Wh, consumed=%.3f Wh, stored=%.3f Wh, losses=%.3f Wh, curtailed=%.3f Wh,"
            + " unmet=%.3f Wh, over %.0f s]",
        harvestedWh, consumedWh, storedWh, lossWh, curtailedWh, unmetWh, elapsedSeconds);
  }
}
