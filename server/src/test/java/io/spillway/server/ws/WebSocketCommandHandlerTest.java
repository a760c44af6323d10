package io.spillway.server.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.spillway.core.config.ByteSize;
import io.spillway.core.flow.BacklogPolicy;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.server.TestBrokers;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.wire.LogCapture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** JSON commands, control frames, close codes, publisher pushback and the slow-consumer cut, on EmbeddedChannel. */
class WebSocketCommandHandlerTest {

  private EmbeddedWebSocket ws;

  @AfterEach
  void releaseEverything() {
    if (ws != null) {
      ws.close();
    }
  }

  /** A WebSocket client subscribed to {@code a}, its confirmation read. */
  private EmbeddedWebSocket connect(ServerConfig config) {
    ws = new EmbeddedWebSocket(config).upgrade("/v1/ws?channel=a");
    assertThat(ws.texts()).hasSize(1);
    return ws;
  }

  private EmbeddedWebSocket connect() {
    return connect(ServerConfig.builder().port(0).build());
  }

  /** The one frame written since the last look: a close frame, whose code and reason are returned. */
  private String closeFrame() {
    List<Object> frames = ws.frames();
    assertThat(frames).hasSize(1).first().isInstanceOf(CloseWebSocketFrame.class);
    CloseWebSocketFrame close = (CloseWebSocketFrame) frames.get(0);
    try {
      return close.statusCode() + " " + close.reasonText();
    } finally {
      close.release();
    }
  }

  @Test
  void aPublisherSubscribedToTheChannelGetsItsMessageBeforeThePublishReplyAsFromRedis() {
    connect().sendText("{\"op\":\"publish\",\"channel\":\"a\",\"message\":\"hi \\\"there\\\"\"}");
    assertThat(ws.texts())
        .containsExactly(
            "{\"channel\":\"a\",\"message\":\"hi \\\"there\\\"\"}",
            "{\"op\":\"published\",\"channel\":\"a\",\"receivers\":1}");
    assertThat(ws.stats.messagesPublished()).isEqualTo(1);
  }

  @Test
  void publishOfABase64MessageDeliversItsBytes() {
    connect().sendText("{\"op\":\"publish\",\"channel\":\"a\",\"message_base64\":\"/wA=\"}");
    assertThat(ws.texts())
        .containsExactly(
            "{\"channel\":\"a\",\"message_base64\":\"/wA=\"}",
            "{\"op\":\"published\",\"channel\":\"a\",\"receivers\":1}");
  }

  @Test
  void subscribeAndUnsubscribeConfirmWithTheSubscriptionCount() {
    connect().sendText("{\"op\":\"subscribe\",\"channel\":\"b\"}");
    ws.sendText("{\"op\":\"unsubscribe\",\"channel\":\"a\"}");
    assertThat(ws.texts())
        .containsExactly(
            "{\"op\":\"subscribed\",\"channel\":\"b\",\"subscriptions\":2}",
            "{\"op\":\"unsubscribed\",\"channel\":\"a\",\"subscriptions\":1}");
    assertThat(ws.broker.subscriberCount("a")).isZero();
    assertThat(ws.broker.subscriberCount("b")).isEqualTo(1);
  }

  @Test
  void refusedRequestsGetAnErrorReplyAndTheConnectionStaysOpen() {
    connect(ServerConfig.builder()
        .port(0)
        .maxChannelLength(ByteSize.ofBytes(8))
        .maxMessageSize(ByteSize.ofBytes(4))
        .maxSubscriptionsPerClient(1)
        .build());
    ws.sendText("{\"op\":\"subscribe\",\"channel\":\"much-too-long\"}");
    ws.sendText("{\"op\":\"subscribe\",\"channel\":\"b\"}");
    ws.sendText("{\"op\":\"publish\",\"channel\":\"a\",\"message\":\"12345\"}");
    assertThat(ws.texts())
        .containsExactly(
            "{\"op\":\"error\",\"message\":\"channel of 13 bytes is longer than max-channel-length (8)\"}",
            "{\"op\":\"error\",\"message\":\"subscribing would exceed max-subscriptions-per-client (1)\"}",
            "{\"op\":\"error\",\"message\":\"message of 5 bytes exceeds max-message-size (4)\"}");
    assertThat(ws.channel.isActive()).isTrue();
    assertThat(ws.stats.publishRejectedTooLarge()).isEqualTo(1);
  }

