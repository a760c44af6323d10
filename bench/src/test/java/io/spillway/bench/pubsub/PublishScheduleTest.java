package io.spillway.bench.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublishScheduleTest {

  @Test
  void spacesMessagesEvenlyFromTheStart() {
    PublishSchedule s = new PublishSchedule(1_000, 1_000);

    assertThat(s.intendedNanos(0)).isEqualTo(1_000);
    assertThat(s.intendedNanos(1)).isEqualTo(1_001_000);
    assertThat(s.intendedNanos(1_000)).isEqualTo(1_000_001_000L);
  }

  @Test
  void countsMessagesDueAtOrBeforeNow() {
    PublishSchedule s = new PublishSchedule(1_000, 1_000);

    assertThat(s.dueBy(999)).isZero();
    assertThat(s.dueBy(1_000)).isEqualTo(1);
    assertThat(s.dueBy(1_000_999)).isEqualTo(1);
    assertThat(s.dueBy(1_001_000)).isEqualTo(2);
    assertThat(s.dueBy(1_000 + 10_000_000_000L)).isEqualTo(10_001);
  }

  @Test
  void agreesWithIntendedTimesAtFractionalIntervals() {
    PublishSchedule s = new PublishSchedule(0, 3_000_000);
    for (long k = 0; k < 10_000; k++) {
      long t = s.intendedNanos(k);
      assertThat(s.dueBy(t)).isEqualTo(k + 1);
      if (t > 0) {
        assertThat(s.dueBy(t - 1)).isEqualTo(k);
      }
    }
  }
}
