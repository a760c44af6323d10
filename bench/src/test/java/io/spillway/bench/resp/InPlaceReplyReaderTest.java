package io.spillway.bench.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InPlaceReplyReaderTest {

  private static byte[] stream(Random random, int frames) {
    StringBuilder sb = new StringBuilder("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n");
    for (int i = 0; i < frames; i++) {
      if (i % 7 == 3) {
        sb.append(':').append(i).append("\r\n");
        continue;
      }
      // Payloads from a few bytes to several STEPs, so that a split frame sometimes needs more than
      // one step.
      int n = random.nextInt(3) == 0
          ? random.nextInt(3 * InPlaceReplyReader.STEP)
          : random.nextInt(200);
      String payload = "p" + i + "-" + "x".repeat(n);
      sb.append("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$")
          .append(payload.length())
          .append("\r\n")
          .append(payload)
          .append("\r\n");
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static List<String> wholeAtOnce(byte[] bytes) {
    RecordingListener r = new RecordingListener();
    ByteBuf all = Unpooled.wrappedBuffer(bytes);
    RespReplyParser parser = new RespReplyParser();
    while (parser.parse(all, r)) {
      // all frames
    }
    assertThat(all.isReadable()).isFalse();
    return r.frames;
  }

  @Test
  void framesCutAnywhereBetweenReadsComeOutAsFromOneBuffer() {
    Random random = new Random(42);
    byte[] bytes = stream(random, 400);
    List<String> expected = wholeAtOnce(bytes);

    for (int round = 0; round < 200; round++) {
      RecordingListener r = new RecordingListener();
      InPlaceReplyReader reader = new InPlaceReplyReader(new RespReplyParser());
      int maxRead = 1 + random.nextInt(round < 100 ? 64 : 20_000);
      for (int at = 0; at < bytes.length; ) {
        int n = Math.min(bytes.length - at, 1 + random.nextInt(maxRead));
        ByteBuf read = Unpooled.copiedBuffer(bytes, at, n);
        reader.read(read, r);
        assertThat(read.isReadable()).as("a read is always used up").isFalse();
        read.release();
        at += n;
      }
      reader.release();
      assertThat(r.frames).as("reads of at most %d bytes", maxRead).isEqualTo(expected);
    }
  }

  @Test
  void aReadInsideOneLongFrameIsKeptUntilTheFrameIsWhole() {
    byte[] bytes = stream(new Random(7), 3);
    List<String> expected = wholeAtOnce(bytes);
    RecordingListener r = new RecordingListener();
    InPlaceReplyReader reader = new InPlaceReplyReader(new RespReplyParser());

    for (byte b : bytes) {
      reader.read(Unpooled.wrappedBuffer(new byte[] {b}), r);
    }

    assertThat(r.frames).isEqualTo(expected);
  }
}
