package io.spillway.server.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.wire.LogCapture;
import org.junit.jupiter.api.Test;

/** Failures that WebSocketCommandHandlerFuzzTest found, each named after what broke. */
class WebSocketFuzzRegressionTest {

  /**
   * A client that closed (or broke the protocol) after the first fragment of a text message made the aggregator
   * raise PrematureChannelClosureException, which the handler logged as "closed after an unexpected error" with a
   * stack trace, once per such client.
   */
  @Test
  void clientLeavingInsideAFragmentedMessageLogsNoUnexpectedError() {
    try (LogCapture logs = LogCapture.of(WebSocketCommandHandler.class.getName())) {
      EmbeddedWebSocket ws =
          new EmbeddedWebSocket(ServerConfig.builder().port(0).build()).upgrade("/v1/ws?channel=a");
      assertThat(ws.texts()).hasSize(1);
      ws.send(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{\"op\":", UTF_8)));
      ws.close();
      assertThat(logs.messages()).noneMatch(m -> m.contains("unexpected"));
    }
  }

  /** The same through a protocol error: a new text frame where a continuation was due. */
  @Test
  void textFrameInsideAFragmentedMessageClosesWithoutUnexpectedError() {
    try (LogCapture logs = LogCapture.of(WebSocketCommandHandler.class.getName())) {
      EmbeddedWebSocket ws =
          new EmbeddedWebSocket(ServerConfig.builder().port(0).build()).upgrade("/v1/ws?channel=a");
      assertThat(ws.texts()).hasSize(1);
      ws.send(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("{\"op\":", UTF_8)));
      ws.send(
          new TextWebSocketFrame(true, 0, Unpooled.copiedBuffer("{\"op\":\"publish\"}", UTF_8)));
      ws.frames().forEach(f -> ((WebSocketFrame) f).release());
      ws.close();
      assertThat(logs.messages()).noneMatch(m -> m.contains("unexpected"));
    }
  }
}
