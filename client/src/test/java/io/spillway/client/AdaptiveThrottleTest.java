package io.spillway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdaptiveThrottleTest {

  private final FakeClock clock = new FakeClock();
  private final AdaptiveThrottle throttle = new AdaptiveThrottle(2, Duration.ofMinutes(2), clock);

  @Test
  void refusesNothingWhileTheServerAcceptsEverything() {
    for (int i = 0; i < 100; i++) {
      assertThat(throttle.tryAcquire(0.0)).isTrue();
      throttle.onAccepted();
    }
    assertThat(throttle.rejectProbability()).isZero();
  }

  @Test
  void theProbabilityIsRequestsMinusKAcceptsOverRequestsPlusOne() {
    for (int i = 0; i < 100; i++) {
      throttle.tryAcquire(0.999);
    }
    for (int i = 0; i < 25; i++) {
      throttle.onAccepted();
    }
    // (100 - 2 x 25) / 101
    assertThat(throttle.rejectProbability()).isCloseTo(50.0 / 101, within(1e-9));
    assertThat(throttle.tryAcquire(0.49)).isFalse();
    assertThat(throttle.tryAcquire(0.51)).isTrue();
  }

  @Test
  void halfAcceptedIsTheThresholdWithKOfTwo() {
    for (int i = 0; i < 100; i++) {
      throttle.tryAcquire(0.999);
    }
    for (int i = 0; i < 50; i++) {
      throttle.onAccepted();
    }
    assertThat(throttle.rejectProbability()).isZero();
  }

  @Test
  void forgetsOutsideTheWindow() {
    for (int i = 0; i < 100; i++) {
      throttle.tryAcquire(0.999);
    }
    assertThat(throttle.rejectProbability()).isCloseTo(100.0 / 101, within(1e-9));
    clock.advance(Duration.ofMinutes(2).plusSeconds(7));
    assertThat(throttle.rejectProbability()).isZero();
  }
}
