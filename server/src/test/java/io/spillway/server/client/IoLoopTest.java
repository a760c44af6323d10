package io.spillway.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IoLoopTest {

  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final IoLoop loop = new IoLoop(0, channel.eventLoop());

  @AfterEach
  void tearDown() {
    channel.finishAndReleaseAll();
  }

  @Test
  void isCongestedAtTheHighMarkAndWakesPausedPublishersOnlyAtTheLowMark() {
    AtomicInteger woken = new AtomicInteger();
    loop.backlogAdded(IoLoop.BACKLOG_HIGH_BYTES - 1);
    assertThat(loop.congested()).isFalse();
    loop.backlogAdded(1);
    assertThat(loop.congested()).isTrue();

    loop.whenDrained(woken::incrementAndGet);
    assertThat(woken).hasValue(0);
    loop.backlogDelivered(IoLoop.BACKLOG_HIGH_BYTES - IoLoop.BACKLOG_LOW_BYTES - 1);
    assertThat(loop.congested()).isFalse();
    assertThat(woken).as("still above the low mark").hasValue(0);
    loop.backlogDelivered(1);
    assertThat(woken).hasValue(1);
    loop.backlogDelivered(IoLoop.BACKLOG_LOW_BYTES);
    assertThat(woken).as("each waiter runs once").hasValue(1);
    assertThat(loop.backlogBytes()).isZero();
  }

  @Test
  void aWaiterRegisteredWhenTheBacklogIsAlreadyLowRunsAtOnce() {
    AtomicInteger woken = new AtomicInteger();
    loop.backlogAdded(IoLoop.BACKLOG_LOW_BYTES);
    loop.whenDrained(woken::incrementAndGet);
    assertThat(woken).hasValue(1);
  }

  @Test
  void aWaiterRegisteredJustAfterTheDrainIsNotLost() {
    // The race whenDrained() guards against: the publisher sees congestion, the loop drains, then the publisher
    // registers. It must still be woken.
    AtomicInteger woken = new AtomicInteger();
    loop.backlogAdded(IoLoop.BACKLOG_HIGH_BYTES);
    boolean sawCongestion = loop.congested();
    loop.backlogDelivered(IoLoop.BACKLOG_HIGH_BYTES);
    if (sawCongestion) {
      loop.whenDrained(woken::incrementAndGet);
    }
    assertThat(woken).hasValue(1);
  }
}
