package io.spillway.server.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.spillway.core.time.NanoClock;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The server's Prometheus metrics, one instance per server, in a registry of its own (never the client library's
 * static default, so that two servers in one JVM, as in tests, do not mix). The README's "Metrics" section lists
 * every metric and how to read it.
 *
 * <p>Thread-safe. The recording methods ({@link #observeRequest}, {@code httpConnection*}) may be called from any
 * thread, cost a few atomic operations and allocate nothing once a route has been seen. {@link #scrape()} walks every
 * connected client once; concurrent scrapes are serialised.
 */
public final class SpillwayMetrics {

  /*
   * Design notes.
   *
   * Almost everything is a callback metric over figures the server keeps anyway (ServerStats, IoLoop counters, Broker
   * map sizes, the admission controller), read only when scraped: the per-message path gains no work. The values
   * that need a walk over all clients (queued bytes, clients by protocol) come from one ClientCensus pass made at
   * the start of each scrape, instead of one walk per metric.
   *
   * The only state recorded here is the HTTP layer's (requests, connections), which has no other home; see
   * HttpMetrics for the latency histogram and the windowed percentiles.
   */

  /** The content type of {@link #scrape()}'s output: Prometheus text format 0.0.4. */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final ClientCensus census;
  private final HttpMetrics http;

  /**
   * Registers every metric over the server's own state, read at each scrape.
   *
   * @param admission the HTTP port's admission controller, or {@code null} when the HTTP port is off: then no
   *     {@code spillway_http_*} metric is exported and the HTTP recording methods do nothing
   */
  public SpillwayMetrics(
      ServerStats stats,
      ClientRegistry clients,
      Broker broker,
      IoLoop[] loops,
      AdmissionView admission) {
    this(stats, clients, broker, loops, admission, NanoClock.SYSTEM);
  }

  /** As the other constructor, with the clock the windowed latency percentiles read. */
  public SpillwayMetrics(
      ServerStats stats,
      ClientRegistry clients,
      Broker broker,
      IoLoop[] loops,
      AdmissionView admission,
      NanoClock clock) {
    this.census = new ClientCensus(clients);
    RespMetrics.register(registry, stats, clients, broker, loops, census);
    ProcessMetrics.register(registry, stats.startedAtMillis());
    this.http = admission == null ? null : new HttpMetrics(registry, admission, clock);
  }

  /**
   * Records one HTTP response. Any thread.
   *
   * @param route the route's template ({@code "/v1/publish/{channel}"}), never the raw path: each distinct value
   *     is a series; beyond 64 routes, new ones are counted as {@code route="other"}
   * @param status the response's status code, 100..599
   * @param latencyNanos from reading the request to writing the response, queueing for admission included
   * @param admitted whether the request passed admission; shed requests count in the responses but not in the
   *     latency (their latency is that of refusing, which says nothing about serving)
   * @throws IllegalArgumentException if {@code status} is outside 100..599
   */
  public void observeRequest(String route, int status, long latencyNanos, boolean admitted) {
    if (http != null) {
      http.observe(route, status, latencyNanos, admitted);
    }
  }

  /** An HTTP connection was accepted. Any thread. */
  public void httpConnectionOpened() {
    if (http != null) {
      http.connectionOpened();
    }
  }

  /** An HTTP connection counted by {@link #httpConnectionOpened()} has closed. Any thread. */
  public void httpConnectionClosed() {
    if (http != null) {
      http.connectionClosed();
    }
  }

  /** An HTTP connection was refused (and not counted as opened). Any thread. */
  public void httpConnectionRejected() {
    if (http != null) {
      http.connectionRejected();
    }
  }

  /** Adds the {@code spillway_backplane_*} metrics, read from {@code status} at each scrape. Once, at start. */
  public void backplane(
      java.util.function.Supplier<io.spillway.server.backplane.BackplaneStatus> status) {
    BackplaneMetrics.register(registry, status);
  }

  /** Every metric in the Prometheus text format 0.0.4 ({@link #CONTENT_TYPE}), UTF-8. Any thread. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      scrape(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
    return out.toByteArray();
  }

  /** Writes every metric to {@code out} as {@link #scrape()} returns them; does not close {@code out}. */
  public void scrape(OutputStream out) throws IOException {
    writer.write(out, snapshot());
  }

  /** The current values, as the client library's model. */
  synchronized MetricSnapshots snapshot() {
    census.refresh();
    return registry.scrape();
  }
}
