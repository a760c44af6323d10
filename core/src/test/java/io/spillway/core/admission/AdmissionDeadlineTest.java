package io.spillway.core.admission;

import static io.spillway.core.admission.AdmissionController.NO_DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AdmissionDeadlineTest {

  private final ManualClock clock = new ManualClock();
  private final ShedLog<String> log = new ShedLog<>();
  private final AdmissionController<String> controller = new AdmissionController<>(
      AdmissionSettings.builder()
          .queueCapacity(100)
          .workers(1)
          .codelInterval(Duration.ofSeconds(10))
          .build(),
      clock,
      log);
  /** Assumes 1 min a job until one is measured, so that the first measurement replaces the assumption. */
  private final AdmissionController<String> measured = new AdmissionController<>(
      AdmissionSettings.builder()
          .queueCapacity(100)
          .workers(1)
          .codelInterval(Duration.ofSeconds(10))
          .assumedServiceTime(Duration.ofMinutes(1))
          .build(),
      clock,
      log);

  private long in(Duration d) {
    return clock.nanoTime() + d.toNanos();
  }

  @Test
  void refusesAJobWhoseDeadlineHasAlreadyPassed() {
    Admission<String> late = controller.offer("late", Priority.CRITICAL, clock.nanoTime());
    assertThat(late.reason()).isEqualTo(ShedReason.DEADLINE);
    assertThat(late.retryAfterSeconds()).isGreaterThanOrEqualTo(1);
    assertThat(controller
            .offer("later", Priority.CRITICAL, in(Duration.ofMillis(-1)))
            .reason())
        .isEqualTo(ShedReason.DEADLINE);
    assertThat(controller.queueDepth()).isZero();
    assertThat(controller.shed(ShedReason.DEADLINE)).isEqualTo(2);
  }

  @Test
  void refusesAJobThatCouldNotFinishBeforeItsDeadlineByLittlesLaw() {
    serveJobsOf100Millis();
    for (int i = 0; i < 5; i++) {
      measured.offer("ahead" + i, Priority.NORMAL, NO_DEADLINE);
    }
    // (5 ahead + 1) x 100 ms / 1 worker: 600 ms
    assertThat(measured.expectedWaitNanos(Priority.NORMAL))
        .isEqualTo(Duration.ofMillis(600).toNanos());
    assertThat(measured
            .offer("hurried", Priority.NORMAL, in(Duration.ofMillis(599)))
            .reason())
        .isEqualTo(ShedReason.DEADLINE);
    assertThat(measured
            .offer("patient", Priority.NORMAL, in(Duration.ofMillis(600)))
            .admitted())
        .isTrue();
  }

  @Test
  void countsOnlyTheJobsThatWouldRunFirstWhenEstimatingTheWait() {
    serveJobsOf100Millis();
    for (int i = 0; i < 5; i++) {
      measured.offer("sheddable" + i, Priority.SHEDDABLE, NO_DEADLINE);
    }
    assertThat(measured
            .offer("critical", Priority.CRITICAL, in(Duration.ofMillis(100)))
            .admitted())
        .isTrue();
  }

  @Test
  void refusesByTheEstimateOnlyOnce32JobsHaveBeenMeasured() {
    AdmissionController<String> fresh = new AdmissionController<>(
        AdmissionSettings.builder().queueCapacity(100).workers(1).build(), clock, log);
    for (int i = 0; i < 5; i++) {
      fresh.offer("ahead" + i, Priority.NORMAL, NO_DEADLINE);
    }
    // (5 + 1) x the assumed 10 ms: 60 ms, but nothing has been measured
    assertThat(fresh.expectedWaitNanos(Priority.NORMAL))
        .isEqualTo(Duration.ofMillis(60).toNanos());
    assertThat(
            fresh.offer("hurried", Priority.NORMAL, in(Duration.ofMillis(59))).admitted())
        .isTrue();
    for (int i = 0; i < ServiceTime.SAMPLES_TO_JUDGE - 1; i++) {
      Permit<String> p = fresh.poll();
      clock.advance(Duration.ofMillis(10));
      p.success();
      fresh.offer("more" + i, Priority.NORMAL, NO_DEADLINE);
    }
    assertThat(fresh
            .offer("31 measured", Priority.NORMAL, in(Duration.ofMillis(1)))
            .admitted())
        .isTrue();
    Permit<String> p = fresh.poll();
    clock.advance(Duration.ofMillis(10));
    p.success();
    assertThat(fresh
            .offer("32 measured", Priority.NORMAL, in(Duration.ofMillis(1)))
            .reason())
        .isEqualTo(ShedReason.DEADLINE);
  }

  @Test
  void anIdleSpellDoesNotChangeTheEstimate() {
    serveJobsOf100Millis();
    long before = measured.expectedWaitNanos(Priority.NORMAL);
    clock.advance(Duration.ofSeconds(30));
    assertThat(measured.expectedWaitNanos(Priority.NORMAL)).isEqualTo(before);
    assertThat(measured
            .offer("after idle", Priority.NORMAL, in(Duration.ofMillis(100)))
            .admitted())
        .isTrue();
  }

  @Test
  void dividesTheWaitByTheWorkers() {
    AdmissionController<String> four = new AdmissionController<>(
        AdmissionSettings.builder()
            .queueCapacity(1000)
            .workers(4)
            .assumedServiceTime(Duration.ofMillis(4))
            .build(),
        clock,
        log);
    for (int i = 0; i < 399; i++) {
      four.offer("q" + i, Priority.NORMAL, NO_DEADLINE);
    }
    // (399 + 1) x 4 ms / 4 workers
    assertThat(four.expectedWaitNanos(Priority.NORMAL))
        .isEqualTo(Duration.ofMillis(400).toNanos());
    assertThat(four.offer("fits", Priority.NORMAL, in(Duration.ofMillis(400))).admitted())
        .isTrue();
  }

  @Test
  void shedsQueuedJobPastDeadlineBeforeRunningIt() {
    controller.offer("short", Priority.CRITICAL, in(Duration.ofMillis(50)));
    controller.offer("long", Priority.NORMAL, in(Duration.ofSeconds(5)));
    clock.advance(Duration.ofMillis(50));
    Permit<String> p = controller.poll();
    assertThat(p.job()).isEqualTo("long");
    assertThat(log.all()).singleElement().satisfies(s -> {
      assertThat(s.job()).isEqualTo("short");
      assertThat(s.reason()).isEqualTo(ShedReason.DEADLINE);
      assertThat(s.retryAfterSeconds()).isEqualTo(1);
    });
    assertThat(controller.shed(ShedReason.DEADLINE)).isEqualTo(1);
  }

  @Test
  void shedsExpiredJobsAnywhereInTheQueueNotOnlyAtTheHead() {
    controller.offer("first", Priority.NORMAL, in(Duration.ofSeconds(5)));
    controller.offer("middle", Priority.NORMAL, in(Duration.ofMillis(30)));
    controller.offer("last", Priority.NORMAL, in(Duration.ofSeconds(5)));
    clock.advance(Duration.ofMillis(30));
    controller.offer("new", Priority.NORMAL, NO_DEADLINE);
    assertThat(log.jobs(ShedReason.DEADLINE)).containsExactly("middle");
    assertThat(controller.queueDepth()).isEqualTo(3);
  }

  @Test
  void sweepAnswersExpiredJobsWhileEveryWorkerIsBusy() {
    controller.offer("running", Priority.NORMAL, NO_DEADLINE);
    Permit<String> stuck = controller.poll();
    controller.offer("a", Priority.NORMAL, in(Duration.ofMillis(20)));
    controller.offer("b", Priority.NORMAL, in(Duration.ofMillis(30)));
    controller.offer("c", Priority.NORMAL, NO_DEADLINE);
    clock.advance(Duration.ofMillis(25));
    assertThat(controller.sweep()).isEqualTo(1);
    clock.advance(Duration.ofMillis(5));
    assertThat(controller.sweep()).isEqualTo(1);
    assertThat(controller.sweep()).isZero();
    assertThat(log.jobs(ShedReason.DEADLINE)).containsExactly("a", "b");
    assertThat(controller.queueDepth()).isEqualTo(1);
    stuck.success();
  }

  @Test
  void aJobWithoutDeadlineNeverExpires() {
    controller.offer("forever", Priority.NORMAL, NO_DEADLINE);
    clock.advance(Duration.ofSeconds(9));
    assertThat(controller.sweep()).isZero();
    assertThat(controller.poll().job()).isEqualTo("forever");
  }

  /** Runs 32 jobs of 100 ms each, one after another: the measured service time becomes 100 ms, and judges. */
  private void serveJobsOf100Millis() {
    for (int i = 0; i < ServiceTime.SAMPLES_TO_JUDGE; i++) {
      measured.offer("done", Priority.NORMAL, NO_DEADLINE);
      Permit<String> p = measured.poll();
      clock.advance(Duration.ofMillis(100));
      p.success();
    }
  }
}
