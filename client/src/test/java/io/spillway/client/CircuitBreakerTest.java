package io.spillway.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.client.CircuitBreaker.State;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

  private final FakeClock clock = new FakeClock();
  private final List<String> transitions = new ArrayList<>();
  private final CircuitBreaker breaker = new CircuitBreaker(
      new CircuitBreaker.Settings(0.5, 10, Duration.ofSeconds(10), Duration.ofSeconds(5), 2),
      clock,
      (from, to) -> transitions.add(from + "->" + to));

  private void calls(int successes, int failures) {
    for (int i = 0; i < successes; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onSuccess();
    }
    for (int i = 0; i < failures; i++) {
      assertThat(breaker.tryAcquire()).isTrue();
      breaker.onFailure();
    }
  }

  @Test
  void staysClosedBelowTheMinimumCallsWhateverTheRate() {
    calls(0, 9);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void opensWhenTheFailureRateReachesTheThresholdAndFailsFast() {
    calls(6, 5);
    assertThat(breaker.state()).as("5 of 11").isEqualTo(State.CLOSED);
    calls(0, 1);
    assertThat(breaker.state()).as("6 of 12").isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(transitions).containsExactly("CLOSED->OPEN");
  }

  @Test
  void oldOutcomesLeaveTheWindow() {
    calls(0, 9);
    clock.advance(Duration.ofSeconds(11));
    calls(10, 1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void halfOpensAfterTheOpenTimeLetsProbesThroughAndClosesOnTheirSuccess() {
    calls(0, 10);
    clock.advance(Duration.ofMillis(4_999));
    assertThat(breaker.tryAcquire()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).as("only 2 probes").isFalse();
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    breaker.onSuccess();
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    calls(0, 9);
    assertThat(breaker.state()).as("a fresh window after closing").isEqualTo(State.CLOSED);
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
  }

  @Test
  void aFailedProbeOpensItAgainForAnotherOpenTime() {
    calls(0, 10);
    clock.advance(Duration.ofSeconds(5));
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onFailure();
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    clock.advance(Duration.ofSeconds(4));
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN");
  }

  @Test
  void anIgnoredProbeFreesItsPlace() {
    calls(0, 10);
    clock.advance(Duration.ofSeconds(5));
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.onIgnored();
    assertThat(breaker.tryAcquire()).isTrue();
  }
}
