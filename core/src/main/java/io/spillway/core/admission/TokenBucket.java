package io.spillway.core.admission;

import io.spillway.core.time.NanoClock;
import java.util.Objects;

/**
 * A token bucket: holds up to {@code burst} tokens, refills continuously at {@code ratePerSecond} (fractions of a
 * token included), and each request takes one. Starts full. Thread-safe (synchronized); time from the injected
 * clock.
 */
public final class TokenBucket {

  private static final double NANOS_PER_SECOND = 1e9;

  private final double ratePerNano;
  private final double ratePerSecond;
  private final int burst;
  private final NanoClock clock;
  private double tokens;
  private long lastRefillNanos;

  /**
   * @param ratePerSecond tokens added per second; positive and finite
   * @param burst the most tokens held; at least 1
   * @throws IllegalArgumentException naming the bad value
   */
  public TokenBucket(double ratePerSecond, int burst, NanoClock clock) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException(
          "token bucket rate " + ratePerSecond + "/s must be positive and finite");
    }
    if (burst < 1) {
      throw new IllegalArgumentException(
          "token bucket burst " + burst + " is out of range [1, " + Integer.MAX_VALUE + "]");
    }
    this.ratePerSecond = ratePerSecond;
    this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tokens = burst;
    this.lastRefillNanos = clock.nanoTime();
  }

  /** Takes a token if one is available, and says how the bucket stands afterwards. */
  public synchronized RateDecision tryAcquire() {
    refill();
    boolean allowed = tokens >= 1;
    if (allowed) {
      tokens -= 1;
    }
    long resetSeconds = ceilSeconds((burst - tokens) / ratePerSecond);
    long retryAfter = allowed ? 0 : Math.max(1, ceilSeconds((1 - tokens) / ratePerSecond));
    return new RateDecision(allowed, burst, (long) Math.floor(tokens), resetSeconds, retryAfter);
  }

  /** Tokens held now, with the fraction. */
  public synchronized double tokens() {
    refill();
    return tokens;
  }

  /** True if the bucket is full, i.e. indistinguishable from a new one. */
  public synchronized boolean full() {
    refill();
    return tokens >= burst;
  }

  public int burst() {
    return burst;
  }

  public double ratePerSecond() {
    return ratePerSecond;
  }

  private void refill() {
    long now = clock.nanoTime();
    long elapsed = now - lastRefillNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      lastRefillNanos = now;
    }
  }

  private static long ceilSeconds(double seconds) {
    return seconds <= 0 ? 0 : (long) Math.ceil(seconds - 1e-9);
  }
}
