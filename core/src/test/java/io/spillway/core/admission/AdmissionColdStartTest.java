package io.spillway.core.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A freshly started server, as issue 10 measured it: its first jobs run for a long time (class loading, the JIT not
 * yet warm), the next ones slower than warm, and the load arrives from the first millisecond. The default settings,
 * 4 workers, 1 s deadlines. What it can serve within the deadline it must not shed; once warm it still sheds what it
 * cannot.
 */
class AdmissionColdStartTest {

  private static final Duration DEADLINE = Duration.ofSeconds(1);
  private static final long TICK = Duration.ofMillis(1).toNanos() / 20; // 50 us
  private static final int WORKERS = 4;

  private final ManualClock clock = new ManualClock();
  private final ShedLog<String> log = new ShedLog<>();
  private final AdmissionController<String> controller =
      new AdmissionController<>(AdmissionSettings.builder().workers(WORKERS).build(), clock, log);

  @Test
  void aColdServerCatchingUpWithinTheDeadlineShedsNothing() {
    // 2 000 jobs/s for 1.5 s; the first 4 jobs run 150 ms, jobs started in the first 400 ms run 4
    // ms (1 000/s,
    // half the arrival rate: the queue grows to ~550), then 0.1 ms (40 000/s: it drains in ~15 ms).
    Simulation run = simulate(Duration.ofMillis(1_500), Duration.ofNanos(500_000));
    assertThat(run.refused).as("refused at offer").isEmpty();
    assertThat(log.all()).as("shed from the queue").isEmpty();
    assertThat(run.served).isEqualTo(3_000);
    assertThat(run.latestFinishAfterDeadlineNanos).as("all served within 1 s").isNegative();
    assertThat(run.peakDepth).as("it did queue: the server was behind").isGreaterThan(400);
    assertThat(controller.congested()).isFalse();
  }

  @Test
  void theSameServerStillShedsASustainedOverloadOnceItHasMeasuredItself() {
    // 50 000 jobs/s against ~40 000/s once warm, for 3 s: some cannot be served in time
    Simulation run = simulate(Duration.ofSeconds(3), Duration.ofNanos(20_000));
    assertThat(run.refused.size() + log.all().size()).isPositive();
    assertThat(controller.shed(ShedReason.PRIORITY) + controller.shed(ShedReason.QUEUE_FULL))
        .as("warm, the normal class's 922 places wait ~23 ms: the excess is refused at once")
        .isPositive();
    assertThat(run.warmLatestFinishAfterDeadlineNanos)
        .as(
            "once warm, what is started finishes by its deadline (give or take a 0.1 ms job and a tick)")
        .isLessThanOrEqualTo(Duration.ofNanos(150_000).toNanos());
  }

  @Test
  void theEstimateJudgesNoOneBeforeItHasMeasured32Jobs() {
    for (int i = 0; i < 600; i++) {
      Admission<String> a =
          controller.offer("b" + i, Priority.NORMAL, clock.nanoTime() + DEADLINE.toNanos());
      assertThat(a.admitted())
          .as("b%d: the assumed 10 ms x 600 / 4 would say 1.5 s, but it is only assumed", i)
          .isTrue();
    }
    assertThat(controller.expectedWaitNanos(Priority.NORMAL)).isGreaterThan(DEADLINE.toNanos());
  }

  /** Runs open-loop arrivals every {@code every} for {@code span}, the cold-start run times, until all are done. */
  private Simulation simulate(Duration span, Duration every) {
    Simulation s = new Simulation();
    long start = clock.nanoTime();
    long nextArrival = start;
    int arrivals = 0;
    List<long[]> running = new ArrayList<>(); // {end nanos, index into permits, start nanos}
    List<Permit<String>> permits = new ArrayList<>();
    int started = 0;
    while (clock.nanoTime() - start < span.toNanos()
        || controller.queueDepth() > 0
        || !running.isEmpty()) {
      long now = clock.nanoTime();
      for (int i = running.size() - 1; i >= 0; i--) {
        long[] r = running.get(i);
        if (r[0] - now <= 0) {
          Permit<String> p = permits.get((int) r[1]);
          s.latestFinishAfterDeadlineNanos =
              Math.max(s.latestFinishAfterDeadlineNanos, now - p.deadlineNanos());
          if (r[2] - start >= Duration.ofMillis(400).toNanos()) {
            s.warmLatestFinishAfterDeadlineNanos =
                Math.max(s.warmLatestFinishAfterDeadlineNanos, now - p.deadlineNanos());
          }
          p.success();
          s.served++;
          running.remove(i);
        }
      }
      while (nextArrival - now <= 0 && nextArrival - start < span.toNanos()) {
        String job = "j" + arrivals++;
        Admission<String> a = controller.offer(job, Priority.NORMAL, now + DEADLINE.toNanos());
        if (!a.admitted()) {
          s.refused.add(job + " " + a.reason());
        }
        nextArrival += every.toNanos();
      }
      s.peakDepth = Math.max(s.peakDepth, controller.queueDepth());
      Permit<String> p;
      while (running.size() < WORKERS && (p = controller.poll()) != null) {
        long run = started < WORKERS
            ? Duration.ofMillis(150).toNanos()
            : now - start < Duration.ofMillis(400).toNanos()
                ? Duration.ofMillis(4).toNanos()
                : Duration.ofNanos(100_000).toNanos();
        started++;
        permits.add(p);
        running.add(new long[] {now + run, permits.size() - 1, now});
      }
      clock.advance(Duration.ofNanos(TICK));
    }
    return s;
  }

  private static final class Simulation {
    final List<String> refused = new ArrayList<>();
    int served;
    int peakDepth;
    long latestFinishAfterDeadlineNanos = Long.MIN_VALUE;
    long warmLatestFinishAfterDeadlineNanos = Long.MIN_VALUE;
  }
}
