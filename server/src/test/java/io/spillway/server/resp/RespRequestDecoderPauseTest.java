package io.spillway.server.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RespRequestDecoderPauseTest {

  private static final String PING = "*1\r\n$4\r\nPING\r\n";

  private final RespRequestDecoder decoder = new RespRequestDecoder(1024, 16, 1024, 4096);
  private final RecordingHandler recorder = new RecordingHandler();
  private final ReadCounter reads = new ReadCounter();
  private final EmbeddedChannel channel = new EmbeddedChannel(reads, decoder, recorder);

  @AfterEach
  void releasesEveryInputBuffer() {
    channel.finishAndReleaseAll();
    assertThat(recorder.allInputsReleased()).isTrue();
  }

  private ChannelHandlerContext decoderContext() {
    return channel.pipeline().context(decoder);
  }

  private void write(String text) {
    channel.writeInbound(recorder.input(text));
  }

  @Test
  void pauseFromDownstreamHandlerStopsTheBatchAfterTheCurrentCommand() {
    recorder.afterRequest(n -> {
      if (n == 3) {
        decoder.pause();
      }
    });
    write(PING.repeat(10));

    assertThat(recorder.requests).hasSize(3);
    assertThat(decoder.paused()).isTrue();
    assertThat(channel.config().isAutoRead()).isFalse();
    int completesBefore = recorder.readCompletes;

    decoder.resume(decoderContext());

    assertThat(recorder.requests).hasSize(10);
    assertThat(recorder.readCompletes).isEqualTo(completesBefore + 1);
    assertThat(decoder.paused()).isFalse();
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void buffersBytesArrivingWhilePausedAndDecodesThemOnResume() {
    decoder.pause();
    write(PING);
    write("*2\r\n$4\r\nECHO\r\n$1\r\n");
    write("x\r\n");

    assertThat(recorder.requests).isEmpty();

    decoder.resume(decoderContext());

    assertThat(recorder.args()).extracting(args -> args.get(0)).containsExactly("PING", "ECHO");
  }

  @Test
  void doesNotAskForMoreReadsWhilePaused() {
    decoder.pause();
    reads.count = 0;

    write(PING);
    write(PING);

    assertThat(reads.count).isZero();
    assertThat(recorder.readCompletes).isEqualTo(2);
  }

  @Test
  void pauseDuringResumeStopsAgainAndKeepsAutoReadOff() {
    recorder.afterRequest(n -> {
      if (n == 3 || n == 6) {
        decoder.pause();
      }
    });
    write(PING.repeat(10));
    decoder.resume(decoderContext());

    assertThat(recorder.requests).hasSize(6);
    assertThat(decoder.paused()).isTrue();
    assertThat(channel.config().isAutoRead()).isFalse();

    decoder.resume(decoderContext());

    assertThat(recorder.requests).hasSize(10);
  }

  @Test
  void resumeInsideTheSameChannelReadContinuesTheBatch() {
    recorder.afterRequest(n -> {
      if (n == 3) {
        decoder.pause();
        decoder.resume(decoderContext());
      }
    });
    write(PING.repeat(10));

    assertThat(recorder.requests).hasSize(10);
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void resumeFiresProtocolErrorAfterTheGoodCommandsInsteadOfThrowing() {
    decoder.pause();
    write(PING + "*x\r\n" + PING);

    decoder.resume(decoderContext());

    assertThat(recorder.requests).hasSize(1);
    assertThat(recorder.exceptions)
        .singleElement()
        .isInstanceOfSatisfying(
            RespProtocolException.class,
            e ->
                assertThat(e.redisMessage()).isEqualTo("Protocol error: invalid multibulk length"));
  }

  @Test
  void resumeWithNothingBufferedFiresNoReadComplete() {
    decoder.pause();
    int completesBefore = recorder.readCompletes;

    decoder.resume(decoderContext());

    assertThat(recorder.readCompletes).isEqualTo(completesBefore);
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void resumeRejectsAnotherHandlersContext() {
    decoder.pause();

    assertThatThrownBy(() -> decoder.resume(channel.pipeline().context(recorder)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closingWhilePausedReleasesBufferedBytes() {
    decoder.pause();
    write(PING + "*1\r\n$4\r\nPI");

    channel.close();

    assertThat(recorder.requests).isEmpty();
  }

  /** Counts read() requests travelling towards the socket. */
  private static final class ReadCounter extends ChannelOutboundHandlerAdapter {
    int count;

    @Override
    public void read(ChannelHandlerContext ctx) throws Exception {
      count++;
      super.read(ctx);
    }
  }
}
