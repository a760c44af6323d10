package io.spillway.server.http;

import io.spillway.server.metrics.SpillwayMetrics;

/** Reports the HTTP port's requests and connections to the server's Prometheus metrics. Thread-safe. */
public final class MetricsObserver implements HttpObserver {

  private final SpillwayMetrics metrics;

  public MetricsObserver(SpillwayMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void requestCompleted(String route, int status, long latencyNanos, boolean admitted) {
    metrics.observeRequest(route, status, latencyNanos, admitted);
  }

  @Override
  public void connectionOpened() {
    metrics.httpConnectionOpened();
  }

  @Override
  public void connectionClosed() {
    metrics.httpConnectionClosed();
  }

  @Override
  public void connectionRejected() {
    metrics.httpConnectionRejected();
  }
}
