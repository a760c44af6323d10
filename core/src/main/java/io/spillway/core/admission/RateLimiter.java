package io.spillway.core.admission;

import io.spillway.core.time.NanoClock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Per-key rate limits: one {@link TokenBucket} per key (an auth token, or the remote address), created on first
 * use, at most {@link RateLimitSettings#maxKeys()} of them. Decides only; the HTTP layer answers a refusal with 429,
 * the headers from the {@link RateDecision}, and counts it with
 * {@link AdmissionController#recordShed}({@link ShedReason#RATE_LIMITED}). Thread-safe: event loops call it
 * concurrently; one lock guards the map.
 */
public final class RateLimiter {

  /** How many of the least recently used buckets are checked for a full one before evicting the eldest: 16. */
  static final int EVICTION_SCAN = 16;

  /*
   * Design: a LinkedHashMap in access order, so iteration starts at the least recently used key. When a new key
   * arrives at the bound, a full bucket among the EVICTION_SCAN eldest is dropped first: a full bucket is exactly
   * what a new one would be, so forgetting it changes no answer. Failing that, the eldest goes, which gives that
   * key a full bucket again if it comes back: a client that has been idle longest is the one whose lost debt
   * matters least, and the alternative (refusing new keys) would let one flood of addresses lock everyone out.
   * The scan is bounded so a flood of new keys costs O(1) per request, and the map never holds more than maxKeys.
   */

  private final RateLimitSettings settings;
  private final NanoClock clock;
  private final Map<String, TokenBucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

  public RateLimiter(RateLimitSettings settings, NanoClock clock) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** True unless the settings turn rate limiting off. */
  public boolean enabled() {
    return settings.enabled();
  }

  /**
   * Takes a token from {@code key}'s bucket. Any thread.
   *
   * @return the decision; {@link RateDecision#UNLIMITED} when rate limiting is off
   */
  public RateDecision tryAcquire(String key) {
    Objects.requireNonNull(key, "key");
    if (!settings.enabled()) {
      return RateDecision.UNLIMITED;
    }
    TokenBucket bucket;
    synchronized (buckets) {
      bucket = buckets.get(key);
      if (bucket == null) {
        if (buckets.size() >= settings.maxKeys()) {
          evictOne();
        }
        bucket = new TokenBucket(settings.ratePerSecond(), settings.burst(), clock);
        buckets.put(key, bucket);
      }
    }
    return bucket.tryAcquire();
  }

  /** Keys with a bucket now; at most {@link RateLimitSettings#maxKeys()}. Any thread. */
  public int keys() {
    synchronized (buckets) {
      return buckets.size();
    }
  }

  private void evictOne() {
    Iterator<TokenBucket> it = buckets.values().iterator();
    for (int i = 0; i < EVICTION_SCAN && it.hasNext(); i++) {
      if (it.next().full()) {
        it.remove();
        return;
      }
    }
    it = buckets.values().iterator();
    it.next();
    it.remove();
  }
}
