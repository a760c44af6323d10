package io.spillway.server.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OutboxLimits;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact bytes of server frames, checked by hand and by Netty's client-side frame decoder. */
class WebSocketFramesTest {

  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  private static byte[] bytes(ByteBuf b) {
    try {
      byte[] out = new byte[b.readableBytes()];
      b.getBytes(b.readerIndex(), out);
      return out;
    } finally {
      b.release();
    }
  }

  /** Decodes a stream of server frames as a client would (unmasked expected); releases {@code stream}. */
  static List<Object> decode(ByteBuf stream) {
    EmbeddedChannel client =
        new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 24));
    try {
      client.writeInbound(stream);
      List<Object> frames = new ArrayList<>();
      for (Object f; (f = client.readInbound()) != null; ) {
        frames.add(f);
      }
      return frames;
    } finally {
      client.finishAndReleaseAll();
    }
  }

  static String text(Object frame) {
    try {
      return ((TextWebSocketFrame) frame).text();
    } finally {
      ((TextWebSocketFrame) frame).release();
    }
  }

  private static byte[] message(String channel, byte[] payload) {
    return bytes(WebSocketFrames.message(ALLOC, channel.getBytes(UTF_8), payload));
  }

  @Test
  void encodesAShortMessageAsOneFinalUnmaskedTextFrameWithASevenBitLength() {
    byte[] frame = message("news", "hi".getBytes(UTF_8));
    String json = "{\"channel\":\"news\",\"message\":\"hi\"}";
    assertThat(frame[0] & 0xFF).isEqualTo(0x81);
    assertThat(frame[1] & 0xFF).isEqualTo(json.length());
    assertThat(new String(frame, 2, frame.length - 2, UTF_8)).isEqualTo(json);
  }

  @Test
  void switchesToTheSixteenBitLengthFormAt126BytesOfPayload() {
    int envelope = "{\"channel\":\"c\",\"message\":\"\"}".length();
    byte[] at125 = message("c", "x".repeat(125 - envelope).getBytes(UTF_8));
    assertThat(at125[1] & 0xFF).isEqualTo(125);
    assertThat(at125).hasSize(2 + 125);

    byte[] at126 = message("c", "x".repeat(126 - envelope).getBytes(UTF_8));
    assertThat(at126[1] & 0xFF).isEqualTo(126);
    assertThat(((at126[2] & 0xFF) << 8) | (at126[3] & 0xFF)).isEqualTo(126);
    assertThat(at126).hasSize(4 + 126);
  }

  @Test
  void switchesToTheSixtyFourBitLengthFormAbove65535BytesOfPayload() {
    int envelope = "{\"channel\":\"c\",\"message\":\"\"}".length();
    byte[] at65535 = message("c", "x".repeat(65_535 - envelope).getBytes(UTF_8));
    assertThat(at65535[1] & 0xFF).isEqualTo(126);
    assertThat(at65535).hasSize(4 + 65_535);

    byte[] at65536 = message("c", "x".repeat(65_536 - envelope).getBytes(UTF_8));
    assertThat(at65536[1] & 0xFF).isEqualTo(127);
    long length = Unpooled.wrappedBuffer(at65536, 2, 8).readLong();
    assertThat(length).isEqualTo(65_536);
    assertThat(at65536).hasSize(10 + 65_536);
    assertThat(text(decode(Unpooled.wrappedBuffer(at65536)).get(0))).endsWith("xxx\"}");
  }

  @Test
  void escapesQuotesBackslashesAndControlCharactersAndKeepsOtherUtf8AsIs() {
    String payload = "say \"hi\" \\ to\n\t\u0001 café ☕ \uD83D\uDE00";
    List<Object> frames =
        decode(Unpooled.wrappedBuffer(message("caf\u00e9", payload.getBytes(UTF_8))));
    assertThat(text(frames.get(0)))
        .isEqualTo(
            "{\"channel\":\"caf\u00e9\",\"message\":\"say \\\"hi\\\" \\\\ to\\n\\t\\u0001 café ☕ \uD83D\uDE00\"}");
  }

  @Test
  void sendsAPayloadThatIsNotUtf8AsBase64() {
    byte[] payload = {(byte) 0xFF, 0, (byte) 0xC3, 'a'};
    List<Object> frames = decode(Unpooled.wrappedBuffer(message("bin", payload)));
    assertThat(text(frames.get(0)))
        .isEqualTo("{\"channel\":\"bin\",\"message_base64\":\""
            + Base64.getEncoder().encodeToString(payload) + "\"}");
  }

  @Test
  void sendsAPayloadOfMostlyControlCharactersAsBase64SoTheFrameGrowsByAtMostAThird() {
    byte[] payload = new byte[300]; // NULs: valid UTF-8, 6 bytes each escaped
    byte[] frame = message("c", payload);
    assertThat(frame.length).isLessThanOrEqualTo(4 + 400 + 50);
    assertThat(text(decode(Unpooled.wrappedBuffer(frame)).get(0)))
        .startsWith("{\"channel\":\"c\",\"message_base64\":\"AAAA");
  }

  @Test
  void concatenatedMessageFramesDecodeAsSeparateFramesInOrder() {
    ByteBuf stream = Unpooled.wrappedBuffer(
        message("c", "one".getBytes(UTF_8)),
        message("c", "x".repeat(300).getBytes(UTF_8)),
        message("c", "three".getBytes(UTF_8)));
    List<Object> frames = decode(stream);
    assertThat(frames).hasSize(3);
    assertThat(text(frames.get(0))).contains("\"one\"");
    assertThat(text(frames.get(1))).contains("x".repeat(300));
    assertThat(text(frames.get(2))).contains("\"three\"");
  }

  @Test
  void closeFrameCarriesCodeAndReasonCutAtACharacterBoundary() {
    String reason = "é".repeat(100); // 200 bytes
    CloseWebSocketFrame close =
        (CloseWebSocketFrame) decode(WebSocketFrames.close(ALLOC, 1008, reason)).get(0);
    try {
      assertThat(close.statusCode()).isEqualTo(1008);
      assertThat(close.reasonText())
          .isEqualTo("é".repeat(61)); // 122 bytes: the 123rd would split a character
    } finally {
      close.release();
    }
  }

  @Test
  void cutNoticeIsACloseFrameWithPolicyViolationNamingTheRule() {
    OutboxLimits limits = OutboxLimits.DEFAULT;
    ByteBuf notice =
        WebSocketCutNotice.INSTANCE.encode(ALLOC, DisconnectReason.BUFFER_OVERFLOW, 70_000, limits);
    CloseWebSocketFrame close = (CloseWebSocketFrame) decode(notice).get(0);
    try {
      assertThat(close.statusCode()).isEqualTo(1008);
      assertThat(close.reasonText())
          .isEqualTo("slow consumer: output buffer over hard limit (65536 bytes)");
    } finally {
      close.release();
    }
    assertThat(WebSocketCutNotice.reason(DisconnectReason.SLOW_READER_SUSTAINED, limits))
        .isEqualTo("slow consumer: output buffer over soft limit (52428 bytes) for 5s");
    assertThat(WebSocketCutNotice.reason(DisconnectReason.WRITE_TIMEOUT, limits))
        .isEqualTo("slow consumer: write timeout (nothing taken for 5s)");
  }

  @Test
  void utf8CheckRejectsOverlongSurrogateTruncatedAndOutOfRangeSequences() {
    assertThat(JsonText.isValidUtf8("plain ascii, é, ☕, \uD83D\uDE00".getBytes(UTF_8)))
        .isTrue();
    assertThat(JsonText.isValidUtf8(new byte[] {(byte) 0xC0, (byte) 0xAF}))
        .as("overlong /")
        .isFalse();
    assertThat(JsonText.isValidUtf8(new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}))
        .as("overlong")
        .isFalse();
    assertThat(JsonText.isValidUtf8(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}))
        .as("surrogate")
        .isFalse();
    assertThat(JsonText.isValidUtf8(new byte[] {(byte) 0xE2, (byte) 0x98}))
        .as("truncated")
        .isFalse();
    assertThat(
            JsonText.isValidUtf8(new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}))
        .as("above U+10FFFF")
        .isFalse();
    assertThat(JsonText.isValidUtf8(new byte[] {(byte) 0x80}))
        .as("lone continuation")
        .isFalse();
  }

  @Test
  void theEncoderHoldsNoShardChannelsAndRefusesToWriteAnSmessage() {
    assertThat(WebSocketFrames.ENCODER.shardChannels()).isFalse();
    ByteBuf out = Unpooled.buffer();
    try {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> WebSocketFrames.ENCODER.smessage(out, "c".getBytes(UTF_8), new byte[1]))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(out.readableBytes()).isZero();
    } finally {
      out.release();
    }
  }
}
