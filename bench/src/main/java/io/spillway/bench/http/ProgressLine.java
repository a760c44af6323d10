package io.spillway.bench.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The live view of a load phase: one line per second to stderr and one sample per second for the JSON report.
 * Stateless.
 */
final class ProgressLine {

  private ProgressLine() {}

  /**
   * The line printed after each interval: {@code [off 2x] 4.0s sent 8,000 ok 7,990 shed 0 late 0 err 0 p99
   * 3.2ms backlog 0}. Counts are the phase's so far; p99 is the admitted p99 so far.
   */
  static String format(String phase, double elapsedSeconds, RequestTally soFar, int backlog) {
    double p99 = soFar.admitted().getTotalCount() == 0
        ? Double.NaN
        : soFar.admitted().getValueAtPercentile(99) / 1e6;
    return String.format(
        Locale.ROOT,
        "  [%s] %5.1fs sent %,d ok %,d shed %,d late %,d err %,d dropped %,d p99 %s backlog %,d",
        phase,
        elapsedSeconds,
        soFar.sent,
        soFar.ok,
        soFar.shed,
        soFar.late,
        soFar.errors + soFar.timeouts + soFar.otherStatus,
        soFar.backlogDropped + soFar.expired,
        Double.isNaN(p99) ? "-" : String.format(Locale.ROOT, "%.1fms", p99),
        backlog);
  }

  /** One interval as a JSON sample; {@code tSeconds} is the interval's end, from the phase's start. */
  static Map<String, Object> sample(
      double tSeconds, boolean measured, RequestTally interval, int backlog, int outstanding) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("t_s", Math.round(tSeconds * 1000) / 1000.0);
    s.put("measured", measured);
    s.put("sent", interval.sent);
    s.put("ok", interval.ok);
    s.put("late", interval.late);
    s.put("shed", interval.shed);
    s.put("other_status", interval.otherStatus);
    s.put("errors", interval.errors);
    s.put("timeouts", interval.timeouts);
    s.put("client_backlog_dropped", interval.backlogDropped);
    s.put("client_expired", interval.expired);
    long n = interval.admitted().getTotalCount();
    s.put("admitted_p50_ms", n == 0 ? null : interval.admitted().getValueAtPercentile(50) / 1e6);
    s.put("admitted_p99_ms", n == 0 ? null : interval.admitted().getValueAtPercentile(99) / 1e6);
    s.put("admitted_max_ms", n == 0 ? null : interval.admitted().getMaxValue() / 1e6);
    s.put("backlog", backlog);
    s.put("outstanding", outstanding);
    return s;
  }
}