  @Test
  void answersAPingWithAPongCarryingItsData() {
    connect().send(new PingWebSocketFrame(Unpooled.copiedBuffer("are you there", UTF_8)));
    List<Object> frames = ws.frames();
    assertThat(frames).hasSize(1).first().isInstanceOf(PongWebSocketFrame.class);
    PongWebSocketFrame pong = (PongWebSocketFrame) frames.get(0);
    try {
      assertThat(pong.content().toString(UTF_8)).isEqualTo("are you there");
    } finally {
      pong.release();
    }
  }

  @Test
  void answersACloseFrameWithItsCodeAndClosesReleasingTheClient() {
    connect().send(new CloseWebSocketFrame(1000, "bye"));
    assertThat(closeFrame()).isEqualTo("1000 ");
    assertThat(ws.channel.isActive()).isFalse();
    assertThat(ws.clients.connected()).isZero();
    assertThat(ws.broker.subscriberCount("a")).isZero();
  }

  @Test
  void closesWith1007OnMalformedJson() {
    connect().sendText("{\"op\":\"publish\",");
    assertThat(closeFrame()).startsWith("1007 malformed JSON");
    assertThat(ws.channel.isActive()).isFalse();
    assertThat(ws.stats.protocolErrors()).isEqualTo(1);
  }

  @Test
  void closesWith1007OnJsonThatIsNotAnObject() {
    connect().sendText("[\"publish\"]");
    assertThat(closeFrame()).isEqualTo("1007 expected a JSON object");
  }

  @Test
  void closesWith1007OnTextThatIsNotUtf8() {
    connect()
        .send(new TextWebSocketFrame(
            Unpooled.wrappedBuffer(new byte[] {'{', (byte) 0xC0, (byte) 0xAF, '}'})));
    assertThat(closeFrame()).startsWith("1007 ");
    assertThat(ws.channel.isActive()).isFalse();
    assertThat(ws.stats.protocolErrors()).isEqualTo(1);
  }

