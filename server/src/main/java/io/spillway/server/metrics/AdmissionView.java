package io.spillway.server.metrics;

import java.util.List;

/**
 * What the metrics read from the HTTP port's admission controller. Every method is called on the scraping thread,
 * at most a few times a second, and must be thread-safe and cheap; the figures may be a moment stale.
 */
public interface AdmissionView {

  /**
   * The reasons a request can be shed, as metric labels. Each is always exported, at 0 until it first happens, so
   * that a rate over it exists before the first shed.
   */
  List<String> SHED_REASONS =
      List.of("queue_full", "deadline", "rate_limited", "priority", "concurrency_limit", "codel");

  /** Requests waiting for admission now. */
  int queueDepth();

  /** The most requests that may wait; a request arriving at a full queue is shed as {@code queue_full}. */
  int queueCapacity();

  /** Admitted requests not yet answered. */
  int inFlight();

  /** The concurrency limit in force now (adaptive: it moves with measured latency). */
  int limit();

  /** Requests leaving the queue per second, recently; 0 when idle. */
  double drainRatePerSecond();

  /** Requests shed so far for {@code reasonLabel}, one of {@link #SHED_REASONS}; a counter that never goes down. */
  long shed(String reasonLabel);
}
