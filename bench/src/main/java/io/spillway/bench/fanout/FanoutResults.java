package io.spillway.bench.fanout;

import io.spillway.bench.probe.ResourceMonitor;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * Turns the final snapshots of a fan-out run into its figures, details and warnings. Used once, by the run's
 * thread.
 *
 * <p>Rates count what happened inside the measured window (publishes by send time, deliveries by receive time);
 * latency covers the messages whose (intended) send time is inside it. Loss and the other error counts cover the
 * whole run, warm-up and drain included: a message lost during warm-up is still lost. The details also hold the
 * run's progress samples, one about every second from the start of publishing to the end of the drain, under
 * {@value FanoutSampler#SAMPLES_KEY} (see {@link FanoutSampler} for their fields).
 */
final class FanoutResults {

  /** Load-generator CPU, in cores per event loop thread, above which it may have been the bottleneck. */
  static final double SATURATED_LOADGEN_CORES_PER_THREAD = 0.9;

  private static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.9, 99.99, 100};

  private final FanoutConfig config;
  private final RunWindow window;
  private final List<SubscriberStats> subscribers = new ArrayList<>();
  private final List<PublisherStats> publishers = new ArrayList<>();
  private final Histogram latency = new Histogram(1, SubscriberHandler.HIGHEST_LATENCY_NANOS, 3);
  private final ResourceMonitor monitor;
  private final int threads;
  private final List<Map<String, Object>> samples;
  private final List<Metric> metrics = new ArrayList<>();
  private final Map<String, Object> details = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();

  FanoutResults(
      FanoutConfig config,
      RunWindow window,
      List<LoopShard.Snapshot> snapshots,
      ResourceMonitor monitor,
      int threads,
      List<Map<String, Object>> samples) {
    this.config = config;
    this.window = window;
    for (LoopShard.Snapshot s : snapshots) {
      subscribers.addAll(s.subscribers());
      publishers.addAll(s.publishers());
      latency.add(s.latency());
    }
    this.monitor = monitor;
    this.threads = threads;
    this.samples = List.copyOf(samples);
  }

  ScenarioResult build(boolean drained, double drainSeconds) {
    double seconds = window.measuredNanos() / 1e9;
    long sentInWindow = sum(publishers, PublisherStats::sentInWindow);
    long deliveredInWindow = sum(subscribers, SubscriberStats::deliveredInWindow);
    long bytesInWindow = sum(subscribers, SubscriberStats::payloadBytesInWindow);
    metrics.add(Metric.higher("published_per_s", "msg/s", sentInWindow / seconds));
    metrics.add(Metric.higher("delivered_per_s", "msg/s", deliveredInWindow / seconds));
    metrics.add(Metric.higher("delivered_mb_per_s", "MB/s", bytesInWindow / 1e6 / seconds));
    if (latency.getTotalCount() > 0) {
      addLatency("latency_p50_ms", 50);
      addLatency("latency_p90_ms", 90);
      addLatency("latency_p99_ms", 99);
      addLatency("latency_p999_ms", 99.9);
      metrics.add(Metric.lower("latency_max_ms", "ms", latency.getMaxValue() / 1e6));
    } else {
      warnings.add("no message sent in the measured window was delivered: no latency figures");
    }
    countDeliveries(drained, drainSeconds);
    List<Metric> usage = monitor.metrics();
    metrics.addAll(usage);
    warnings.addAll(monitor.warnings());
    usage.stream()
        .filter(m -> m.name().equals("loadgen_cpu_cores"))
        .findFirst()
        .filter(m -> m.value() >= SATURATED_LOADGEN_CORES_PER_THREAD * threads)
        .ifPresent(m -> warnings.add(String.format(
            "the load generator used %.2f cores with %d event loop thread(s): it may have been the bottleneck,"
                + " so the server's figures are lower bounds",
            m.value(), threads)));
    describeLatency();
    details.put(FanoutSampler.SAMPLES_KEY, samples);
    return new ScenarioResult(metrics, details, warnings);
  }

  private void countDeliveries(boolean drained, double drainSeconds) {
    long promised = sum(publishers, PublisherStats::receivers);
    long delivered = sum(subscribers, SubscriberStats::delivered);
    long inflight = sum(publishers, p -> (long) p.inflight());
    List<Disconnect> disconnects = new ArrayList<>();
    publishers.stream()
        .map(PublisherStats::disconnect)
        .filter(d -> d != null)
        .forEach(disconnects::add);
    subscribers.stream()
        .map(SubscriberStats::disconnect)
        .filter(d -> d != null)
        .forEach(disconnects::add);
    metrics.add(Metric.neither("published", "msgs", sum(publishers, PublisherStats::sent)));
    metrics.add(Metric.neither("expected_deliveries", "msgs", promised));
    metrics.add(Metric.neither("delivered", "msgs", delivered));
    metrics.add(Metric.lower("lost", "msgs", Math.max(0, promised - delivered)));
    metrics.add(Metric.lower("missing_seq", "msgs", sum(subscribers, SubscriberStats::missing)));
    metrics.add(
        Metric.lower("out_of_order", "msgs", sum(subscribers, SubscriberStats::outOfOrder)));
    metrics.add(Metric.lower(
        "receiver_mismatches", "replies", sum(publishers, PublisherStats::mismatches)));
    metrics.add(Metric.lower("publish_errors", "replies", sum(publishers, PublisherStats::errors)));
    metrics.add(Metric.lower("unanswered_publishes", "msgs", inflight));
    if (config.rate().isPresent()) {
      metrics.add(Metric.lower("late_sends", "msgs", sum(publishers, PublisherStats::late)));
      metrics.add(Metric.lower("unsent", "msgs", sum(publishers, PublisherStats::unsent)));
    }
    metrics.add(Metric.lower("disconnects", "conns", disconnects.size()));

    details.put("drained", drained);
    details.put("drain_seconds", drainSeconds);
    details.put("extra_deliveries", Math.max(0, delivered - promised));
    details.put("skipped_seq", sum(subscribers, SubscriberStats::skipped));
    details.put("foreign_messages", sum(subscribers, SubscriberStats::foreign));
    details.put("subscriber_errors", sum(subscribers, SubscriberStats::errors));
    details.put("unexpected_replies", sum(publishers, PublisherStats::unexpectedReplies));
    details.put(
        "subscriber_delivered_min",
        subscribers.stream().mapToLong(SubscriberStats::delivered).min().orElse(0));
    details.put(
        "subscriber_delivered_max",
        subscribers.stream().mapToLong(SubscriberStats::delivered).max().orElse(0));
    details.put("disconnects", disconnects);
    List<ReceiverMismatch> mismatches = new ArrayList<>();
    publishers.forEach(p -> mismatches.addAll(p.mismatchSamples()));
    details.put("receiver_mismatch_samples", mismatches);
    publishers.stream()
        .map(PublisherStats::lastError)
        .filter(e -> e != null)
        .findFirst()
        .ifPresent(e -> details.put("publish_error_last", e));

    if (!drained) {
      warnings.add(String.format(
          "drain timed out after %.1f s: %d PUBLISH(es) unanswered, %d deliveries short;"
              + " those count as lost",
          drainSeconds, inflight, Math.max(0, promised - delivered)));
    }
    if (!disconnects.isEmpty()) {
      Disconnect d = disconnects.get(0);
      warnings.add(String.format(
          "%d connection(s) closed by the server; first: %s %d after %.1f s: %s",
          disconnects.size(), d.role(), d.id(), d.afterSeconds(), d.reason()));
    }
    long foreign = sum(subscribers, SubscriberStats::foreign);
    if (foreign > 0) {
      warnings.add(foreign
          + " message(s) on the run's channels were not the run's: another client publishes there");
    }
    long unsent = sum(publishers, PublisherStats::unsent);
    if (unsent > 0) {
      warnings.add(unsent
          + " intended send(s) never went out (the PUBLISH window stayed full): the server did not"
          + " keep up with --rate; latency does not include them");
    }
  }

  private void addLatency(String name, double percentile) {
    metrics.add(Metric.lower(name, "ms", latency.getValueAtPercentile(percentile) / 1e6));
  }

  private void describeLatency() {
    Map<String, Object> percentiles = new LinkedHashMap<>();
    for (double p : PERCENTILES) {
      percentiles.put(
          p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p),
          latency.getValueAtPercentile(p) / 1e6);
    }
    details.put("latency_samples", latency.getTotalCount());
    details.put("latency_percentiles_ms", percentiles);
    details.put("latency_clamped", sum(subscribers, SubscriberStats::latencyClamped));
    ByteBuffer buf = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
    int length = latency.encodeIntoCompressedByteBuffer(buf);
    details.put(
        "latency_histogram_ns",
        Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), length)));
  }

  private static <T> long sum(List<T> items, ToLongFunction<T> f) {
    return items.stream().mapToLong(f).sum();
  }
}
