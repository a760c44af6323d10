package io.spillway.core.admission;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;

/**
 * The concurrency limit: a number computed by one of Netflix's {@link Limit} algorithms from run-time samples, or
 * the number of workers when the algorithm is {@link LimitAlgorithm#NONE}. It only computes; the controller
 * enforces. Thread-safe (the Netflix limits synchronise their updates).
 */
final class AdaptiveLimit {

  /*
   * Design: the Netflix algorithms are used as pure functions of (start, rtt, in-flight, dropped) samples; none of
   * their Limiter classes is used, so their clock (System.nanoTime inside the limiters) never enters: the samples
   * come from the controller's injected clock. Each algorithm starts at the ceiling, so a fresh server is not
   * throttled before it has measured anything, and works its way down when run times rise. The result is clamped to
   * [minLimit, maxLimit] here as well, because Vegas has no floor of its own. Vegas rejects a zero run time, which a
   * manual clock can produce, so run times are at least 1 ns.
   *
   * Gradient2 computes limit * gradient + queueSize with the gradient never below 0.5, so under any load the limit
   * cannot fall below twice the queue size: with the library's flat 4 and the default 2 x CPUs workers (often 4 to
   * 16) it would never move. log10(limit), at least 1, lets it fall to 2 while still growing by a fraction of a job
   * per sample when run times are flat.
   */

  /** Gradient2's allowance for queueing: log10 of the limit, at least 1 (the library's default is a flat 4). */
  static final IntUnaryOperator GRADIENT2_QUEUE_SIZE =
      limit -> Math.max(1, (int) Math.log10(limit));

  private final Limit limit;
  private final int min;
  private final int max;
  private final int workers;

  AdaptiveLimit(AdmissionSettings settings) {
    this.min = settings.minLimit();
    this.max = settings.maxLimit();
    this.workers = settings.workers();
    this.limit = create(settings);
  }

  private static Limit create(AdmissionSettings s) {
    switch (s.limitAlgorithm()) {
      case GRADIENT2:
        return Gradient2Limit.newBuilder()
            .initialLimit(s.maxLimit())
            .minLimit(s.minLimit())
            .maxConcurrency(s.maxLimit())
            .queueSizeFunction(GRADIENT2_QUEUE_SIZE)
            .build();
      case VEGAS:
        return VegasLimit.newBuilder()
            .initialLimit(s.maxLimit())
            .maxConcurrency(s.maxLimit())
            .build();
      case AIMD:
        return AIMDLimit.newBuilder()
            .initialLimit(s.maxLimit())
            .minLimit(s.minLimit())
            .maxLimit(s.maxLimit())
            .timeout(s.aimdTimeout().toNanos(), TimeUnit.NANOSECONDS)
            .build();
      default:
        return null;
    }
  }

  /** True when the limit moves with run times; false when it is the number of workers. */
  boolean adaptive() {
    return limit != null;
  }

  /** The current limit, within [min, max]; for {@link LimitAlgorithm#NONE} the number of workers. */
  int current() {
    if (limit == null) {
      return workers;
    }
    return Math.max(min, Math.min(max, limit.getLimit()));
  }

  /**
   * Feeds one finished job.
   *
   * @param startNanos when it started running
   * @param runNanos how long it ran
   * @param inFlightAtStart jobs running when it started, itself included
   * @param dropped true if it timed out or was cancelled
   */
  void onSample(long startNanos, long runNanos, int inFlightAtStart, boolean dropped) {
    if (limit != null) {
      limit.onSample(startNanos, Math.max(1, runNanos), inFlightAtStart, dropped);
    }
  }
}
