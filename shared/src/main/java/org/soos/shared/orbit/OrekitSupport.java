package org.soos.shared.orbit;

import java.time.Instant;
import org.orekit.data.ClasspathCrawler;
import org.orekit.data.DataContext;
import org.orekit.data.LazyLoadedDataContext;
import org.orekit.time.AbsoluteDate;
import org.orekit.time.UTCScale;

/**
 * One-time setup of Orekit's default data context from the classpath.
 *
 * <p>Orekit needs only the UTC-TAI leap-second table ({@value #TAI_UTC_RESOURCE}, USNO {@code tai-utc.dat}
 * format) for what SOOS does with it: TLE/SGP4 propagation, circular orbits in GCRF, and eclipse detection
 * with the analytic Sun. Nothing is read from disk and no {@code orekit.data.path} is consulted. The
 * setup runs once, lazily, on the first call of any method here, and is safe to race from many threads.
 * Orekit's default context is replaced by this one, so code that calls Orekit directly sees the same data.
 */
public final class OrekitSupport {
  /** Classpath resource of the leap-second table. */
  public static final String TAI_UTC_RESOURCE = "orekit-data/tai-utc.dat";

  private static volatile LazyLoadedDataContext context;

  private OrekitSupport() {}

  /** The configured default data context (set up on first use). */
  public static DataContext context() {
    LazyLoadedDataContext c = context;
    if (c == null) {
      c = initialize();
    }
    return c;
  }

  /** Orekit's UTC scale, backed by the classpath leap-second table. */
  public static UTCScale utc() {
    return context().getTimeScales().getUTC();
  }

  /** The Orekit date of a UTC instant (nanosecond resolution kept). */
  public static AbsoluteDate toDate(Instant instant) {
    return new AbsoluteDate(instant, utc());
  }

  /** The UTC instant of an Orekit date. */
  public static Instant toInstant(AbsoluteDate date) {
    return date.toInstant(context().getTimeScales());
  }

  private static synchronized LazyLoadedDataContext initialize() {
    if (context != null) {
      return context;
    }
    ClassLoader loader = OrekitSupport.class.getClassLoader();
    if (loader.getResource(TAI_UTC_RESOURCE) == null) {
      throw new IllegalStateException("classpath resource " + TAI_UTC_RESOURCE + " is missing from the shared jar");
    }
    LazyLoadedDataContext c = new LazyLoadedDataContext();
    c.getDataProvidersManager().clearProviders();
    c.getDataProvidersManager().addProvider(new ClasspathCrawler(loader, TAI_UTC_RESOURCE));
    DataContext.setDefault(c);
    // Load the leap seconds now, so that a bad table fails here and not inside a propagation.
    c.getTimeScales().getUTC();
    context = c;
    return c;
  }
}
