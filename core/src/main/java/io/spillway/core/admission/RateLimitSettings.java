package io.spillway.core.admission;

import java.util.Objects;

/**
 * Per-client rate limits: one token bucket per key (an auth token or a remote address), each refilling at
 * {@code ratePerSecond} up to {@code burst}, and at most {@code maxKeys} buckets kept. Immutable; build with
 * {@link #builder()} or start from {@link #DEFAULT}, which is off.
 */
public final class RateLimitSettings {

  /** Requests per second per key; 0 turns rate limiting off (the default). */
  public static final double DEFAULT_RATE_PER_SECOND = 0;
  /** The burst; 0 means one second's worth of the rate, rounded up. */
  public static final int DEFAULT_BURST = 0;
  /** Buckets kept at most: 10 000; beyond that the idlest is forgotten. */
  public static final int DEFAULT_MAX_KEYS = 10_000;

  /** Off. */
  public static final RateLimitSettings DEFAULT = builder().build();

  static final double MAX_RATE_PER_SECOND = 1e9;
  static final int MAX_KEYS = 10_000_000;

  private final double ratePerSecond;
  private final int burst;
  private final int maxKeys;

  private RateLimitSettings(double ratePerSecond, int burst, int maxKeys) {
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.maxKeys = maxKeys;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this object's values, to change some of them. */
  public Builder toBuilder() {
    return new Builder().ratePerSecond(ratePerSecond).burst(burst).maxKeys(maxKeys);
  }

  /** True when the rate is above 0. */
  public boolean enabled() {
    return ratePerSecond > 0;
  }

  public double ratePerSecond() {
    return ratePerSecond;
  }

  /** The burst, resolved: one second's worth of the rate, rounded up, unless set; 0 when off. */
  public int burst() {
    return burst;
  }

  public int maxKeys() {
    return maxKeys;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RateLimitSettings other)) {
      return false;
    }
    return Double.compare(ratePerSecond, other.ratePerSecond) == 0
        && burst == other.burst
        && maxKeys == other.maxKeys;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ratePerSecond, burst, maxKeys);
  }

  @Override
  public String toString() {
    return enabled()
        ? "rate=" + ratePerSecond + "/s burst=" + burst + " max-keys=" + maxKeys
        : "off";
  }

  /** Builds {@link RateLimitSettings}; {@link #build()} rejects bad values with a message naming them. */
  public static final class Builder {
    private double ratePerSecond = DEFAULT_RATE_PER_SECOND;
    private int burst = DEFAULT_BURST;
    private int maxKeys = DEFAULT_MAX_KEYS;

    private Builder() {}

    /** Tokens per second per key; 0 (off) to 1e9; fractions allowed (0.5 is one request every 2 s). */
    public Builder ratePerSecond(double ratePerSecond) {
      this.ratePerSecond = ratePerSecond;
      return this;
    }

    /** The most requests a key may make at once; 0 (one second's worth) to 1e9. */
    public Builder burst(int burst) {
      this.burst = burst;
      return this;
    }

    /** Buckets kept at most; 1 to 10 000 000. */
    public Builder maxKeys(int maxKeys) {
      this.maxKeys = maxKeys;
      return this;
    }

    /**
     * Returns the settings.
     *
     * @throws IllegalArgumentException naming the setting, its value and the allowed range
     */
    public RateLimitSettings build() {
      if (!(ratePerSecond >= 0 && ratePerSecond <= MAX_RATE_PER_SECOND)) {
        throw new IllegalArgumentException("rate limit " + ratePerSecond
            + "/s is out of range [0 (off), " + (long) MAX_RATE_PER_SECOND + "]");
      }
      if (burst < 0 || burst > MAX_RATE_PER_SECOND) {
        throw new IllegalArgumentException("rate limit burst " + burst
            + " is out of range [0 (one second's worth), " + (long) MAX_RATE_PER_SECOND + "]");
      }
      if (maxKeys < 1 || maxKeys > MAX_KEYS) {
        throw new IllegalArgumentException(
            "rate limit max keys " + maxKeys + " is out of range [1, " + MAX_KEYS + "]");
      }
      int resolvedBurst =
          ratePerSecond == 0 ? 0 : burst > 0 ? burst : (int) Math.max(1, Math.ceil(ratePerSecond));
      return new RateLimitSettings(ratePerSecond, resolvedBurst, maxKeys);
    }
  }
}
