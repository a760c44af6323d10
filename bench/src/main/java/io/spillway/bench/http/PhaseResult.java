package io.spillway.bench.http;

import java.util.List;
import java.util.Map;

/**
 * What one load phase measured: a level of one admission mode, or the calibration. Immutable by convention (the
 * tally is no longer written once the phase is over).
 *
 * @param mode the admission mode: {@code on}, {@code off} or {@code attached}
 * @param level the multiple of capacity; 0 for the closed-loop calibration
 * @param offeredPerSecond the open-loop rate; 0 for the calibration
 * @param measuredSeconds the measured window's length
 * @param tally what became of the requests whose intended time is in the measured window
 * @param samples one entry per second of the phase, warm-up and drain included
 * @param drained whether every request was answered or given up before the drain's time limit
 */
record PhaseResult(
    String mode,
    double level,
    double offeredPerSecond,
    double measuredSeconds,
    RequestTally tally,
    List<Map<String, Object>> samples,
    boolean drained) {

  /** 2xx within deadline per second of the measured window. */
  double goodputPerSecond() {
    return tally.ok / measuredSeconds;
  }

  /** Every 2xx per second of the measured window, in the deadline or not (the calibration's capacity). */
  double admittedPerSecond() {
    return tally.admittedCount() / measuredSeconds;
  }

  /** How long shed requests took to be answered, at {@code percentile}, in milliseconds; NaN without sheds. */
  double shedAnswerMillis(double percentile) {
    return tally.shedAnswer().getTotalCount() == 0
        ? Double.NaN
        : tally.shedAnswer().getValueAtPercentile(percentile) / 1e6;
  }

  /** The admitted latency at {@code percentile}, in milliseconds; NaN without any 2xx. */
  double admittedMillis(double percentile) {
    return tally.admitted().getTotalCount() == 0
        ? Double.NaN
        : tally.admitted().getValueAtPercentile(percentile) / 1e6;
  }
}
