package io.spillway.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.outbox.DisconnectReason;
import io.spillway.server.client.ClientSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The RESP side's metrics over real ServerStats, ClientRegistry, Broker and IoLoops (embedded channels). */
class SpillwayMetricsTest {

  private final ServerParts parts = new ServerParts();

  @AfterEach
  void releaseChannels() {
    parts.close();
  }

  private ScrapedText scrape(SpillwayMetrics metrics) {
    return new ScrapedText(metrics.scrape());
  }

  @Test
  void exportsEveryCutReasonAtZeroBeforeTheFirstCutAndCountsCutsByReason() {
    SpillwayMetrics metrics = parts.metrics(null);
    ScrapedText before = scrape(metrics);
    for (DisconnectReason r : DisconnectReason.values()) {
      assertThat(before.value("spillway_slow_consumer_cuts_total", "reason", r.label()))
          .isZero();
    }

    parts.stats.clientCut(DisconnectReason.SLOW_READER_SUSTAINED);
    parts.stats.clientCut(DisconnectReason.SLOW_READER_SUSTAINED);
    parts.stats.clientCut(DisconnectReason.WRITE_TIMEOUT);

    ScrapedText after = scrape(metrics);
    assertThat(after.value("spillway_slow_consumer_cuts_total", "reason", "slow_reader_sustained"))
        .isEqualTo(2);
    assertThat(after.value("spillway_slow_consumer_cuts_total", "reason", "write_timeout"))
        .isEqualTo(1);
    assertThat(after.value("spillway_slow_consumer_cuts_total", "reason", "buffer_overflow"))
        .isZero();
  }

  @Test
  void countersFollowServerStats() {
    SpillwayMetrics metrics = parts.metrics(null);
    parts.stats.connectionReceived();
    parts.stats.connectionReceived();
    parts.stats.connectionRejected();
    parts.stats.commandProcessed();
    parts.stats.protocolError();
    parts.stats.published();
    parts.stats.published();
    parts.stats.published();
    parts.stats.tooLarge();

    ScrapedText s = scrape(metrics);
    assertThat(s.value("spillway_connections_received_total")).isEqualTo(2);
    assertThat(s.value("spillway_connections_rejected_total")).isEqualTo(1);
    assertThat(s.value("spillway_commands_processed_total")).isEqualTo(1);
    assertThat(s.value("spillway_protocol_errors_total")).isEqualTo(1);
    assertThat(s.value("spillway_messages_published_total")).isEqualTo(3);
    assertThat(s.value("spillway_publishes_too_large_total")).isEqualTo(1);
    assertThat(s.value("process_start_time_seconds"))
        .isEqualTo(parts.stats.startedAtMillis() / 1000.0);
  }

  @Test
  void sumsDeliveredMessagesOverLoopsAndReportsEachLoopsBacklog() {
    SpillwayMetrics metrics = parts.metrics(null);
    parts.loops[0].addDelivered(5);
    parts.loops[1].addDelivered(7);
    parts.loops[1].backlogAdded(4096);

    ScrapedText s = scrape(metrics);
    assertThat(s.value("spillway_messages_delivered_total")).isEqualTo(12);
    assertThat(s.value("spillway_delivery_backlog_bytes", "loop", "0")).isZero();
    assertThat(s.value("spillway_delivery_backlog_bytes", "loop", "1")).isEqualTo(4096);
  }

  @Test
  void reportsQueuedBytesOfAllClientsAndOfTheLargestOne() {
    SpillwayMetrics metrics = parts.metrics(null);
    assertThat(scrape(metrics).value("spillway_outbox_queued_bytes")).isZero();

    parts.client(2, 100);
    parts.client(2, 3000);
    parts.client(3, 0);

    ScrapedText s = scrape(metrics);
    assertThat(s.value("spillway_outbox_queued_bytes")).isEqualTo(3100);
    assertThat(s.value("spillway_outbox_largest_queued_bytes")).isEqualTo(3000);
  }

  @Test
  void countsClientsByProtocolWithEveryProtocolAlwaysPresent() {
    SpillwayMetrics metrics = parts.metrics(null);
    ScrapedText empty = scrape(metrics);
    assertThat(empty.labelValues("spillway_clients", "protocol"))
        .containsExactlyInAnyOrder("resp2", "resp3", "websocket");

    parts.client(2, 0);
    parts.client(2, 0);
    ClientSession upgraded = parts.client(2, 0);
    upgraded.protocol(3);

    ScrapedText s = scrape(metrics);
    assertThat(s.value("spillway_clients", "protocol", "resp2")).isEqualTo(2);
    assertThat(s.value("spillway_clients", "protocol", "resp3")).isEqualTo(1);
    assertThat(s.value("spillway_clients", "protocol", "websocket")).isZero();
    assertThat(s.value("spillway_clients_max")).isEqualTo(100);
  }

  @Test
  void countsChannelsAndPatternsWithSubscribers() {
    SpillwayMetrics metrics = parts.metrics(null);
    ClientSession a = parts.client(2, 0);
    ClientSession b = parts.client(3, 0);
    parts.broker.subscribe(a, "news");
    parts.broker.subscribe(b, "news");
    parts.broker.subscribe(b, "sport");
    parts.broker.psubscribe(a, "n*");

    ScrapedText s = scrape(metrics);
    assertThat(s.value("spillway_channels_active")).isEqualTo(2);
    assertThat(s.value("spillway_patterns_active")).isEqualTo(1);

    parts.broker.unsubscribeAll(b);
    assertThat(scrape(metrics).value("spillway_channels_active")).isEqualTo(1);
  }

  @Test
  void exportsNoHttpMetricWhenTheHttpPortIsOffAndIgnoresHttpEvents() {
    SpillwayMetrics metrics = parts.metrics(null);
    metrics.observeRequest("/v1/publish/{channel}", 200, 1_000_000, true);
    metrics.httpConnectionOpened();
    metrics.httpConnectionRejected();
    metrics.httpConnectionClosed();

    assertThat(scrape(metrics).hasSampleStartingWith("spillway_http_")).isFalse();
  }

  @Test
  void twoServersInOneJvmKeepSeparateRegistries() {
    SpillwayMetrics first = parts.metrics(null);
    try (ServerParts other = new ServerParts()) {
      SpillwayMetrics second = other.metrics(null);
      other.stats.published();
      assertThat(scrape(first).value("spillway_messages_published_total")).isZero();
      assertThat(scrape(second).value("spillway_messages_published_total")).isEqualTo(1);
    }
  }

  @Test
  void exportsJvmBasics() {
    ScrapedText s = scrape(parts.metrics(null));
    assertThat(s.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
    assertThat(s.value("jvm_threads_current")).isPositive();
    assertThat(s.value("process_cpu_seconds_total")).isPositive();
  }
}
