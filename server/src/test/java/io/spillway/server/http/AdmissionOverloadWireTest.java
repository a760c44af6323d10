package io.spillway.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.admission.AdmissionSettings;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.wire.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sustained 4× overload with the default admission settings, over real sockets with the JDK's HttpClient: two
 * workers whose every request takes 20 ms (a hook in the routes), so the server can serve 100 requests/s; 400/s are
 * offered for 3 s, open loop. Admission must still shed (the burst fix must not have made it admit everything), and
 * what it admits must be answered within the 1 s deadline (p99, from arrival, as the server measures it, within its 1 % precision).
 */
class AdmissionOverloadWireTest {

  private static final int WORKERS = 2;
  private static final long RUN_MILLIS = 20;
  private static final int RATE = 4 * (int) (WORKERS * 1000 / RUN_MILLIS);
  private static final Duration LOAD = Duration.ofSeconds(3);
  private static final Duration DEADLINE = HttpConfig.DEFAULT_PUBLISH_DEADLINE;

  private TestServer server;

  /**
   * The p99 of the publishes answered 2xx, from arrival to answer, as the server measured it (its one-minute
   * summary): what the deadline, counted from arrival, bounds. The client's own figure adds its scheduling, which on
   * a shared 2-core machine can be seconds, and is only reported.
   */
  private double serverAdmittedP99Seconds(HttpClient http) throws Exception {
    String metrics = http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.server().http().port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
    for (String line : metrics.split("\n", -1)) {
      if (line.startsWith("spillway_http_request_duration_window_seconds{")
          && line.contains("publish")
          && line.contains("status_class=\"2xx\"")
          && line.contains("quantile=\"0.99\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no 2xx publish p99 in /metrics:\n" + metrics);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void sustainedFourfoldOverloadIsShedAndWhatIsAdmittedIsAnsweredWithinTheDeadline()
      throws Exception {
    server = TestServer.start(
        b -> b.admission(AdmissionSettings.builder().workers(WORKERS).build()));
    server.server().http().routes().beforeRun(e -> {
      try {
        Thread.sleep(RUN_MILLIS);
      } catch (InterruptedException ignored) {
        Thread.currentThread().interrupt();
      }
    });
    HttpClient http =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri =
        URI.create("http://127.0.0.1:" + server.server().http().port() + "/v1/publish/overload");
    // Open the connections the load will need first (the JDK client opens one per outstanding
    // request), so that
    // connecting is not counted in the answer times: the server's deadline runs from the request's
    // arrival.
    List<CompletableFuture<?>> warm = new ArrayList<>();
    for (int i = 0; i < RATE + RATE / 4; i++) {
      warm.add(http.sendAsync(
          HttpRequest.newBuilder(uri)
              .POST(HttpRequest.BodyPublishers.ofString("w"))
              .build(),
          HttpResponse.BodyHandlers.discarding()));
    }
    CompletableFuture.allOf(warm.toArray(new CompletableFuture<?>[0]))
        .handle((v, e) -> null)
        .get(30, TimeUnit.SECONDS);
    Thread.sleep(DEADLINE.toMillis());
    ConcurrentLinkedQueue<long[]> answers = new ConcurrentLinkedQueue<>(); // {status, nanos}
    List<CompletableFuture<?>> calls = new ArrayList<>();
    long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
    long start = System.nanoTime();
    for (long due = start; due - start < LOAD.toNanos(); due += interval) {
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      long sent = System.nanoTime();
      calls.add(http.sendAsync(
              HttpRequest.newBuilder(uri)
                  .POST(HttpRequest.BodyPublishers.ofString("m"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .whenComplete((r, err) -> answers.add(
              new long[] {err == null ? r.statusCode() : 0, System.nanoTime() - sent})));
    }
    CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
        .handle((v, e) -> null)
        .get(30, TimeUnit.SECONDS);

    Map<Long, Integer> byStatus = new TreeMap<>();
    List<Long> ok = new ArrayList<>();
    for (long[] a : answers) {
      byStatus.merge(a[0], 1, Integer::sum);
      if (a[0] == 200) {
        ok.add(a[1]);
      }
    }
    ok.sort(null);
    long p99 = ok.isEmpty() ? Long.MAX_VALUE : ok.get((int) Math.ceil(ok.size() * 0.99) - 1);
    double serverP99 = serverAdmittedP99Seconds(http);
    String seen = "statuses " + byStatus + ", admitted p99 " + Math.round(serverP99 * 1000)
        + " ms at the server, " + p99 / 1_000_000 + " ms at the client";
    int shed = byStatus.getOrDefault(503L, 0) + byStatus.getOrDefault(504L, 0);
    assertThat(shed).as(seen).isGreaterThanOrEqualTo(answers.size() / 2);
    assertThat(ok.size())
        .as("served a fair part of capacity x time (300): " + seen)
        .isGreaterThanOrEqualTo(60);
    // The server's percentile is the highest value of its HdrHistogram bucket (two significant
    // digits: at 1 s a bucket spans 4.2 ms), so an answer at 999 ms can read as 1002 ms; the
    // deadline holds within that documented 1 % (CI once read 1.0024 s with the client at 999 ms).
    assertThat(serverP99).as(seen).isLessThanOrEqualTo(DEADLINE.toNanos() * 1.01 / 1e9);
  }
}
