package io.spillway.core.admission;

import static io.spillway.core.admission.AdmissionController.NO_DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Service order, each class's share of a 10-job queue, eviction, and critical service under overload. */
class AdmissionPriorityTest {

  private final ManualClock clock = new ManualClock();
  private final ShedLog<String> log = new ShedLog<>();
  private final AdmissionController<String> controller = new AdmissionController<>(
      AdmissionSettings.builder().queueCapacity(10).workers(1).build(), clock, log);

  @Test
  void servesCriticalBeforeNormalBeforeSheddableAndEachClassInArrivalOrder() {
    controller.offer("s1", Priority.SHEDDABLE, NO_DEADLINE);
    controller.offer("n1", Priority.NORMAL, NO_DEADLINE);
    controller.offer("c1", Priority.CRITICAL, NO_DEADLINE);
    controller.offer("s2", Priority.SHEDDABLE, NO_DEADLINE);
    controller.offer("n2", Priority.NORMAL, NO_DEADLINE);
    controller.offer("c2", Priority.CRITICAL, NO_DEADLINE);
    assertThat(controller.queueDepth(Priority.CRITICAL)).isEqualTo(2);
    assertThat(controller.queueDepth(Priority.SHEDDABLE)).isEqualTo(2);
    assertThat(runAll()).containsExactly("c1", "c2", "n1", "n2", "s1", "s2");
  }

  @Test
  void shedsSheddableJobsOnceTheQueueIsHalfFull() {
    for (int i = 0; i < 5; i++) {
      assertThat(controller.offer("s" + i, Priority.SHEDDABLE, NO_DEADLINE).admitted())
          .isTrue();
    }
    Admission<String> refused = controller.offer("s5", Priority.SHEDDABLE, NO_DEADLINE);
    assertThat(refused.reason()).isEqualTo(ShedReason.PRIORITY);
    assertThat(refused.retryAfterSeconds())
        .as("6 x the assumed 10 ms, rounded up")
        .isEqualTo(1);
    assertThat(controller.shed(ShedReason.PRIORITY)).isEqualTo(1);
  }

  @Test
  void shedsNormalJobsOnceTheQueueIsNinetyPercentFullLeavingTheRestToCritical() {
    for (int i = 0; i < 9; i++) {
      assertThat(controller.offer("n" + i, Priority.NORMAL, NO_DEADLINE).admitted())
          .isTrue();
    }
    assertThat(controller.offer("n9", Priority.NORMAL, NO_DEADLINE).reason())
        .isEqualTo(ShedReason.PRIORITY);
    assertThat(controller.offer("c0", Priority.CRITICAL, NO_DEADLINE).admitted())
        .isTrue();
    assertThat(controller.queueDepth()).isEqualTo(10);
  }

  @Test
  void aCriticalArrivalIntoAFullQueueEvictsTheNewestJobOfTheLowestClass() {
    for (int i = 0; i < 3; i++) {
      controller.offer("s" + i, Priority.SHEDDABLE, NO_DEADLINE);
    }
    for (int i = 0; i < 6; i++) {
      controller.offer("n" + i, Priority.NORMAL, NO_DEADLINE);
    }
    controller.offer("c0", Priority.CRITICAL, NO_DEADLINE);
    assertThat(controller.queueDepth()).isEqualTo(10);

    assertThat(controller.offer("c1", Priority.CRITICAL, NO_DEADLINE).admitted())
        .isTrue();
    assertThat(controller.offer("c2", Priority.CRITICAL, NO_DEADLINE).admitted())
        .isTrue();
    assertThat(log.all()).extracting(ShedLog.Shed::job).containsExactly("s2", "s1");
    assertThat(log.all()).allSatisfy(s -> assertThat(s.reason()).isEqualTo(ShedReason.PRIORITY));
    assertThat(controller.queueDepth()).isEqualTo(10);
    assertThat(controller.queueDepth(Priority.SHEDDABLE)).isEqualTo(1);
  }

  @Test
  void aCriticalArrivalEvictsNormalJobsOnceNoSheddableIsLeftAndIsRefusedWhenOnlyCriticalRemain() {
    for (int i = 0; i < 9; i++) {
      controller.offer("n" + i, Priority.NORMAL, NO_DEADLINE);
    }
    controller.offer("c0", Priority.CRITICAL, NO_DEADLINE);
    for (int i = 1; i <= 9; i++) {
      assertThat(controller.offer("c" + i, Priority.CRITICAL, NO_DEADLINE).admitted())
          .isTrue();
    }
    assertThat(log.jobs(ShedReason.PRIORITY))
        .containsExactly("n8", "n7", "n6", "n5", "n4", "n3", "n2", "n1", "n0");
    assertThat(controller.offer("c10", Priority.CRITICAL, NO_DEADLINE).reason())
        .isEqualTo(ShedReason.QUEUE_FULL);
  }

  @Test
  void aNormalArrivalOverItsShareTakesThePlaceOfTheNewestSheddableJob() {
    for (int i = 0; i < 5; i++) {
      controller.offer("s" + i, Priority.SHEDDABLE, NO_DEADLINE);
    }
    for (int i = 0; i < 4; i++) {
      controller.offer("n" + i, Priority.NORMAL, NO_DEADLINE);
    }
    assertThat(controller.offer("n4", Priority.NORMAL, NO_DEADLINE).admitted()).isTrue();
    assertThat(log.jobs(ShedReason.PRIORITY)).containsExactly("s4");
    assertThat(controller.queueDepth())
        .as("a swap leaves the depth, and critical's reserve, as it was")
        .isEqualTo(9);
  }

  @Test
  void aSheddableArrivalNeverEvictsAnything() {
    for (int i = 0; i < 9; i++) {
      controller.offer("n" + i, Priority.NORMAL, NO_DEADLINE);
    }
    assertThat(controller.offer("s", Priority.SHEDDABLE, NO_DEADLINE).reason())
        .isEqualTo(ShedReason.PRIORITY);
    assertThat(log.all()).isEmpty();
  }

  @Test
  void criticalJobsKeepBeingAdmittedAndServedUnderSustainedOverload() {
    int criticalServed = 0;
    for (int round = 0; round < 500; round++) {
      for (int i = 0; i < 5; i++) {
        controller.offer("s" + round + "." + i, Priority.SHEDDABLE, NO_DEADLINE);
        controller.offer("n" + round + "." + i, Priority.NORMAL, NO_DEADLINE);
      }
      Admission<String> critical = controller.offer("c" + round, Priority.CRITICAL, NO_DEADLINE);
      assertThat(critical.admitted()).as("round %d", round).isTrue();
      Permit<String> p = controller.poll();
      assertThat(p.job()).isEqualTo("c" + round);
      criticalServed++;
      clock.advance(Duration.ofMillis(2));
      p.success();
    }
    assertThat(criticalServed).isEqualTo(500);
    assertThat(controller.shedding()).isTrue();
    assertThat(controller.shed(ShedReason.PRIORITY) + controller.shed(ShedReason.CODEL))
        .isPositive();
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
