package io.spillway.bench.retry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/** What one mode's calls ended in: successes with their latency, failures by kind. Thread-safe. */
final class CallTally {

  private final LongAdder started = new LongAdder();
  private final LongAdder notStarted = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final Recorder latency = new Recorder(3);

  void started() {
    started.increment();
  }

  void notStarted() {
    notStarted.increment();
  }

  void succeeded(long nanos) {
    succeeded.increment();
    latency.recordValue(Math.max(1, nanos / 1000));
  }

  void failed(String kind) {
    failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  long startedCount() {
    return started.sum();
  }

  long notStartedCount() {
    return notStarted.sum();
  }

  long succeededCount() {
    return succeeded.sum();
  }

  Map<String, Long> failuresByKind() {
    Map<String, Long> m = new TreeMap<>();
    failures.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** The 99th percentile of successful calls, in ms. Call once, at the end. */
  double successP99Millis() {
    return latency.getIntervalHistogram().getValueAtPercentile(99) / 1e3;
  }
}
