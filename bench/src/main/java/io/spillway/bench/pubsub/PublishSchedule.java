package io.spillway.bench.pubsub;

/**
 * When an open-loop publisher intends to send each message: message k at {@code start + k * 1e9 / rate}. Pure
 * arithmetic on the run's nano clock; immutable.
 */
public final class PublishSchedule {

  private final long start;
  private final double nanosPerMessage;

  /** @param ratePerSecond this publisher's messages per second, positive */
  public PublishSchedule(long start, double ratePerSecond) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate " + ratePerSecond + " is not positive");
    }
    this.start = start;
    this.nanosPerMessage = 1e9 / ratePerSecond;
  }

  /** The intended send time of message {@code k} (0-based). */
  public long intendedNanos(long k) {
    return start + (long) (k * nanosPerMessage);
  }

  /** How many messages are due by {@code now}: those whose intended time is at or before it. */
  public long dueBy(long now) {
    if (now < start) {
      return 0;
    }
    long k = (long) ((now - start) / nanosPerMessage) + 1;
    // Correct the floating-point estimate by at most a step either way.
    while (k > 0 && intendedNanos(k - 1) > now) {
      k--;
    }
    while (intendedNanos(k) <= now) {
      k++;
    }
    return k;
  }
}
