package io.spillway.core.admission;

import static io.spillway.core.admission.AdmissionController.NO_DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Capacity, Retry-After, in-flight bound, permits and counters. Priorities, deadlines and CoDel have their own. */
class AdmissionControllerTest {

  private final ManualClock clock = new ManualClock();
  private final ShedLog<String> log = new ShedLog<>();

  private AdmissionController<String> controller(int capacity, int workers) {
    // assumed 1 min: above any run time here, so that the first measured one replaces it
    AdmissionSettings settings = AdmissionSettings.builder()
        .queueCapacity(capacity)
        .workers(workers)
        .assumedServiceTime(Duration.ofMinutes(1))
        .build();
    return new AdmissionController<>(settings, clock, log);
  }

  @Test
  void admitsUpToCapacityThenShedsQueueFull() {
    AdmissionController<String> c = controller(4, 1);
    for (int i = 0; i < 4; i++) {
      assertThat(c.offer("j" + i, Priority.CRITICAL, NO_DEADLINE).admitted()).isTrue();
    }
    Admission<String> refused = c.offer("j4", Priority.CRITICAL, NO_DEADLINE);
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.reason()).isEqualTo(ShedReason.QUEUE_FULL);
    assertThat(refused.job()).isEqualTo("j4");
    assertThat(c.queueDepth()).isEqualTo(4);
    assertThat(c.queueCapacity()).isEqualTo(4);
    assertThat(c.shed(ShedReason.QUEUE_FULL)).isEqualTo(1);
    assertThat(log.all())
        .as("a refusal at offer is the return value, not a listener call")
        .isEmpty();
  }

  @Test
  void retryAfterUsesTheAssumedServiceTimeBeforeAnythingHasFinished() {
    AdmissionController<String> c = new AdmissionController<>(
        AdmissionSettings.builder()
            .queueCapacity(200)
            .workers(1)
            .assumedServiceTime(Duration.ofMillis(20))
            .build(),
        clock,
        log);
    c.offer("a", Priority.NORMAL, NO_DEADLINE);
    c.poll(); // the only worker is now busy on "a"
    fill(c, 149);
    // (149 + 1) x 20 ms / 1 worker = 3 s
    assertThat(c.retryAfterSeconds()).isEqualTo(3);
    assertThat(c.drainRatePerSecond()).isZero();
  }

  @Test
  void retryAfterIsTheTimeTheQueueTakesToDrainAtTheMeasuredServiceTime() {
    AdmissionController<String> c = controller(100, 1);
    drain(c, 10, Duration.ofMillis(100)); // jobs of 100 ms
    fill(c, 19);
    assertThat(c.retryAfterSeconds()).as("(19 + 1) x 100 ms").isEqualTo(2);
    fill(c, 20);
    assertThat(c.retryAfterSeconds()).as("(39 + 1) x 100 ms").isEqualTo(4);
    fill(c, 1);
    assertThat(c.retryAfterSeconds()).as("4.1 s, rounded up").isEqualTo(5);
  }

  @Test
  void retryAfterIsAtLeastOneSecondAndAtMostTheMaximum() {
    AdmissionController<String> fast = controller(100, 1);
    drain(fast, 50, Duration.ofMillis(10));
    assertThat(fast.retryAfterSeconds()).isEqualTo(1);

    AdmissionController<String> slow = new AdmissionController<>(
        AdmissionSettings.builder()
            .queueCapacity(100)
            .workers(1)
            .retryAfterMax(Duration.ofSeconds(5))
            .assumedServiceTime(Duration.ofMinutes(1))
            .build(),
        clock,
        log);
    drain(slow, 1, Duration.ofSeconds(1));
    fill(slow, 50);
    assertThat(slow.retryAfterSeconds()).isEqualTo(5);
    Admission<String> refused = slow.offer("x", Priority.SHEDDABLE, NO_DEADLINE);
    assertThat(refused.reason()).isEqualTo(ShedReason.PRIORITY);
    assertThat(refused.retryAfterSeconds()).isEqualTo(5);
  }

  @Test
  void retryAfterAfterAnIdleSpellIsStillTheServiceTimeEstimateNotTheMaximum() {
    AdmissionController<String> c = controller(100, 1);
    drain(c, 10, Duration.ofMillis(100));
    assertThat(c.retryAfterSeconds()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(c.retryAfterSeconds()).isEqualTo(1);
    assertThat(c.drainRatePerSecond())
        .as("demand fell to nothing; capacity did not")
        .isZero();
  }

  @Test
  void theServiceTimeFollowsRunTimesAsAMovingAverageAndIgnoresJobsNotRun() {
    AdmissionController<String> c = new AdmissionController<>(
        AdmissionSettings.builder().queueCapacity(100).workers(1).build(), clock, log);
    assertThat(c.serviceTimeNanos())
        .isEqualTo(AdmissionSettings.DEFAULT_ASSUMED_SERVICE_TIME.toNanos());
    drain(c, 1, Duration.ofMillis(5));
    assertThat(c.serviceTimeNanos())
        .as("a first measurement below the assumption replaces it")
        .isEqualTo(Duration.ofMillis(5).toNanos());
    drain(c, 1, Duration.ofMillis(15));
    assertThat(c.serviceTimeNanos())
        .as("5 + 0.1 x (15 - 5)")
        .isEqualTo(Duration.ofMillis(6).toNanos());
    drain(c, 1, Duration.ofSeconds(1));
    assertThat(c.serviceTimeNanos())
        .as("a 1 s outlier counts as 4 x 6 ms: 6 + 0.1 x 18")
        .isEqualTo(Duration.ofMillis(7_800).toNanos() / 1000);
    c.offer("gone", Priority.NORMAL, NO_DEADLINE);
    Permit<String> p = c.poll();
    clock.advance(Duration.ofSeconds(5));
    p.ignore();
    assertThat(c.serviceTimeNanos()).isEqualTo(Duration.ofMillis(7_800).toNanos() / 1000);
  }

  @Test
  void aFirstMeasurementAboveTheAssumptionRaisesTheEstimateGradually() {
    AdmissionController<String> c = new AdmissionController<>(
        AdmissionSettings.builder().queueCapacity(100).workers(1).build(), clock, log);
    drain(c, 1, Duration.ofMillis(100)); // a cold JIT's first job
    assertThat(c.serviceTimeNanos())
        .as("10 + 0.1 x min(100, 4 x 10)")
        .isEqualTo(Duration.ofMillis(13).toNanos());
  }

  @Test
  void neverRunsMoreJobsThanWorkersAtOnce() {
    AdmissionController<String> c = controller(10, 3);
    fill(c, 5);
    List<Permit<String>> running = new ArrayList<>();
    Permit<String> p;
    while ((p = c.poll()) != null) {
      running.add(p);
    }
    assertThat(running).hasSize(3);
    assertThat(c.inFlight()).isEqualTo(3);
    assertThat(c.limit()).isEqualTo(3);
    running.get(0).success();
    assertThat(c.inFlight()).isEqualTo(2);
    assertThat(c.poll()).isNotNull();
    assertThat(c.poll()).isNull();
  }

  @Test
  void aPermitCarriesItsJobPriorityDeadlineAndWait() {
    AdmissionController<String> c = new AdmissionController<>(
        AdmissionSettings.builder().queueCapacity(10).workers(1).build(), clock, log);
    long deadline = clock.nanoTime() + Duration.ofSeconds(5).toNanos();
    c.offer("a", Priority.SHEDDABLE, deadline);
    clock.advance(Duration.ofMillis(3));
    Permit<String> p = c.poll();
    assertThat(p.job()).isEqualTo("a");
    assertThat(p.priority()).isEqualTo(Priority.SHEDDABLE);
    assertThat(p.deadlineNanos()).isEqualTo(deadline);
    assertThat(p.waitedNanos()).isEqualTo(Duration.ofMillis(3).toNanos());
  }

  @Test
  void aPermitMayBeReportedOnlyOnce() {
    AdmissionController<String> c = controller(10, 1);
    c.offer("a", Priority.NORMAL, NO_DEADLINE);
    Permit<String> p = c.poll();
    p.success();
    assertThatThrownBy(p::dropped)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a");
    assertThat(c.inFlight()).isZero();
    assertThat(c.completed()).isEqualTo(1);
  }

  @Test
  void everyOutcomeFreesTheSlotAndCountsAsDrained() {
    AdmissionController<String> c = controller(10, 1);
    fill(c, 3);
    c.poll().success();
    c.poll().ignore();
    c.poll().dropped();
    assertThat(c.inFlight()).isZero();
    assertThat(c.completed()).isEqualTo(3);
    assertThat(c.admitted()).isEqualTo(3);
    assertThat(c.drainRatePerSecond()).isEqualTo(3.0);
  }

  @Test
  void recordedShedsAreCountedAndMakeTheControllerSheddingForOneSecond() {
    AdmissionController<String> c = controller(10, 1);
    assertThat(c.shedding()).isFalse();
    c.recordShed(ShedReason.RATE_LIMITED);
    c.recordShed(ShedReason.RATE_LIMITED);
    assertThat(c.shed(ShedReason.RATE_LIMITED)).isEqualTo(2);
    assertThat(c.shedding()).isTrue();
    clock.advance(Duration.ofMillis(999));
    assertThat(c.shedding()).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(c.shedding()).isFalse();
  }

  @Test
  void aThrowingListenerDoesNotLoseOtherShedJobs() {
    List<String> answered = new ArrayList<>();
    AdmissionController<String> c = new AdmissionController<>(
        AdmissionSettings.builder().queueCapacity(10).workers(1).build(),
        clock,
        (job, reason, retryAfter) -> {
          answered.add(job);
          throw new IllegalStateException("event loop gone");
        });
    Thread.UncaughtExceptionHandler previous = Thread.currentThread().getUncaughtExceptionHandler();
    List<Throwable> reported = new ArrayList<>();
    Thread.currentThread().setUncaughtExceptionHandler((t, e) -> reported.add(e));
    try {
      long deadline = clock.nanoTime() + Duration.ofMillis(50).toNanos();
      c.offer("a", Priority.NORMAL, deadline);
      c.offer("b", Priority.NORMAL, deadline);
      clock.advance(Duration.ofMillis(50));
      assertThat(c.sweep()).isEqualTo(2);
    } finally {
      Thread.currentThread().setUncaughtExceptionHandler(previous);
    }
    assertThat(answered).containsExactly("a", "b");
    assertThat(reported).hasSize(2);
  }

  /** Runs {@code n} jobs one after another, {@code each} apart, so the drain rate is 1/each. */
  private void drain(AdmissionController<String> c, int n, Duration each) {
    for (int i = 0; i < n; i++) {
      c.offer("done" + i, Priority.NORMAL, NO_DEADLINE);
      Permit<String> p = c.poll();
      clock.advance(each);
      p.success();
    }
  }

  private static void fill(AdmissionController<String> c, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(c.offer("q" + i, Priority.CRITICAL, NO_DEADLINE).admitted()).isTrue();
    }
  }
}
