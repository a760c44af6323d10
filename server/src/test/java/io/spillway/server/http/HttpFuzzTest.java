package io.spillway.server.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.spillway.core.config.ByteSize;
import io.spillway.server.config.HttpConfig;
import io.spillway.server.fuzz.LeakGate;
import io.spillway.server.fuzz.ScaledTries;
import io.spillway.server.wire.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzzes the HTTP port of a real server over loopback sockets: each try opens a connection, writes request-like or
 * random bytes, half-closes, and reads to the end. Whatever was sent, the server answers with a sequence of
 * well-formed HTTP/1.1 responses (status line, headers, a body framed by Content-Length or chunked) and closes, within
 * a bound (never a hang), and Netty's paranoid leak detector reports nothing.
 */
@AddLifecycleHook(ScaledTries.class)
class HttpFuzzTest {

  static {
    LeakGate.install();
  }

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) [^\\r\\n]*");
  /** How long a try may wait for the server to answer and close. */
  private static final Duration HANG = Duration.ofSeconds(5);

  private static TestServer server;
  private static int port;

  @BeforeContainer
  static void startServer() {
    server = TestServer.start(b -> b.http(HttpConfig.builder()
        .port(0)
        .requestTimeout(Duration.ofSeconds(2))
        .maxBodySize(ByteSize.ofBytes(4096))
        .maxHeaderSize(ByteSize.ofBytes(2048))
        .build()));
    port = server.server().http().port();
  }

  @AfterContainer
  static void stopServerAndCheckLeaks() throws InterruptedException {
    if (server != null) {
      server.close();
    }
    LeakGate.check(HttpFuzzTest.class.getSimpleName());
  }

  @Provide
  Arbitrary<String> requests() {
    Arbitrary<String> method = Arbitraries.of(
        "GET",
        "POST",
        "PUT",
        "DELETE",
        "HEAD",
        "OPTIONS",
        "PATCH",
        "CONNECT",
        "TRACE",
        "get",
        "",
        "G\u00e9T",
        "POST ");
    Arbitrary<String> target = Arbitraries.of(
        "/v1/publish/a",
        "/v1/publish/%G1",
        "/v1/publish/%FF%FE",
        "/v1/publish/",
        "/v1/publish/a/b",
        "/v1/channels",
        "/v1/channels?pattern=*",
        "/v1/clients",
        "/v1/stats",
        "/v1/ws?channel=a",
        "/v1/ws?channel=%G1",
        "/metrics",
        "/healthz",
        "/readyz",
        "/",
        "*",
        "http://x/v1/stats",
        "/v1/publish/" + "a".repeat(3000),
        "/%",
        "/v1/stats?%%",
        "");
    Arbitrary<String> version =
        Arbitraries.of("HTTP/1.1", "HTTP/1.0", "HTTP/9.9", "HTTP/1", "", "http/1.1");
    Arbitrary<String> header = Arbitraries.of(
        "Host: x",
        "Content-Length: 5",
        "Content-Length: -1",
        "Content-Length: 99999999999999999999",
        "Content-Length: 5, 6",
        "Transfer-Encoding: chunked",
        "Transfer-Encoding: gzip, chunked",
        "Expect: 100-continue",
        "Connection: close",
        "Connection: keep-alive",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Version: 8",
        "X-Request-Timeout-Ms: 9223372036855",
        "X-Request-Timeout-Ms: -5",
        "X-Priority: critical",
        "X-Priority: ???",
        "Authorization: Bearer x",
        "Origin: http://evil.example",
        " folded",
        "NoColon",
        "X-Big: " + "b".repeat(3000),
        "Content-Type: application/json");
    Arbitrary<String> body = Arbitraries.of(
        "",
        "hello",
        "0\r\n\r\n",
        "5\r\nhello\r\n0\r\n\r\n",
        "zz\r\n",
        "ffffffffffffffff\r\n",
        "x".repeat(5000),
        "GET /v1/stats HTTP/1.1\r\nHost: x\r\n\r\n");
    Arbitrary<String> eol = Arbitraries.of("\r\n", "\r\n", "\r\n", "\n", "\r");
    return Combinators.combine(method, target, version, header.list().ofMaxSize(5), body, eol)
        .as((m, t, v, hs, b, nl) ->
            m + " " + t + " " + v + nl + String.join(nl, hs) + (hs.isEmpty() ? "" : nl) + nl + b);
  }

  @Property(tries = 250)
  void requestLikeBytesGetWellFormedResponsesThenAClose(
      @ForAll("requests") String request, @ForAll @IntRange(min = 1, max = 3) int times)
      throws IOException {
    checkExchange(request.repeat(times).getBytes(ISO_8859_1));
  }

  @Property(tries = 250)
  void mutatedRequestsGetWellFormedResponsesThenAClose(
      @ForAll("requests") String request,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 100_000) Integer> positions,
      @ForAll @Size(min = 4, max = 4) byte[] values)
      throws IOException {
    byte[] bytes = request.getBytes(ISO_8859_1);
    for (int i = 0; i < positions.size() && bytes.length > 0; i++) {
      bytes[positions.get(i) % bytes.length] = values[i];
    }
    checkExchange(bytes);
  }

  @Property(tries = 150)
  void randomBytesGetWellFormedResponsesOrJustAClose(@ForAll @Size(max = 600) byte[] bytes)
      throws IOException {
    checkExchange(bytes);
  }

  /** Sends {@code bytes}, half-closes, and checks what comes back. */
  private static void checkExchange(byte[] bytes) throws IOException {
    byte[] answer;
    try (Socket s = new Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout((int) HANG.toMillis());
      try {
        s.getOutputStream().write(bytes);
        s.shutdownOutput();
      } catch (SocketException closedEarly) {
        // The server may answer and close before reading everything: what it sent still has to be
        // well-formed.
      }
      answer = readToClose(s.getInputStream());
    }
    boolean head = new String(bytes, 0, Math.min(5, bytes.length), ISO_8859_1).startsWith("HEAD ");
    checkResponses(new String(answer, ISO_8859_1), head);
  }

  private static byte[] readToClose(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int r; (r = in.read(buf)) >= 0; ) {
        out.write(buf, 0, r);
      }
    } catch (SocketTimeoutException e) {
      fail("the server neither answered nor closed within " + HANG + "; got so far: "
          + out.toString(ISO_8859_1));
    } catch (SocketException reset) {
      // A reset after the answer is a close as well.
    }
    return out.toByteArray();
  }

  /**
   * {@code text} is zero or more complete HTTP/1.1 responses; a 101 ends the HTTP part. Responses to {@code HEAD}
   * requests announce a length but carry no body (unless the request was too malformed to be known as a HEAD).
   */
  static void checkResponses(String text, boolean head) {
    int at = 0;
    while (at < text.length()) {
      int headEnd = text.indexOf("\r\n\r\n", at);
      assertThat(headEnd).as("a complete response head in %s", text).isGreaterThanOrEqualTo(0);
      String[] lines = text.substring(at, headEnd).split("\r\n", -1);
      Matcher status = STATUS_LINE.matcher(lines[0]);
      assertThat(status.matches()).as("status line %s in %s", lines[0], text).isTrue();
      int code = Integer.parseInt(status.group(1));
      long length = -1;
      boolean chunked = false;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        assertThat(colon).as("header line %s", lines[i]).isPositive();
        String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = lines[i].substring(colon + 1).trim();
        if (name.equals("content-length")) {
          length = Long.parseLong(value);
        } else if (name.equals("transfer-encoding")) {
          chunked = value.equalsIgnoreCase("chunked");
        }
      }
      at = headEnd + 4;
      if (code == 101) {
        return;
      }
      boolean bodiless = head && (at == text.length() || text.startsWith("HTTP/1.", at));
      if (bodiless || code == 100 || code == 204 || code == 304) {
        continue;
      }
      if (chunked) {
        at = skipChunked(text, at);
      } else if (length >= 0) {
        assertThat((long) text.length() - at)
            .as("body of %d bytes in %s", length, text)
            .isGreaterThanOrEqualTo(length);
        at += (int) length;
      } else {
        return; // delimited by the close
      }
    }
  }

  private static int skipChunked(String text, int at) {
    while (true) {
      int eol = text.indexOf("\r\n", at);
      assertThat(eol).as("chunk size line in %s", text).isGreaterThanOrEqualTo(0);
      int size = Integer.parseInt(text.substring(at, eol).split(";", -1)[0].trim(), 16);
      at = eol + 2;
      if (size == 0) {
        int end = text.indexOf("\r\n", at);
        assertThat(end).as("end of chunked body").isGreaterThanOrEqualTo(0);
        return end + 2;
      }
      at += size + 2;
      assertThat(at).as("chunk within the response").isLessThanOrEqualTo(text.length());
    }
  }
}
