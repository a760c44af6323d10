package io.spillway.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  private final ManualClock clock = new ManualClock();

  private RateLimiter limiter(double rate, int burst, int maxKeys) {
    return new RateLimiter(
        RateLimitSettings.builder()
            .ratePerSecond(rate)
            .burst(burst)
            .maxKeys(maxKeys)
            .build(),
        clock);
  }

  @Test
  void isOffByDefaultAndThenAllowsEverything() {
    RateLimiter off = new RateLimiter(RateLimitSettings.DEFAULT, clock);
    assertThat(off.enabled()).isFalse();
    for (int i = 0; i < 1_000; i++) {
      assertThat(off.tryAcquire("k")).isSameAs(RateDecision.UNLIMITED);
    }
    assertThat(off.keys()).isZero();
  }

  @Test
  void eachKeyHasItsOwnBucket() {
    RateLimiter limiter = limiter(1, 2, 100);
    assertThat(limiter.tryAcquire("alice").allowed()).isTrue();
    assertThat(limiter.tryAcquire("alice").allowed()).isTrue();
    RateDecision refused = limiter.tryAcquire("alice");
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(limiter.tryAcquire("bob").allowed()).isTrue();
    assertThat(limiter.keys()).isEqualTo(2);
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire("alice").allowed()).isTrue();
  }

  @Test
  void keepsAtMostMaxKeysBuckets() {
    RateLimiter limiter = limiter(1, 1, 50);
    for (int i = 0; i < 10_000; i++) {
      limiter.tryAcquire("10.0.0." + i);
      assertThat(limiter.keys()).isLessThanOrEqualTo(50);
    }
    assertThat(limiter.keys()).isEqualTo(50);
  }

  @Test
  void evictsAFullBucketBeforeOneThatStillRemembersDebt() {
    RateLimiter limiter = limiter(1, 2, 2);
    limiter.tryAcquire("indebted");
    limiter.tryAcquire("indebted"); // empty
    limiter.tryAcquire("idle"); // one token short
    clock.advance(Duration.ofSeconds(1)); // idle full again, indebted holds one token
    limiter.tryAcquire("newcomer");
    RateDecision d = limiter.tryAcquire("indebted");
    assertThat(d.allowed()).isTrue();
    assertThat(d.remaining())
        .as("its debt was kept: the full bucket was the one evicted")
        .isZero();
  }

  @Test
  void evictsTheLeastRecentlyUsedBucketWhenNoneIsFull() {
    RateLimiter limiter = limiter(0.01, 2, 2);
    limiter.tryAcquire("old");
    limiter.tryAcquire("recent");
    limiter.tryAcquire("old"); // old is now the most recently used
    limiter.tryAcquire("newcomer"); // evicts "recent"
    limiter.tryAcquire("old");
    assertThat(limiter.tryAcquire("old").allowed())
        .as("old kept its empty bucket")
        .isFalse();
    assertThat(limiter.tryAcquire("recent").remaining())
        .as("recent starts afresh")
        .isEqualTo(1);
  }

  @Test
  void settingsDefaultTheBurstToOneSecondOfTheRateAndRejectBadValues() {
    assertThat(RateLimitSettings.builder().ratePerSecond(2.5).build().burst()).isEqualTo(3);
    assertThat(RateLimitSettings.builder().ratePerSecond(0.2).build().burst()).isEqualTo(1);
    assertThat(RateLimitSettings.DEFAULT.maxKeys()).isEqualTo(10_000);
    assertThat(RateLimitSettings.DEFAULT.toString()).isEqualTo("off");
    RateLimitSettings s =
        RateLimitSettings.builder().ratePerSecond(5).burst(20).maxKeys(7).build();
    assertThat(s.toBuilder().build()).isEqualTo(s).hasSameHashCodeAs(s);
    assertThatThrownBy(() -> RateLimitSettings.builder().ratePerSecond(-1).build())
        .hasMessageContaining("rate limit -1.0/s is out of range");
    assertThatThrownBy(() -> RateLimitSettings.builder().burst(-1).build())
        .hasMessageContaining("rate limit burst -1 is out of range");
    assertThatThrownBy(() -> RateLimitSettings.builder().maxKeys(0).build())
        .hasMessageContaining("rate limit max keys 0 is out of range [1, 10000000]");
  }
}
