package org.soos.scheduler.http;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.soos.scheduler.coordinator.TileView;
import org.soos.scheduler.index.JobTable;
import org.soos.shared.telemetry.TileReport;

/**
 * The metrics of {@code GET /metrics}, in the Prometheus text format (0.0.4), on the Prometheus Java
 * client's own registry (one per server, not the global default).
 *
 * <table>
 *   <caption>Metrics</caption>
 *   <tr><th>name</th><th>type</th><th>labels</th><th>meaning</th></tr>
 *   <tr><td>soos_jobs</td><td>gauge</td><td>state</td><td>jobs per lifecycle state (job index)</td></tr>
 *   <tr><td>soos_job_placements_total</td><td>counter</td><td></td><td>placements recorded in the journal</td></tr>
 *   <tr><td>soos_job_migrations_total</td><td>counter</td><td>reason</td><td>migrations started, by reason code</td></tr>
 *   <tr><td>soos_job_lost_work_gpu_seconds_total</td><td>counter</td><td></td><td>work lost to requeues, GPU-s</td></tr>
 *   <tr><td>soos_job_index_journal_offset</td><td>gauge</td><td></td><td>journal ordering the index has read up to</td></tr>
 *   <tr><td>soos_tile_solar_input_watts</td><td>gauge</td><td>tile, plane</td><td>solar array output, W</td></tr>
 *   <tr><td>soos_tile_battery_energy_wh</td><td>gauge</td><td>tile, plane</td><td>battery energy, Wh</td></tr>
 *   <tr><td>soos_tile_battery_state_of_charge_percent</td><td>gauge</td><td>tile, plane</td><td>battery state of charge, %</td></tr>
 *   <tr><td>soos_tile_plate_temperature_celsius</td><td>gauge</td><td>tile, plane</td><td>radiator plate, degrees C</td></tr>
 *   <tr><td>soos_tile_max_junction_temperature_celsius</td><td>gauge</td><td>tile, plane</td><td>hottest Orin junction, degrees C</td></tr>
 *   <tr><td>soos_tile_compute_budget_watts</td><td>gauge</td><td>tile, plane</td><td>power available to the Orins, W</td></tr>
 *   <tr><td>soos_tile_load_watts</td><td>gauge</td><td>tile, plane</td><td>total TILE load, W</td></tr>
 *   <tr><td>soos_tile_stale</td><td>gauge</td><td>tile, plane</td><td>1 when the TILE's reports stopped</td></tr>
 *   <tr><td>soos_http_requests_total</td><td>counter</td><td>method, route, status</td><td>API requests answered</td></tr>
 *   <tr><td>soos_http_request_duration_seconds</td><td>histogram</td><td>method, route</td><td>time to the response head</td></tr>
 * </table>
 *
 * <p>Job figures come from the job index (totals over the whole journal, so they survive restarts);
 * TILE gauges from the plane coordinators' live views at scrape time; HTTP figures from this process.
 */
