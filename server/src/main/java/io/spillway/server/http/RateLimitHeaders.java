package io.spillway.server.http;

import io.spillway.core.admission.RateDecision;
import io.spillway.core.admission.RateLimiter;
import java.util.List;

/**
 * The rate limiter's verdict as HTTP: {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset} (the IETF httpapi "RateLimit header fields" draft) on every response to a rate-limited
 * client, and the seconds until one request is allowed again for the 429's {@code Retry-After}.
 */
final class RateLimitHeaders {

  static final class Verdict {
    final boolean allowed;
    final long retryAfterSeconds;
    final List<String[]> headers;

    Verdict(boolean allowed, long retryAfterSeconds, List<String[]> headers) {
      this.allowed = allowed;
      this.retryAfterSeconds = retryAfterSeconds;
      this.headers = headers;
    }
  }

  private RateLimitHeaders() {}

  /** Takes a token for {@code key} if there is one. Any thread. */
  static Verdict check(RateLimiter limiter, String key) {
    RateDecision d = limiter.tryAcquire(key);
    List<String[]> headers = List.of(
        new String[] {"RateLimit-Limit", Long.toString(d.limit())},
        new String[] {"RateLimit-Remaining", Long.toString(d.remaining())},
        new String[] {"RateLimit-Reset", Long.toString(d.resetSeconds())});
    return new Verdict(d.allowed(), d.retryAfterSeconds(), headers);
  }
}
