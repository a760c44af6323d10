package io.spillway.server.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.Unit;
import io.spillway.core.time.NanoClock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP port's metrics: requests by route, connections, and the admission controller's figures. Thread-safe. */
final class HttpMetrics {

  /*
   * Design notes.
   *
   * Latency is exported twice. The classic-bucket histogram is the one to aggregate and alert on: buckets add up
   * across servers and histogram_quantile() works over any range. Its quantiles are only as good as the buckets,
   * though (a p99 between 0.25 and 0.5 s is interpolated), so a summary gives each route's p50/p90/p99/p99.9 over the
   * last minute from HdrHistogram (LatencyWindow), to within 1 %. HdrHistogram rather than the client library's
   * Summary because its recording is wait-free and allocation-free, its error is relative to the value (CKMS's is in
   * rank, which at p99.9 is as large as the tail being measured), and its window takes our injected clock, so the
   * sliding is tested by moving time. Summary quantiles do not aggregate across servers; use the histogram for that.
   * The summary's _count and _sum are the histogram's (cumulative, as a summary's must be).
   *
   * Hot path: observe() resolves the route once in a ConcurrentHashMap and then indexes arrays of cached data points
   * by status code and class, so a request costs no label-list allocation and no second map lookup. Routes are the
   * caller's templates; a cap (MAX_ROUTES) keeps a caller that passes raw paths from growing series without bound.
   */

