package io.spillway.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

  @Test
  void spacesRequestsEvenlyAtTheRate() {
    OpenLoopSchedule s = new OpenLoopSchedule(1_000, 4); // one every 250 ms

    assertThat(s.intendedNanos(0)).isEqualTo(1_000);
    assertThat(s.intendedNanos(1)).isEqualTo(1_000 + 250_000_000L);
    assertThat(s.intendedNanos(4)).isEqualTo(1_000 + 1_000_000_000L);
  }

  @Test
  void countsRequestsDueAtOrBeforeNow() {
    OpenLoopSchedule s = new OpenLoopSchedule(0, 4);

    assertThat(s.dueBy(-1)).isZero();
    assertThat(s.dueBy(0)).isEqualTo(1);
    assertThat(s.dueBy(249_999_999L)).isEqualTo(1);
    assertThat(s.dueBy(250_000_000L)).isEqualTo(2);
    assertThat(s.dueBy(1_000_000_000L)).isEqualTo(5);
  }

  @Test
  void dueCountMatchesIntendedTimesAtFractionalRates() {
    OpenLoopSchedule s = new OpenLoopSchedule(-5_000_000_000L, 3_333.3);

    for (long k = 0; k < 10_000; k += 7) {
      long t = s.intendedNanos(k);
      assertThat(s.dueBy(t)).isEqualTo(k + 1);
      assertThat(s.dueBy(t - 1)).isLessThanOrEqualTo(k);
    }
  }

  @Test
  void offersRateTimesDurationRequestsOverAWindow() {
    OpenLoopSchedule s = new OpenLoopSchedule(0, 12_500);

    assertThat(s.dueBy(10_000_000_000L - 1)).isEqualTo(125_000);
  }

  @Test
  void rejectsANonPositiveRate() {
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 0)).hasMessageContaining("not positive");
    assertThatThrownBy(() -> new OpenLoopSchedule(0, Double.NaN))
        .hasMessageContaining("not positive");
  }
}
