package io.spillway.core.admission;

import static io.spillway.core.admission.AdmissionController.NO_DEADLINE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one place with real threads: take() must block and wake, bounded by generous timeouts. */
class AdmissionBlockingTakeTest {

  private static final long GENEROUS_SECONDS = 30;

  private final ManualClock clock = new ManualClock();
  private final ShedLog<String> log = new ShedLog<>();
  private final AdmissionController<String> controller = new AdmissionController<>(
      AdmissionSettings.builder()
          .queueCapacity(10)
          .workers(1)
          .assumedServiceTime(Duration.ofMillis(1))
          .build(),
      clock,
      log);
  private final ExecutorService worker = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopWorker() throws InterruptedException {
    worker.shutdownNow();
    assertThat(worker.awaitTermination(GENEROUS_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void takeWaitsForAnOfferAndReturnsIt() throws Exception {
    CompletableFuture<Void> waiting = new CompletableFuture<>();
    Future<Permit<String>> taken = worker.submit(() -> {
      waiting.complete(null);
      return controller.take(GENEROUS_SECONDS, TimeUnit.SECONDS);
    });
    waiting.get(GENEROUS_SECONDS, TimeUnit.SECONDS);
    controller.offer("a", Priority.NORMAL, NO_DEADLINE);
    assertThat(taken.get(GENEROUS_SECONDS, TimeUnit.SECONDS).job()).isEqualTo("a");
  }

  @Test
  void takeWaitsForAFreeSlotNotOnlyForAJob() throws Exception {
    controller.offer("first", Priority.NORMAL, NO_DEADLINE);
    Permit<String> running = controller.poll();
    controller.offer("second", Priority.NORMAL, NO_DEADLINE);
    Future<Permit<String>> taken =
        worker.submit(() -> controller.take(GENEROUS_SECONDS, TimeUnit.SECONDS));
    assertThatThrownBy(() -> taken.get(50, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    running.success();
    assertThat(taken.get(GENEROUS_SECONDS, TimeUnit.SECONDS).job()).isEqualTo("second");
  }

  @Test
  void takeReturnsNullWhenNothingArrivesInTime() throws Exception {
    assertThat(controller.take(1, TimeUnit.MILLISECONDS)).isNull();
    assertThat(controller.take(0, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void takeShedsExpiredJobsAndHandsThemOverBeforeReturning() throws Exception {
    controller.offer(
        "stale", Priority.NORMAL, clock.nanoTime() + Duration.ofMillis(5).toNanos());
    controller.offer("fresh", Priority.NORMAL, NO_DEADLINE);
    clock.advance(Duration.ofMillis(5));
    assertThat(controller.take(GENEROUS_SECONDS, TimeUnit.SECONDS).job()).isEqualTo("fresh");
    assertThat(log.jobs(ShedReason.DEADLINE)).containsExactly("stale");
  }

  @Test
  void takeAnswersWaitingJobsItShedsEvenWhenItGoesOnWaiting() throws Exception {
    controller.offer("first", Priority.NORMAL, NO_DEADLINE);
    Permit<String> running = controller.poll();
    controller.offer(
        "stale", Priority.NORMAL, clock.nanoTime() + Duration.ofMillis(5).toNanos());
    clock.advance(Duration.ofMillis(5));
    Future<Permit<String>> taken =
        worker.submit(() -> controller.take(GENEROUS_SECONDS, TimeUnit.SECONDS));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GENEROUS_SECONDS);
    while (log.all().isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(log.jobs(ShedReason.DEADLINE)).containsExactly("stale");
    assertThat(taken.isDone()).isFalse();
    running.success();
    controller.offer("next", Priority.NORMAL, NO_DEADLINE);
    assertThat(taken.get(GENEROUS_SECONDS, TimeUnit.SECONDS).job()).isEqualTo("next");
  }

  @Test
  void anInterruptedTakeThrows() {
    Thread.currentThread().interrupt();
    assertThatThrownBy(() -> controller.take(GENEROUS_SECONDS, TimeUnit.SECONDS))
        .isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).isFalse();
  }
}
