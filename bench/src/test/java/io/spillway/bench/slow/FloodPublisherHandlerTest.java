package io.spillway.bench.slow;

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

class FloodPublisherHandlerTest {

  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000 * MS;
  private static final int PAYLOAD = 32;

  private final AtomicLong clock = new AtomicLong(SECOND);

  @Test
  void flatOutKeepsExactlyThePipelineInFlightAndRefillsAsRepliesCome() {
    FloodPublisherHandler h = new FloodPublisherHandler("news", PAYLOAD, 0, 4, clock::get);
    EmbeddedChannel channel = new EmbeddedChannel(h);
    h.start(SECOND, 10 * SECOND);

    assertThat(readSequences(channel)).containsExactly(0L, 1L, 2L, 3L);
    assertThat(readSequences(channel)).as("no more until a reply").isEmpty();

    channel.writeInbound(Unpooled.copiedBuffer(":5\r\n:5\r\n", StandardCharsets.US_ASCII));

    assertThat(readSequences(channel)).containsExactly(4L, 5L);
    FloodPublisherHandler.Stats s = h.snapshot();
    assertThat(s.sent()).isEqualTo(6);
    assertThat(s.acked()).isEqualTo(2);
    assertThat(s.inflight()).isEqualTo(4);
    channel.finishAndReleaseAll();
  }

  @Test
  void openLoopSendsWhatIsDueStampedWithItsIntendedTimeAndCountsLateSends() {
    FloodPublisherHandler h = new FloodPublisherHandler("news", PAYLOAD, 1_000, 64, clock::get);
    EmbeddedChannel channel = new EmbeddedChannel(h);
    h.start(SECOND, 10 * SECOND);
    assertThat(readSequences(channel)).as("message 0 is due at the start").containsExactly(0L);

    clock.addAndGet(5 * MS + MS / 2);
    channel.writeInbound(Unpooled.copiedBuffer(":1\r\n", StandardCharsets.US_ASCII));

    List<ByteBuf> frames = readFrames(channel);
    assertThat(frames).hasSize(5);
    long[] stamps = frames.stream()
        .mapToLong(f -> PayloadHeader.sentNanos(f, payloadIndex(f)))
        .toArray();
    assertThat(stamps)
        .containsExactly(
            SECOND + MS, SECOND + 2 * MS, SECOND + 3 * MS, SECOND + 4 * MS, SECOND + 5 * MS);
    frames.forEach(ByteBuf::release);
    assertThat(h.snapshot().late())
        .as("messages 1..4 went out more than 1 ms late")
        .isEqualTo(4);
    channel.finishAndReleaseAll();
  }

  @Test
  void stopsAtTheEndAndCountsWhatWasDueButNeverSent() {
    FloodPublisherHandler h = new FloodPublisherHandler("news", PAYLOAD, 1_000, 2, clock::get);
    EmbeddedChannel channel = new EmbeddedChannel(h);
    h.start(SECOND, 2 * SECOND);
    clock.addAndGet(10 * MS);
    channel.writeInbound(Unpooled.copiedBuffer(":1\r\n", StandardCharsets.US_ASCII));
    readSequences(channel);

    clock.set(2 * SECOND);
    channel.writeInbound(Unpooled.copiedBuffer(":1\r\n", StandardCharsets.US_ASCII));

    FloodPublisherHandler.Stats s = h.snapshot();
    assertThat(s.stopped()).isTrue();
    assertThat(s.sent()).isEqualTo(3);
    assertThat(s.unsent()).as("1 000 due in the second, 3 sent").isEqualTo(997);
    channel.finishAndReleaseAll();
  }

  private static List<Long> readSequences(EmbeddedChannel channel) {
    List<Long> out = new ArrayList<>();
    for (ByteBuf f : readFrames(channel)) {
      out.add(PayloadHeader.sequence(f, payloadIndex(f)));
      f.release();
    }
    return out;
  }

  /** Splits what the handler wrote into single PUBLISH frames. */
  private static List<ByteBuf> readFrames(EmbeddedChannel channel) {
    int frameLength =
        RespCommands.publishPrefix("news".getBytes(StandardCharsets.UTF_8), PAYLOAD).length
            + PAYLOAD
            + 2;
    List<ByteBuf> frames = new ArrayList<>();
    ByteBuf b;
    while ((b = channel.readOutbound()) != null) {
      while (b.readableBytes() >= frameLength) {
        frames.add(b.readRetainedSlice(frameLength));
      }
      b.release();
    }
    return frames;
  }

  private static int payloadIndex(ByteBuf frame) {
    return frame.readerIndex() + frame.readableBytes() - PAYLOAD - 2;
  }
}
