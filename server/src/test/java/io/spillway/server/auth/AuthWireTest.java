package io.spillway.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.core.auth.FailedAuthThrottle;
import io.spillway.core.time.ManualClock;
import io.spillway.server.SpillwayServer;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.wire.LogCapture;
import io.spillway.server.wire.RawRespClient;
import io.spillway.server.wire.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Regression tests for issue 11's "requirepass does not cover the HTTP port", "no ACL users" and "unlimited wrong
 * AUTH attempts", with raw RESP (for Redis's exact replies), Jedis, the JDK HttpClient and its WebSocket client.
 */
class AuthWireTest {

  private static final String USERS = "alice >alice-pw &news:* sub&alerts:*; bob >bob-pw pub&bob:*";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(UnaryOperator<ServerConfig.Builder> tweak) {
    server = TestServer.start(tweak);
  }

  private int httpPort() {
    return server.server().http().port();
  }

  private HttpResponse<String> publish(String channel, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort() + "/v1/publish/" + channel))
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofString("m"));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private WebSocket webSocket(String query, String authorization, WebSocket.Listener listener) {
    WebSocket.Builder b = client.newWebSocketBuilder();
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return b.buildAsync(URI.create("ws://127.0.0.1:" + httpPort() + "/v1/ws?" + query), listener)
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
  }

  private int handshakeStatus(String query, String authorization) {
    try {
      webSocket(query, authorization, new WebSocket.Listener() {}).abort();
      return 101;
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
      return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }
  }

  @Test
  void requirepassAlsoProtectsTheHttpApiAndWebSocket() throws Exception {
    start(b -> b.requirePass("s3cret"));
    HttpResponse<String> anonymous = publish("a", null);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("www-authenticate").orElse(""))
        .contains("Basic", "Bearer");
    assertThat(publish("a", "Bearer wrong").statusCode()).isEqualTo(401);
    assertThat(publish("a", "Bearer s3cret").statusCode()).isEqualTo(200);
    assertThat(publish("a", basic("default", "s3cret")).statusCode()).isEqualTo(200);
    assertThat(handshakeStatus("channel=a", null)).isEqualTo(401);
    assertThat(handshakeStatus("channel=a", "Bearer s3cret")).isEqualTo(101);
    assertThat(handshakeStatus("channel=a&access_token=s3cret", null)).isEqualTo(101);
    HttpResponse<String> metrics = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + "/metrics"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
  }

  @Test
  void httpTokensReplaceRequirepassOnTheHttpPort() throws Exception {
    start(b ->
        b.requirePass("s3cret").http(HttpConfig.builder().port(0).tokens("tok1").build()));
    assertThat(publish("a", "Bearer s3cret").statusCode()).isEqualTo(401);
    assertThat(publish("a", "Bearer tok1").statusCode()).isEqualTo(200);
  }

  @Test
  void aclUserAuthenticatesWithRedisRepliesAndIsHeldToItsChannels() throws Exception {
    start(b -> b.aclUsers(USERS));
    try (RawRespClient c = RawRespClient.connect(server.port())) {
      assertThat(c.call("AUTH", "alice", "wrong"))
          .isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
      assertThat(c.call("AUTH", "nobody", "x")).startsWith("-WRONGPASS ");
      assertThat(c.call("AUTH", "alice", "alice-pw")).isEqualTo("+OK\r\n");
      assertThat(c.call("PUBLISH", "news:1", "x")).isEqualTo(":0\r\n");
      assertThat(c.call("PUBLISH", "alerts:1", "x"))
          .isEqualTo(
              "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n");
      assertThat(c.call("SUBSCRIBE", "news:1", "other")).startsWith("-NOPERM ");
      assertThat(c.call("PSUBSCRIBE", "news*")).startsWith("-NOPERM ");
      assertThat(c.call("PSUBSCRIBE", "news:*")).contains("psubscribe");
      assertThat(c.call("SUBSCRIBE", "alerts:1")).contains("subscribe");
    }
    try (RawRespClient c = RawRespClient.connect(server.port())) {
      assertThat(c.call("HELLO", "3", "AUTH", "bob", "nope")).startsWith("-WRONGPASS ");
      assertThat(c.call("HELLO", "3", "AUTH", "bob", "bob-pw")).startsWith("%7\r\n");
      assertThat(c.call("PUBLISH", "bob:x", "m")).isEqualTo(":0\r\n");
      assertThat(c.call("SUBSCRIBE", "bob:x")).startsWith("-NOPERM ");
    }
    try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
      assertThat(jedis.auth("alice", "alice-pw")).isEqualTo("OK");
      assertThat(jedis.publish("news:jedis", "x")).isZero();
    }
  }

  @Test
  void aclUserOverHttpBasicAndWebSocketIsHeldToItsChannels() throws Exception {
    start(b -> b.aclUsers(USERS));
    assertThat(publish("news:1", basic("alice", "alice-pw")).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = publish("alerts:1", basic("alice", "alice-pw"));
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("NOPERM this user has no permissions");
    assertThat(publish("news:1", basic("alice", "wrong")).statusCode()).isEqualTo(401);
    assertThat(handshakeStatus("channel=other", basic("alice", "alice-pw"))).isEqualTo(403);
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    WebSocket ws =
        webSocket("channel=alerts:1", basic("alice", "alice-pw"), new WebSocket.Listener() {
          @Override
          public java.util.concurrent.CompletionStage<?> onText(
              WebSocket w, CharSequence data, boolean last) {
            frames.add(data.toString());
            w.request(1);
            return null;
          }
        });
    assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("subscribed");
    ws.sendText("{\"op\":\"publish\",\"channel\":\"alerts:1\",\"message\":\"m\"}", true)
        .join();
    assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"op\":\"error\"").contains("NOPERM");
    ws.sendText("{\"op\":\"subscribe\",\"channel\":\"secret\"}", true).join();
    assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("\"op\":\"error\"").contains("NOPERM");
    ws.abort();
  }

  @Test
  void wrongAuthAttemptsAreSlowedPerAddressInsteadOfUnlimited() throws Exception {
    // The server's clock stands still unless moved, so the penalty lasts exactly as long as the
    // test says.
    ManualClock clock = new ManualClock();
    SpillwayServer s = SpillwayServer.start(
        ServerConfig.builder()
            .port(0)
            .requirePass("s3cret")
            .http(HttpConfig.builder().port(0).build())
            .build(),
        clock);
    try {
      int wrongpass = 0;
      int slowed = 0;
      try (RawRespClient c = RawRespClient.connect(s.port())) {
        for (int i = 0; i < 2000; i++) {
          String reply = c.call("AUTH", "guess" + i);
          if (reply.startsWith("-WRONGPASS")) {
            wrongpass++;
          } else if (reply.startsWith(
              "-ERR too many failed authentication attempts from this address; retry in")) {
            slowed++;
          }
        }
        assertThat(wrongpass).isEqualTo(FailedAuthThrottle.FREE_FAILURES + 1);
        assertThat(slowed).isEqualTo(2000 - wrongpass);
        // While slowed, even the right password is refused unchecked, on both ports.
        assertThat(c.call("AUTH", "s3cret")).contains("too many failed");
        HttpResponse<String> http = client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.http().port() + "/v1/publish/a"))
                .header("Authorization", basic("default", "s3cret"))
                .POST(HttpRequest.BodyPublishers.ofString("m"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(http.statusCode()).isEqualTo(429);
        assertThat(http.headers().firstValue("retry-after")).hasValue("1");
        clock.advance(FailedAuthThrottle.BASE_PENALTY);
        assertThat(c.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
      }
    } finally {
      s.close();
    }
  }

  @Test
  void startupLogSaysWhichPortsAreOpenWithoutAuth() {
    try (LogCapture log = LogCapture.of(SpillwayServer.class.getName())) {
      start(b -> b);
      assertThat(log.messages())
          .anySatisfy(m -> assertThat(m)
              .contains("RESP port " + server.port() + " is OPEN without authentication")
              .contains("HTTP port " + httpPort() + " is OPEN"));
      server.close();
      start(b -> b.requirePass("s3cret"));
      assertThat(log.messages())
          .anySatisfy(m -> assertThat(m)
              .contains("RESP port " + server.port() + " needs AUTH")
              .contains("HTTP port " + httpPort() + " needs requirepass"));
    }
  }

  @Test
  void aclUsersSettingIsCheckedAtStartup() {
    assertThatThrownBy(() -> ServerConfig.builder().aclUsers("carol &x").build())
        .hasMessageContaining("acl-users")
        .hasMessageContaining("carol");
    assertThatThrownBy(() -> ServerConfig.builder().aclUsers("carol >p %x").build())
        .hasMessageContaining("unknown rule '%x'");
  }
}
