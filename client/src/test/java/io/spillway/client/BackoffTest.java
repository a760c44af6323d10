package io.spillway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private final Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1));

  @Test
  void theCapDoublesFromTheBaseUpToTheMax() {
    assertThat(backoff.delayNanos(1, 0.999_999, 0)).isBetween(49_000_000L, 50_000_000L);
    assertThat(backoff.delayNanos(2, 0.999_999, 0)).isBetween(99_000_000L, 100_000_000L);
    assertThat(backoff.delayNanos(5, 0.999_999, 0)).isBetween(799_000_000L, 800_000_000L);
    assertThat(backoff.delayNanos(6, 0.999_999, 0)).isBetween(999_000_000L, 1_000_000_000L);
    assertThat(backoff.delayNanos(60, 0.999_999, 0)).isBetween(999_000_000L, 1_000_000_000L);
    assertThat(backoff.delayNanos(Integer.MAX_VALUE, 0.5, 0)).isEqualTo(500_000_000L);
  }

  @Test
  void fullJitterSpreadsTheWaitFromZeroToTheCap() {
    assertThat(backoff.delayNanos(3, 0.0, 0)).isZero();
    assertThat(backoff.delayNanos(3, 0.25, 0)).isEqualTo(50_000_000L);
    assertThat(backoff.delayNanos(3, 0.5, 0)).isEqualTo(100_000_000L);
  }

  @Test
  void neverWaitsLessThanRetryAfter() {
    long oneSecond = Duration.ofSeconds(1).toNanos();
    assertThat(backoff.delayNanos(1, 0.0, oneSecond)).isEqualTo(oneSecond);
    assertThat(backoff.delayNanos(6, 0.999_999, 2 * oneSecond)).isEqualTo(2 * oneSecond);
  }

  @Test
  void rejectsABaseAboveTheMax() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("backoff max PT1S is out of range [base PT2S, ...)");
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .hasMessageContaining("must be positive");
  }
}
