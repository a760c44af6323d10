package io.spillway.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.bench.pubsub.PayloadHeader;
import io.spillway.bench.resp.RespCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PublisherHandlerTest {

  private static final long SECOND = 1_000_000_000L;
  private static final int PAYLOAD = 32;

  private final AtomicLong clock = new AtomicLong(SECOND);
  /** Channel a gets subscribers 0 and 2, channel b subscriber 1. */
  private final FanoutConfig config = FanoutConfig.builder()
      .subscribers(3)
      .channels(2)
      .pipeline(4)
      .payloadBytes(PAYLOAD)
      .build();

  private final PublisherHandler handler =
      new PublisherHandler(0, List.of("a", "b"), config, clock::get, new RunState());
  private final EmbeddedChannel channel = new EmbeddedChannel(handler);

  @Test
  void fillsTheWindowRoundRobinOverChannelsWithPerChannelSequences() {
    assertThat(handler.ready()).isCompleted();

    handler.start(new RunWindow(SECOND, SECOND, 10 * SECOND));

    assertThat(readPublishes()).containsExactly("a#0", "b#0", "a#1", "b#1");
    channel.finishAndReleaseAll();
  }

  @Test
  void sendsMoreAsRepliesFreeTheWindowAndChecksReceiverCounts() {
    handler.start(new RunWindow(SECOND, SECOND, 10 * SECOND));
    readPublishes();

    channel.writeInbound(Unpooled.copiedBuffer(":2\r\n:1\r\n:1\r\n", StandardCharsets.US_ASCII));

    assertThat(readPublishes()).containsExactly("a#2", "b#2", "a#3");
    PublisherStats s = handler.snapshot();
    assertThat(s.acked()).isEqualTo(3);
    assertThat(s.inflight()).isEqualTo(4);
    assertThat(s.receivers()).isEqualTo(4);
    assertThat(s.mismatches()).as("the third reply, for channel a, said 1 of 2").isEqualTo(1);
    assertThat(s.mismatchSamples()).containsExactly(new ReceiverMismatch(0, 0, 2, 1, 0.0));
    channel.finishAndReleaseAll();
  }

  @Test
  void stopsAtTheEndOfTheWindow() {
    handler.start(new RunWindow(SECOND, SECOND, 2 * SECOND));
    readPublishes();
    clock.set(2 * SECOND);

    channel.writeInbound(Unpooled.copiedBuffer(":2\r\n", StandardCharsets.US_ASCII));

    assertThat(readPublishes()).isEmpty();
    assertThat(handler.snapshot().stopped()).isTrue();
    channel.finishAndReleaseAll();
  }

  /** The PUBLISHes written so far, as CHANNEL#SEQUENCE, checking each frame's bytes. */
  private List<String> readPublishes() {
    List<String> out = new ArrayList<>();
    for (ByteBuf buf = channel.readOutbound(); buf != null; buf = channel.readOutbound()) {
      while (buf.isReadable()) {
        String name = buf.getByte(buf.readerIndex() + 21) == 'a' ? "a" : "b";
        byte[] prefix =
            RespCommands.publishPrefix(name.getBytes(StandardCharsets.US_ASCII), PAYLOAD);
        byte[] actual = new byte[prefix.length];
        buf.readBytes(actual);
        assertThat(actual).isEqualTo(prefix);
        int at = buf.readerIndex();
        assertThat(PayloadHeader.isBench(buf, at, PAYLOAD)).isTrue();
        assertThat(PayloadHeader.channel(buf, at)).isEqualTo(name.equals("a") ? 0 : 1);
        out.add(name + "#" + PayloadHeader.sequence(buf, at));
        buf.skipBytes(PAYLOAD);
        assertThat(buf.readShort()).isEqualTo((short) 0x0d0a);
      }
      buf.release();
    }
    return out;
  }
}
