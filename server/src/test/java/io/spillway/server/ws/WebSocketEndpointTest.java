package io.spillway.server.ws;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.server.TestBrokers;
import io.spillway.server.client.ClientSession;
import io.spillway.server.config.ServerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upgrade on an {@link EmbeddedChannel}: handshake, pipeline, admission, subscription and delivery. */
class WebSocketEndpointTest {

  private EmbeddedWebSocket ws;

  @AfterEach
  void releaseEverything() {
    if (ws != null) {
      ws.close();
    }
  }

  private EmbeddedWebSocket connect(ServerConfig config) {
    ws = new EmbeddedWebSocket(config);
    return ws;
  }

  private EmbeddedWebSocket connect() {
    return connect(ServerConfig.builder().port(0).build());
  }

  private void publish(String channel, String payload) {
    ws.broker.publish(
        channel.getBytes(UTF_8), payload.getBytes(UTF_8), TestBrokers.publisher(ws.loop));
  }

  @Test
  void answersTheHandshakeWith101AndLeavesOnlyOutboxAndWebSocketHandlers() {
    connect().upgrade("/v1/ws?channel=a");
    assertThat(ws.httpResponse())
        .startsWith("HTTP/1.1 101 Switching Protocols\r\n")
        .containsIgnoringCase("sec-websocket-accept: " + EmbeddedWebSocket.ACCEPT + "\r\n");
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, ?> e : ws.channel.pipeline()) {
      names.add(e.getKey());
    }
    assertThat(names).noneMatch(n -> n.startsWith("http-"));
    assertThat(names.get(0)).as("outbox nearest the socket").isEqualTo(WebSocketEndpoint.OUTBOX);
    assertThat(names).contains(WebSocketEndpoint.AGGREGATOR, WebSocketEndpoint.COMMANDS);
  }

  @Test
  void confirmsEachQueryChannelThenDeliversMessagesPublishedOnIt() {
    connect().upgrade("/v1/ws?channel=a&channel=b");
    assertThat(ws.texts())
        .containsExactly(
            "{\"op\":\"subscribed\",\"channel\":\"a\",\"subscriptions\":1}",
            "{\"op\":\"subscribed\",\"channel\":\"b\",\"subscriptions\":2}");
    assertThat(ws.broker.subscriberCount("a")).isEqualTo(1);
    publish("b", "hello");
    publish("c", "nobody");
    assertThat(ws.texts()).containsExactly("{\"channel\":\"b\",\"message\":\"hello\"}");
  }

  @Test
  void registersAWebSocketSessionThatClientListAndMetricsCanTellApart() {
    connect().upgrade("/v1/ws?channel=a");
    ClientSession session = ws.commands().session();
    assertThat(session.protocol()).isEqualTo(ClientSession.WEBSOCKET);
    assertThat(session.protocolName()).isEqualTo("websocket");
    assertThat(session.describe()).endsWith(" proto=websocket");
    assertThat(ws.clients.all()).containsExactly(session);
    assertThat(ws.clients.connected()).isEqualTo(1);
  }

  @Test
  void messagesPublishedTogetherArriveAsSeparateFramesInOrderAfterChunking() {
    connect().upgrade("/v1/ws?channel=a");
    ws.texts();
    for (int i = 0; i < 50; i++) {
      publish("a", "m" + i + "-" + "x".repeat(i * 10));
    }
    List<String> got = ws.texts();
    assertThat(got).hasSize(50);
    for (int i = 0; i < 50; i++) {
      assertThat(got.get(i))
          .isEqualTo("{\"channel\":\"a\",\"message\":\"m" + i + "-" + "x".repeat(i * 10) + "\"}");
    }
  }

  @Test
  void closingReleasesTheClientsPlaceAndSubscriptions() {
    connect().upgrade("/v1/ws?channel=a");
    ws.channel.close();
    ws.channel.runPendingTasks();
    assertThat(ws.clients.connected()).isZero();
    assertThat(ws.clients.all()).isEmpty();
    assertThat(ws.broker.subscriberCount("a")).isZero();
  }

  @Test
  void refusesTheUpgradeWith503WhenMaxClientsAreConnected() {
    connect(ServerConfig.builder().port(0).maxClients(1).build());
    assertThat(ws.clients.tryAdmit()).isTrue(); // a RESP client holds the only place
    ws.upgrade("/v1/ws?channel=a");
    assertThat(ws.httpResponse())
        .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
        .containsIgnoringCase("retry-after: 1")
        .endsWith(
            "\r\n\r\n{\"error\":\"max_clients\",\"message\":\"max number of clients reached\"}");
    assertThat(ws.channel.isActive()).isFalse();
    assertThat(ws.clients.connected()).isEqualTo(1);
    assertThat(ws.stats.rejectedConnections()).isEqualTo(1);
    assertThat(ws.broker.subscriberCount("a")).isZero();
  }

  @Test
  void answersARequestThatIsNotAWebSocketHandshakeWith400AndGivesThePlaceBack() {
    connect().request("/v1/ws?channel=a", "Sec-WebSocket-Version: 13\r\n");
    assertThat(ws.httpResponse()).startsWith("HTTP/1.1 400 Bad Request\r\n");
    assertThat(ws.channel.isActive()).isFalse();
    assertThat(ws.clients.connected()).isZero();
  }

  @Test
  void answersAnUnsupportedWebSocketVersionWith426() {
    connect()
        .request(
            "/v1/ws?channel=a",
            "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + EmbeddedWebSocket.KEY + "\r\nSec-WebSocket-Version: 99\r\n");
    assertThat(ws.httpResponse()).startsWith("HTTP/1.1 426 Upgrade Required\r\n");
    assertThat(ws.clients.connected()).isZero();
  }
}
