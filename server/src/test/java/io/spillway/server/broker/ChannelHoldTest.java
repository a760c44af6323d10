package io.spillway.server.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChannelHoldTest {

  private static final long WINDOW = 64 * 1024;

  @Test
  void flightIsCountedPerTargetLoopBecauseEachSubscriberReceivesEveryMessageOnce() {
    // Regression: the window was one sum over all loops, so a publisher whose messages went to two
    // loops paused
    // after half a window per loop: 10 block subscribers at 1 KiB paused about 2 000 times a
    // second.
    ChannelHold hold = new ChannelHold(WINDOW, 0, 2);
    hold.sent(0, WINDOW - 1);
    hold.sent(1, WINDOW - 1);

    assertThat(hold.held()).as("each loop below the window").isFalse();

    hold.sent(1, 1);

    assertThat(hold.held()).as("loop 1 at the window").isTrue();
  }

  @Test
  void waitersRunOnceTheLaggingLoopHasTakenItsMessages() {
    ChannelHold hold = new ChannelHold(WINDOW, 0, 2);
    hold.sent(0, 1000);
    hold.sent(1, WINDOW);
    AtomicInteger woken = new AtomicInteger();
    hold.whenReleased(woken::incrementAndGet);

    hold.delivered(0, 1000);
    assertThat(woken).as("the other loop's delivery does not release it").hasValue(0);

    hold.delivered(1, WINDOW);
    assertThat(woken).hasValue(1);
    assertThat(hold.held()).isFalse();
  }

  @Test
  void aHoldingSubscriberHoldsTheChannelWhateverIsInFlight() {
    ChannelHold hold = new ChannelHold(WINDOW, 0, 2);
    AtomicInteger woken = new AtomicInteger();
    hold.hold();
    hold.whenReleased(woken::incrementAndGet);

    assertThat(hold.held()).isTrue();
    assertThat(woken).hasValue(0);

    hold.release();

    assertThat(hold.held()).isFalse();
    assertThat(woken).hasValue(1);
  }

  @Test
  void aWaiterRunsAtOnceWhenNothingHoldsTheChannel() {
    ChannelHold hold = new ChannelHold(WINDOW, 0, 1);
    AtomicInteger woken = new AtomicInteger();

    hold.whenReleased(woken::incrementAndGet);

    assertThat(woken).hasValue(1);
  }
}
