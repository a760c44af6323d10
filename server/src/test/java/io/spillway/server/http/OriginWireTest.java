package io.spillway.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.server.config.HttpConfig;
import io.spillway.server.wire.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for issue 11's "any web page can publish and subscribe": requests carrying an {@code Origin}
 * header, as browsers send them, with the JDK's HttpClient and WebSocket client.
 */
class OriginWireTest {

  private static final String PAGE = "https://app.example.com";
  private static final String EVIL = "https://evil.example";

  private TestServer server;
  private HttpTestClient http;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(UnaryOperator<HttpConfig.Builder> tweak) {
    server =
        TestServer.start(b -> b.http(tweak.apply(HttpConfig.builder().port(0)).build()));
    http = new HttpTestClient(server.server().http().port());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.client.send(
        request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private WebSocket webSocket(String origin) {
    WebSocket.Builder b = http.client.newWebSocketBuilder();
    if (origin != null) {
      b.header("Origin", origin);
    }
    return b.buildAsync(
            URI.create("ws://127.0.0.1:" + http.port + "/v1/ws?channel=a"),
            new WebSocket.Listener() {})
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
  }

  @Test
  void plainTextPublishFromAnyPageIsRefusedByDefault() throws Exception {
    start(h -> h);
    HttpResponse<String> r = send(http.publishRequest("a", "from a page")
        .header("Origin", EVIL)
        .header("Content-Type", "text/plain"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("\"error\":\"origin_not_allowed\"");
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(http.publish("a", "no Origin: not a page").statusCode()).isEqualTo(200);
  }

  @Test
  void webSocketFromAnyPageIsRefusedByDefault() {
    start(h -> h);
    assertThatThrownBy(() -> webSocket(EVIL))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(e -> assertThat(
                ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode())
            .isEqualTo(403));
    webSocket(null).abort();
  }

  @Test
  void allowedOriginGetsCorsHeadersAndMayPublishAndSubscribe() throws Exception {
    start(h -> h.allowedOrigins(PAGE + ", http://localhost:3000"));
    HttpResponse<String> r = send(http.publishRequest("a", "hello").header("Origin", PAGE));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(PAGE);
    assertThat(r.headers().allValues("vary")).contains("Origin");
    assertThat(r.headers().firstValue("access-control-expose-headers").orElse(""))
        .contains("Retry-After");
    webSocket(PAGE).abort();
    HttpResponse<String> other = send(http.publishRequest("a", "hello").header("Origin", EVIL));
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(other.headers().firstValue("access-control-allow-origin")).isEmpty();
  }

  @Test
  void preflightFromAnAllowedOriginListsMethodsAndHeaders() throws Exception {
    start(h -> h.allowedOrigins(PAGE));
    HttpResponse<String> r = send(HttpRequest.newBuilder(http.uri("/v1/publish/a"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", PAGE)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, x-request-timeout-ms"));
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(PAGE);
    assertThat(r.headers().firstValue("access-control-allow-methods").orElse(""))
        .contains("POST");
    assertThat(r.headers().firstValue("access-control-allow-headers").orElse(""))
        .contains("Authorization", "X-Request-Timeout-Ms", "X-Priority", "Content-Type");
    assertThat(r.headers().firstValue("access-control-max-age")).hasValue("600");
    HttpResponse<String> refused = send(HttpRequest.newBuilder(http.uri("/v1/publish/a"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("Origin", EVIL)
        .header("Access-Control-Request-Method", "POST"));
    assertThat(refused.statusCode()).isEqualTo(403);
  }

  @Test
  void readOnlyRequestsFromOtherOriginsAreAnsweredWithoutCorsHeaders() throws Exception {
    start(h -> h.allowedOrigins(PAGE));
    HttpResponse<String> r = send(
        HttpRequest.newBuilder(http.uri("/v1/stats")).header("Origin", EVIL).GET());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin")).isEmpty();
    assertThat(r.headers().allValues("vary")).contains("Origin");
  }

  @Test
  void anyOriginWithStar() throws Exception {
    start(h -> h.allowedOrigins("*"));
    HttpResponse<String> r = send(http.publishRequest("a", "hello").header("Origin", EVIL));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue(EVIL);
  }

  @Test
  void aMalformedOriginSettingIsRefusedNamingTheSetting() {
    assertThatThrownBy(() ->
            HttpConfig.builder().allowedOrigins("https://app.example.com/").build())
        .hasMessageContaining("http-allowed-origins");
  }
}
