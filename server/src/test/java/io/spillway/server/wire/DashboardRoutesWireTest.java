package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.server.config.HttpConfig;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dashboard's HTTP routes with the JDK's HTTP client and raw sockets: assets, the event stream, kill, auth. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardRoutesWireTest {

  private TestServer server;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws IOException {
    for (Socket s : sockets) {
      s.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.server().http().port() + path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageAndItsAssetsAreServedFromTheJarWithASameOriginPolicy() throws Exception {
    server = TestServer.start();
    for (String path : List.of("/", "/dashboard")) {
      HttpResponse<String> page = get(path);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.headers().firstValue("Content-Security-Policy"))
          .get()
          .asString()
          .contains("default-src 'none'", "script-src 'self'");
      assertThat(page.body())
          .contains("/dashboard/assets/uPlot.iife.min.js")
          .doesNotContain("https://");
    }
    assertThat(get("/dashboard/assets/uPlot.iife.min.js").body()).contains("uPlot");
    assertThat(get("/dashboard/assets/uPlot.min.css").statusCode()).isEqualTo(200);
    assertThat(get("/dashboard/assets/dashboard.js").body()).contains("/v1/dashboard/events");
    assertThat(get("/dashboard/assets/nothing.js").statusCode()).isEqualTo(404);
  }

  @Test
  void theEventStreamSendsASnapshotAtOnceAndAdmitsAtMostEightViewers() throws Exception {
    server = TestServer.start();
    for (int i = 0; i < 8; i++) {
      String start = openStream("/v1/dashboard/events", 600);
      assertThat(start)
          .startsWith("HTTP/1.1 200 OK")
          .contains("text/event-stream")
          .contains("event: snapshot\ndata: {")
          .contains("\"output_budget_bytes\":")
          .contains("\"slow_clients\":[");
    }
    assertThat(openStream("/v1/dashboard/events", 200)).startsWith("HTTP/1.1 503");
    sockets.remove(sockets.size() - 1).close();
    sockets.remove(sockets.size() - 1).close();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> openStream("/v1/dashboard/events", 200).startsWith("HTTP/1.1 200"));
  }

  @Test
  void withTokensTheStreamAndKillNeedOneAndThePageDoesNot() throws Exception {
    server = TestServer.start(
        b -> b.http(HttpConfig.builder().port(0).tokens("s3cret").build()));
    assertThat(get("/dashboard").statusCode()).isEqualTo(200);
    assertThat(openStream("/v1/dashboard/events", 200)).startsWith("HTTP/1.1 401");
    assertThat(openStream("/v1/dashboard/events?access_token=wrong", 200))
        .startsWith("HTTP/1.1 401");
    assertThat(openStream("/v1/dashboard/events?access_token=s3cret", 200))
        .startsWith("HTTP/1.1 200");
    assertThat(post("/v1/clients/1/kill", null).statusCode()).isEqualTo(401);
    assertThat(post("/v1/clients/1/kill", "wrong").statusCode()).isEqualTo(401);
  }

  @Test
  void killClosesTheClientAsClientKillIdDoes() throws Exception {
    server = TestServer.start();
    try (RawRespClient victim = RawRespClient.connect(server.port())) {
      String id = victim.call("CLIENT", "ID").trim().substring(1);
      assertThat(post("/v1/clients/" + id + "/kill", null).body())
          .isEqualTo("{\"killed\":" + id + "}");
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        try {
          victim.call("PING");
          return false;
        } catch (EOFException | java.net.SocketException closed) {
          return true;
        }
      });
    }
    assertThat(post("/v1/clients/999999/kill", null).statusCode()).isEqualTo(404);
    assertThat(post("/v1/clients/abc/kill", null).statusCode()).isEqualTo(404);
    assertThat(get("/v1/clients/1/kill").statusCode()).isEqualTo(405);
  }

  /** Sends a GET on a new connection left open, and returns what arrives within {@code millis}. */
  private String openStream(String path, int millis) throws IOException {
    Socket s = new Socket();
    sockets.add(s);
    s.connect(
        new InetSocketAddress(
            java.net.InetAddress.getLoopbackAddress(), server.server().http().port()),
        5_000);
    OutputStream out = s.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    s.setSoTimeout(millis);
    InputStream in = s.getInputStream();
    StringBuilder sb = new StringBuilder();
    byte[] buf = new byte[8192];
    try {
      for (int n; (n = in.read(buf)) > 0; ) {
        sb.append(new String(buf, 0, n, StandardCharsets.UTF_8));
      }
    } catch (java.net.SocketTimeoutException enough) {
      // What arrived in time is the answer.
    }
    return sb.toString();
  }
}
