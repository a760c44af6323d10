package io.spillway.bench.slow;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.bench.pubsub.PayloadHeader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FastSubscriberHandlerTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;

  private final AtomicLong clock = new AtomicLong(10 * SECOND);
  private final DefaultEventLoop loop = new DefaultEventLoop();
  private final FastShard shard = new FastShard(loop);
  private final FastSubscriberHandler handler =
      new FastSubscriberHandler(0, "news", clock::get, shard);
  private final EmbeddedChannel channel = new EmbeddedChannel(handler);

  @AfterEach
  void stop() {
    channel.finishAndReleaseAll();
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void splitsLatencyByWhetherTheMessageWasStampedBeforeTheSlowPhase() throws Exception {
    shard.add(handler);
    shard.slowPhaseFrom(5 * SECOND);
    channel.writeInbound(
        message(0, 4 * SECOND), message(1, 5 * SECOND), message(2, 10 * SECOND - 2 * MS));

    FastShard.Snapshot s = shard.snapshot(3, true);

    assertThat(s.baseline().getTotalCount()).isEqualTo(1);
    assertThat(s.baseline().getMaxValue()).isBetween(6 * SECOND - 10 * MS, 6 * SECOND + 10 * MS);
    assertThat(s.withSlow().getTotalCount()).isEqualTo(2);
    assertThat(s.interval().getTotalCount()).isEqualTo(3);
    assertThat(s.received()).isEqualTo(3);
    assertThat(s.missing()).isZero();
    assertThat(shard.snapshot(3, false).interval().getTotalCount())
        .as("the interval restarts")
        .isZero();
  }

  @Test
  void countsGapsAsSkippedAndTheUnreceivedTailAsMissing() throws Exception {
    shard.add(handler);
    channel.writeInbound(message(0, clock.get()), message(3, clock.get()), message(2, clock.get()));

    FastShard.Snapshot s = shard.snapshot(6, false);

    assertThat(s.skipped()).isEqualTo(2);
    assertThat(s.outOfOrder()).isEqualTo(1);
    assertThat(s.missing()).as("1 and 2 skipped, 4 and 5 never came").isEqualTo(4);
    assertThat(shard.snapshot(-1, false).missing())
        .as("unknown while publishing")
        .isEqualTo(-1);
  }

  @Test
  void recordsAServerCloseAsADisconnectButNotItsOwn() throws Exception {
    shard.add(handler);
    channel.writeInbound(Unpooled.copiedBuffer("-ERR slow reader\r\n", StandardCharsets.US_ASCII));
    channel.close();

    assertThat(shard.snapshot(0, false).disconnects()).containsExactly("ERR slow reader");
    assertThat(handler.subscribed()).isCompletedExceptionally();
  }

  @Test
  void doesNotCountTheBenchsOwnCloseAsADisconnect() throws Exception {
    shard.add(handler);
    shard.startClosing();
    channel.close();

    assertThat(shard.snapshot(0, false).disconnects()).isEmpty();
  }

  private static ByteBuf message(long sequence, long sentNanos) {
    ByteBuf frame = Unpooled.buffer();
    frame.writeCharSequence(
        "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$40\r\n", StandardCharsets.US_ASCII);
    PayloadHeader.write(frame, 0, 0, sequence, sentNanos);
    frame.writeZero(40 - PayloadHeader.LENGTH);
    frame.writeCharSequence("\r\n", StandardCharsets.US_ASCII);
    return frame;
  }
}
