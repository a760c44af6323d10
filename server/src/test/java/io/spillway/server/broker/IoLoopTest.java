package io.spillway.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.core.flow.BacklogPolicy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IoLoopTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final IoLoop loop = new IoLoop(0, channel.eventLoop(), BacklogPolicy.DEFAULT);
  private static final long HIGH = BacklogPolicy.DEFAULT_HIGH_MARK.toBytes();
  private static final long LOW = BacklogPolicy.DEFAULT_LOW_MARK.toBytes();

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
  }

  @Test
  void isCongestedAtTheHighMarkAndWakesPausedPublishersOnlyAtTheLowMark() {
    AtomicInteger woken = new AtomicInteger();
    loop.backlogAdded(HIGH - 1);
    assertThat(loop.congested()).isFalse();
    loop.backlogAdded(1);
    assertThat(loop.congested()).isTrue();

    loop.whenDrained(woken::incrementAndGet);
    assertThat(woken).hasValue(0);
    loop.backlogDelivered(HIGH - LOW - 1);
    assertThat(loop.congested()).isFalse();
    assertThat(woken).as("still above the low mark").hasValue(0);
    loop.backlogDelivered(1);
    assertThat(woken).hasValue(1);
    loop.backlogDelivered(LOW);
    assertThat(woken).as("each waiter runs once").hasValue(1);
    assertThat(loop.backlogBytes()).isZero();
  }

  @Test
  void aWaiterRegisteredWhenTheBacklogIsAlreadyLowRunsAtOnce() {
    AtomicInteger woken = new AtomicInteger();
    loop.backlogAdded(LOW);
    loop.whenDrained(woken::incrementAndGet);
    assertThat(woken).hasValue(1);
  }

  @Test
  void aWaiterRegisteredJustAfterTheDrainIsNotLost() {
    // The race whenDrained() guards against: the publisher sees congestion, the loop drains, then
    // the publisher
    // registers. It must still be woken.
    AtomicInteger woken = new AtomicInteger();
    loop.backlogAdded(HIGH);
    boolean sawCongestion = loop.congested();
    loop.backlogDelivered(HIGH);
    if (sawCongestion) {
      loop.whenDrained(woken::incrementAndGet);
    }
    assertThat(woken).hasValue(1);
  }
}
