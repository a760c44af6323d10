package io.spillway.bench.http;

/**
 * When an open-loop client intends to send each request: request k at {@code start + k * 1e9 / rate}. Pure
 * arithmetic on the run's nano clock; immutable.
 */
final class OpenLoopSchedule {

  private final long start;
  private final double nanosPerRequest;

  /**
   * @param start the intended time of request 0
   * @param ratePerSecond requests per second, positive
   * @throws IllegalArgumentException if the rate is not positive
   */
  OpenLoopSchedule(long start, double ratePerSecond) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate " + ratePerSecond + " is not positive");
    }
    this.start = start;
    this.nanosPerRequest = 1e9 / ratePerSecond;
  }

  /** The intended send time of request {@code k} (0-based). */
  long intendedNanos(long k) {
    return start + (long) (k * nanosPerRequest);
  }

  /** How many requests are due by {@code now}: those whose intended time is at or before it. */
  long dueBy(long now) {
    if (now - start < 0) {
      return 0;
    }
    long k = (long) ((now - start) / nanosPerRequest) + 1;
    // Correct the floating-point estimate by at most a step either way.
    while (k > 0 && intendedNanos(k - 1) - now > 0) {
      k--;
    }
    while (intendedNanos(k) - now <= 0) {
      k++;
    }
    return k;
  }
}
