package io.spillway.core.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A burst after idle, as the issue measured it: 4 workers, the default queue and CoDel, 1 s deadlines, jobs of
 * 2 ms. The estimate must admit what the workers can serve in time, and CoDel must not take a burst that drains as
 * fast as the estimate said for a standing queue.
 */
class AdmissionBurstTest {

  private static final Duration RUN = Duration.ofMillis(2);
  private static final Duration DEADLINE = Duration.ofSeconds(1);

  private final ManualClock clock = new ManualClock();
  private final ShedLog<String> log = new ShedLog<>();
  private final AdmissionController<String> controller =
      new AdmissionController<>(AdmissionSettings.builder().workers(4).build(), clock, log);

  @Test
  void aBurstOf400AfterAnIdleSecondIsAdmittedAndServedWithoutShedding() {
    serveSomeJobs(); // measured: 2 ms a job
    clock.advance(Duration.ofSeconds(1)); // idle: no completion in the last second
    for (int i = 0; i < 400; i++) {
      Admission<String> a =
          controller.offer("b" + i, Priority.NORMAL, clock.nanoTime() + DEADLINE.toNanos());
      assertThat(a.admitted()).as("b%d: %s", i, a.reason()).isTrue();
    }
    List<String> served = drainWithFourWorkers();
    assertThat(served).hasSize(400);
    assertThat(log.all()).as("nothing shed from the queue").isEmpty();
    assertThat(controller.congested()).isFalse();
  }

  @Test
  void theFirstBurstOfAFreshServerIsBoundedByTheQueueNotByTheAssumedServiceTime() {
    // 10 ms assumed, 4 workers would say 2.5 s for 1000: nothing measured yet, so the queue's 1024
    // bound it
    for (int i = 0; i < 1030; i++) {
      controller.offer("b" + i, Priority.CRITICAL, clock.nanoTime() + DEADLINE.toNanos());
    }
    assertThat(controller.queueDepth()).isEqualTo(1024);
    assertThat(controller.shed(ShedReason.DEADLINE)).isZero();
    assertThat(controller.shed(ShedReason.QUEUE_FULL)).isEqualTo(6);
  }