  /** Histogram upper bounds, in seconds: 100 µs to 10 s in 1-2.5-5 steps. */
  static final double[] LATENCY_BUCKETS_SECONDS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };
  /** The quantiles of the windowed summary. */
  static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
  /** How far back the summary's quantiles look. */
  static final Duration QUANTILE_WINDOW = Duration.ofMinutes(1);
  /** The steps the quantile window moves in. */
  static final int QUANTILE_WINDOW_SLOTS = 6;
  /** Distinct route labels kept; requests on further routes are counted under {@link #OVERFLOW_ROUTE}. */
  static final int MAX_ROUTES = 64;
  /** The route label of requests beyond {@link #MAX_ROUTES}. */
  static final String OVERFLOW_ROUTE = "other";

  private static final Logger log = LoggerFactory.getLogger(HttpMetrics.class);
  private static final String[] STATUS_CLASSES = {null, "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final NanoClock clock;
  private final Histogram latency;
  private final Counter responses;
  private final ConcurrentHashMap<String, RouteSeries> routes = new ConcurrentHashMap<>();
  private final AtomicBoolean overflowLogged = new AtomicBoolean();
  private final LongAdder opened = new LongAdder();
  private final LongAdder closed = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  HttpMetrics(PrometheusRegistry registry, AdmissionView admission, NanoClock clock) {
    this.clock = clock;
    this.latency = Histogram.builder()
        .name("spillway_http_request_duration_seconds")
        .unit(Unit.SECONDS)
        .help(
            "Time from reading an admitted HTTP request to writing its response, queueing for admission included")
        .labelNames("route", "status_class")
        .classicOnly()
        .classicUpperBounds(LATENCY_BUCKETS_SECONDS)
        .withoutExemplars()
        .register(registry);
    SummaryWithCallback.builder()
        .name("spillway_http_request_duration_window_seconds")
        .unit(Unit.SECONDS)
        .help("Percentiles of admitted HTTP requests' duration over the last "
            + QUANTILE_WINDOW.toSeconds()
            + " s (HdrHistogram, within 1 %); NaN when the route had no request in that time")
        .labelNames("route", "status_class")
        .callback(this::collectQuantiles)
        .register(registry);
    this.responses = Counter.builder()
        .name("spillway_http_responses_total")
        .help("HTTP responses by route template and status code, shed requests included")
        .labelNames("route", "code")
        .withoutExemplars()
        .register(registry);
    GaugeWithCallback.builder()
        .name("spillway_http_connections_open")
        .help("HTTP connections open now")
        .callback(cb -> cb.call(opened.sum() - closed.sum()))
        .register(registry);
    CounterWithCallback.builder()
        .name("spillway_http_connections_total")
        .help("HTTP connections accepted")
        .callback(cb -> cb.call(opened.sum()))
        .register(registry);
    CounterWithCallback.builder()
        .name("spillway_http_connections_rejected_total")
        .help("HTTP connections refused (over the connection limit)")
        .callback(cb -> cb.call(rejected.sum()))
        .register(registry);
    registerAdmission(registry, admission);
  }

  private static void registerAdmission(PrometheusRegistry registry, AdmissionView a) {
    CounterWithCallback.builder()
        .name("spillway_http_shed_total")
        .help("HTTP requests refused by the admission controller, by reason")
        .labelNames("reason")
        .callback(cb -> {
          for (String reason : AdmissionView.SHED_REASONS) {
            cb.call(a.shed(reason), reason);
          }
        })
        .register(registry);
    gauge(
        registry,
        "spillway_http_queue_depth",
        "HTTP requests waiting for admission",
        a::queueDepth);
    gauge(
        registry,
        "spillway_http_queue_capacity",
        "The most HTTP requests that may wait for admission",
        a::queueCapacity);
    gauge(
        registry,
        "spillway_http_in_flight_requests",
        "Admitted HTTP requests not yet answered",
        a::inFlight);
    gauge(
        registry,
        "spillway_http_concurrency_limit",
        "The adaptive limit on HTTP requests in flight",
        a::limit);
    GaugeWithCallback.builder()
        .name("spillway_http_drain_rate_per_second")
        .help("HTTP requests leaving the admission queue per second, recently")
        .callback(cb -> cb.call(a.drainRatePerSecond()))
        .register(registry);
  }

  private static void gauge(
      PrometheusRegistry registry, String name, String help, IntSupplier figure) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(figure.getAsInt()))
        .register(registry);
  }

  void observe(String route, int status, long latencyNanos, boolean admitted) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be 100..599, was " + status);
    }
    RouteSeries s = series(route);
    s.response(status).inc();
    if (admitted) {
      int statusClass = status / 100;
      long nanos = Math.max(0, latencyNanos);
      s.latency(statusClass).observe(Unit.nanosToSeconds(nanos));
      s.window(statusClass).record(nanos);
    }
  }

  void connectionOpened() {
    opened.increment();
  }

  void connectionClosed() {
    closed.increment();
  }

  void connectionRejected() {
    rejected.increment();
  }

  private RouteSeries series(String route) {
    RouteSeries s = routes.get(route);
    if (s != null) {
      return s;
    }
    if (routes.size() >= MAX_ROUTES) {
      if (overflowLogged.compareAndSet(false, true)) {
        log.warn(
            "more than {} HTTP routes seen: requests on route '{}' and any further new route are counted as"
                + " route=\"{}\" (pass route templates, not raw paths)",
            MAX_ROUTES,
            route,
            OVERFLOW_ROUTE);
      }
      return routes.computeIfAbsent(OVERFLOW_ROUTE, RouteSeries::new);
    }
    return routes.computeIfAbsent(route, RouteSeries::new);
  }

  private void collectQuantiles(SummaryWithCallback.Callback cb) {
    double[] nanos = new double[QUANTILES.length];
    for (RouteSeries s : routes.values()) {
      for (int c = 1; c < STATUS_CLASSES.length; c++) {
        LatencyWindow w = s.windows.get(c);
        if (w == null) {
          continue;
        }
        w.percentiles(QUANTILES, nanos);
        Quantiles.Builder q = Quantiles.builder();
        for (int i = 0; i < QUANTILES.length; i++) {
          q.quantile(new Quantile(QUANTILES[i], nanos[i] / 1e9));
        }
        DistributionDataPoint d = s.latencies.get(c);
        cb.call(d.getCount(), d.getSum(), q.build(), s.route, STATUS_CLASSES[c]);
      }
    }
  }

  /** One route's data points, created on first use. */
  private final class RouteSeries {
    final String route;
    final AtomicReferenceArray<CounterDataPoint> byCode = new AtomicReferenceArray<>(600);
    final AtomicReferenceArray<DistributionDataPoint> latencies =
        new AtomicReferenceArray<>(STATUS_CLASSES.length);
    final AtomicReferenceArray<LatencyWindow> windows =
        new AtomicReferenceArray<>(STATUS_CLASSES.length);

    RouteSeries(String route) {
      this.route = route;
    }

    CounterDataPoint response(int status) {
      CounterDataPoint p = byCode.get(status);
      if (p == null) {
        p = responses.labelValues(route, Integer.toString(status));
        byCode.set(status, p);
      }
      return p;
    }

    DistributionDataPoint latency(int statusClass) {
      DistributionDataPoint d = latencies.get(statusClass);
      if (d == null) {
        d = latency.labelValues(route, STATUS_CLASSES[statusClass]);
        latencies.set(statusClass, d);
      }
      return d;
    }

    /** Call after {@link #latency} for the same class: the summary reads both once the window exists. */
    LatencyWindow window(int statusClass) {
      LatencyWindow w = windows.get(statusClass);
      if (w == null) {
        windows.compareAndSet(
            statusClass, null, new LatencyWindow(QUANTILE_WINDOW, QUANTILE_WINDOW_SLOTS, clock));
        w = windows.get(statusClass);
      }
      return w;
    }
  }
}
