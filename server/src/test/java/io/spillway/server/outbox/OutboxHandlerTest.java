package io.spillway.server.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.core.config.ByteSize;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.core.time.ManualClock;
import io.spillway.server.client.ClientClass;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.wire.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboxHandlerTest {

  private final ManualClock clock = new ManualClock();
  private final ServerStats stats = new ServerStats();
  private final Socket socket = new Socket();
  private final OutboxHandler outbox =
      new OutboxHandler(OutboxLimits.DEFAULT, OutboxLimits.DEFAULT, stats, clock);
  private final EmbeddedChannel channel = new EmbeddedChannel(socket, outbox);
  private final LogCapture cuts = LogCapture.cuts();

  /**
   * Stands in for a socket nearer the head than the outbox: while stalled it holds back flushes, so written bytes
   * stay queued in the channel's outbound buffer as they would for a reader that takes nothing.
   */
  static final class Socket extends ChannelOutboundHandlerAdapter {
    boolean stalled = true;
    boolean takesAllOnClose;

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
      if (takesAllOnClose) {
        ctx.flush();
      }
      ctx.close(promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      if (!stalled) {
        ctx.flush();
      }
    }

    void drain(ChannelHandlerContext ctx) {
      stalled = false;
      ctx.flush();
      stalled = true;
    }
  }

  @AfterEach
  void tearDown() {
    cuts.close();
    channel.finishAndReleaseAll();
  }

  private void write(int bytes) {
    channel.write(Unpooled.wrappedBuffer(new byte[bytes]));
  }

  private void drainSocket() {
    socket.drain(channel.pipeline().context(socket));
    for (Object m; (m = channel.readOutbound()) != null; ) {
      ((ByteBuf) m).release();
    }
  }

  @Test
  void countsExactBytesQueuedNotTakenBySocket() {
    write(1000);
    write(24);
    assertThat(outbox.queuedBytes()).isEqualTo(1024);
    drainSocket();
    assertThat(outbox.queuedBytes()).isZero();
  }

  @Test
  void cutsAtOnceWhenAWriteWouldPassTheHardLimitAndRefusesThatWrite() {
    for (int i = 0; i < 64; i++) {
      write(1024);
    }
    assertThat(channel.isActive()).isTrue();
    ByteBuf overflow = Unpooled.wrappedBuffer(new byte[1]);
    channel.write(overflow);
    assertThat(overflow.refCnt()).as("refused write released").isZero();
    assertThat(outbox.isCut()).isTrue();
    assertThat(channel.isActive()).isFalse();
    assertThat(stats.cuts(DisconnectReason.BUFFER_OVERFLOW)).isEqualTo(1);
    assertThat(cuts.messages()).singleElement().asString()
        .contains("disconnected: buffer_overflow queued=65536")
        .contains("hard=65536");
  }

  @Test
  void sendsABestEffortFinalErrorBehindTheBacklogBeforeClosing() {
    socket.takesAllOnClose = true;
    write(65_536);
    write(1);
    StringBuilder seen = new StringBuilder();
    for (Object m; (m = channel.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) m;
      seen.append(b.toString(StandardCharsets.US_ASCII));
      b.release();
    }
    assertThat(seen.toString()).endsWith("-ERR client cut: buffer_overflow (queued 65536 bytes)\r\n");
  }

  @Test
  void cutsClientHeldAboveSoftLimitForTheWindowOnTheTick() {
    outbox.useClass(ClientClass.SUBSCRIBER);
    write(52_428);
    for (int i = 0; i < 49; i++) {
      clock.advance(Duration.ofMillis(100));
      write(0);
      channel.runPendingTasks();
      outbox.tick();
      assertThat(outbox.isCut()).as("after %d ms", (i + 1) * 100).isFalse();
    }
    clock.advance(Duration.ofMillis(100));
    outbox.tick();
    assertThat(outbox.isCut()).isTrue();
    assertThat(stats.cuts(DisconnectReason.SLOW_READER_SUSTAINED)).isEqualTo(1);
    assertThat(cuts.messages()).singleElement().asString().contains("disconnected: slow_reader_sustained");
  }

  @Test
  void drainingBelowTheSoftLimitResetsTheWindow() {
    write(60_000);
    outbox.tick();
    clock.advance(Duration.ofMillis(4_900));
    outbox.tick();
    drainSocket();
    write(60_000);
    outbox.tick();
    clock.advance(Duration.ofMillis(4_900));
    outbox.tick();
    assertThat(outbox.isCut()).isFalse();
    assertThat(outbox.millisAboveSoftLimit()).isEqualTo(4_900);
  }

  @Test
  void cutsWhenQueuedBytesMakeNoProgressForTheWriteTimeout() {
    write(100);
    outbox.tick();
    clock.advance(Duration.ofMillis(4_900));
    outbox.tick();
    assertThat(outbox.isCut()).isFalse();
    clock.advance(Duration.ofMillis(100));
    outbox.tick();
    assertThat(outbox.isCut()).isTrue();
    assertThat(stats.cuts(DisconnectReason.WRITE_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void anIdleClientWithNothingQueuedIsNeverCut() {
    for (int i = 0; i < 100; i++) {
      clock.advance(Duration.ofSeconds(10));
      outbox.tick();
    }
    assertThat(outbox.isCut()).isFalse();
    assertThat(channel.isActive()).isTrue();
  }

  @Test
  void pausesWritabilityAtTheSoftLimitAndResumesAtHalfOfIt() {
    write(52_427);
    assertThat(channel.isWritable()).isTrue();
    write(1);
    assertThat(channel.isWritable()).isFalse();
    drainSocket();
    assertThat(channel.isWritable()).isTrue();
  }

  @Test
  void subscriberClassUsesItsOwnLimits() {
    OutboxLimits small = OutboxLimits.builder()
        .hardLimit(ByteSize.ofBytes(2048)).softLimit(ByteSize.ofBytes(1024)).build();
    OutboxHandler o = new OutboxHandler(small, OutboxLimits.DEFAULT, stats, clock);
    EmbeddedChannel ch = new EmbeddedChannel(new Socket(), o);
    try {
      ch.write(Unpooled.wrappedBuffer(new byte[4096]));
      assertThat(o.isCut()).isFalse();
      o.useClass(ClientClass.SUBSCRIBER);
      ch.write(Unpooled.wrappedBuffer(new byte[1]));
      assertThat(o.isCut()).isTrue();
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
