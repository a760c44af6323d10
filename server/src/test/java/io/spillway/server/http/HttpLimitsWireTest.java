package io.spillway.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.core.config.ByteSize;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.wire.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bad and hostile input on the HTTP port, over raw sockets: each is answered as documented, costs at most its own
 * connection, and a well-behaved client (the JDK's HttpClient) is served throughout.
 */
class HttpLimitsWireTest {

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

  private void wellBehavedClientIsServed() throws Exception {
    assertThat(http.publish("fine", "still here").statusCode()).isEqualTo(200);
  }

  @Test
  void oversizedHeadersAre431AndCloseTheConnection() throws Exception {
    start(h -> h.maxHeaderSize(ByteSize.ofKibibytes(1)));
    String reply =
        http.raw("GET /v1/stats HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4000) + "\r\n\r\n");
    assertThat(reply)
        .startsWith("HTTP/1.1 431 ")
        .contains("headers_too_large")
        .contains("connection: close");
    wellBehavedClientIsServed();
  }

  @Test
  void overlongRequestLineIs414() throws Exception {
    start(h -> h);
    String reply = http.raw("GET /v1/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 414 ");
    wellBehavedClientIsServed();
  }

  @Test
  void oversizedBodyIs413WithoutReadingItAll() throws Exception {
    start(h -> h.maxBodySize(ByteSize.ofKibibytes(64)));
    String reply =
        http.raw("POST /v1/publish/a HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n"
            + "x".repeat(1000));
    assertThat(reply).startsWith("HTTP/1.1 413 ").contains("body_too_large");
    wellBehavedClientIsServed();
  }

  @Test
  void publishBodyOverMaxMessageSizeIs413() throws Exception {
    start(h -> h);
    long max = server.server().config().maxMessageSize().toBytes();
    var r = http.publish("a", "x".repeat((int) max + 1));
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(r.body()).contains("max-message-size");
    assertThat(http.publish("a", "x".repeat((int) max)).statusCode()).isEqualTo(200);
  }

  @Test
  void malformedRequestIs400AndClosed() throws Exception {
    start(h -> h);
    assertThat(http.raw("THIS IS NOT HTTP\r\n\r\n")).startsWith("HTTP/1.1 400 ");
    assertThat(http.raw("GET /v1/stats HTTP/1.1\r\nContent-Length: -5\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    wellBehavedClientIsServed();
  }

  @Test
  void slowlorisIsAnswered408AtTheRequestTimeoutHoweverSteadyItsTrickle() throws Exception {
    start(h -> h.requestTimeout(Duration.ofMillis(600)));
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      long started = System.nanoTime();
      out.write("POST /v1/publish/a HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      // One header byte every 100 ms, for longer than the timeout: each byte is progress, none
      // resets the clock.
      for (int i = 0; i < 12 && s.isConnected(); i++) {
        try {
          out.write('X');
          out.flush();
        } catch (java.io.IOException closed) {
          break;
        }
        wellBehavedClientIsServed();
        Thread.sleep(100); // the trickle's own pace, not a wait for the server
      }
      String reply = HttpTestClient.readAll(in);
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      assertThat(reply).startsWith("HTTP/1.1 408 ");
      assertThat(tookMillis).isLessThan(5_000);
    }
    wellBehavedClientIsServed();
  }

  @Test
  void idleKeepAliveConnectionIsClosed() throws Exception {
    start(h -> h.idleTimeout(Duration.ofMillis(300)));
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port)) {
      s.setSoTimeout(10_000);
      s.getOutputStream()
          .write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      String all = HttpTestClient.readAll(s.getInputStream());
      assertThat(all).startsWith("HTTP/1.1 200 ");
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    start(h -> h);
    String reply = http.raw("GET /v1/publish/x HTTP/1.1\r\nHost: x\r\n\r\n"
        + "POST /v1/publish/x HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
        + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        + "GET /v1/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    int a = reply.indexOf("HTTP/1.1 405 ");
    int b = reply.indexOf("{\"receivers\":0}");
    int c = reply.indexOf("{\"status\":\"ok\"}");
    int d = reply.indexOf("\"messages_published\"");
    assertThat(a).isGreaterThanOrEqualTo(0);
    assertThat(b).isGreaterThan(a);
    assertThat(c).isGreaterThan(b);
    assertThat(d).isGreaterThan(c);
  }

  @Test
  void connectionsBeyondTheMaximumGet503AndAreClosed() throws Exception {
    start(h -> h.maxConnections(4));
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 4; i++) {
        held.add(new Socket(InetAddress.getLoopbackAddress(), http.port));
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> server.server().http().openConnections() == 4);
      String refused = http.raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(refused)
          .startsWith("HTTP/1.1 503 ")
          .containsIgnoringCase("retry-after: 1")
          .contains("max_connections");
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.server().http().openConnections() == 0);
    wellBehavedClientIsServed();
  }

  @Test
  void connectionFloodLeavesTheServerServing() throws Exception {
    start(h -> h.maxConnections(64));
    for (int i = 0; i < 300; i++) {
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port)) {
        s.getOutputStream().write("GET /v1/st".getBytes(StandardCharsets.ISO_8859_1));
      }
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> server.server().http().openConnections() == 0);
    wellBehavedClientIsServed();
  }
}
