package io.spillway.bench.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespReplyParserTest {

  private static final String STREAM = ""
      + "*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n"
      + "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n"
      + ">3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$0\r\n\r\n"
      + "*4\r\n$8\r\npmessage\r\n$2\r\nn*\r\n$4\r\nnews\r\n$3\r\nbye\r\n"
      + ":100\r\n"
      + ":-1\r\n"
      + ":12345678901234\r\n"
      + "-ERR unknown command 'FOO'\r\n"
      + "%2\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nmodules\r\n*0\r\n"
      + "+OK\r\n"
      + "*3\r\n$11\r\nunsubscribe\r\n$4\r\nnews\r\n:0\r\n"
      + "$-1\r\n"
      + "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$12\r\nwith\r\ninside\r\n";

  private static final List<String> EXPECTED = List.of(
      "subscribed news 1",
      "message news hello",
      "message news ",
      "message news bye",
      "integer 100",
      "integer -1",
      "integer 12345678901234",
      "error ERR unknown command 'FOO'",
      "other",
      "other",
      "other",
      "other",
      "message news with\r\ninside");

  @Test
  void readsEveryKindOfFrameInOneBuffer() {
    assertThat(parseInChunks(STREAM.getBytes(StandardCharsets.UTF_8), Integer.MAX_VALUE))
        .isEqualTo(EXPECTED);
  }

  @Test
  void readsFramesSplitAtEveryByte() {
    assertThat(parseInChunks(STREAM.getBytes(StandardCharsets.UTF_8), 1)).isEqualTo(EXPECTED);
  }

  @Test
  void readsFramesSplitAtEveryChunkSize() {
    byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
    for (int chunk = 2; chunk < 64; chunk++) {
      assertThat(parseInChunks(bytes, chunk)).as("chunk %d", chunk).isEqualTo(EXPECTED);
    }
  }

  @Test
  void consumesNothingUntilAFrameIsComplete() {
    ByteBuf in = Unpooled.copiedBuffer(
        "*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhel", StandardCharsets.UTF_8);
    try {
      RecordingListener r = new RecordingListener();
      assertThat(new RespReplyParser().parse(in, r)).isFalse();
      assertThat(in.readerIndex()).isZero();
      assertThat(r.frames).isEmpty();
    } finally {
      in.release();
    }
  }

  @Test
  void readsLargePayloadsWithLongLengthLines() {
    String payload = "p".repeat(1_234_567);
    String frame =
        "*3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$" + payload.length() + "\r\n" + payload + "\r\n";
    List<String> frames = parseInChunks(frame.getBytes(StandardCharsets.UTF_8), 65_536);
    assertThat(frames).containsExactly("message c " + payload);
  }

  @Test
  void rejectsBytesThatAreNotResp() {
    assertThatThrownBy(() -> parseInChunks("hello\r\n".getBytes(StandardCharsets.UTF_8), 100))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining("0x68");
    assertThatThrownBy(() -> parseInChunks(":12x\r\n".getBytes(StandardCharsets.UTF_8), 100))
        .isInstanceOf(RespProtocolException.class);
    assertThatThrownBy(() -> parseInChunks("$3\r\nabcd\r\n".getBytes(StandardCharsets.UTF_8), 100))
        .isInstanceOf(RespProtocolException.class)
        .hasMessageContaining("not followed by CRLF");
  }

  /** Feeds {@code bytes} to one parser {@code chunk} bytes at a time, as reads from a socket would. */
  static List<String> parseInChunks(byte[] bytes, int chunk) {
    RespReplyParser parser = new RespReplyParser();
    RecordingListener recorder = new RecordingListener();
    ByteBuf cumulation = Unpooled.buffer();
    try {
      for (int at = 0; at < bytes.length; at += chunk) {
        cumulation.writeBytes(bytes, at, Math.min(chunk, bytes.length - at));
        while (parser.parse(cumulation, recorder)) {
          // each frame recorded
        }
        cumulation.discardReadBytes();
      }
      assertThat(cumulation.readableBytes()).as("unparsed bytes").isZero();
      return recorder.frames;
    } finally {
      cumulation.release();
    }
  }
}
