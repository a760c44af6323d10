package io.spillway.core.admission;

/**
 * The answer of a token bucket to one request, with what the {@code RateLimit-Limit}, {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} and {@code Retry-After} headers need. Immutable.
 *
 * @param allowed true if a token was taken
 * @param limit the bucket's burst: the most requests it allows at once
 * @param remaining whole tokens left after this request
 * @param resetSeconds seconds until the bucket is full again, rounded up; 0 when it is full
 * @param retryAfterSeconds when refused, seconds until one token is available, rounded up, at least 1; 0 when allowed
 */
public record RateDecision(
    boolean allowed, long limit, long remaining, long resetSeconds, long retryAfterSeconds) {

  /** The answer when rate limiting is off: allowed, and no headers should be sent. */
  public static final RateDecision UNLIMITED = new RateDecision(true, 0, 0, 0, 0);
}
