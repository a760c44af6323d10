package io.spillway.core.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlowConsumerDetectorTest {

  private static final long HARD = 65_536;
  private static final long SOFT = 52_428;

  private final ManualClock clock = new ManualClock();
  private final SlowConsumerDetector detector =
      new SlowConsumerDetector(OutboxLimits.DEFAULT, clock);
  private long taken;

  @Test
  void cutsAtOnceWhenAWriteWouldExceedTheHardLimit() {
    assertThat(detector.observe(HARD, taken)).isNull();
    assertThat(detector.observe(HARD + 1, taken)).isEqualTo(DisconnectReason.BUFFER_OVERFLOW);
    assertThat(detector.reason()).isEqualTo(DisconnectReason.BUFFER_OVERFLOW);
  }

  @Test
  void cutsClientHeldAboveSoftLimitForTheWindow() {
    assertThat(detector.observe(SOFT, progress(1))).isNull();
    for (int i = 0; i < 49; i++) {
      clock.advance(Duration.ofMillis(100));
      assertThat(detector.observe(SOFT + i, progress(1)))
          .as("at %d ms", (i + 1) * 100)
          .isNull();
    }
    clock.advance(Duration.ofMillis(99));
    assertThat(detector.observe(SOFT, progress(1))).isNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(detector.observe(SOFT, progress(1)))
        .isEqualTo(DisconnectReason.SLOW_READER_SUSTAINED);
  }

  @Test
  void sustainedCutFiresAtTheFirstObservationAfterTheWindowWithinOneTick() {
    Duration tick = Duration.ofMillis(100);
    detector.observe(SOFT, progress(1));
    Duration elapsed = Duration.ZERO;
    while (detector.observe(SOFT, progress(1)) == null) {
      clock.advance(tick);
      elapsed = elapsed.plus(tick);
    }
    assertThat(elapsed)
        .isBetween(OutboxLimits.DEFAULT_SOFT_WINDOW, OutboxLimits.DEFAULT_SOFT_WINDOW.plus(tick));
  }

  @Test
  void droppingBelowTheSoftLimitResetsTheWindow() {
    detector.observe(SOFT, progress(1));
    clock.advance(Duration.ofMillis(4_900));
    assertThat(detector.observe(SOFT - 1, progress(1))).isNull();
    assertThat(detector.nanosAboveSoftLimit()).isZero();
    detector.observe(SOFT, progress(1));
    clock.advance(Duration.ofMillis(4_900));
    assertThat(detector.observe(SOFT, progress(1))).isNull();
    assertThat(detector.nanosAboveSoftLimit())
        .isEqualTo(Duration.ofMillis(4_900).toNanos());
  }

  @Test
  void aBurstThatDrainsIsNeverCut() {
    for (int second = 0; second < 60; second++) {
      assertThat(detector.observe(HARD, progress(1))).isNull();
      clock.advance(Duration.ofMillis(900));
      assertThat(detector.observe(HARD - 1, progress(1))).isNull();
      clock.advance(Duration.ofMillis(100));
      assertThat(detector.observe(0, progress(HARD))).isNull();
    }
  }

  @Test
  void cutsWhenBytesWaitWithoutProgressForTheWriteTimeout() {
    assertThat(detector.observe(100, taken)).isNull();
    clock.advance(Duration.ofMillis(4_999));
    assertThat(detector.observe(100, taken)).isNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(detector.observe(100, taken)).isEqualTo(DisconnectReason.WRITE_TIMEOUT);
  }

  @Test
  void anyProgressRestartsTheWriteTimeout() {
    detector.observe(1_000, taken);
    for (int i = 0; i < 20; i++) {
      clock.advance(Duration.ofSeconds(4));
      assertThat(detector.observe(1_000, progress(1))).isNull();
    }
  }

  @Test
  void anEmptyQueueNeverTimesOut() {
    detector.observe(0, taken);
    clock.advance(Duration.ofHours(1));
    assertThat(detector.observe(0, taken)).isNull();
    clock.advance(Duration.ofMillis(1));
    assertThat(detector.observe(10, taken)).isNull();
    assertThat(detector.nanosWithoutProgress()).isZero();
  }

  @Test
  void onceCutTheReasonSticks() {
    detector.observe(HARD + 1, taken);
    assertThat(detector.observe(0, progress(10))).isEqualTo(DisconnectReason.BUFFER_OVERFLOW);
  }

  @Test
  void theSeedScenarioIsCutByTheHardLimitBeforeTheSoftWindow() {
    // Seed 000: 1 KiB every 100 ms to a reader that takes nothing; the socket never makes progress.
    long queued = 0;
    DisconnectReason reason = null;
    int ms = 0;
    while (reason == null) {
      queued += 1024;
      reason = detector.observe(queued, taken);
      clock.advance(Duration.ofMillis(100));
      ms += 100;
    }
    // 65 KiB arrives at 6.5 s; the write timeout (5 s from the first waiting byte) fires first at
    // 5.0 s.
    assertThat(reason).isEqualTo(DisconnectReason.WRITE_TIMEOUT);
    assertThat(ms).isEqualTo(5_100);
  }

  @Test
  void writeFastPathAppliesTheHardLimitAndStartsTheSoftWindow() {
    assertThat(detector.onWrite(0, SOFT - 1)).isNull();
    assertThat(detector.nanosAboveSoftLimit()).isZero();
    assertThat(detector.onWrite(SOFT - 1, 1)).isNull();
    clock.advance(Duration.ofSeconds(5));
    assertThat(detector.nanosAboveSoftLimit()).isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(detector.observe(SOFT, progress(1)))
        .isEqualTo(DisconnectReason.SLOW_READER_SUSTAINED);
  }

  @Test
  void writeFastPathResetsTheSoftWindowWhenBelowIt() {
    detector.onWrite(0, SOFT);
    clock.advance(Duration.ofSeconds(4));
    detector.onWrite(0, 100);
    clock.advance(Duration.ofSeconds(4));
    assertThat(detector.observe(SOFT, progress(1))).isNull();
  }

  @Test
  void aDrainSeenOnlyAsTheLevelBeforeAWriteRestartsTheSoftWindow() {
    detector.onWrite(0, SOFT + 10);
    clock.advance(Duration.ofMillis(4_900));
    // The socket drained everything between two writes; the next write brings the queue back above
    // soft.
    detector.onWrite(0, SOFT + 10);
    clock.advance(Duration.ofMillis(4_900));
    assertThat(detector.observe(SOFT + 10, progress(1))).isNull();
    assertThat(detector.nanosAboveSoftLimit())
        .isEqualTo(Duration.ofMillis(4_900).toNanos());
  }

  @Test
  void writeFastPathCutsAboveTheHardLimit() {
    assertThat(detector.onWrite(HARD, 1)).isEqualTo(DisconnectReason.BUFFER_OVERFLOW);
  }

  private long progress(long bytes) {
    taken += bytes;
    return taken;
  }

  @Test
  void cutsClientThatHoldsABlockChannelBackForMaxBlock() {
    long maxBlock = Duration.ofSeconds(2).toNanos();
    detector.holding(maxBlock);
    clock.advance(Duration.ofMillis(1_999));
    // Exempt from the soft window (block bytes), still making progress: only max-block applies.
    assertThat(detector.observe(SOFT, 0, progress(1))).isNull();
    assertThat(detector.nanosHolding()).isEqualTo(Duration.ofMillis(1_999).toNanos());
    clock.advance(Duration.ofMillis(1));
    assertThat(detector.observe(SOFT, 0, progress(1))).isEqualTo(DisconnectReason.MAX_BLOCK);
  }

  @Test
  void releasingTheHoldRestartsTheMaxBlockClock() {
    long maxBlock = Duration.ofSeconds(2).toNanos();
    detector.holding(maxBlock);
    clock.advance(Duration.ofMillis(1_500));
    detector.holding(0);
    assertThat(detector.nanosHolding()).isZero();
    detector.holding(maxBlock);
    clock.advance(Duration.ofMillis(1_500));
    assertThat(detector.observe(SOFT, 0, progress(1))).isNull();
    // A repeated report while holding keeps the original start.
    detector.holding(maxBlock);
    clock.advance(Duration.ofMillis(500));
    assertThat(detector.observe(SOFT, 0, progress(1))).isEqualTo(DisconnectReason.MAX_BLOCK);
  }

  @Test
  void blockBytesAloneNeverStartTheSoftWindow() {
    assertThat(detector.onWrite(SOFT, 1000, 0, 0)).isNull();
    clock.advance(Duration.ofSeconds(60));
    assertThat(detector.observe(SOFT + 1000, 0, progress(1))).isNull();
  }

  @Test
  void blockBytesInFlightMayTakeTheClientPastItsHardLimitByTheAllowanceOnly() {
    detector.hardAllowance(10_000);
    assertThat(detector.onWrite(HARD, 10_000)).isNull();
    assertThat(detector.observe(HARD + 10_000, progress(1))).isNull();
    assertThat(detector.onWrite(HARD + 10_000, 1)).isEqualTo(DisconnectReason.BUFFER_OVERFLOW);
  }
}
