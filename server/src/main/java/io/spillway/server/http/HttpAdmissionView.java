package io.spillway.server.http;

import io.spillway.server.metrics.AdmissionView;

/**
 * The HTTP port's work queue as the metrics see it. Created before the port is bound (the port's handlers need the
 * metrics), bound to it once it is; reads 0 until then. Thread-safe.
 */
public final class HttpAdmissionView implements AdmissionView {

  private volatile WorkQueue queue;

  /** Reads the figures of {@code server}'s queue from now on. */
  public void bind(HttpServer server) {
    this.queue = server.queue();
  }

  @Override
  public int queueDepth() {
    WorkQueue q = queue;
    return q == null ? 0 : q.depth();
  }

  @Override
  public int queueCapacity() {
    WorkQueue q = queue;
    return q == null ? 0 : q.capacity();
  }

  @Override
  public int inFlight() {
    WorkQueue q = queue;
    return q == null ? 0 : q.inFlight();
  }

  @Override
  public int limit() {
    WorkQueue q = queue;
    return q == null ? 0 : q.limit();
  }

  @Override
  public double drainRatePerSecond() {
    WorkQueue q = queue;
    return q == null ? 0 : q.drainRatePerSecond();
  }

  @Override
  public long shed(String reasonLabel) {
    WorkQueue q = queue;
    return q == null ? 0 : q.shed(reasonLabel);
  }
}
