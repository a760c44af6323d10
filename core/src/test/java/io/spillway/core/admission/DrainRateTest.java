package io.spillway.core.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DrainRateTest {

  private final ManualClock clock = new ManualClock();
  private final DrainRate rate = new DrainRate();

  @Test
  void isZeroBeforeAnythingCompletes() {
    assertThat(rate.ratePerSecond(clock.nanoTime())).isZero();
  }

  @Test
  void countsCompletionsPerSecondOverTheWindow() {
    for (int i = 0; i < 20; i++) {
      rate.record(clock.nanoTime());
      clock.advance(Duration.ofMillis(40));
    }
    assertThat(rate.completionsInWindow(clock.nanoTime())).isEqualTo(20);
    assertThat(rate.ratePerSecond(clock.nanoTime())).isEqualTo(20.0);
  }

  @Test
  void forgetsCompletionsOnceTheyAreAWindowOld() {
    rate.record(clock.nanoTime());
    rate.record(clock.nanoTime());
    clock.advance(Duration.ofMillis(500));
    rate.record(clock.nanoTime());
    assertThat(rate.completionsInWindow(clock.nanoTime())).isEqualTo(3);
    clock.advance(Duration.ofMillis(600));
    assertThat(rate.completionsInWindow(clock.nanoTime())).isEqualTo(1);
    clock.advance(Duration.ofMillis(500));
    assertThat(rate.ratePerSecond(clock.nanoTime())).isZero();
  }

  @Test
  void slidesOneBucketAtATime() {
    rate.record(
        clock.nanoTime()); // at the start of a 100 ms bucket (the clock starts on a whole second)
    clock.advance(Duration.ofMillis(999));
    assertThat(rate.completionsInWindow(clock.nanoTime())).isEqualTo(1);
    clock.advance(Duration.ofMillis(1));
    assertThat(rate.completionsInWindow(clock.nanoTime())).isZero();
  }

  @Test
  void reusesASlotAfterTheClockHasGoneRoundTheRing() {
    rate.record(clock.nanoTime());
    clock.advance(Duration.ofSeconds(1)); // same slot, next lap
    rate.record(clock.nanoTime());
    assertThat(rate.completionsInWindow(clock.nanoTime())).isEqualTo(1);
  }

  @Test
  void worksAcrossNegativeClockReadings() {
    ManualClock negative = new ManualClock(-1_050_000_000L);
    DrainRate r = new DrainRate();
    r.record(negative.nanoTime());
    negative.advance(Duration.ofMillis(100));
    r.record(negative.nanoTime());
    negative.advance(Duration.ofMillis(100));
    assertThat(r.completionsInWindow(negative.nanoTime())).isEqualTo(2);
  }

  @Test
  void aShorterWindowScalesTheRate() {
    DrainRate half = new DrainRate(Duration.ofMillis(500), 5);
    half.record(clock.nanoTime());
    assertThat(half.ratePerSecond(clock.nanoTime())).isEqualTo(2.0);
  }

  @Test
  void rejectsAWindowOrBucketCountOutOfRange() {
    assertThatThrownBy(() -> new DrainRate(Duration.ZERO, 10))
        .hasMessageContaining("drain-rate window PT0S");
    assertThatThrownBy(() -> new DrainRate(Duration.ofSeconds(1), 0))
        .hasMessageContaining("drain-rate buckets 0 is out of range [1, 1000]");
  }
}
