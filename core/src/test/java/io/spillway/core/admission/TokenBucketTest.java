package io.spillway.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final ManualClock clock = new ManualClock();

  @Test
  void startsFullAndAllowsTheWholeBurstAtOnce() {
    TokenBucket bucket = new TokenBucket(1, 5, clock);
    for (int i = 4; i >= 0; i--) {
      RateDecision d = bucket.tryAcquire();
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isEqualTo(i);
      assertThat(d.limit()).isEqualTo(5);
      assertThat(d.retryAfterSeconds()).isZero();
    }
    RateDecision refused = bucket.tryAcquire();
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    assertThat(refused.resetSeconds()).isEqualTo(5);
  }

  @Test
  void refillsByFractionsOfATokenAtTheRate() {
    TokenBucket bucket = new TokenBucket(2, 1, clock);
    assertThat(bucket.tryAcquire().allowed()).isTrue();
    clock.advance(Duration.ofMillis(250));
    assertThat(bucket.tokens()).isCloseTo(0.5, offset(1e-9));
    assertThat(bucket.tryAcquire().allowed()).isFalse();
    clock.advance(Duration.ofMillis(250));
    assertThat(bucket.tryAcquire().allowed()).isTrue();
  }

  @Test
  void retryAfterIsTheTimeUntilOneTokenRoundedUpToWholeSeconds() {
    TokenBucket slow = new TokenBucket(0.1, 1, clock); // one every 10 s
    slow.tryAcquire();
    assertThat(slow.tryAcquire().retryAfterSeconds()).isEqualTo(10);
    clock.advance(Duration.ofMillis(2_500));
    RateDecision d = slow.tryAcquire();
    assertThat(d.retryAfterSeconds()).isEqualTo(8);
    assertThat(d.resetSeconds()).isEqualTo(8);
  }

  @Test
  void resetIsTheTimeUntilTheBucketIsFullAgain() {
    TokenBucket bucket = new TokenBucket(4, 10, clock);
    assertThat(bucket.tryAcquire().resetSeconds())
        .as("one token at 4/s: 0.25 s, rounded up")
        .isEqualTo(1);
    for (int i = 0; i < 9; i++) {
      bucket.tryAcquire();
    }
    assertThat(bucket.tryAcquire().resetSeconds())
        .as("ten tokens at 4/s: 2.5 s, rounded up")
        .isEqualTo(3);
  }

  @Test
  void neverHoldsMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(100, 3, clock);
    bucket.tryAcquire();
    clock.advance(Duration.ofHours(1));
    assertThat(bucket.tokens()).isEqualTo(3.0);
    assertThat(bucket.full()).isTrue();
    assertThat(bucket.tryAcquire().resetSeconds()).isEqualTo(1);
  }

  @Test
  void rejectsARateOrBurstOutOfRange() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, clock))
        .hasMessageContaining("rate 0.0/s must be positive");
    assertThatThrownBy(() -> new TokenBucket(Double.NaN, 1, clock))
        .hasMessageContaining("rate NaN/s");
    assertThatThrownBy(() -> new TokenBucket(1, 0, clock))
        .hasMessageContaining("burst 0 is out of range");
  }
}