public final class ApiMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Histogram requestSeconds;

  public ApiMetrics(JobTable jobs) {
    GaugeWithCallback.builder()
        .name("soos_jobs").help("Jobs per lifecycle state, from this node's job index").labelNames("state")
        .callback(cb -> jobs.countsByState().forEach((state, n) -> cb.call(n, state.name())))
        .register(registry);
    CounterWithCallback.builder()
        .name("soos_job_placements").help("Placements recorded in the journal (first placements and migration targets)")
        .callback(cb -> cb.call(jobs.placementsTotal()))
        .register(registry);
    CounterWithCallback.builder()
        .name("soos_job_migrations").help("Migrations started, by reason code").labelNames("reason")
        .callback(cb -> jobs.migrationsByReason().forEach((reason, n) -> cb.call(n, reason)))
        .register(registry);
    CounterWithCallback.builder()
        .name("soos_job_lost_work_gpu_seconds").help("Work lost to requeues (done after the last checkpoint), GPU-seconds")
        .callback(cb -> cb.call(jobs.lostGpuSecondsTotal()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("soos_job_index_journal_offset").help("Journal ordering this node's job index has read up to")
        .callback(cb -> cb.call(jobs.lastOffset()))
        .register(registry);
    requests = Counter.builder()
        .name("soos_http_requests").help("HTTP requests answered by the API").labelNames("method", "route", "status")
        .register(registry);
    requestSeconds = Histogram.builder()
        .name("soos_http_request_duration_seconds").unit(Unit.SECONDS)
        .help("Time from request to response head (streams: to the start of the stream)")
        .labelNames("method", "route").classicOnly()
        .register(registry);
  }

  /** {@code text/plain; version=0.0.4; charset=utf-8}. */
  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /** Counts every response of {@code inner} (including errors) by method, route template and status. */
  public Route instrument(Supplier<Route> inner) {
    return Directives.extractRequest(request -> {
      long start = System.nanoTime();
      String method = request.method().value();
      String route = routeOf(request);
      return Directives.mapResponse(response -> {
        requests.labelValues(method, route, Integer.toString(response.status().intValue())).inc();
        requestSeconds.labelValues(method, route).observe((System.nanoTime() - start) / 1e9);
        return response;
      }, inner);
    });
  }

  /**
   * The route template of a request path (bounded label values: ids never become labels).
   */
  static String routeOf(HttpRequest request) {
    String path = request.getUri().path();
    String[] s = path.startsWith("/") ? path.substring(1).split("/", -1) : path.split("/", -1);
    if (s.length == 1) {
      switch (s[0]) {
        case "health", "ready", "metrics":
          return "/" + s[0];
        default:
          return "unmatched";
      }
    }
    if (s.length == 2 && s[0].equals("v1")) {
      switch (s[1]) {
        case "jobs", "tiles", "planes", "events", "openapi.yaml":
          return "/v1/" + s[1];
        default:
          return "unmatched";
      }
    }
    if (s.length == 3 && s[0].equals("v1") && (s[1].equals("jobs") || s[1].equals("tiles")) && !s[2].isEmpty()) {
      return "/v1/" + s[1] + "/{id}";
    }
    return "unmatched";
  }

  /** The exposition: this registry plus per-TILE gauges of {@code tiles} (a coordinator snapshot). */
  public byte[] scrape(List<TileView> tiles) {
    List<MetricSnapshot> all = new ArrayList<>();
    registry.scrape().forEach(all::add);
    List<TileView> sorted = tiles.stream().sorted(Comparator.comparing(TileView::tileId)).toList();
    all.add(tileGauge("soos_tile_solar_input_watts", "Solar array output of the TILE, W", sorted, TileReport::solarInputWatts));
    all.add(tileGauge("soos_tile_battery_energy_wh", "Energy in the TILE's battery, Wh", sorted, TileReport::batteryEnergyWh));
    all.add(tileGauge("soos_tile_battery_state_of_charge_percent", "Battery state of charge, %", sorted,
        TileReport::batteryStateOfChargePercent));
    all.add(tileGauge("soos_tile_plate_temperature_celsius", "Radiator plate temperature, degrees C", sorted,
        TileReport::plateTempCelsius));
    all.add(tileGauge("soos_tile_max_junction_temperature_celsius", "Hottest Orin junction of the TILE, degrees C",
        sorted, TileReport::maxJunctionTempCelsius));
    all.add(tileGauge("soos_tile_compute_budget_watts", "Power the TILE can give its Orins now, W", sorted,
        TileReport::computeBudgetWatts));
    all.add(tileGauge("soos_tile_load_watts", "Total load of the TILE, W", sorted, TileReport::loadWatts));
    GaugeSnapshot.Builder stale = GaugeSnapshot.builder().name("soos_tile_stale")
        .help("1 when the TILE has stopped reporting, else 0");
    for (TileView t : sorted) {
      stale.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels(t)).value(t.stale() ? 1 : 0).build());
    }
    all.add(stale.build());
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, new MetricSnapshots(all));
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  private static GaugeSnapshot tileGauge(String name, String help, List<TileView> tiles,
      ToDoubleFunction<TileReport> value) {
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
    for (TileView t : tiles) {
      b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
          .labels(labels(t)).value(value.applyAsDouble(t.report())).build());
    }
    return b.build();
  }

  private static Labels labels(TileView t) {
    return Labels.of("tile", t.report().tileId().value(), "plane", t.report().planeId().value());
  }
}