  @Test
  void oneStalledCompletionDoesNotSwingTheEstimate() {
    serveSomeJobs();
    long before = controller.serviceTimeNanos();
    for (int i = 0; i < 10; i++) {
      controller.offer("q" + i, Priority.NORMAL, AdmissionController.NO_DEADLINE);
    }
    List<Permit<String>> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      running.add(controller.poll());
    }
    clock.advance(Duration.ofMillis(300)); // a GC pause: 300 ms x 4 workers would be a 1.2 s sample
    running.get(0).success();
    assertThat(controller.serviceTimeNanos())
        .as("at most 4 x the estimate, weighted 0.1")
        .isLessThanOrEqualTo((long) (before * 1.3) + 1);
    running.subList(1, 4).forEach(Permit::success);
  }

  @Test
  void aQueueThatOutlivesItsPeaksDrainTimeBecomesCongested() {
    serveSomeJobs();
    for (int i = 0; i < 100; i++) {
      controller.offer("q" + i, Priority.NORMAL, AdmissionController.NO_DEADLINE);
    }
    // peak 100 at 2 ms / 4 workers: 50 ms to drain, at least 1 s, plus the 100 ms interval
    clock.advance(Duration.ofMillis(1_100));
    missADeadline(controller);
    assertThat(controller.congested()).isFalse();
    clock.advance(Duration.ofMillis(2));
    assertThat(controller.congested()).isTrue();
  }

  @Test
  void refusalsDoNotEndABurstsAllowance() {
    AdmissionController<String> small = new AdmissionController<>(
        AdmissionSettings.builder().workers(4).queueCapacity(100).build(), clock, log);
    for (int i = 0; i < 150; i++) {
      small.offer("b" + i, Priority.CRITICAL, clock.nanoTime() + 5 * DEADLINE.toNanos());
    }
    assertThat(small.shed(ShedReason.QUEUE_FULL)).isEqualTo(50);
    clock.advance(Duration.ofMillis(200));
    assertThat(small
            .offer("its tail", Priority.CRITICAL, clock.nanoTime() + DEADLINE.toNanos())
            .reason())
        .isEqualTo(ShedReason.QUEUE_FULL);
    // peak 100 at the assumed 10 ms / 4 workers: 250 ms, so the burst allowance: 100 ms + 1 s
    clock.advance(Duration.ofMillis(900));
    missADeadline(small);
    assertThat(small.congested()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(small.congested()).isTrue();
  }

  @Test
  void aQueueThatFillsWhileTheServerHasBeenBusyForLongerThanTheAllowanceIsNotABurst() {
    serveSomeJobs();
    List<Permit<String>> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      controller.offer("long" + i, Priority.NORMAL, AdmissionController.NO_DEADLINE);
      running.add(controller.poll());
    }
    clock.advance(Duration.ofMillis(1_500)); // busy, never idle, for longer than the 1 s allowance
    for (int i = 0; i < 100; i++) {
      controller.offer("q" + i, Priority.NORMAL, AdmissionController.NO_DEADLINE);
    }
    clock.advance(Duration.ofMillis(100));
    missADeadline(controller);
    assertThat(controller.congested()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(controller.congested()).as("sustained load: the interval alone").isTrue();
    running.forEach(Permit::success);
  }

  @Test
  void theQueueHoldsTheBurstCapacityWhileItMeetsDeadlinesAndTheSmallerOneWhileCongested() {
    assertThat(controller.queueCapacity()).as("idle").isEqualTo(1024);
    List<Permit<String>> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      controller.offer("long" + i, Priority.NORMAL, AdmissionController.NO_DEADLINE);
      running.add(controller.poll());
    }
    clock.advance(Duration.ofSeconds(2)); // busy, never idle
    controller.offer("w1", Priority.NORMAL, AdmissionController.NO_DEADLINE);
    controller.offer("w2", Priority.NORMAL, AdmissionController.NO_DEADLINE);
    clock.advance(Duration.ofMillis(60));
    running.remove(0).success();
    running.add(controller.poll()); // w1
    clock.advance(Duration.ofMillis(50));
    assertThat(controller.queueCapacity())
        .as("busy for 2 s, a queue standing for 110 ms and draining, no deadline missed")
        .isEqualTo(1024);
    missADeadline(controller);
    assertThat(controller.queueCapacity()).as("congested").isEqualTo(256);
    assertThat(controller.sweep()).as("w2 waited 110 ms, over the 5 ms target").isEqualTo(1);
    assertThat(log.jobs(ShedReason.CODEL)).containsExactly("w2");
    running.forEach(Permit::success);
    assertThat(controller.queueCapacity()).as("emptied").isEqualTo(1024);
  }

  /** Offers a job whose deadline has passed: refused, a missed deadline. */
  private void missADeadline(AdmissionController<String> c) {
    assertThat(c.offer("late", Priority.SHEDDABLE, clock.nanoTime()).reason())
        .isEqualTo(ShedReason.DEADLINE);
  }

  private void serveSomeJobs() {
    for (int i = 0; i < 4; i++) {
      controller.offer("warm" + i, Priority.NORMAL, AdmissionController.NO_DEADLINE);
      Permit<String> p = controller.poll();
      clock.advance(RUN);
      p.success();
    }
  }

  /** Four workers, each job RUN long, until the queue is empty; returns the jobs served in order. */
  private List<String> drainWithFourWorkers() {
    List<String> served = new ArrayList<>();
    List<Permit<String>> running = new ArrayList<>();
    while (true) {
      Permit<String> p;
      while (running.size() < 4 && (p = controller.poll()) != null) {
        running.add(p);
      }
      if (running.isEmpty()) {
        return served;
      }
      clock.advance(RUN);
      for (Permit<String> r : running) {
        assertThat(clock.nanoTime()).isLessThanOrEqualTo(r.deadlineNanos());
        served.add(r.job());
        r.success();
      }
      running.clear();
    }
  }
}
