package io.spillway.bench.slow;

import io.spillway.bench.pubsub.PayloadHeader;
import io.spillway.bench.run.DurationConverter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The settings of a {@code slow-consumers} run. Immutable; the constructor rejects values out of range with a
 * message naming the option.
 *
 * @param fast fast subscribers, reading as fast as they can
 * @param slow slow readers beside them
 * @param slowRate bytes per second each slow reader reads; 0 = stalled, never reads
 * @param slowReceiveBuffer SO_RCVBUF of the slow readers, set before connecting
 * @param payloadBytes PUBLISH payload size, its {@value PayloadHeader#LENGTH}-byte header included
 * @param rate PUBLISHes per second, open loop; 0 = flat out, as fast as the in-flight window allows
 * @param pipeline PUBLISHes the publisher may have written without a reply: the bound on what the bench itself
 *     holds back when the server is slower than the rate
 * @param duration the phase with the slow readers; the baseline before it lasts {@link #baseline()}
 * @param strategies the overflow strategies to measure, one after the other, each on its own channel; none: one
 *     run on a channel the server's own policy governs
 * @param minBaseline the shortest baseline phase: {@link #MIN_BASELINE} but in tests
 */
record SlowConsumersConfig(
    int fast,
    int slow,
    long slowRate,
    int slowReceiveBuffer,
    int payloadBytes,
    long rate,
    int pipeline,
    Duration duration,
    StrategyChannels strategies,
    Duration minBaseline) {

  /** Shortest baseline phase (fast subscribers only): 3 s. */
  static final Duration MIN_BASELINE = Duration.ofSeconds(3);
  /** Default in-flight window of the publisher: 64 PUBLISHes, as {@code fanout}'s. */
  static final int DEFAULT_PIPELINE = 64;

  /** A run without strategies and with the usual shortest baseline. */
  SlowConsumersConfig(
      int fast,
      int slow,
      long slowRate,
      int slowReceiveBuffer,
      int payloadBytes,
      long rate,
      int pipeline,
      Duration duration) {
    this(
        fast,
        slow,
        slowRate,
        slowReceiveBuffer,
        payloadBytes,
        rate,
        pipeline,
        duration,
        StrategyChannels.parse(List.of()),
        MIN_BASELINE);
  }

  SlowConsumersConfig {
    check("--fast", fast, 1, 1_000);
    check("--slow", slow, 1, 100);
    check("--slow-rate", slowRate, 0, 1L << 30);
    check("--slow-rcvbuf", slowReceiveBuffer, 0, 64 << 20);
    check("--payload", payloadBytes, PayloadHeader.LENGTH, 16 << 20);
    check("--rate", rate, 0, 10_000_000);
    check("--pipeline", pipeline, 1, 65_536);
  }

  /** The phase before the slow readers connect: a third of {@link #duration}, at least {@link #minBaseline}. */
  Duration baseline() {
    Duration third = duration.dividedBy(3);
    return third.compareTo(minBaseline) < 0 ? minBaseline : third;
  }

  Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("fast", fast);
    p.put("slow", slow);
    p.put("slow_rate_bytes_per_s", slowRate);
    p.put("slow_rcvbuf", slowReceiveBuffer);
    p.put("payload", payloadBytes);
    p.put("rate", rate == 0 ? "flat out" : rate);
    p.put("pipeline", pipeline);
    p.put("baseline", DurationConverter.format(baseline()));
    p.put("duration", DurationConverter.format(duration));
    if (!strategies.isEmpty()) {
      p.put(
          "channel_policies",
          strategies.policies().stream()
              .map(c -> c.toString().substring(c.pattern().length() + 1))
              .toList());
    }
    return p;
  }

  private static void check(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(option + " " + value + " is outside " + min + ".." + max);
    }
  }
}
