package io.spillway.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP port's metrics, recorded through SpillwayMetrics's API and read back from the scraped text. */
class HttpMetricsTest {

  private static final String PUBLISH = "/v1/publish/{channel}";
  private static final String HEALTH = "/health";

  private final ServerParts parts = new ServerParts();
  private final FakeAdmissionView admission = new FakeAdmissionView();
  private final SpillwayMetrics metrics = parts.metrics(admission);

  @AfterEach
  void releaseChannels() {
    parts.close();
  }

  private ScrapedText scrape() {
    return new ScrapedText(metrics.scrape());
  }

  private static long millis(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms);
  }

  @Test
  void exportsEveryShedReasonAtZeroBeforeTheFirstShedAndThenTheViewsCounts() {
    ScrapedText before = scrape();
    assertThat(before.labelValues("spillway_http_shed_total", "reason"))
        .containsExactlyInAnyOrderElementsOf(AdmissionView.SHED_REASONS);
    for (String reason : AdmissionView.SHED_REASONS) {
      assertThat(before.value("spillway_http_shed_total", "reason", reason)).isZero();
    }

    admission.shed("codel", 42);
    admission.shed("queue_full", 3);

    ScrapedText after = scrape();
    assertThat(after.value("spillway_http_shed_total", "reason", "codel")).isEqualTo(42);
    assertThat(after.value("spillway_http_shed_total", "reason", "queue_full")).isEqualTo(3);
    assertThat(after.value("spillway_http_shed_total", "reason", "deadline")).isZero();
  }

  @Test
  void exportsTheAdmissionControllersQueueAndLimitAsTheyAreNow() {
    admission.queueDepth = 7;
    admission.queueCapacity = 128;
    admission.inFlight = 12;
    admission.limit = 20;
    admission.drainRatePerSecond = 350.5;

    ScrapedText s = scrape();
    assertThat(s.value("spillway_http_queue_depth")).isEqualTo(7);
    assertThat(s.value("spillway_http_queue_capacity")).isEqualTo(128);
    assertThat(s.value("spillway_http_in_flight_requests")).isEqualTo(12);
    assertThat(s.value("spillway_http_concurrency_limit")).isEqualTo(20);
    assertThat(s.value("spillway_http_drain_rate_per_second")).isEqualTo(350.5);
  }

  @Test
  void putsAdmittedLatenciesInTheBucketsOfTheirRouteAndStatusClass() {
    metrics.observeRequest(PUBLISH, 200, TimeUnit.MICROSECONDS.toNanos(80), true);
    metrics.observeRequest(PUBLISH, 202, millis(3), true);
    metrics.observeRequest(PUBLISH, 404, millis(30), true);

    ScrapedText s = scrape();
    String h = "spillway_http_request_duration_seconds";
    assertThat(s.value(h + "_bucket", "route", PUBLISH, "status_class", "2xx", "le", "1.0E-4"))
        .isEqualTo(1);
    assertThat(s.value(h + "_bucket", "route", PUBLISH, "status_class", "2xx", "le", "0.005"))
        .isEqualTo(2);
    assertThat(s.value(h + "_bucket", "route", PUBLISH, "status_class", "2xx", "le", "+Inf"))
        .isEqualTo(2);
    assertThat(s.value(h + "_count", "route", PUBLISH, "status_class", "2xx")).isEqualTo(2);
    assertThat(s.value(h + "_sum", "route", PUBLISH, "status_class", "2xx"))
        .isCloseTo(0.00308, within(1e-9));
    assertThat(s.value(h + "_bucket", "route", PUBLISH, "status_class", "4xx", "le", "0.025"))
        .isZero();
    assertThat(s.value(h + "_bucket", "route", PUBLISH, "status_class", "4xx", "le", "0.05"))
        .isEqualTo(1);
  }

  @Test
  void histogramBucketsSpanOneHundredMicrosecondsToTenSeconds() {
    metrics.observeRequest(HEALTH, 200, 0, true);
    assertThat(scrape().labelValues("spillway_http_request_duration_seconds_bucket", "le"))
        .containsExactly(
            "1.0E-4", "2.5E-4", "5.0E-4", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
            "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
  }

  @Test
  void countsEveryResponseByRouteAndCodeButOnlyAdmittedOnesInTheLatency() {
    metrics.observeRequest(PUBLISH, 200, millis(1), true);
    metrics.observeRequest(PUBLISH, 200, millis(1), true);
    metrics.observeRequest(PUBLISH, 503, millis(0), false);
    metrics.observeRequest(HEALTH, 200, millis(0), true);

    ScrapedText s = scrape();
    assertThat(s.value("spillway_http_responses_total", "route", PUBLISH, "code", "200"))
        .isEqualTo(2);
    assertThat(s.value("spillway_http_responses_total", "route", PUBLISH, "code", "503"))
        .isEqualTo(1);
    assertThat(s.value("spillway_http_responses_total", "route", HEALTH, "code", "200"))
        .isEqualTo(1);
    assertThat(s.labelValues("spillway_http_request_duration_seconds_count", "status_class"))
        .as("the shed 503 has no latency series")
        .doesNotContain("5xx");
  }

  @Test
  void reportsWindowedPercentilesOfTheLastMinute() {
    for (int ms = 1; ms <= 100; ms++) {
      metrics.observeRequest(PUBLISH, 200, millis(ms), true);
    }
    String q = "spillway_http_request_duration_window_seconds";
    ScrapedText s = scrape();
    assertThat(s.value(q, "route", PUBLISH, "status_class", "2xx", "quantile", "0.5"))
        .isCloseTo(0.050, within(0.001));
    assertThat(s.value(q, "route", PUBLISH, "status_class", "2xx", "quantile", "0.9"))
        .isCloseTo(0.090, within(0.001));
    assertThat(s.value(q, "route", PUBLISH, "status_class", "2xx", "quantile", "0.99"))
        .isCloseTo(0.099, within(0.001));
    assertThat(s.value(q, "route", PUBLISH, "status_class", "2xx", "quantile", "0.999"))
        .isCloseTo(0.1, within(0.001));
    assertThat(s.value(q + "_count", "route", PUBLISH, "status_class", "2xx")).isEqualTo(100);

    parts.clock.advance(HttpMetrics.QUANTILE_WINDOW.plus(Duration.ofSeconds(1)));
    ScrapedText later = scrape();
    assertThat(later.value(q, "route", PUBLISH, "status_class", "2xx", "quantile", "0.99"))
        .as("nothing in the last minute")
        .isNaN();
    assertThat(later.value(q + "_count", "route", PUBLISH, "status_class", "2xx"))
        .as("the count stays cumulative")
        .isEqualTo(100);
  }

  @Test
  void losesNoRecordingWhenManyThreadsRecordAtOnce() throws Exception {
    int threads = 4;
    int each = 5_000;
    Thread[] recorders = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      String route = t % 2 == 0 ? PUBLISH : HEALTH;
      recorders[t] = new Thread(() -> {
        for (int i = 0; i < each; i++) {
          metrics.observeRequest(route, 200, millis(1), true);
        }
      });
      recorders[t].start();
    }
    for (Thread t : recorders) {
      t.join(30_000);
      assertThat(t.isAlive()).isFalse();
    }
    ScrapedText s = scrape();
    for (String route : new String[] {PUBLISH, HEALTH}) {
      assertThat(s.value("spillway_http_responses_total", "route", route, "code", "200"))
          .isEqualTo(2 * each);
      assertThat(s.value(
              "spillway_http_request_duration_seconds_count",
              "route",
              route,
              "status_class",
              "2xx"))
          .isEqualTo(2 * each);
      assertThat(s.value(
              "spillway_http_request_duration_window_seconds_count",
              "route",
              route,
              "status_class",
              "2xx"))
          .isEqualTo(2 * each);
    }
  }

  @Test
  void rejectsStatusCodesOutsideHttpsRange() {
    assertThatThrownBy(() -> metrics.observeRequest(HEALTH, 99, 0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("99");
    assertThatThrownBy(() -> metrics.observeRequest(HEALTH, 600, 0, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("600");
  }

  @Test
  void countsRoutesBeyondTheCapAsOther() {
    for (int i = 0; i < HttpMetrics.MAX_ROUTES + 10; i++) {
      metrics.observeRequest("/raw/path/" + i, 200, millis(1), true);
    }
    ScrapedText s = scrape();
    assertThat(s.labelValues("spillway_http_responses_total", "route"))
        .hasSize(HttpMetrics.MAX_ROUTES + 1);
    assertThat(s.value(
            "spillway_http_responses_total", "route", HttpMetrics.OVERFLOW_ROUTE, "code", "200"))
        .isEqualTo(10);
  }

  @Test
  void tracksOpenAcceptedAndRejectedHttpConnections() {
    metrics.httpConnectionOpened();
    metrics.httpConnectionOpened();
    metrics.httpConnectionOpened();
    metrics.httpConnectionClosed();
    metrics.httpConnectionRejected();

    ScrapedText s = scrape();
    assertThat(s.value("spillway_http_connections_open")).isEqualTo(2);
    assertThat(s.value("spillway_http_connections_total")).isEqualTo(3);
    assertThat(s.value("spillway_http_connections_rejected_total")).isEqualTo(1);
  }

  @Test
  void exposesTheTextFormatsContentType() {
    assertThat(SpillwayMetrics.CONTENT_TYPE).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
  }
}
