package io.spillway.server.http;

import java.util.concurrent.TimeUnit;

/**
 * Where API requests wait for a worker. Two implementations: {@link AdmissionWorkQueue} (the admission controller:
 * bounded, deadlines, CoDel, priorities, adaptive limit) and {@link UnboundedWorkQueue} (admission off: the naive
 * baseline, kept for comparison runs).
 */
interface WorkQueue {

  /** Queues {@code exchange}, or answers it at once if it is shed. Event-loop thread. */
  void submit(Exchange exchange);

  /** Counts a request refused by the rate limiter (before it reached the queue) among the sheds. Any thread. */
  void rateLimited();

  /** The next request to run, or null after {@code timeout}. Worker threads. */
  Job take(long timeout, TimeUnit unit) throws InterruptedException;

  /** Adds this queue's figures (depth, in flight, sheds by reason...) to {@code into}, for {@code /v1/stats}. */
  void describe(java.util.Map<String, Object> into);

  /** Requests waiting now. Any thread. */
  int depth();

  /** The most that may wait ({@link Integer#MAX_VALUE}: unbounded). */
  int capacity();

  /** Requests running now. */
  int inFlight();

  /** Requests allowed to run at once now. */
  int limit();

  /** Requests completed per second, recently. */
  double drainRatePerSecond();

  /** Requests shed so far for a reason label ({@code queue_full}, {@code codel}...). */
  long shed(String reasonLabel);

  /** A request handed to a worker; the worker reports exactly one outcome. */
  interface Job {
    Exchange exchange();

    /** Ran to completion. */
    void success();

    /** Gave up: its deadline passed while it ran, or it failed. */
    void dropped();

    /** Not run at all: its client had gone. No sample for the adaptive limit. */
    void ignore();
  }
}
