package io.spillway.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.spillway.core.config.ByteSize;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.wire.LogCapture;
import io.spillway.server.wire.RawRespClient;
import io.spillway.server.wire.TestServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for issue 11's "HTTP is too lenient": each malformed or hostile request is answered with its 4xx
 * (or 505) and a JSON body, logs at most one line and no stack trace, and costs only its own connection. Raw sockets
 * for what the JDK's HttpClient cannot send; the HttpClient for the rest.
 */
class StrictHttpWireTest {

  private TestServer server;
  private HttpTestClient http;
  private LogCapture log;

  @BeforeEach
  void captureLog() {
    log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    log.close();
  }

  private void start(UnaryOperator<HttpConfig.Builder> tweak) {
    server =
        TestServer.start(b -> b.http(tweak.apply(HttpConfig.builder().port(0)).build()));
    http = new HttpTestClient(server.server().http().port());
  }

  /** Log lines at WARN or above, or carrying a stack trace, since the test began. */
  private List<ILoggingEvent> noisyLines() {
    return log.events().stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN) || e.getThrowableProxy() != null)
        .toList();
  }

  private void quietAndStillServing() throws Exception {
    assertThat(noisyLines()).hasSizeLessThanOrEqualTo(1);
    assertThat(noisyLines()).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
    assertThat(http.publish("fine", "still here").statusCode()).isEqualTo(200);
  }

  private static int statusLines(String reply) {
    Matcher m = Pattern.compile("HTTP/1\\.1 \\d{3} ").matcher(reply);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void badPercentEscapeIs400InsteadOfAClosedConnectionAndAStackTrace() throws Exception {
    start(h -> h);
    // Raw sockets: the JDK's HttpClient refuses to send a bad escape.
    String publish = http.raw("POST /v1/publish/%G1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n"
        + "Connection: close\r\n\r\nx");
    assertThat(publish)
        .startsWith("HTTP/1.1 400 ")
        .contains("\"error\":\"bad_escape\"")
        .contains("%G1");
    assertThat(http.raw("GET /v1/ws?channel=%G1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .contains("bad_escape");
    assertThat(http.raw("GET /v1/publish/abc% HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .contains("bad_escape");
    quietAndStillServing();
  }

  @Test
  void contentLengthWithChunkedIs400AndTheRequestSmuggledBehindItIsNeverAnswered()
      throws Exception {
    start(h -> h);
    String smuggled = "GET /v1/stats HTTP/1.1\r\nHost: x\r\n\r\n";
    String reply = http.raw("POST /v1/publish/a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
    assertThat(reply)
        .startsWith("HTTP/1.1 400 ")
        .contains("ambiguous_body_length")
        .contains("connection: close");
    assertThat(statusLines(reply)).isEqualTo(1);
    assertThat(reply).doesNotContain("connected_clients");
    quietAndStillServing();
  }

  @Test
  void unknownTransferCodingIs501() throws Exception {
    start(h -> h);
    String reply =
        http.raw("POST /v1/publish/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabc");
    assertThat(reply).startsWith("HTTP/1.1 501 ").contains("unsupported_transfer_coding");
    quietAndStillServing();
  }

  @Test
  void hugeRequestTimeoutHeaderIsClampedInsteadOfOverflowingInto504() throws Exception {
    start(h -> h);
    HttpResponse<String> r = http.client.send(
        http.publishRequest("a", "x")
            .header(HttpApiHandler.DEADLINE_HEADER, "9223372036855")
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    r = http.client.send(
        http.publishRequest("a", "x")
            .header(HttpApiHandler.DEADLINE_HEADER, "9223372036854775807")
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    r = http.client.send(
        http.publishRequest("a", "x")
            .header(HttpApiHandler.DEADLINE_HEADER, "99999999999999999999999")
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("bad_header");
    quietAndStillServing();
  }

  @Test
  void invalidUtf8ChannelNamesAreTheirBytesNotReplacementCharacters() throws Exception {
    start(h -> h);
    try (RawRespClient sub = RawRespClient.connect(server.port())) {
      sub.send("*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\n\u00ff\u00fe\r\n");
      assertThat(sub.readReply()).contains("subscribe");
      HttpResponse<String> same = http.publish("%FF%FE", "raw bytes");
      assertThat(same.body()).isEqualTo("{\"receivers\":1}");
      HttpResponse<String> other = http.publish("%C0%AF", "not the same channel");
      assertThat(other.body()).isEqualTo("{\"receivers\":0}");
      String message = sub.readReply();
      assertThat(message).contains("$2\r\n\u00ff\u00fe\r\n").contains("raw bytes");
    }
    quietAndStillServing();
  }

  @Test
  void channelListShowsUtf8NamesAsTextNotAsLatin1() throws Exception {
    start(h -> h);
    try (RawRespClient sub = RawRespClient.connect(server.port())) {
      sub.send("*2\r\n$9\r\nSUBSCRIBE\r\n$5\r\ncaf\u00c3\u00a9\r\n");
      assertThat(sub.readReply()).contains("subscribe");
      assertThat(http.publish("caf%C3%A9", "m").body()).isEqualTo("{\"receivers\":1}");
      assertThat(http.get("/v1/channels").body()).contains("\"name\":\"caf\u00e9\"");
    }
  }

  @Test
  void http99Is505() throws Exception {
    start(h -> h);
    String reply = http.raw("GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 505 ").contains("http_version_not_supported");
    quietAndStillServing();
  }

  @Test
  void http11WithoutHostIs400() throws Exception {
    start(h -> h);
    assertThat(http.raw("GET /healthz HTTP/1.1\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ")
        .contains("missing_host");
    assertThat(http.raw("GET /healthz HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 200 ");
    quietAndStillServing();
  }

  @Test
  void foldedHeaderIs400() throws Exception {
    start(h -> h);
    String reply = http.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: a\r\n  continued\r\n\r\n");
    assertThat(reply).startsWith("HTTP/1.1 400 ").contains("obs-fold");
    quietAndStillServing();
  }

  @Test
  void bareLfIs400() throws Exception {
    start(h -> h);
    assertThat(http.raw("GET /healthz HTTP/1.1\nHost: x\n\n"))
        .startsWith("HTTP/1.1 400 ")
        .contains("bare LF");
    assertThat(http.raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: b\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    quietAndStillServing();
  }

  @Test
  void keepAliveRequestsAfterAWellFormedOneAreStillChecked() throws Exception {
    start(h -> h);
    String reply = http.raw("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
        + "POST /v1/publish/a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"
        + "GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: b\r\n folded\r\n\r\n");
    assertThat(statusLines(reply)).isEqualTo(3);
    assertThat(reply).contains("HTTP/1.1 400 ").contains("obs-fold");
    quietAndStillServing();
  }

  @Test
  void chunkedBodyOverTheLimitIs413WithoutADoubleRelease() throws Exception {
    start(h -> h.maxBodySize(ByteSize.ofKibibytes(64)));
    StringBuilder body = new StringBuilder();
    String chunk = "y".repeat(16 * 1024);
    for (int i = 0; i < 8; i++) {
      body.append(Integer.toHexString(chunk.length()))
          .append("\r\n")
          .append(chunk)
          .append("\r\n");
    }
    body.append("0\r\n\r\n");
    String reply = http.raw(
        "POST /v1/publish/a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
    assertThat(reply).startsWith("HTTP/1.1 413 ").contains("body_too_large");
    assertThat(log.messages())
        .noneMatch(m -> m.contains("IllegalReferenceCount") || m.contains("refCnt"));
    quietAndStillServing();
  }

  @Test
  void slowBody408LogsNoPrematureChannelClosureStackTrace() throws Exception {
    start(h -> h.requestTimeout(Duration.ofMillis(300)));
    for (int i = 0; i < 3; i++) {
      try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), http.port)) {
        s.setSoTimeout(10_000);
        OutputStream out = s.getOutputStream();
        out.write("POST /v1/publish/a HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part"
            .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = s.getInputStream();
        assertThat(HttpTestClient.readAll(in))
            .startsWith("HTTP/1.1 408 ")
            .contains("request_timeout");
      }
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> server.server().http().openConnections() == 0);
    assertThat(noisyLines()).isEmpty();
    quietAndStillServing();
  }

  @Test
  @SuppressWarnings("StringConcatToTextBlock") // raw HTTP: CRLFs are clearer escaped
  void expect100ContinueOverTheLimitIs413WithAJsonBody() throws Exception {
    // A raw socket: the JDK 17 HttpClient waits forever for a 100 when Expect: 100-continue gets a
    // final answer.
    start(h -> h.maxBodySize(ByteSize.ofKibibytes(64)));
    String reply = http.raw("POST /v1/publish/a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
        + "Content-Length: 200000\r\n\r\n");
    assertThat(reply)
        .startsWith("HTTP/1.1 413 ")
        .contains("content-type: application/json")
        .contains("\"error\":\"body_too_large\"")
        .doesNotContain("100 Continue");
    String small = http.raw("POST /v1/publish/a HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
        + "Content-Length: 2\r\nConnection: close\r\n\r\nok");
    assertThat(small).startsWith("HTTP/1.1 100 Continue").contains("HTTP/1.1 200 ");
    String raw = http.raw("POST /v1/publish/a HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\n"
        + "Content-Length: 1\r\n\r\nx");
    assertThat(raw).startsWith("HTTP/1.1 417 ").contains("expectation_failed");
    quietAndStillServing();
  }

  @Test
  @SuppressWarnings("StringConcatToTextBlock") // raw HTTP: CRLFs are clearer escaped
  void badWebSocketVersionIs426WithAJsonBody() throws Exception {
    start(h -> h);
    String reply = http.raw(
        "GET /v1/ws?channel=a HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 99\r\n\r\n");
    assertThat(reply)
        .startsWith("HTTP/1.1 426 ")
        .contains("sec-websocket-version: 13")
        .contains("\"error\":\"unsupported_websocket_version\"");
    quietAndStillServing();
  }
}
