package io.spillway.core.admission;

import static io.spillway.core.admission.AdmissionController.NO_DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every adaptive limit algorithm meets inside the controller, fed run times by a manual clock: 64
 * workers, limit between 2 and 64, a "fast" job runs 10 ms and a "slow" one 200 ms (AIMD's timeout is 50 ms).
 */
class AdaptiveLimitContractTest {

  private static final int WORKERS = 64;
  private static final int MIN_LIMIT = 2;
  private static final Duration FAST = Duration.ofMillis(10);
  private static final Duration SLOW = Duration.ofMillis(200);

  private final ManualClock clock = new ManualClock();
  private final ShedLog<String> log = new ShedLog<>();
  private int jobs;

  private AdmissionController<String> controller(LimitAlgorithm algorithm) {
    return new AdmissionController<>(
        AdmissionSettings.builder()
            .queueCapacity(1024)
            .workers(WORKERS)
            .minLimit(MIN_LIMIT)
            .limitAlgorithm(algorithm)
            .aimdTimeout(Duration.ofMillis(50))
            .build(),
        clock,
        log);
  }

  @ParameterizedTest
  @EnumSource(
      value = LimitAlgorithm.class,
      names = {"GRADIENT2", "VEGAS", "AIMD"})
  void limitFallsWhenRunTimesRiseAndRisesAgainWhenTheyFall(LimitAlgorithm algorithm) {
    AdmissionController<String> c = controller(algorithm);
    assertThat(c.limit()).as("starts at the ceiling").isEqualTo(WORKERS);
    for (int r = 0; r < 3; r++) {
      runRound(c, FAST);
    }
    int before = c.limit();
    int lowest = before;
    for (int r = 0; r < 3; r++) {
      runRound(c, SLOW);
      lowest = Math.min(lowest, c.limit());
    }
    assertThat(lowest)
        .as("%s while jobs take 20 times longer", algorithm)
        .isLessThan(before * 3 / 4);
    int highest = c.limit();
    for (int r = 0; r < 20; r++) {
      runRound(c, FAST);
      highest = Math.max(highest, c.limit());
    }
    assertThat(highest).as("%s once they are fast again", algorithm).isGreaterThan(lowest * 2);
  }

  @ParameterizedTest
  @EnumSource(
      value = LimitAlgorithm.class,
      names = {"GRADIENT2", "VEGAS", "AIMD"})
  void limitStaysBetweenTheFloorAndTheCeiling(LimitAlgorithm algorithm) {
    AdmissionController<String> c = controller(algorithm);
    for (int r = 0; r < 30; r++) {
      runRound(c, r % 10 < 5 ? SLOW : FAST);
      assertThat(c.limit()).isBetween(MIN_LIMIT, WORKERS);
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = LimitAlgorithm.class,
      names = {"GRADIENT2", "VEGAS", "AIMD"})
  void neverRunsMoreJobsThanTheLimitAndShedsOnceAsManyWait(LimitAlgorithm algorithm) {
    AdmissionController<String> c = controller(algorithm);
    runRound(c, FAST);
    runRound(c, SLOW);
    int limit = c.limit();
    assertThat(limit).isLessThan(WORKERS);

    for (int i = 0; i < 2 * limit; i++) {
      assertThat(c.offer("j" + i, Priority.NORMAL, NO_DEADLINE).admitted()).isTrue();
    }
    List<Permit<String>> running = pollAll(c);
    assertThat(running).hasSize(limit);
    assertThat(c.inFlight()).isEqualTo(limit);
    assertThat(c.queueDepth()).isEqualTo(limit);
    Admission<String> refused = c.offer("one-too-many", Priority.NORMAL, NO_DEADLINE);
    assertThat(refused.reason()).isEqualTo(ShedReason.CONCURRENCY_LIMIT);
    assertThat(c.shed(ShedReason.CONCURRENCY_LIMIT)).isEqualTo(1);
    assertThat(c.offer("vip", Priority.CRITICAL, NO_DEADLINE).admitted())
        .as("a critical job takes a waiting lower one's place")
        .isTrue();
  }

  @Test
  void withoutAnAlgorithmTheLimitIsTheWorkerCountAndNeverSheds() {
    AdmissionController<String> c = controller(LimitAlgorithm.NONE);
    for (int r = 0; r < 5; r++) {
      runRound(c, SLOW);
      assertThat(c.limit()).isEqualTo(WORKERS);
    }
    for (int i = 0; i < 3 * WORKERS; i++) {
      assertThat(c.offer("j" + i, Priority.CRITICAL, NO_DEADLINE).admitted()).isTrue();
    }
    assertThat(pollAll(c)).hasSize(WORKERS);
    assertThat(c.shed(ShedReason.CONCURRENCY_LIMIT)).isZero();
  }

  @Test
  void gradient2CanLowerASmallLimit() {
    AdmissionController<String> c = new AdmissionController<>(
        AdmissionSettings.builder()
            .workers(4)
            .limitAlgorithm(LimitAlgorithm.GRADIENT2)
            .build(),
        clock,
        log);
    for (int r = 0; r < 3; r++) {
      runRound(c, FAST);
    }
    assertThat(c.limit()).isEqualTo(4);
    for (int r = 0; r < 5; r++) {
      runRound(c, SLOW);
    }
    assertThat(c.limit()).isLessThan(4);
  }

  @Test
  void aimdBacksOffWhenJobsAreDropped() {
    AdmissionController<String> c = controller(LimitAlgorithm.AIMD);
    for (int i = 0; i < 4; i++) {
      c.offer("j" + i, Priority.NORMAL, NO_DEADLINE);
    }
    List<Permit<String>> running = pollAll(c);
    clock.advance(FAST);
    running.forEach(Permit::dropped);
    assertThat(c.limit()).isLessThan(WORKERS);
  }

  @Test
  void ignoredJobsLeaveTheLimitAlone() {
    AdmissionController<String> c = controller(LimitAlgorithm.AIMD);
    for (int i = 0; i < WORKERS; i++) {
      c.offer("j" + i, Priority.NORMAL, NO_DEADLINE);
    }
    List<Permit<String>> running = pollAll(c);
    clock.advance(SLOW);
    running.forEach(Permit::ignore);
    assertThat(c.limit()).isEqualTo(WORKERS);
  }

  /** Fills every slot the limit allows, lets the jobs run for {@code runTime}, and reports them done. */
  private void runRound(AdmissionController<String> c, Duration runTime) {
    int n = c.limit();
    for (int i = 0; i < n; i++) {
      c.offer("job" + jobs++, Priority.NORMAL, NO_DEADLINE);
    }
    List<Permit<String>> running = pollAll(c);
    assertThat(running).hasSize(n);
    clock.advance(runTime);
    running.forEach(Permit::success);
  }

  private static List<Permit<String>> pollAll(AdmissionController<String> c) {
    List<Permit<String>> running = new ArrayList<>();
    Permit<String> p;
    while ((p = c.poll()) != null) {
      running.add(p);
    }
    return running;
  }
}
