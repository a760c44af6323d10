/**
 * What the server counts about itself and how it is exported: {@link io.spillway.server.metrics.ServerStats} (the
 * counters INFO reads), {@link io.spillway.server.metrics.SpillwayMetrics} (every metric in Prometheus's text
 * format, for {@code GET /metrics}) and {@link io.spillway.server.metrics.AdmissionView} (what the metrics read from
 * the HTTP port's admission controller).
 */
package io.spillway.server.metrics;
