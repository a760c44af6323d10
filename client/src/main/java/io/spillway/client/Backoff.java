package io.spillway.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The wait before a retry: exponential backoff with full jitter ("Exponential Backoff and Jitter", AWS Architecture
 * Blog, 2015), never shorter than the server's {@code Retry-After}. Immutable and thread-safe if the random source
 * is.
 *
 * @param base the cap of the first retry's wait; positive
 * @param max the largest cap; at least the base
 */
public record Backoff(Duration base, Duration max) {

  /** 50 ms, doubling up to 1 s. */
  public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));

  public Backoff {
    if (base.isNegative() || base.isZero()) {
      throw new IllegalArgumentException("backoff base " + base + " must be positive");
    }
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException(
          "backoff max " + max + " is out of range [base " + base + ", ...)");
    }
  }

  /**
   * The wait before retry number {@code retry} (1 for the first): uniform in [0, min(max, base × 2^(retry-1))),
   * then at least {@code retryAfterNanos}.
   *
   * @param uniform a number in [0, 1)
   * @param retryAfterNanos the server's Retry-After, 0 if none
   */
  public long delayNanos(int retry, double uniform, long retryAfterNanos) {
    long cap = max.toNanos();
    int shift = Math.max(0, retry - 1);
    if (shift < 62 && base.toNanos() <= (cap >> shift)) {
      cap = base.toNanos() << shift;
    }
    long jittered = (long) (uniform * cap);
    return Math.max(jittered, retryAfterNanos);
  }

  /** Full jitter from {@code random}. */
  long delayNanos(int retry, DoubleSupplier random, long retryAfterNanos) {
    return delayNanos(retry, random.getAsDouble(), retryAfterNanos);
  }
}
