package io.spillway.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.spillway.server.config.ServerConfig;
import io.spillway.server.config.TlsConfig;
import io.spillway.server.wire.RawRespClient;
import io.spillway.server.wire.RedisCli;
import io.spillway.server.wire.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for issue 11's "no TLS on either port": a certificate made by the {@code openssl} CLI for
 * 127.0.0.1, {@code redis-cli --tls} against the RESP TLS port, and the JDK's HttpClient over https.
 */
class TlsWireTest {

  @TempDir
  static Path dir;

  static Path cert;
  static Path key;

  private TestServer server;

  @BeforeAll
  static void selfSignedCertificate() throws Exception {
    cert = dir.resolve("cert.pem");
    key = dir.resolve("key.pem");
    SelfSignedCertificate.write(cert, key);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private void start(UnaryOperator<TlsConfig.Builder> tls) {
    server = TestServer.start(
        b -> b.tls(tls.apply(TlsConfig.builder().certFile(cert.toString()).keyFile(key.toString()))
            .build()));
  }

  private static SSLContext trusting(Path pem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      trust.setCertificateEntry(
          "spillway", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  void openSslIsUsedWhereNettyTcnativeLoads() {
    assertThat(ServerTls.openSsl())
        .as("netty-tcnative-boringssl-static loads on linux-x86_64")
        .isTrue();
  }

  @Test
  void redisCliTlsReachesTheRespTlsPortBesideThePlainOne() throws Exception {
    start(t -> t.port(0));
    int tlsPort = server.server().tlsPort();
    assertThat(tlsPort).isPositive().isNotEqualTo(server.port());
    try (RedisCli cli = new RedisCli(tlsPort);
        RawRespClient plain = RawRespClient.connect(server.port())) {
      assertThat(cli.run("--tls", "--cacert", cert.toString(), "-h", "127.0.0.1", "PING"))
          .containsExactly("PONG");
      RedisCli.Running sub =
          cli.start("--tls", "--cacert", cert.toString(), "-h", "127.0.0.1", "SUBSCRIBE", "news");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> plain.call("PUBSUB", "NUMSUB", "news").endsWith(":1\r\n"));
      assertThat(plain.call("PUBLISH", "news", "over-tls")).isEqualTo(":1\r\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> sub.lines().contains("over-tls"));
      List<String> plainToTls = new RedisCli(server.port()).run("PING");
      assertThat(plainToTls).containsExactly("PONG");
    }
  }

  @Test
  void plainRespOnTheTlsPortIsNotServed() throws Exception {
    start(t -> t.port(0));
    try (RawRespClient c =
        RawRespClient.connect(server.server().tlsPort(), Duration.ofSeconds(5))) {
      c.send("PING\r\n");
      assertThatThrownBy(c::readReply).isInstanceOf(IOException.class);
    }
  }

  @Test
  void clientCertificatesAreRequiredWhenTlsAuthClientsIsYes() {
    start(t -> t.port(0).caCertFile(cert.toString()).authClients("yes"));
    try (RedisCli cli = new RedisCli(server.server().tlsPort())) {
      assertThat(cli.run("--tls", "--cacert", cert.toString(), "-h", "127.0.0.1", "PING"))
          .noneMatch(l -> l.equals("PONG"));
      assertThat(cli.run(
              "--tls",
              "--cacert",
              cert.toString(),
              "--cert",
              cert.toString(),
              "--key",
              key.toString(),
              "-h",
              "127.0.0.1",
              "PING"))
          .containsExactly("PONG");
    }
  }

  @Test
  void httpClientOverHttpsWithATrustStore() throws Exception {
    start(t -> t.http(true));
    HttpClient https = HttpClient.newBuilder()
        .sslContext(trusting(cert))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    String base = "https://127.0.0.1:" + server.server().http().port();
    HttpResponse<String> health = https.send(
        HttpRequest.newBuilder(URI.create(base + "/healthz"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> publish = https.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/publish/a"))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString("m"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(publish.body()).isEqualTo("{\"receivers\":0}");
    HttpClient untrusting =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> untrusting.send(
            HttpRequest.newBuilder(URI.create(base + "/healthz"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void webSocketOverWssReceivesMessagesThroughTheOutbox() throws Exception {
    start(t -> t.http(true));
    HttpClient https = HttpClient.newBuilder()
        .sslContext(trusting(cert))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
    java.util.concurrent.LinkedBlockingQueue<String> frames =
        new java.util.concurrent.LinkedBlockingQueue<>();
    java.net.http.WebSocket ws = https
        .newWebSocketBuilder()
        .buildAsync(
            URI.create("wss://127.0.0.1:" + server.server().http().port() + "/v1/ws?channel=news"),
            new java.net.http.WebSocket.Listener() {
              @Override
              public java.util.concurrent.CompletionStage<?> onText(
                  java.net.http.WebSocket w, CharSequence data, boolean last) {
                frames.add(data.toString());
                w.request(1);
                return null;
              }
            })
        .orTimeout(10, TimeUnit.SECONDS)
        .join();
    assertThat(frames.poll(10, TimeUnit.SECONDS)).contains("subscribed");
    try (RawRespClient plain = RawRespClient.connect(server.port())) {
      assertThat(plain.call("PUBLISH", "news", "over-wss")).isEqualTo(":1\r\n");
    }
    assertThat(frames.poll(10, TimeUnit.SECONDS))
        .isEqualTo("{\"channel\":\"news\",\"message\":\"over-wss\"}");
    ws.abort();
  }

  @Test
  void tlsWithoutCertificateIsRefusedAtStartNamingTheSetting() {
    assertThatThrownBy(() -> TlsConfig.builder().port(6390).build())
        .hasMessageContaining("tls-cert-file");
    assertThatThrownBy(() -> TlsConfig.builder()
            .http(true)
            .certFile(cert.toString())
            .keyFile("/nonexistent")
            .build())
        .hasMessageContaining("tls-key-file '/nonexistent' cannot be read");
    assertThatThrownBy(() ->
            ServerConfig.builder().tls(TlsConfig.builder().authClients("maybe").build()))
        .hasMessageContaining("tls-auth-clients 'maybe'");
  }
}
