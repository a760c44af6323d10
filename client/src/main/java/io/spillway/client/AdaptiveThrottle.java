package io.spillway.client;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Client-side adaptive throttling as in Google's SRE book ("Handling Overload"): over a sliding window the client
 * counts its requests and the server's accepts, and refuses a new request locally with probability
 * max(0, (requests − K × accepts) / (requests + 1)). While the server accepts everything, nothing is refused; when
 * it accepts less than 1/K of requests, the client sends about K times what it accepts and answers the rest itself,
 * so that shed requests cost the server almost nothing. Thread-safe.
 */
public final class AdaptiveThrottle {

  /** K: 2, the book's value: the server still sees twice what it accepts, enough to notice when it recovers. */
  public static final double DEFAULT_K = 2;
  /** The window: 2 min, the book's value. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);

  private final double k;
  private final WindowedCounts counts; // A: requests, B: accepts

  public AdaptiveThrottle(double k, Duration window, LongSupplier nanoClock) {
    if (!(k >= 1)) {
      throw new IllegalArgumentException("throttle K " + k + " is out of range [1, ...)");
    }
    if (window.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(
          "throttle window " + window + " is out of range [PT1S, ...)");
    }
    this.k = k;
    this.counts = new WindowedCounts(nanoClock, window.toNanos(), 20);
  }

  /** The probability that a request now is refused locally. */
  public synchronized double rejectProbability() {
    double requests = counts.sumA();
    double accepts = counts.sumB();
    return Math.max(0, (requests - k * accepts) / (requests + 1));
  }

  /**
   * Decides one request with the uniform number {@code uniform} in [0, 1) and counts it as a request (a refused one
   * too, as the book does: otherwise the probability could never fall while everything is refused).
   *
   * @return true if it may be sent
   */
  public synchronized boolean tryAcquire(double uniform) {
    boolean allowed = uniform >= rejectProbability();
    counts.addA(1);
    return allowed;
  }

  /** The server accepted a request (it was not shed). */
  public synchronized void onAccepted() {
    counts.addB(1);
  }
}
