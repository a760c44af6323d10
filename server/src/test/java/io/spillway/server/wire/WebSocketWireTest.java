package io.spillway.server.wire;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.core.outbox.DisconnectReason;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.Jedis;

/** WebSocket subscribers and publishers over real sockets, with the JDK's WebSocket client beside Jedis. */
@Timeout(value = 90, unit = SECONDS)
class WebSocketWireTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private static int httpPort(TestServer server) {
    return server.server().http().port();
  }

  private static List<String> numbered(String prefix, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  @Test
  void aWebSocketSubscribedByQueryReceivesJedisPublishesInOrder() {
    try (TestServer server = TestServer.start();
        WsClient ws = WsClient.fast(httpPort(server), "channel=news&channel=sport");
        Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      await().atMost(WAIT).until(() -> ws.texts().size() == 2);
      assertThat(ws.texts())
          .containsExactly(
              "{\"op\":\"subscribed\",\"channel\":\"news\",\"subscriptions\":1}",
              "{\"op\":\"subscribed\",\"channel\":\"sport\",\"subscriptions\":2}");
      List<String> expected = numbered("m", 300);
      for (String m : expected) {
        assertThat(jedis.publish("news", m)).isEqualTo(1);
      }
      jedis.publish("weather", "nobody listens");
      await().atMost(WAIT).until(() -> ws.messages().size() >= expected.size());
      assertThat(ws.messages()).isEqualTo(expected);
      assertThat(ws.texts().get(2)).isEqualTo("{\"channel\":\"news\",\"message\":\"m0\"}");
    }
  }

  @Test
  void aWebSocketPublishReachesARespSubscriberAndIsCounted() throws Exception {
    try (TestServer server = TestServer.start();
        RawSubscriber resp = RawSubscriber.subscribe(server.port(), "orders");
        WsClient ws = WsClient.fast(httpPort(server), "channel=orders")) {
      await().atMost(WAIT).until(() -> ws.texts().size() == 1);
      ws.send("{\"op\":\"publish\",\"channel\":\"orders\",\"message\":\"order 1 ✓\"}");
      await().atMost(WAIT).until(() -> ws.texts().size() == 3);
      assertThat(ws.texts().subList(1, 3))
          .containsExactly(
              "{\"channel\":\"orders\",\"message\":\"order 1 ✓\"}",
              "{\"op\":\"published\",\"channel\":\"orders\",\"receivers\":2}");
      await().atMost(WAIT).until(() -> resp.received() == 1);
      // RawSubscriber reads bytes as ISO-8859-1: turn them back into the UTF-8 the WebSocket client
      // sent.
      assertThat(new String(
              resp.payloads().get(0).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))
          .isEqualTo("order 1 ✓");
    }
  }

  @Test
  void clientListAndInfoShowWebSocketClients() {
    try (TestServer server = TestServer.start();
        WsClient ws = WsClient.fast(httpPort(server), "channel=a");
        Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      await().atMost(WAIT).until(() -> ws.texts().size() == 1);
      assertThat(jedis.clientList())
          .contains(" proto=websocket ", " sub=1 ", " flags=P ", " class=subscriber ");
      assertThat(jedis.info("clients"))
          .contains("websocket_clients:1\r\n", "connected_clients:2\r\n");
    }
  }

  /**
   * The seed scenario over WebSocket: a subscriber that stops reading (the JDK client stops requesting, so it stops
   * reading its socket) is cut by the outbox policy with the RESP cut's log line and counter, while a fast WebSocket
   * subscriber on the same channel gets every message in order.
   */
  @Test
  void aWebSocketThatStopsReadingIsCutWhileAFastOneOnTheSameChannelLosesNothing() throws Exception {
    try (TestServer server = TestServer.start();
        LogCapture cuts = LogCapture.cuts();
        WsClient fast = WsClient.fast(httpPort(server), "channel=feed");
        WsClient slow = WsClient.slow(httpPort(server), "channel=feed", 8192);
        Jedis publisher = new Jedis("127.0.0.1", server.port())) {
      await().atMost(WAIT).until(() -> fast.texts().size() == 1 && slow.texts().size() == 1);
      String pad = "x".repeat(1000);
      int published = 0;
      while (server.server().stats().totalCuts() == 0 && published < 20_000) {
        publisher.publish("feed", published++ + pad);
      }
      for (int i = 0; i < 100; i++) {
        publisher.publish("feed", published++ + pad); // after the cut: the fast one must not notice
      }
      assertThat(server.server().stats().totalCuts()).isEqualTo(1);
      assertThat(server.server().stats().cuts(DisconnectReason.BUFFER_OVERFLOW)
              + server.server().stats().cuts(DisconnectReason.SLOW_READER_SUSTAINED)
              + server.server().stats().cuts(DisconnectReason.WRITE_TIMEOUT))
          .isEqualTo(1);
      assertThat(cuts.messages())
          .singleElement()
          .asString()
          .contains(" proto=websocket ", "class=subscriber");

      int total = published;
      await().atMost(WAIT).until(() -> fast.messages().size() >= total);
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < total; i++) {
        expected.add(i + pad);
      }
      assertThat(fast.messages()).isEqualTo(expected);
      assertThat(fast.ended()).isNotDone();

      // The cut's close frame (1008) sits behind a backlog the reader never took, and the
      // connection is reset: the
      // JDK client reports the reset (or, had the frame got through, the 1008).
      slow.readEverything();
      String end = slow.ended().get(20, SECONDS);
      assertThat(end).matches("error .*|close 1008 slow consumer: .*|close 1006 .*");
      await().atMost(WAIT).until(() -> server.server().connectedClients() == 2);
    }
  }

  @Test
  void maxClientsCountsWebSocketAndRespClientsTogether() {
    try (TestServer server = TestServer.start(b -> b.maxClients(2));
        Jedis jedis = new Jedis("127.0.0.1", server.port());
        WsClient first = WsClient.fast(httpPort(server), "channel=a")) {
      assertThat(jedis.ping()).isEqualTo("PONG");
      await().atMost(WAIT).until(() -> first.texts().size() == 1);
      Throwable refused = WsClient.handshakeFailure(httpPort(server), "channel=a");
      assertThat(refused).isInstanceOf(WebSocketHandshakeException.class);
      assertThat(((WebSocketHandshakeException) refused).getResponse().statusCode())
          .isEqualTo(503);

      first.abort();
      await().atMost(WAIT).until(() -> server.server().connectedClients() == 1);
      assertThat(WsClient.handshakeFailure(httpPort(server), "channel=a")).isNull();
    }
  }
}
