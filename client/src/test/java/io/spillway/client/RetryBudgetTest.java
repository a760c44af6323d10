package io.spillway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final FakeClock clock = new FakeClock();

  @Test
  void allowsTwentyPercentOfCallsWithoutReserve() {
    RetryBudget budget = new RetryBudget(0.2, 0, Duration.ofSeconds(10), clock);
    assertThat(budget.tryWithdraw()).as("nothing deposited").isFalse();
    for (int i = 0; i < 100; i++) {
      budget.deposit();
    }
    int retries = 0;
    while (budget.tryWithdraw()) {
      retries++;
    }
    assertThat(retries).isEqualTo(20);
  }

  @Test
  void theReserveAllowsMinRetriesPerSecondTimesTheTtlWithoutCalls() {
    RetryBudget budget = RetryBudget.withDefaults(clock);
    assertThat(budget.balance()).as("2/s x 10 s").isEqualTo(20);
    int retries = 0;
    while (budget.tryWithdraw()) {
      retries++;
    }
    assertThat(retries).isEqualTo(20);
    for (int i = 0; i < 50; i++) {
      budget.deposit();
    }
    assertThat(budget.balance()).as("10 % of 50").isEqualTo(5);
  }

  @Test
  void theDefaultsHoldAClientOf20CallsASecondOrMoreTo1Point2RequestsPerCall() {
    // every call fails and would retry twice: requests per call = 1 + retries / calls
    assertThat(requestsPerCall(20, Duration.ofSeconds(60)))
        .as("1 + 0.1 + 2/20")
        .isLessThanOrEqualTo(1.2);
    assertThat(requestsPerCall(400, Duration.ofSeconds(10)))
        .as("1 + 0.1 + 20/4000")
        .isLessThanOrEqualTo(1.106);
    assertThat(requestsPerCall(200, Duration.ofSeconds(3)))
        .as("a run shorter than the ttl: 1 + 0.1 + 20/600")
        .isLessThanOrEqualTo(1.134);
    assertThat(requestsPerCall(2, Duration.ofSeconds(60)))
        .as("a quiet client still retries: 2/s, at least one per call here")
        .isGreaterThanOrEqualTo(2.0);
  }

  private double requestsPerCall(int callsPerSecond, Duration span) {
    FakeClock c = new FakeClock();
    RetryBudget budget = RetryBudget.withDefaults(c);
    long calls = 0;
    long retries = 0;
    Duration every = Duration.ofNanos(1_000_000_000L / callsPerSecond);
    for (long t = 0; t < span.toNanos(); t += every.toNanos()) {
      budget.deposit();
      calls++;
      for (int r = 0; r < 2 && budget.tryWithdraw(); r++) {
        retries++;
      }
      c.advance(every);
    }
    return 1 + (double) retries / calls;
  }

  @Test
  void depositsAndWithdrawalsExpireAfterTheTtl() {
    RetryBudget budget = new RetryBudget(0.2, 0, Duration.ofSeconds(10), clock);
    for (int i = 0; i < 50; i++) {
      budget.deposit();
    }
    assertThat(budget.balance()).isEqualTo(10);
    clock.advance(Duration.ofSeconds(5));
    for (int i = 0; i < 10; i++) {
      assertThat(budget.tryWithdraw()).isTrue();
    }
    assertThat(budget.tryWithdraw()).isFalse();
    clock.advance(
        Duration.ofMillis(5_500)); // the deposits (t=0) expired, the withdrawals (t=5 s) not yet
    assertThat(budget.balance()).isZero();
    for (int i = 0; i < 50; i++) {
      budget.deposit();
    }
    assertThat(budget.balance()).as("10 new, 10 still owed").isZero();
    clock.advance(Duration.ofSeconds(5)); // the withdrawals expired too
    assertThat(budget.balance()).isEqualTo(10);
  }

  @Test
  void aZeroPercentBudgetHasOnlyItsReserve() {
    RetryBudget budget = new RetryBudget(0, 1, Duration.ofSeconds(5), clock);
    for (int i = 0; i < 1000; i++) {
      budget.deposit();
    }
    assertThat(budget.balance()).isEqualTo(5);
  }

  @Test
  void rejectsValuesOutOfRangeNamingThem() {
    assertThatThrownBy(() -> new RetryBudget(1.5, 10, Duration.ofSeconds(10), clock))
        .hasMessage("percentCanRetry 1.5 is out of range [0, 1]");
    assertThatThrownBy(() -> new RetryBudget(0.2, -1, Duration.ofSeconds(10), clock))
        .hasMessageContaining("minRetriesPerSecond -1");
    assertThatThrownBy(() -> new RetryBudget(0.2, 10, Duration.ofMillis(10), clock))
        .hasMessageContaining("ttl PT0.01S is out of range [PT1S, PT1H]");
  }
}
