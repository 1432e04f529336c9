package org.soos.shared.orbit;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import org.soos.shared.CborSerializable;

/**
 * Where one TILE flies: either a circular LEO orbit given by its mean elements, or a NORAD two-line
 * element set propagated with SGP4.
 *
 * <p>JSON: {@code {"type":"circular","altitudeKm":550,"inclinationDeg":53,"raanDeg":0,
 * "argumentOfLatitudeDeg":0,"epoch":"2026-03-20T00:00:00Z"}} or {@code {"type":"tle","name":"ISS (ZARYA)",
 * "line1":"1 25544U ...","line2":"2 25544 ..."}}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = OrbitSpec.Circular.class, name = "circular"),
  @JsonSubTypes.Type(value = OrbitSpec.Tle.class, name = "tle")
})
public sealed interface OrbitSpec extends CborSerializable permits OrbitSpec.Circular, OrbitSpec.Tle {

  /** Lowest altitude accepted for a circular orbit, km (below it the orbit decays within days). */
  double MIN_ALTITUDE_KM = 160.0;
  /** Highest altitude accepted for a circular orbit, km (the conventional upper bound of LEO). */
  double MAX_ALTITUDE_KM = 2000.0;

  /**
   * A circular orbit given by mean elements in the EME2000 (J2000 mean equator and equinox, Earth-centred inertial) frame; the simulator
   * propagates it with J2 secular drift (nodal regression and along-track rate).
   *
   * @param altitudeKm mean altitude above the WGS84 equatorial radius, km, 160..2000
   * @param inclinationDeg inclination, degrees, 0..180
   * @param raanDeg right ascension of the ascending node at {@code epoch}, degrees, [0, 360)
   * @param argumentOfLatitudeDeg angle from the ascending node to the TILE at {@code epoch}, degrees, [0, 360)
   * @param epoch UTC instant at which the elements hold
   */
  record Circular(
      double altitudeKm, double inclinationDeg, double raanDeg, double argumentOfLatitudeDeg, Instant epoch)
      implements OrbitSpec {
    public Circular {
      if (!(altitudeKm >= MIN_ALTITUDE_KM && altitudeKm <= MAX_ALTITUDE_KM)) {
        throw new IllegalArgumentException(
            "altitudeKm must be in " + MIN_ALTITUDE_KM + ".." + MAX_ALTITUDE_KM + " km (LEO), got: " + altitudeKm);
      }
      if (!(inclinationDeg >= 0.0 && inclinationDeg <= 180.0)) {
        throw new IllegalArgumentException("inclinationDeg must be in 0..180, got: " + inclinationDeg);
      }
      if (!(raanDeg >= 0.0 && raanDeg < 360.0)) {
        throw new IllegalArgumentException("raanDeg must be in [0, 360), got: " + raanDeg);
      }
      if (!(argumentOfLatitudeDeg >= 0.0 && argumentOfLatitudeDeg < 360.0)) {
        throw new IllegalArgumentException(
            "argumentOfLatitudeDeg must be in [0, 360), got: " + argumentOfLatitudeDeg);
      }
      if (epoch == null) {
        throw new IllegalArgumentException("epoch is required (an ISO-8601 UTC instant)");
      }
    }

    /** Keplerian period of this orbit, seconds (see {@link OrbitMath#periodSeconds(double)}). */
    public double periodSeconds() {
      return OrbitMath.periodSeconds(altitudeKm);
    }
  }

  /**
   * A NORAD two-line element set (SGP4/SDP4 mean elements, TEME frame).
   *
   * @param name the satellite name (the optional line 0 of a three-line set); may be null
   * @param line1 TLE line 1, 69 characters, valid checksum
   * @param line2 TLE line 2, 69 characters, valid checksum, same catalog number as line 1
   */
  record Tle(String name, String line1, String line2) implements OrbitSpec {
    public Tle {
      if (name != null) {
        name = name.strip();
        if (name.startsWith("0 ")) {
          name = name.substring(2).strip();
        }
        if (name.isEmpty()) {
          name = null;
        }
      }
      line1 = TleLines.requireValidLine("line1", line1, 1);
      line2 = TleLines.requireValidLine("line2", line2, 2);
      TleLines.requireSamePair(line1, line2);
    }

    /** NORAD catalog number (columns 3-7 of line 1; Alpha-5 letters allowed). */
    public int catalogNumber() {
      return TleLines.catalogNumber(line1);
    }

    /** Inclination, degrees (line 2, columns 9-16). */
    public double inclinationDeg() {
      return TleLines.inclinationDeg(line2);
    }

    /** Right ascension of the ascending node at the TLE epoch, degrees (line 2, columns 18-25). */
    public double raanDeg() {
      return TleLines.raanDeg(line2);
    }

    /** Mean motion, revolutions per day (line 2, columns 53-63). */
    public double meanMotionRevPerDay() {
      return TleLines.meanMotionRevPerDay(line2);
    }
  }
}
