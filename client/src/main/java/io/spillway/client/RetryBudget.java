package io.spillway.client;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How many retries a client may make, in the shape of Finagle's {@code RetryBudget}: every call deposits, every retry
 * withdraws, and a retry is allowed only while the balance covers it. Over any {@link #ttl()} the retries are at
 * most {@link #percentCanRetry()} of the calls plus {@link #minRetriesPerSecond()} × ttl; deposits and withdrawals
 * both expire after the ttl, so an idle spell neither hoards nor owes retries. Thread-safe; one budget may be shared
 * by several clients to bound their retries together.
 *
 * <p>The defaults ({@link #DEFAULT_PERCENT_CAN_RETRY}, {@link #DEFAULT_MIN_RETRIES_PER_SECOND}, {@link #DEFAULT_TTL}:
 * 10 %, 2 retries/s, 10 s) keep Finagle's shape with a smaller ratio and reserve, so that the whole budget, reserve
 * included, holds a client to 1.2 requests per call. The arithmetic: over any ttl a client making R calls a second
 * sends at most R·ttl first attempts plus percent·R·ttl + min·ttl retries, so the load it adds is at most
 * <b>1 + percent + min / R</b> times what it asks for:
 * <ul>
 *   <li><b>10 % of calls</b>: with Finagle's 20 % the percentage alone uses up the 1.2 and the reserve goes on top
 *       (20 % + 10/s measured 1.22 at 400 calls/s, and allows up to 1.37 over a 3 s run at 200 calls/s, where the
 *       reserve's 100 retries are not yet amortised). A tenth is gRPC's usual retry-throttling token ratio, and still enough for
 *       what retries are for: a transient failure of a few percent of calls. Without a budget, N attempts per call
 *       multiply the offered load by up to N exactly when the server is shedding (three retries turn 2× overload
 *       into 8×).
 *   <li><b>2 retries/s minimum</b> (20 held in reserve over 10 s): a client making a few calls a second would
 *       otherwise earn no retry at all (10 % of 2 calls is 0.2), so one lost packet would surface as an error. Two a
 *       second keeps min / R ≤ 0.1, so the total ≤ 1.2, from 20 calls a second up; below that the client's load is
 *       negligible. Over a run shorter than the ttl the reserve weighs more: 1 + 0.1 + 20 / calls, 1.13 for 600
 *       calls.
 *   <li><b>10 s</b> (Finagle's): long enough to average over bursts of calls, short enough that a budget spent in
 *       an outage refills soon after it ends.
 * </ul>
 * Envoy's retry budget (20 %, minimum 3 concurrent) and the AWS SDKs' retry quota (500 tokens) make the same
 * bargain in other shapes.
 */
public final class RetryBudget {

  /** Retries as a fraction of calls: 10 %. */
  public static final double DEFAULT_PERCENT_CAN_RETRY = 0.1;
  /** Retries allowed whatever the calls: 2 a second (20 held in reserve over the 10 s ttl). */
  public static final int DEFAULT_MIN_RETRIES_PER_SECOND = 2;
  /** How long a call or retry counts: 10 s. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  /*
   * Design: Finagle's TokenRetryBudget over a leaky bucket. Amounts are scaled so that a deposit is worth
   * `percent` of a withdrawal: a call adds 1000 units, a retry costs 1000 / percent, and a constant reserve of
   * minPerSecond x ttl retries sits under the window's sum. The window is 10 buckets, so expiry is in steps of a
   * tenth of the ttl.
   */

  private static final long DEPOSIT = 1000;
  private static final int BUCKETS = 10;

  private final double percent;
  private final int minPerSecond;
  private final Duration ttl;
  private final long withdrawal;
  private final long reserve;
  private final WindowedCounts window;

  /**
   * @param percentCanRetry retries as a fraction of calls: 0 to 1 (0: only the reserve)
   * @param minRetriesPerSecond retries allowed whatever the calls: 0 or more
   * @param ttl how long a deposit or withdrawal counts: 1 s to 1 h
   * @param nanoClock the time source, {@code System::nanoTime} outside tests
   * @throws IllegalArgumentException naming the bad value and the range
   */
  public RetryBudget(
      double percentCanRetry, int minRetriesPerSecond, Duration ttl, LongSupplier nanoClock) {
    if (!(percentCanRetry >= 0 && percentCanRetry <= 1)) {
      throw new IllegalArgumentException(
          "percentCanRetry " + percentCanRetry + " is out of range [0, 1]");
    }
    if (minRetriesPerSecond < 0) {
      throw new IllegalArgumentException(
          "minRetriesPerSecond " + minRetriesPerSecond + " is out of range [0, ...)");
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("ttl " + ttl + " is out of range [PT1S, PT1H]");
    }
    this.percent = percentCanRetry;
    this.minPerSecond = minRetriesPerSecond;
    this.ttl = ttl;
    this.withdrawal = percentCanRetry == 0 ? 1 : Math.round(DEPOSIT / percentCanRetry);
    this.reserve = minRetriesPerSecond * ttl.toSeconds() * withdrawal;
    this.window = new WindowedCounts(
        java.util.Objects.requireNonNull(nanoClock, "nanoClock"), ttl.toNanos(), BUCKETS);
  }

  /** A budget with the defaults on {@code nanoClock}. */
  public static RetryBudget withDefaults(LongSupplier nanoClock) {
    return new RetryBudget(
        DEFAULT_PERCENT_CAN_RETRY, DEFAULT_MIN_RETRIES_PER_SECOND, DEFAULT_TTL, nanoClock);
  }

  /** Counts one call (not a retry). */
  public synchronized void deposit() {
    if (percent > 0) {
      window.addA(DEPOSIT);
    }
  }

  /** Takes one retry from the budget if it holds one; false if it is spent. */
  public synchronized boolean tryWithdraw() {
    if (balanceLocked() < withdrawal) {
      return false;
    }
    window.addB(withdrawal);
    return true;
  }

  /** Retries the budget would allow now, rounded down. */
  public synchronized long balance() {
    return Math.max(0, balanceLocked()) / withdrawal;
  }

  private long balanceLocked() {
    return reserve + window.sumA() - window.sumB();
  }

  public double percentCanRetry() {
    return percent;
  }

  public int minRetriesPerSecond() {
    return minPerSecond;
  }

  public Duration ttl() {
    return ttl;
  }

  @Override
  public String toString() {
    return "RetryBudget[" + Math.round(percent * 100) + " % of calls + " + minPerSecond + "/s, ttl "
        + ttl + "]";
  }
}
