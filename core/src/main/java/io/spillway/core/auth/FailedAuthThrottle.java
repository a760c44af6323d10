package io.spillway.core.auth;

import io.spillway.core.time.NanoClock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Slows password guessing per client address: the first {@link #FREE_FAILURES} failed attempts cost nothing; each
 * one after that closes the address for a penalty that doubles, from {@link #BASE_PENALTY} up to
 * {@link #MAX_PENALTY}. While an address is closed its attempts are refused without checking the password (and do
 * not count as failures). A success clears the address. At most {@code maxAddresses} addresses are remembered (the
 * least recently failing one is forgotten first), and an address that has not failed for {@link #FORGET_AFTER} is
 * forgotten, so the table is bounded whatever the number of attackers. Thread-safe: one lock, taken once per
 * authentication attempt, never per message.
 */
public final class FailedAuthThrottle {

  /*
   * Design note. An exponential penalty rather than a token bucket: an honest client that mistypes is not slowed at
   * all, a script is down to one guess per MAX_PENALTY within a dozen attempts, and nothing needs tuning per
   * deployment. It is per address, not per connection: reconnecting does not reset it. Enforcement (refuse with an
   * error now rather than hold the reply) keeps event loops free of timers per guess.
   */

  /** Failed attempts an address may make before any penalty. */
  public static final int FREE_FAILURES = 5;
  /** The first penalty; each further failure doubles it. */
  public static final Duration BASE_PENALTY = Duration.ofMillis(100);
  /** The longest penalty: at most one guess per this long from one address, once it is reached. */
  public static final Duration MAX_PENALTY = Duration.ofSeconds(10);
  /** An address without a failure for this long starts afresh. */
  public static final Duration FORGET_AFTER = Duration.ofMinutes(10);
  /** Addresses remembered by default. */
  public static final int DEFAULT_MAX_ADDRESSES = 10_000;

  private static final class Attempts {
    int failures;
    long lastFailureNanos;
    long closedUntilNanos;
  }

  private final NanoClock clock;
  private final int maxAddresses;
  private final LinkedHashMap<String, Attempts> byAddress;

  /** @throws IllegalArgumentException if {@code maxAddresses} is not positive */
  public FailedAuthThrottle(NanoClock clock, int maxAddresses) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxAddresses < 1) {
      throw new IllegalArgumentException(
          "max addresses " + maxAddresses + " is out of range [1, ...]");
    }
    this.maxAddresses = maxAddresses;
    this.byAddress = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Attempts> eldest) {
        return size() > FailedAuthThrottle.this.maxAddresses;
      }
    };
  }

  public FailedAuthThrottle(NanoClock clock) {
    this(clock, DEFAULT_MAX_ADDRESSES);
  }

  /**
   * How long {@code address} must wait before an attempt is checked: 0 when it may try now. Any thread.
   */
  public synchronized long waitNanos(String address) {
    Attempts r = current(address);
    return r == null ? 0 : Math.max(0, r.closedUntilNanos - clock.nanoTime());
  }

  /** Records a failed attempt from {@code address} (one that was checked). Any thread. */
  public synchronized void failed(String address) {
    long now = clock.nanoTime();
    Attempts r = current(address);
    if (r == null) {
      r = new Attempts();
      byAddress.put(address, r);
    }
    r.failures++;
    r.lastFailureNanos = now;
    int over = r.failures - FREE_FAILURES;
    if (over > 0) {
      long penalty = BASE_PENALTY.toNanos() << Math.min(over - 1, 20);
      r.closedUntilNanos = now + Math.min(penalty, MAX_PENALTY.toNanos());
    }
  }

  /** Records a successful attempt: {@code address} starts afresh. Any thread. */
  public synchronized void succeeded(String address) {
    byAddress.remove(address);
  }

  /** Addresses remembered now; for tests and metrics. */
  public synchronized int remembered() {
    return byAddress.size();
  }

  private Attempts current(String address) {
    Attempts r = byAddress.get(address);
    if (r != null && clock.nanoTime() - r.lastFailureNanos >= FORGET_AFTER.toNanos()) {
      byAddress.remove(address);
      return null;
    }
    return r;
  }
}