  @Test
  void closesWith1002OnAnUnmaskedClientFrame() {
    connect().channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, 2, 'h', 'i'}));
    assertThat(closeFrame()).startsWith("1002 ");
    assertThat(ws.channel.isActive()).isFalse();
  }

  @Test
  void closesWith1008OnAnUnknownOp() {
    connect().sendText("{\"op\":\"psubscribe\",\"channel\":\"a*\"}");
    assertThat(closeFrame()).isEqualTo("1008 unknown op \"psubscribe\"");
    assertThat(ws.channel.isActive()).isFalse();
  }

  @Test
  void closesWith1008OnAMissingField() {
    connect().sendText("{\"op\":\"publish\",\"channel\":\"a\"}");
    assertThat(closeFrame())
        .isEqualTo("1008 publish needs one of \"message\" or \"message_base64\"");
  }

  @Test
  void closesWith1003OnABinaryFrame() {
    connect().send(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
    assertThat(closeFrame()).startsWith("1003 binary frames are not supported");
    assertThat(ws.channel.isActive()).isFalse();
  }

  @Test
  void closesWith1009OnAFrameOverTheLimit() {
    connect(ServerConfig.builder().port(0).maxMessageSize(ByteSize.ofBytes(100)).build());
    int limit = ws.endpoint.maxFramePayload();
    ws.sendText("{\"op\":\"publish\",\"channel\":\"a\",\"message\":\"" + "x".repeat(limit) + "\"}");
    assertThat(closeFrame()).startsWith("1009 ");
    assertThat(ws.channel.isActive()).isFalse();
  }

  @Test
  void closesWith1009OnAFragmentedMessageOverTheLimit() {
    connect(ServerConfig.builder().port(0).maxMessageSize(ByteSize.ofBytes(100)).build());
    int limit = ws.endpoint.maxFramePayload();
    ws.send(new TextWebSocketFrame(false, 0, Unpooled.copiedBuffer("x".repeat(limit - 10), UTF_8)));
    ws.send(new ContinuationWebSocketFrame(true, 0, Unpooled.copiedBuffer("x".repeat(20), UTF_8)));
    assertThat(closeFrame()).isEqualTo("1009 message too big: over " + limit + " bytes");
  }

  @Test
  void runsAFragmentedCommandOnceWhole() {
    connect()
        .send(new TextWebSocketFrame(
            false, 0, Unpooled.copiedBuffer("{\"op\":\"subscribe\",", UTF_8)));
    ws.send(new ContinuationWebSocketFrame(
        true, 0, Unpooled.copiedBuffer("\"channel\":\"b\"}", UTF_8)));
    assertThat(ws.texts())
        .containsExactly("{\"op\":\"subscribed\",\"channel\":\"b\",\"subscriptions\":2}");
  }

  @Test
  void aPublisherStopsBeingReadWhileALoopIsCongestedAndItsQueuedCommandsRunOnceDrained() {
    connect();
    ws.loop.backlogAdded(BacklogPolicy.DEFAULT_HIGH_MARK.toBytes());
    ws.sendText("{\"op\":\"publish\",\"channel\":\"a\",\"message\":\"1\"}");
    assertThat(ws.channel.config().isAutoRead()).as("paused").isFalse();
    ws.sendText("{\"op\":\"publish\",\"channel\":\"a\",\"message\":\"2\"}");
    assertThat(ws.texts())
        .containsExactly(
            "{\"channel\":\"a\",\"message\":\"1\"}",
            "{\"op\":\"published\",\"channel\":\"a\",\"receivers\":1}");
    assertThat(ws.stats.messagesPublished()).as("second publish held").isEqualTo(1);

    ws.loop.backlogDelivered(BacklogPolicy.DEFAULT_HIGH_MARK.toBytes());
    ws.channel.runPendingTasks();
    assertThat(ws.channel.config().isAutoRead()).isTrue();
    assertThat(ws.texts())
        .containsExactly(
            "{\"channel\":\"a\",\"message\":\"2\"}",
            "{\"op\":\"published\",\"channel\":\"a\",\"receivers\":1}");
  }

  /**
   * Stands in for a socket that takes nothing: holds back flushes so written bytes stay queued, and lets everything
   * out on close so the test sees what was written last.
   */
  static final class StalledSocket extends ChannelOutboundHandlerAdapter {
    @Override
    public void flush(ChannelHandlerContext ctx) {}

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
      ctx.flush();
      ctx.close(promise);
    }
  }

  @Test
  void aSubscriberThatStopsReadingIsCutWithClose1008AfterWhatWasQueued() {
    OutboxLimits small = OutboxLimits.builder()
        .hardLimit(ByteSize.ofBytes(4096))
        .softLimit(ByteSize.ofBytes(2048))
        .build();
    connect(ServerConfig.builder()
        .port(0)
        .subscriberLimits(small)
        .maxMessageSize(ByteSize.ofBytes(1000))
        .build());
    ws.channel.pipeline().addFirst("socket", new StalledSocket());
    try (LogCapture cuts = LogCapture.cuts()) {
      byte[] payload = "x".repeat(900).getBytes(UTF_8); // 933-byte frames: the fifth passes 4096
      for (int i = 0; i < 5; i++) {
        ws.broker.publish("a".getBytes(UTF_8), payload, TestBrokers.publisher(ws.loop));
        ws.channel.runPendingTasks();
      }
      assertThat(ws.stats.cuts(DisconnectReason.BUFFER_OVERFLOW)).isEqualTo(1);
      assertThat(cuts.messages())
          .singleElement()
          .asString()
          .contains("proto=websocket", "disconnected: buffer_overflow", "class=subscriber");
    }
    assertThat(ws.channel.isActive()).isFalse();
    List<Object> frames = ws.frames();
    assertThat(frames).hasSize(5);
    for (Object f : frames.subList(0, 4)) {
      assertThat(f).isInstanceOf(TextWebSocketFrame.class);
    }
    assertThat(frames.get(4)).isInstanceOf(CloseWebSocketFrame.class);
    CloseWebSocketFrame close = (CloseWebSocketFrame) frames.get(4);
    assertThat(close.statusCode()).isEqualTo(1008);
    assertThat(close.reasonText())
        .isEqualTo("slow consumer: output buffer over hard limit (4096 bytes)");
    frames.forEach(f -> ((WebSocketFrame) f).release());
    assertThat(ws.clients.connected()).isZero();
  }
}
