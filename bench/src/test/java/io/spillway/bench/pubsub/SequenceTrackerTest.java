package io.spillway.bench.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

  @Test
  void countsNothingAmissForInOrderStreams() {
    SequenceTracker t = new SequenceTracker(2, 2);
    for (long s = 0; s < 5; s++) {
      t.onMessage(0, 1, s);
      t.onMessage(1, 1, s);
    }

    assertThat(t.received()).isEqualTo(10);
    assertThat(t.outOfOrder()).isZero();
    assertThat(t.skipped()).isZero();
    assertThat(t.missing(0, 1, 5)).isZero();
    assertThat(t.missing(1, 1, 5)).isZero();
  }

  @Test
  void countsGapsPerStreamAndTheTailAfterTheLastMessage() {
    SequenceTracker t = new SequenceTracker(1, 1);
    t.onMessage(0, 0, 0);
    t.onMessage(0, 0, 3);
    t.onMessage(0, 0, 4);

    assertThat(t.skipped()).isEqualTo(2);
    assertThat(t.missing(0, 0, 5)).isEqualTo(2);
    assertThat(t.missing(0, 0, 8)).isEqualTo(5);
  }

  @Test
  void countsLateAndDuplicateMessagesAsOutOfOrder() {
    SequenceTracker t = new SequenceTracker(1, 1);
    t.onMessage(0, 0, 0);
    t.onMessage(0, 0, 2);
    t.onMessage(0, 0, 1);
    t.onMessage(0, 0, 2);

    assertThat(t.outOfOrder()).isEqualTo(2);
    assertThat(t.received()).isEqualTo(4);
  }

  @Test
  void keepsStreamsApart() {
    SequenceTracker t = new SequenceTracker(2, 1);
    t.onMessage(0, 0, 0);
    t.onMessage(1, 0, 0);
    t.onMessage(0, 0, 1);

    assertThat(t.outOfOrder()).isZero();
    assertThat(t.skipped()).isZero();
  }

  @Test
  void setsAsideMessagesOfUnknownPublishersOrChannels() {
    SequenceTracker t = new SequenceTracker(1, 1);

    assertThat(t.onMessage(1, 0, 0)).isFalse();
    assertThat(t.onMessage(0, -1, 0)).isFalse();
    assertThat(t.foreign()).isEqualTo(2);
    assertThat(t.received()).isZero();
  }
}
