package io.spillway.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.core.config.ByteSize;
import io.spillway.core.time.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BacklogPolicyTest {

  @Test
  void pausesAtTheHighMarkAndResumesAtTheLowMark() {
    BacklogPolicy p = BacklogPolicy.DEFAULT;
    assertThat(p.congested(1024 * 1024 - 1)).isFalse();
    assertThat(p.congested(1024 * 1024)).isTrue();
    assertThat(p.drained(256 * 1024 + 1)).isFalse();
    assertThat(p.drained(256 * 1024)).isTrue();
  }

  @Test
  void rejectsALowMarkNotBelowTheHighMark() {
    assertThatThrownBy(() -> BacklogPolicy.builder()
            .highMark(ByteSize.ofKibibytes(64))
            .lowMark(ByteSize.ofKibibytes(64))
            .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("low mark")
        .hasMessageContaining("below the high mark");
  }

  @Test
  void rejectsAnEmptyHighMark() {
    assertThatThrownBy(() -> BacklogPolicy.builder()
            .highMark(ByteSize.ofBytes(0))
            .lowMark(ByteSize.ofBytes(0))
            .build())
        .hasMessageContaining("high mark");
  }

  @Test
  void talliesEpisodesAndTheirLengthOnTheClock() {
    ManualClock clock = new ManualClock();
    PauseTally tally = new PauseTally(clock);
    long a = tally.begin();
    clock.advance(Duration.ofMillis(30));
    tally.end(a);
    long b = tally.begin();
    clock.advance(Duration.ofMillis(20));
    tally.end(b);
    assertThat(tally.episodes()).isEqualTo(2);
    assertThat(tally.pausedNanos()).isEqualTo(Duration.ofMillis(50).toNanos());
  }
}
