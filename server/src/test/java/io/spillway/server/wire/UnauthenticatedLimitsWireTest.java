package io.spillway.server.wire;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * With requirepass set, a client that has not authenticated is held to Redis 7.0's small request limits (10
 * arguments, 16 KiB per argument), so that it cannot make the server buffer large requests without the password.
 */
@Timeout(value = 30, unit = SECONDS)
class UnauthenticatedLimitsWireTest {

  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(b -> b.requirePass("s3cret"));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void moreThanTenArgumentsBeforeAuthIsAProtocolError() throws Exception {
    try (RawRespClient client = RawRespClient.connect(server.port())) {
      client.send("*11\r\n");
      assertThat(client.readUntilClosed())
          .isEqualTo("-ERR Protocol error: unauthenticated multibulk length\r\n");
    }
  }

  @Test
  void anArgumentOverSixteenKibibytesBeforeAuthIsAProtocolError() throws Exception {
    try (RawRespClient client = RawRespClient.connect(server.port())) {
      client.send("*2\r\n$4\r\nAUTH\r\n$16385\r\n");
      assertThat(client.readUntilClosed())
          .isEqualTo("-ERR Protocol error: unauthenticated bulk length\r\n");
    }
  }

  @Test
  void afterAuthTheConfiguredLimitsApply() throws Exception {
    try (RawRespClient client = RawRespClient.connect(server.port())) {
      assertThat(client.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
      String big = "x".repeat(20_000);
      assertThat(client.call("ECHO", big)).isEqualTo("$20000\r\n" + big + "\r\n");
      assertThat(client.call("SUBSCRIBE", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"))
          .startsWith("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
    }
  }

  @Test
  void resetRequiresAuthenticationAgain() throws Exception {
    try (RawRespClient client = RawRespClient.connect(server.port())) {
      assertThat(client.call("AUTH", "s3cret")).isEqualTo("+OK\r\n");
      assertThat(client.call("RESET")).isEqualTo("+RESET\r\n");
      client.send("*11\r\n");
      assertThat(client.readUntilClosed())
          .isEqualTo("-ERR Protocol error: unauthenticated multibulk length\r\n");
    }
  }
}
