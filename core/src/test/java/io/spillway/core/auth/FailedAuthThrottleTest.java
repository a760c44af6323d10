package io.spillway.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailedAuthThrottleTest {

  private final ManualClock clock = new ManualClock();
  private final FailedAuthThrottle throttle = new FailedAuthThrottle(clock, 3);

  private void fail(String address, int times) {
    for (int i = 0; i < times; i++) {
      throttle.failed(address);
    }
  }

  @Test
  void firstFailuresCostNothing() {
    fail("a", FailedAuthThrottle.FREE_FAILURES);
    assertThat(throttle.waitNanos("a")).isZero();
  }

  @Test
  void penaltyDoublesPastTheFreeFailuresUpToTheMaximum() {
    fail("a", FailedAuthThrottle.FREE_FAILURES + 1);
    assertThat(throttle.waitNanos("a")).isEqualTo(FailedAuthThrottle.BASE_PENALTY.toNanos());
    throttle.failed("a");
    assertThat(throttle.waitNanos("a")).isEqualTo(2 * FailedAuthThrottle.BASE_PENALTY.toNanos());
    fail("a", 40);
    assertThat(throttle.waitNanos("a")).isEqualTo(FailedAuthThrottle.MAX_PENALTY.toNanos());
  }

  @Test
  void penaltyRunsOutAsTheClockMoves() {
    fail("a", FailedAuthThrottle.FREE_FAILURES + 1);
    clock.advance(Duration.ofMillis(60));
    assertThat(throttle.waitNanos("a")).isEqualTo(Duration.ofMillis(40).toNanos());
    clock.advance(Duration.ofMillis(40));
    assertThat(throttle.waitNanos("a")).isZero();
  }

  @Test
  void otherAddressesAreNotSlowed() {
    fail("a", 20);
    assertThat(throttle.waitNanos("b")).isZero();
  }

  @Test
  void successClearsTheAddress() {
    fail("a", 20);
    throttle.succeeded("a");
    assertThat(throttle.waitNanos("a")).isZero();
    fail("a", FailedAuthThrottle.FREE_FAILURES);
    assertThat(throttle.waitNanos("a")).isZero();
  }

  @Test
  void addressIsForgottenAfterAQuietSpell() {
    fail("a", 20);
    clock.advance(FailedAuthThrottle.FORGET_AFTER);
    assertThat(throttle.waitNanos("a")).isZero();
    assertThat(throttle.remembered()).isZero();
  }

  @Test
  void tableIsBoundedWhateverTheNumberOfAddresses() {
    for (int i = 0; i < 1000; i++) {
      throttle.failed("10.0.0." + i);
    }
    assertThat(throttle.remembered()).isEqualTo(3);
  }
}
