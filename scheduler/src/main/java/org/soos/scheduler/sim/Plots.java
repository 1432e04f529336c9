package org.soos.scheduler.sim;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.soos.shared.tile.TileSpec;

/**
 * The run's plots as PNG files (JFreeChart, headless AWT): harvested versus used power of the whole
 * constellation over time, battery energy and hottest junction of the sample TILEs, and useful work per TILE
 * around the rings.
 */
public final class Plots {
  private static final int WIDTH = 800;
  private static final int HEIGHT = 380;
  private static final Color[] COLORS = {
    new Color(0xD6, 0x27, 0x28), new Color(0xFF, 0x7F, 0x0E), new Color(0x1F, 0x77, 0xB4),
    new Color(0x2C, 0xA0, 0x2C), new Color(0x94, 0x67, 0xBD), new Color(0x8C, 0x56, 0x4B)
  };

  private Plots() {}

  /**
   * Writes {@code power.png}, {@code tiles.png} and {@code ring.png} into {@code dir}.
   *
   * @param results per policy, in report order
   * @param samplesFrom the policy whose sample TILEs are drawn (e.g. soos)
   */
  public static List<Path> write(Path dir, Scenario scenario, List<PolicyResult> results, String samplesFrom) {
    System.setProperty("java.awt.headless", "true");
    List<Path> out = new ArrayList<>();
    out.add(save(dir.resolve("power.png"), power(scenario, results)));
    PolicyResult sampled = results.stream().filter(r -> r.policy().equals(samplesFrom)).findFirst()
        .orElse(results.stream().filter(r -> !r.samples().isEmpty()).findFirst().orElse(null));
    if (sampled != null && !sampled.samples().isEmpty()) {
      out.add(save(dir.resolve("tiles.png"), tiles(scenario, sampled)));
    }
    out.add(save(dir.resolve("ring.png"), ring(scenario, results)));
    return out;
  }

  private static JFreeChart power(Scenario scenario, List<PolicyResult> results) {
    XYSeriesCollection data = new XYSeriesCollection();
    PolicyResult first = results.get(0);
    XYSeries harvested = new XYSeries("harvested (" + first.policy() + ")");
    for (PolicyResult.SeriesPoint p : first.series()) harvested.add(p.hours(), p.harvestedWatts() / 1000.0);
    data.addSeries(harvested);
    for (PolicyResult r : results) {
      XYSeries used = new XYSeries("Orins: " + r.policy());
      for (PolicyResult.SeriesPoint p : r.series()) used.add(p.hours(), p.payloadWatts() / 1000.0);
      data.addSeries(used);
    }
    NumberAxis x = new NumberAxis("simulated hours");
    NumberAxis y = new NumberAxis("power, kW");
    XYPlot plot = new XYPlot(data, x, y, renderer(data.getSeriesCount(), true));
    return chart(scenario.name() + ": harvested vs used power (constellation)", plot);
  }

  private static JFreeChart tiles(Scenario scenario, PolicyResult r) {
    Map<String, XYSeries> battery = new LinkedHashMap<>();
    Map<String, XYSeries> junction = new LinkedHashMap<>();
    for (PolicyResult.TileSample s : r.samples()) {
      battery.computeIfAbsent(s.tileId(), k -> new XYSeries(k)).add(s.hours(), s.batteryEnergyWh());
      junction.computeIfAbsent(s.tileId(), k -> new XYSeries(k)).add(s.hours(), s.maxJunctionTempCelsius());
    }
    XYSeriesCollection b = new XYSeriesCollection();
    battery.values().forEach(b::addSeries);
    XYSeriesCollection j = new XYSeriesCollection();
    junction.values().forEach(j::addSeries);
    TileSpec tile = scenario.tile();
    NumberAxis batteryAxis = new NumberAxis("battery, Wh");
    batteryAxis.setRange(0.0, tile.battery().capacityWh() * 1.05);
    XYPlot top = new XYPlot(b, null, batteryAxis, renderer(b.getSeriesCount(), false));
    top.addRangeMarker(marker(tile.battery().reserveWh(), "reserve floor"));
    NumberAxis tempAxis = new NumberAxis("hottest junction, C");
    double low = Double.POSITIVE_INFINITY;
    double high = tile.thermal().shutdownTempCelsius();
    for (PolicyResult.TileSample s : r.samples()) {
      low = Math.min(low, s.maxJunctionTempCelsius());
      high = Math.max(high, s.maxJunctionTempCelsius());
    }
    tempAxis.setRange(Math.floor(low / 10.0) * 10.0 - 5.0, high + 5.0);
    XYLineAndShapeRenderer bottomRenderer = renderer(j.getSeriesCount(), false);
    bottomRenderer.setDefaultSeriesVisibleInLegend(false);
    XYPlot bottom = new XYPlot(j, null, tempAxis, bottomRenderer);
    bottom.addRangeMarker(marker(tile.thermal().throttleTempCelsius(), "throttle"));
    bottom.addRangeMarker(marker(tile.thermal().shutdownTempCelsius(), "shutdown"));
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("simulated hours"));
    plot.add(top, 1);
    plot.add(bottom, 1);
    return chart(scenario.name() + ": sample TILEs under " + r.policy(), plot);
  }

  private static JFreeChart ring(Scenario scenario, List<PolicyResult> results) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (PolicyResult r : results) {
      XYSeries s = new XYSeries(r.policy());
      double[] w = r.workPerTileGpuHours();
      for (int i = 0; i < w.length; i++) s.add(i, w[i]);
      data.addSeries(s);
    }
    NumberAxis x = new NumberAxis("TILE (plane by plane, in ring order)");
    NumberAxis y = new NumberAxis("useful work, GPU-h");
    XYPlot plot = new XYPlot(data, x, y, renderer(data.getSeriesCount(), false));
    return chart(scenario.name() + ": useful work per TILE around the rings", plot);
  }

  private static XYLineAndShapeRenderer renderer(int series, boolean firstThick) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < series; i++) {
      r.setSeriesPaint(i, firstThick && i == 0 ? Color.GRAY : COLORS[(firstThick ? i - 1 : i) % COLORS.length]);
      r.setSeriesStroke(i, new BasicStroke(firstThick && i == 0 ? 2.5f : 1.2f));
    }
    return r;
  }

  private static ValueMarker marker(double value, String label) {
    ValueMarker m = new ValueMarker(value, Color.DARK_GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
        BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
    m.setLabel(label);
    m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
    m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
    return m;
  }

  private static JFreeChart chart(String title, org.jfree.chart.plot.Plot plot) {
    JFreeChart c = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 14), plot, true);
    c.setBackgroundPaint(Color.WHITE);
    if (plot instanceof XYPlot p) {
      p.setBackgroundPaint(Color.WHITE);
      p.setDomainGridlinePaint(Color.LIGHT_GRAY);
      p.setRangeGridlinePaint(Color.LIGHT_GRAY);
    } else if (plot instanceof CombinedDomainXYPlot p) {
      for (Object sub : p.getSubplots()) {
        XYPlot s = (XYPlot) sub;
        s.setBackgroundPaint(Color.WHITE);
        s.setDomainGridlinePaint(Color.LIGHT_GRAY);
        s.setRangeGridlinePaint(Color.LIGHT_GRAY);
      }
    }
    return c;
  }

  private static Path save(Path file, JFreeChart chart) {
    try {
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
    return file;
  }
}
