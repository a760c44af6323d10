package io.spillway.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The sliding window of latencies behind the HTTP percentiles, moved by a manual clock. */
class LatencyWindowTest {

  private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};

  private final ManualClock clock = new ManualClock();
  private final LatencyWindow window = new LatencyWindow(Duration.ofSeconds(60), 6, clock);
  private final double[] out = new double[QUANTILES.length];

  private static long micros(long us) {
    return TimeUnit.MICROSECONDS.toNanos(us);
  }

  @Test
  void readsPercentilesWithinOnePercent() {
    for (int us = 1; us <= 10_000; us++) {
      window.record(micros(us));
    }
    assertThat(window.percentiles(QUANTILES, out)).isEqualTo(10_000);
    assertThat(out[0]).isCloseTo(micros(5_000), withinPercentage(1));
    assertThat(out[1]).isCloseTo(micros(9_000), withinPercentage(1));
    assertThat(out[2]).isCloseTo(micros(9_900), withinPercentage(1));
    assertThat(out[3]).isCloseTo(micros(9_990), withinPercentage(1));
  }

  @Test
  void readsNaNWhenNothingWasRecorded() {
    assertThat(window.percentiles(QUANTILES, out)).isZero();
    assertThat(out).containsOnly(Double.NaN);
  }

  @Test
  void forgetsLatenciesOnceTheyAreOlderThanTheWindow() {
    for (int i = 0; i < 100; i++) {
      window.record(micros(1_000));
    }
    window.percentiles(QUANTILES, out);
    clock.advance(Duration.ofSeconds(30));
    for (int i = 0; i < 100; i++) {
      window.record(micros(50_000));
    }
    assertThat(window.percentiles(QUANTILES, out)).isEqualTo(200);
    assertThat(out[0]).as("median of both batches").isCloseTo(micros(1_000), withinPercentage(1));

    clock.advance(Duration.ofSeconds(31));
    assertThat(window.percentiles(QUANTILES, out))
        .as("only the second batch is within 60 s")
        .isEqualTo(100);
    assertThat(out[0]).isCloseTo(micros(50_000), withinPercentage(1));

    clock.advance(Duration.ofSeconds(30));
    assertThat(window.percentiles(QUANTILES, out)).isZero();
    assertThat(out[0]).isNaN();
  }

  @Test
  void slidesInSlotStepsKeepingAtMostOneWindowOfRecordings() {
    for (int step = 1; step <= 30; step++) {
      window.record(micros(step));
      long held = window.percentiles(QUANTILES, out);
      assertThat(held).as("step %d", step).isEqualTo(Math.min(step, 6));
      clock.advance(Duration.ofSeconds(10));
    }
  }

  @Test
  void recordingsMadeWhileNobodyReadsCountAtTheNextRead() {
    window.record(micros(100));
    clock.advance(Duration.ofMinutes(5));
    window.record(micros(200));
    assertThat(window.percentiles(QUANTILES, out))
        .as("attributed to the read that collects them, not to the moment they were made")
        .isEqualTo(2);
  }

  @Test
  void clampsLatenciesOutsideTheTrackableRange() {
    window.record(-5);
    window.record(Long.MAX_VALUE);
    assertThat(window.percentiles(QUANTILES, out)).isEqualTo(2);
    assertThat(out[0])
        .as("below the smallest discernible latency")
        .isLessThan(LatencyWindow.LOWEST_DISCERNIBLE_NANOS);
    assertThat(out[3]).isCloseTo(LatencyWindow.MAX_TRACKABLE_NANOS, withinPercentage(1));
  }

  @Test
  void rejectsAWindowWithoutSlots() {
    assertThatThrownBy(() -> new LatencyWindow(Duration.ofSeconds(60), 0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slots");
  }
}
