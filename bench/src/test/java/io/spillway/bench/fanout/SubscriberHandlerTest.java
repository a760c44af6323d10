package io.spillway.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.bench.pubsub.PayloadHeader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SubscriberHandlerTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long MS = 1_000_000L;

  private final AtomicLong clock = new AtomicLong(SECOND);
  private final FanoutConfig config =
      FanoutConfig.builder().subscribers(1).payloadBytes(40).build();
  private final Histogram latency = new Histogram(1, SubscriberHandler.HIGHEST_LATENCY_NANOS, 3);
  private final Histogram intervalLatency =
      new Histogram(1, SubscriberHandler.HIGHEST_LATENCY_NANOS, 3);
  private final RunState state = new RunState();
  private final SubscriberHandler handler =
      new SubscriberHandler(0, 0, "news", config, clock::get, latency, intervalLatency, state);
  private final EmbeddedChannel channel = new EmbeddedChannel(handler);

  @Test
  void subscribesOnConnectAndCompletesOnConfirmation() {
    ByteBuf sent = channel.readOutbound();
    assertThat(sent.toString(StandardCharsets.UTF_8))
        .isEqualTo("*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nnews\r\n");
    sent.release();
    assertThat(handler.subscribed()).isNotDone();

    channel.writeInbound(ascii("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n"));

    assertThat(handler.subscribed()).isCompleted();
    channel.finishAndReleaseAll();
  }

  @Test
  void countsDeliveriesGapsAndLatencyInsideTheMeasuredWindowOnly() {
    handler.arm(new RunWindow(SECOND, 2 * SECOND, 12 * SECOND));
    clock.set(2 * SECOND + 5 * MS);

    channel.writeInbound(message(0, 2 * SECOND - MS));
    channel.writeInbound(message(1, 2 * SECOND + 3 * MS));
    channel.writeInbound(message(3, 2 * SECOND + 4 * MS));

    SubscriberStats s = handler.snapshot(new long[][] {{5}});
    assertThat(s.delivered()).isEqualTo(3);
    assertThat(s.deliveredInWindow()).isEqualTo(3);
    assertThat(s.payloadBytesInWindow()).isEqualTo(3 * 40);
    assertThat(s.skipped()).isEqualTo(1);
    assertThat(s.missing()).as("seq 2 skipped, seq 4 never came").isEqualTo(2);
    assertThat(latency.getTotalCount())
        .as("the message sent during warm-up is not timed")
        .isEqualTo(2);
    assertThat(latency.getMaxValue()).isBetween(2 * MS - 10_000, 2 * MS + 10_000);
    assertThat(intervalLatency.getTotalCount())
        .as("the progress interval times every message")
        .isEqualTo(3);
    assertThat(intervalLatency.getMaxValue()).isBetween(6 * MS - 10_000, 6 * MS + 10_000);
    channel.finishAndReleaseAll();
  }

  @Test
  void recordsAServerCloseAsADisconnectWithTheLastErrorText() {
    handler.arm(new RunWindow(SECOND, 2 * SECOND, 12 * SECOND));
    clock.set(3 * SECOND);
    channel.writeInbound(ascii("-ERR client output buffer overflow\r\n"));

    channel.close();

    Disconnect d = handler.snapshot(null).disconnect();
    assertThat(d).isNotNull();
    assertThat(d.reason()).isEqualTo("ERR client output buffer overflow");
    assertThat(d.afterSeconds()).isEqualTo(2.0);
    channel.finishAndReleaseAll();
  }

  @Test
  void doesNotCountItsOwnCloseAsADisconnect() {
    state.startClosing();
    channel.close();

    assertThat(handler.snapshot(null).disconnect()).isNull();
    channel.finishAndReleaseAll();
  }

  private static ByteBuf message(long sequence, long sentNanos) {
    ByteBuf payload = Unpooled.buffer();
    PayloadHeader.write(payload, 0, 0, sequence, sentNanos);
    payload.writeZero(40 - PayloadHeader.LENGTH);
    ByteBuf frame = Unpooled.buffer();
    frame.writeCharSequence(
        "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$40\r\n", StandardCharsets.US_ASCII);
    frame.writeBytes(payload).writeCharSequence("\r\n", StandardCharsets.US_ASCII);
    payload.release();
    return frame;
  }

  private static ByteBuf ascii(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }
}
