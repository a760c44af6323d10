package io.spillway.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.core.admission.AdmissionController;
import io.spillway.core.admission.AdmissionSettings;
import io.spillway.core.admission.Priority;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.wire.TestServer;
import java.net.InetAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admission layer over real sockets, with the JDK's HttpClient: every worker is held on a latch (a hook in the
 * routes), so what the server does with the requests that cannot run is visible while they cannot run.
 */
class AdmissionWireTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  private final CountDownLatch release = new CountDownLatch(1);
  private final AtomicInteger running = new AtomicInteger();
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private TestServer server;
  private HttpTestClient http;

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.close();
    }
  }

  /**
   * Two workers, a queue of 8, and CoDel slowed down so that it does not shed what these tests hold in the queue (the
   * CoDel test puts the defaults back).
   */
  private void start(
      UnaryOperator<AdmissionSettings.Builder> admission,
      UnaryOperator<HttpConfig.Builder> httpTweak) {
    server = TestServer.start(b -> b.admission(admission
            .apply(AdmissionSettings.builder()
                .workers(2)
                .queueCapacity(8)
                .codelInterval(Duration.ofSeconds(60))
                .codelTarget(Duration.ofSeconds(30)))
            .build())
        .http(httpTweak.apply(HttpConfig.builder().port(0)).build()));
    http = new HttpTestClient(server.server().http().port());
    server.server().http().routes().beforeRun(e -> {
      running.incrementAndGet();
      ran.add(e.priority.name());
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
  }

  private AdmissionController<?> controller() {
    return server.server().http().admission();
  }

  private CompletableFuture<HttpResponse<String>> publish(String priority, String deadlineMs) {
    HttpRequest.Builder r = http.publishRequest("c", "m").header("X-Priority", priority);
    if (deadlineMs != null) {
      r.header("X-Request-Timeout-Ms", deadlineMs);
    }
    return http.async(r.build());
  }

  /** Holds both workers and fills the queue with {@code queued} critical requests; returns those requests. */
  private List<CompletableFuture<HttpResponse<String>>> holdWorkersAndQueue(int queued) {
    List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      admitted.add(publish("critical", "20000"));
    }
    await().atMost(WAIT).until(() -> running.get() == 2);
    for (int i = 0; i < queued; i++) {
      admitted.add(publish("critical", "20000"));
      int depth = i + 1;
      await().atMost(WAIT).until(() -> controller().queueDepth() == depth);
    }
    return admitted;
  }

  @Test
  void overflowIsAnswered503WithRetryAfterWhileEveryWorkerIsHeld() {
    start(a -> a, h -> h);
    List<CompletableFuture<HttpResponse<String>>> admitted = holdWorkersAndQueue(8);

    List<CompletableFuture<HttpResponse<String>>> overflow = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      overflow.add(publish("critical", "20000"));
    }
    CompletableFuture.allOf(overflow.toArray(new CompletableFuture<?>[0]))
        .orTimeout(15, TimeUnit.SECONDS)
        .join();

    assertThat(release.getCount()).as("workers still held").isEqualTo(1);
    assertThat(running.get()).isEqualTo(2);
    for (CompletableFuture<HttpResponse<String>> f : overflow) {
      HttpResponse<String> r = f.join();
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.headers().firstValue("x-spillway-shed")).hasValue("queue_full");
      assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow()))
          .isBetween(1L, 30L);
    }
    assertThat(admitted).noneMatch(CompletableFuture::isDone);
    String metrics =
        http.async(HttpRequest.newBuilder(http.uri("/metrics")).build()).join().body();
    assertThat(metrics)
        .contains("spillway_http_shed_total{reason=\"queue_full\"} 20")
        .contains("spillway_http_queue_depth 8")
        .contains("spillway_http_in_flight_requests 2");

    release.countDown();
    for (CompletableFuture<HttpResponse<String>> f : admitted) {
      assertThat(f.orTimeout(15, TimeUnit.SECONDS).join().statusCode()).isEqualTo(200);
    }
  }

  @Test
  void queuedRequestPastItsDeadlineIsAnswered504WithoutRunning() {
    start(a -> a, h -> h);
    List<CompletableFuture<HttpResponse<String>>> admitted = holdWorkersAndQueue(0);

    HttpResponse<String> late =
        publish("normal", "300").orTimeout(15, TimeUnit.SECONDS).join();

    assertThat(late.statusCode()).isEqualTo(504);
    assertThat(late.headers().firstValue("x-spillway-shed")).hasValue("deadline");
    assertThat(release.getCount())
        .as("answered while the workers were still held")
        .isEqualTo(1);
    release.countDown();
    admitted.forEach(f -> f.orTimeout(15, TimeUnit.SECONDS).join());
    assertThat(running.get()).as("the expired request never ran").isEqualTo(2);
  }

  @Test
  void runningRequestPastItsDeadlineIsNotPublished() throws Exception {
    start(a -> a, h -> h);
    server.server().http().routes().beforeRun(e -> {
      try {
        Thread.sleep(
            400); // the work itself outlives the deadline; this is the work, not a wait for the
        // test
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    long before = server.server().stats().messagesPublished();

    HttpResponse<String> r =
        publish("normal", "100").orTimeout(15, TimeUnit.SECONDS).join();

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).contains("not published");
    assertThat(server.server().stats().messagesPublished()).isEqualTo(before);
  }

  @Test
  void congestedQueueShedsRequestsThatWaitedPastTheCodelTarget() {
    start(a -> a.codelInterval(Duration.ofMillis(100)).codelTarget(Duration.ofMillis(5)), h -> h);
    List<CompletableFuture<HttpResponse<String>>> held = holdWorkersAndQueue(0);

    List<CompletableFuture<HttpResponse<String>>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(publish("normal", "20000"));
    }
    CompletableFuture.allOf(queued.toArray(new CompletableFuture<?>[0]))
        .orTimeout(15, TimeUnit.SECONDS)
        .join();

    assertThat(release.getCount()).as("shed while the workers were still held").isEqualTo(1);
    for (CompletableFuture<HttpResponse<String>> f : queued) {
      assertThat(f.join().statusCode()).isEqualTo(503);
      assertThat(f.join().headers().firstValue("x-spillway-shed")).hasValue("codel");
      assertThat(f.join().headers().firstValue("retry-after")).isPresent();
    }
    assertThat(controller().shed(io.spillway.core.admission.ShedReason.CODEL)).isEqualTo(3);
    release.countDown();
    held.forEach(f -> f.orTimeout(15, TimeUnit.SECONDS).join());
  }

  @Test
  void queuedRequestWhoseClientHasGoneIsNotRun() throws Exception {
    start(a -> a, h -> h);
    List<CompletableFuture<HttpResponse<String>>> held = holdWorkersAndQueue(0);
    try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), http.port)) {
      s.getOutputStream()
          .write("POST /v1/publish/c HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\ngone"
              .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      await().atMost(WAIT).until(() -> controller().queueDepth() == 1);
    }
    await().atMost(WAIT).until(() -> server.server().http().openConnections() == 2);

    release.countDown();
    held.forEach(
        f -> assertThat(f.orTimeout(15, TimeUnit.SECONDS).join().statusCode()).isEqualTo(200));
    await()
        .atMost(WAIT)
        .until(() -> controller().queueDepth() == 0 && controller().inFlight() == 0);
    assertThat(server.server().stats().messagesPublished())
        .as("only the two held publishes")
        .isEqualTo(2);
  }

  @Test
  void deadlineHeaderMustBeAPositiveNumber() {
    start(a -> a, h -> h);
    assertThat(publish("normal", "soon").join().statusCode()).isEqualTo(400);
    assertThat(publish("urgent", null).join().statusCode()).isEqualTo(400);
  }

  @Test
  void lowerPrioritiesAreShedFirstAndCriticalIsServedFirst() {
    start(a -> a.queueCapacity(4), h -> h);
    List<CompletableFuture<HttpResponse<String>>> held = holdWorkersAndQueue(0);
    ran.clear();

    List<CompletableFuture<HttpResponse<String>>> sheddable = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sheddable.add(publish("sheddable", "20000"));
    }
    await()
        .atMost(WAIT)
        .until(() -> sheddable.stream().filter(CompletableFuture::isDone).count()
                + controller().queueDepth(Priority.SHEDDABLE)
            == 4);
    int queuedSheddable = controller().queueDepth(Priority.SHEDDABLE);
    assertThat(queuedSheddable)
        .as("sheddable requests only get part of the queue")
        .isBetween(1, 3);
    for (CompletableFuture<HttpResponse<String>> f : sheddable) {
      if (f.isDone()) {
        assertThat(f.join().statusCode()).isEqualTo(503);
        assertThat(f.join().headers().firstValue("x-spillway-shed")).hasValue("priority");
      }
    }

    List<CompletableFuture<HttpResponse<String>>> critical = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      critical.add(publish("critical", "20000"));
    }
    await().atMost(WAIT).until(() -> controller().queueDepth(Priority.CRITICAL) == 4);
    assertThat(controller().queueDepth(Priority.SHEDDABLE))
        .as("critical evicted the sheddable")
        .isZero();
    await().atMost(WAIT).until(() -> sheddable.stream().allMatch(CompletableFuture::isDone));
    assertThat(sheddable).allMatch(f -> f.join().statusCode() == 503);

    release.countDown();
    held.forEach(f -> f.orTimeout(15, TimeUnit.SECONDS).join());
    for (CompletableFuture<HttpResponse<String>> f : critical) {
      assertThat(f.orTimeout(15, TimeUnit.SECONDS).join().statusCode()).isEqualTo(200);
    }
    assertThat(ran).startsWith("CRITICAL", "CRITICAL", "CRITICAL", "CRITICAL");
  }

  @Test
  void clientOverItsRateGets429WithRetryAfterAndRateLimitHeaders() throws Exception {
    start(a -> a, h -> h.rateLimit(1).rateBurst(3));
    release.countDown();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> ok = http.publish("r", "m");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.headers().firstValue("ratelimit-limit")).hasValue("3");
    }
    HttpResponse<String> limited = http.publish("r", "m");

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("x-spillway-shed")).hasValue("rate_limited");
    assertThat(Long.parseLong(limited.headers().firstValue("retry-after").orElseThrow()))
        .isBetween(1L, 2L);
    assertThat(limited.headers().firstValue("ratelimit-remaining")).hasValue("0");
    assertThat(controller().shed(io.spillway.core.admission.ShedReason.RATE_LIMITED))
        .isEqualTo(1);
  }

  @Test
  void readinessReports503WhileShedding() {
    start(a -> a, h -> h);
    holdWorkersAndQueue(8);
    assertThat(publish("critical", "20000").join().statusCode()).isEqualTo(503);

    assertThat(http.async(HttpRequest.newBuilder(http.uri("/readyz")).build())
            .join()
            .statusCode())
        .isEqualTo(503);
    assertThat(http.async(HttpRequest.newBuilder(http.uri("/healthz")).build())
            .join()
            .statusCode())
        .isEqualTo(200);
  }

  @Test
  void withAdmissionOffNothingIsShedAndEverythingWaits() {
    start(a -> a, h -> h.admission(false));
    List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      all.add(publish("sheddable", "1"));
    }
    await().atMost(WAIT).until(() -> running.get() == 2);
    assertThat(all).noneMatch(CompletableFuture::isDone);
    release.countDown();
    for (CompletableFuture<HttpResponse<String>> f : all) {
      assertThat(f.orTimeout(15, TimeUnit.SECONDS).join().statusCode()).isEqualTo(200);
    }
  }
}
