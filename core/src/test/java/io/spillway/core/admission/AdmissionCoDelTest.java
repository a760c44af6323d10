package io.spillway.core.admission;

import static io.spillway.core.admission.AdmissionController.NO_DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CoDel with the default 5 ms target and 100 ms interval, one worker, a negligible assumed service time and no
 * burst allowance, so that the standing time is the interval alone. {@link AdmissionBurstTest} covers bursts.
 */
class AdmissionCoDelTest {

  private final ManualClock clock = new ManualClock();
  private final ShedLog<String> log = new ShedLog<>();
  private final AdmissionController<String> controller = new AdmissionController<>(
      AdmissionSettings.builder()
          .queueCapacity(256)
          .workers(1)
          .assumedServiceTime(Duration.ofNanos(1))
          .burstAllowance(Duration.ZERO)
          .build(),
      clock,
      log);
  private Permit<String> busy;

  @BeforeEach
  void occupyTheOnlyWorker() {
    controller.offer("busy", Priority.CRITICAL, NO_DEADLINE);
    busy = controller.poll();
  }

  @Test
  void theQueueIsNotCongestedUntilItHasBeenNonEmptyForAWholeIntervalAndOverloaded() {
    controller.offer("a", Priority.NORMAL, NO_DEADLINE);
    assertThat(controller.congested()).isFalse();
    clock.advance(Duration.ofMillis(100));
    turnOneAway();
    assertThat(controller.congested()).as("empty at the start of the interval").isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(controller.congested()).isTrue();
    assertThat(controller.shedding()).isTrue();
  }

  @Test
  void aStandingQueueThatMeetsItsDeadlinesAndDrainsIsNotCongestedAndShedsNothing() {
    keepStandingWhileDraining(10, Duration.ofSeconds(1)); // 500 ms, one done every 50 ms
    assertThat(controller.congested())
        .as("stood 500 ms, draining, no deadline missed")
        .isFalse();
    assertThat(controller.sweep()).isZero();
    busy.ignore();
    assertThat(runAll()).hasSize(1);
    assertThat(log.all()).isEmpty();
  }

  @Test
  void aStandingQueueWhoseWorkersFinishNothingForAnIntervalIsCongested() {
    controller.offer(
        "a", Priority.NORMAL, clock.nanoTime() + Duration.ofSeconds(10).toNanos());
    clock.advance(Duration.ofMillis(101));
    assertThat(controller.congested())
        .as("no deadline missed, but nothing finished")
        .isTrue();
  }

  @Test
  void aDeadlineMissedLongerThanAnIntervalAgoDoesNotMakeTheQueueCongested() {
    turnOneAway();
    keepStandingWhileDraining(3, Duration.ofSeconds(1)); // 150 ms
    assertThat(controller.congested()).isFalse();
    turnOneAway();
    assertThat(controller.congested()).isTrue();
  }

  /**
   * Keeps one job queued for {@code steps} x 50 ms while the worker finishes one every 50 ms: a standing queue that
   * drains. The worker's job is in {@code busy} after.
   */
  private void keepStandingWhileDraining(int steps, Duration deadline) {
    controller.offer("s0", Priority.NORMAL, clock.nanoTime() + deadline.toNanos());
    for (int i = 1; i <= steps; i++) {
      controller.offer("s" + i, Priority.NORMAL, clock.nanoTime() + deadline.toNanos());
      clock.advance(Duration.ofMillis(50));
      busy.ignore();
      busy = controller.poll();
    }
  }

  @Test
  void whileNotCongestedAJobMayWaitUpToTheInterval() {
    controller.offer("a", Priority.NORMAL, NO_DEADLINE);
    clock.advance(Duration.ofMillis(99));
    busy.ignore(); // no run-time sample: the standing time stays the interval
    Permit<String> p = controller.poll();
    assertThat(p.job()).isEqualTo("a");
    assertThat(p.waitedNanos()).isEqualTo(Duration.ofMillis(99).toNanos());
    assertThat(log.all()).isEmpty();
  }

  @Test
  void whileCongestedShedsJobsWaitingLongerThanTheTargetAndServesTheNewestFirst() {
    keepTheQueueBusyFor(Duration.ofMillis(104));
    assertThat(controller.congested()).isTrue();
    controller.offer("x", Priority.NORMAL, NO_DEADLINE);
    controller.offer("y", Priority.NORMAL, NO_DEADLINE);
    controller.offer("z", Priority.NORMAL, NO_DEADLINE);
    assertThat(log.jobs(ShedReason.CODEL)).as("every filler older than 5 ms").hasSize(25);

    busy.ignore(); // no run-time sample: the standing time stays the interval
    assertThat(runAll()).containsExactly("z", "y", "x", "filler104", "filler100");
    assertThat(controller.shed(ShedReason.CODEL)).isEqualTo(25);
  }

  @Test
  void aCongestedQueueShedsAnOldJobEvenIfItWouldBeServedLast() {
    keepTheQueueBusyFor(Duration.ofMillis(104));
    clock.advance(Duration.ofMillis(6));
    assertThat(controller.sweep()).as("filler100 and filler104, both past 5 ms").isEqualTo(2);
    assertThat(log.all()).allSatisfy(s -> assertThat(s.reason()).isEqualTo(ShedReason.CODEL));
  }

  @Test
  void leavesCongestionWhenTheQueueEmptiesAndServesInArrivalOrderAgain() {
    keepTheQueueBusyFor(Duration.ofMillis(104));
    assertThat(controller.congested()).isTrue();
    busy.ignore(); // no run-time sample: the standing time stays the interval
    assertThat(runAll()).startsWith("filler104");
    assertThat(controller.congested()).isFalse();

    controller.offer("a", Priority.NORMAL, NO_DEADLINE);
    controller.offer("b", Priority.NORMAL, NO_DEADLINE);
    clock.advance(Duration.ofMillis(50));
    controller.offer("c", Priority.NORMAL, NO_DEADLINE);
    assertThat(controller.congested()).isFalse();
    assertThat(runAll()).containsExactly("a", "b", "c");
    assertThat(log.jobs(ShedReason.CODEL)).doesNotContain("a", "b", "c");
  }

  @Test
  void servesInArrivalOrderWhileNotCongested() {
    controller.offer("a", Priority.NORMAL, NO_DEADLINE);
    controller.offer("b", Priority.NORMAL, NO_DEADLINE);
    controller.offer("c", Priority.NORMAL, NO_DEADLINE);
    busy.ignore(); // no run-time sample: the standing time stays the interval
    assertThat(runAll()).containsExactly("a", "b", "c");
  }

  /** Offers a filler every 4 ms from now until {@code span} from now, one worker busy throughout. */
  private void keepTheQueueBusyFor(Duration span) {
    for (long t = 0; t <= span.toMillis(); t += 4) {
      if (t > 100) {
        turnOneAway();
      }
      controller.offer("filler" + t, Priority.NORMAL, NO_DEADLINE);
      if (t < span.toMillis()) {
        clock.advance(Duration.ofMillis(4));
      }
    }
  }

  /**
   * Offers a job whose deadline has passed, as under overload (a client's own backlog used its time up): a missed
   * deadline, which a standing queue needs to be congested. The refusal itself must not shed anything queued.
   */
  private void turnOneAway() {
    assertThat(controller.offer("hurried", Priority.SHEDDABLE, clock.nanoTime()).reason())
        .isEqualTo(ShedReason.DEADLINE);
  }

  private List<String> runAll() {
    List<String> served = new ArrayList<>();
    Permit<String> p;
    while ((p = controller.poll()) != null) {
      served.add(p.job());
      p.success();
    }
    return served;
  }
}
