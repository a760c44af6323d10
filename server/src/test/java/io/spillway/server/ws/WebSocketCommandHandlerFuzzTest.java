package io.spillway.server.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.fuzz.LeakGate;
import io.spillway.server.fuzz.ScaledTries;
import io.spillway.server.wire.LogCapture;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes a WebSocket connection on EmbeddedChannel after a valid upgrade: JSON-ish commands, any text, frames of
 * every kind, and raw bytes that are not frames at all. The handler never lets an exception escape, answers only
 * with JSON text frames or a close frame (never 1011, "internal error"), logs no error, and leaks nothing.
 */
@AddLifecycleHook(ScaledTries.class)
class WebSocketCommandHandlerFuzzTest {

  static {
    LeakGate.install();
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ServerConfig CONFIG =
      ServerConfig.builder().port(0).maxSubscriptionsPerClient(8).build();

  @AfterContainer
  static void nettyReportsNoLeak() throws InterruptedException {
    LeakGate.check(WebSocketCommandHandlerFuzzTest.class.getSimpleName());
  }

  @Provide
  Arbitrary<String> commands() {
    Arbitrary<String> value = Arbitraries.oneOf(
        Arbitraries.strings()
            .withChars('a', 'b', '*', '?', '"', '\\', '\u00e9', '\u0000', '\ud83d')
            .ofMaxLength(12)
            .map(s -> JSON.valueToTree(s).toString()),
        Arbitraries.of(
            "1",
            "-1",
            "1e999",
            "null",
            "true",
            "[]",
            "{}",
            "\"\"",
            "\"/wA=\"",
            "\"not base64!\"",
            "\"" + "x".repeat(300) + "\"",
            "{\"op\":\"publish\"}"));
    Arbitrary<String> key =
        Arbitraries.of("op", "channel", "message", "message_base64", "extra", "", "OP");
    Arbitrary<String> op = Arbitraries.of(
        "\"publish\"",
        "\"subscribe\"",
        "\"unsubscribe\"",
        "\"psubscribe\"",
        "\"PUBLISH\"",
        "1",
        "null");
    Arbitrary<String> field = Combinators.combine(key, value).as((k, v) -> "\"" + k + "\":" + v);
    Arbitrary<String> object = Combinators.combine(op, field.list().ofMaxSize(4))
        .as((o, fields) ->
            "{\"op\":" + o + (fields.isEmpty() ? "" : "," + String.join(",", fields)) + "}");
    Arbitrary<String> garbage = Arbitraries.strings().ofMaxLength(40);
    Arbitrary<String> truncated = object.map(s -> s.substring(0, s.length() / 2));
    return Arbitraries.frequencyOf(
        Tuple.of(6, object), Tuple.of(2, garbage), Tuple.of(2, truncated));
  }

  /** A frame to send, as plain values (jqwik keeps and shows samples, so they hold no buffer). */
  @SuppressWarnings("ArrayRecordComponent") // a sample jqwik shows; never compared or hashed
  record FrameSpec(int kind, boolean fin, byte[] bytes, String command) {
    WebSocketFrame build() {
      return switch (kind) {
        case 0 -> new TextWebSocketFrame(fin, 0, Unpooled.copiedBuffer(command, UTF_8));
        case 1 -> new BinaryWebSocketFrame(fin, 0, Unpooled.copiedBuffer(bytes));
        case 2 ->
          new PingWebSocketFrame(Unpooled.copiedBuffer(bytes, 0, Math.min(bytes.length, 125)));
        case 3 ->
          new PongWebSocketFrame(Unpooled.copiedBuffer(bytes, 0, Math.min(bytes.length, 125)));
        case 4 -> new ContinuationWebSocketFrame(fin, 0, Unpooled.copiedBuffer(bytes));
        case 5 ->
          new CloseWebSocketFrame(
              true, 0, Unpooled.copiedBuffer(bytes, 0, Math.min(bytes.length, 125)));
        default -> new TextWebSocketFrame(fin, 0, Unpooled.copiedBuffer(bytes));
      };
    }
  }

  @Provide
  Arbitrary<FrameSpec> frames() {
    Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(130);
    Arbitrary<Boolean> fin = Arbitraries.of(true, true, true, false);
    return Combinators.combine(Arbitraries.integers().between(0, 6), fin, payload, commands())
        .as(FrameSpec::new);
  }

  @Property(tries = 300)
  void jsonishCommandsGetJsonRepliesOrAClose(
      @ForAll @Size(max = 12) List<@From("commands") String> commands) throws IOException {
    try (LogCapture logs = LogCapture.of("io.spillway");
        EmbeddedWebSocket ws = connected()) {
      for (String c : commands) {
        if (!ws.channel.isOpen()) {
          break;
        }
        ws.sendText(c);
        checkOutput(ws);
      }
      checkLogs(logs);
    }
  }

  @Property(tries = 300)
  void framesOfEveryKindNeverEscapeTheHandler(
      @ForAll @Size(max = 10) List<@From("frames") FrameSpec> frames) throws IOException {
    try (LogCapture logs = LogCapture.of("io.spillway");
        EmbeddedWebSocket ws = connected()) {
      for (FrameSpec f : frames) {
        if (!ws.channel.isOpen()) {
          break;
        }
        ws.send(f.build());
        checkOutput(ws);
      }
      checkLogs(logs);
    }
  }

  @Property(tries = 300)
  void rawBytesThatAreNotFramesCloseTheConnectionCleanly(
      @ForAll @Size(max = 8) List<@Size(max = 64) byte[]> reads) throws IOException {
    try (LogCapture logs = LogCapture.of("io.spillway");
        EmbeddedWebSocket ws = connected()) {
      for (byte[] read : reads) {
        if (!ws.channel.isOpen()) {
          break;
        }
        ws.channel.writeInbound(Unpooled.copiedBuffer(read));
        ws.channel.runPendingTasks();
        checkOutput(ws);
      }
      checkLogs(logs);
    }
  }

  private static EmbeddedWebSocket connected() {
    EmbeddedWebSocket ws = new EmbeddedWebSocket(CONFIG).upgrade("/v1/ws?channel=a");
    assertThat(ws.texts()).hasSize(1);
    return ws;
  }

  /** Every frame written since the last look is JSON text, a pong, or a close that is not "internal error". */
  private static void checkOutput(EmbeddedWebSocket ws) throws IOException {
    for (Object f : ws.frames()) {
      try {
        if (f instanceof TextWebSocketFrame text) {
          assertThat(JSON.readTree(text.text()).isObject()).as(text.text()).isTrue();
        } else if (f instanceof CloseWebSocketFrame close) {
          assertThat(close.statusCode()).as("close %s", close.reasonText()).isNotEqualTo(1011);
        } else {
          assertThat(f).isInstanceOf(PongWebSocketFrame.class);
        }
      } finally {
        ((WebSocketFrame) f).release();
      }
    }
  }

  private static void checkLogs(LogCapture logs) {
    for (ILoggingEvent e : logs.events()) {
      assertThat(e.getLevel().isGreaterOrEqual(Level.WARN)
              && e.getFormattedMessage().contains("unexpected"))
          .as("logged: %s", e.getFormattedMessage())
          .isFalse();
      assertThat(e.getLevel()).as("logged: %s", e.getFormattedMessage()).isNotEqualTo(Level.ERROR);
    }
  }
}
