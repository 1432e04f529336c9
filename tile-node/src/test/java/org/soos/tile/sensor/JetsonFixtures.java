package org.soos.tile.sensor;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The fixture sysfs trees under {@code src/test/resources/jetson}. */
public final class JetsonFixtures {
  private JetsonFixtures() {}

  public static final String AGX_ORIN_JP6 = "agx-orin-jp6";
  public static final String ORIN_NX_JP5 = "orin-nx-jp5";
  public static final String NANO_JP4_IIO = "nano-jp4-iio";
  public static final String ODD_ZONES = "odd-zones";

  /** The root of fixture {@code name}. */
  public static Path root(String name) {
    URL url = JetsonFixtures.class.getResource("/jetson/" + name);
    if (url == null) throw new IllegalStateException("no fixture tree " + name + " on the test classpath");
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
