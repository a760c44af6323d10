package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Redis commands operators' tools use (CONFIG, CLIENT PAUSE/REPLY/NO-EVICT, COMMAND DOCS, INFO's sections,
 * scripting refused) over real sockets, and redis-benchmark itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisToolingWireTest {

  private static final Duration AWAIT = Duration.ofSeconds(10);

  private final TestServer server = TestServer.start();
  private final List<RawRespClient> clients = new ArrayList<>();

  @AfterEach
  void close() throws IOException {
    for (RawRespClient c : clients) {
      c.close();
    }
    server.close();
  }

  private RawRespClient client() throws IOException {
    RawRespClient c = RawRespClient.connect(server.port());
    clients.add(c);
    return c;
  }

  @Test
  void configGetAnswersAFlatArrayInResp2AndAMapInResp3() throws IOException {
    RawRespClient c = client();
    assertThat(c.call("CONFIG", "GET", "maxclients"))
        .isEqualTo("*2\r\n$10\r\nmaxclients\r\n$4\r\n1000\r\n");
    assertThat(c.call("CONFIG", "GET", "save", "appendonly"))
        .isEqualTo("*4\r\n$4\r\nsave\r\n$0\r\n\r\n$10\r\nappendonly\r\n$2\r\nno\r\n");
    assertThat(c.call("CONFIG", "GET", "no-such-parameter")).isEqualTo("*0\r\n");
    c.call("HELLO", "3");
    assertThat(c.call("CONFIG", "GET", "MAXCLIENTS"))
        .isEqualTo("%1\r\n$10\r\nmaxclients\r\n$4\r\n1000\r\n");
  }

  @Test
  void configGetMatchesGlobPatternsOverSpillwayAndRedisNames() throws IOException {
    String reply =
        client().call("CONFIG", "GET", "subscriber-*-limit", "client-output-buffer-lim?t");
    assertThat(reply)
        .startsWith("*6\r\n")
        .contains(
            "subscriber-hard-limit",
            "subscriber-soft-limit",
            "normal 65536 52428 5 replica 0 0 0 pubsub 65536 52428 5");
  }

  @Test
  void configSetClientOutputBufferLimitReachesConnectedSubscribers() throws IOException {
    RawRespClient subscriber = client();
    subscriber.call("SUBSCRIBE", "news");
    RawRespClient admin = client();
    assertThat(admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 256kb 200kb 7"))
        .isEqualTo("+OK\r\n");
    assertThat(admin.call("CONFIG", "GET", "subscriber-*")).contains("256KiB", "200KiB", "7s");
    await()
        .atMost(AWAIT)
        .untilAsserted(() -> assertThat(admin.call("CLIENT", "LIST", "TYPE", "PUBSUB"))
            .contains(" hard=262144 soft=204800"));
    assertThat(admin.call("CLIENT", "LIST", "TYPE", "NORMAL")).contains(" hard=65536 soft=52428");
  }

  @Test
  void configSetRefusesWithRedisTextsAndChangesNothing() throws IOException {
    RawRespClient c = client();
    assertThat(c.call("CONFIG", "SET", "io-threads", "2"))
        .isEqualTo(
            "-ERR CONFIG SET failed (possibly related to argument 'io-threads') - can't set immutable config\r\n");
    assertThat(c.call("CONFIG", "SET", "nosuch", "1"))
        .isEqualTo("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n");
    assertThat(c.call("CONFIG", "SET", "maxclients", "5", "normal-soft-limit", "1mb"))
        .startsWith(
            "-ERR CONFIG SET failed (possibly related to argument 'normal-soft-limit') - normal-soft-limit");
    assertThat(c.call("CONFIG", "GET", "maxclients")).contains("1000");
    assertThat(c.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 0 0"))
        .startsWith(
            "-ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit')");
    assertThat(c.call("CONFIG", "REWRITE")).startsWith("-ERR CONFIG REWRITE is unsupported");
    assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo("+OK\r\n");
  }

  @Test
  void configSetMaxclientsRefusesConnectionsBeyondTheNewLimit() throws IOException {
    RawRespClient c = client();
    assertThat(c.call("CONFIG", "SET", "maxclients", "2")).isEqualTo("+OK\r\n");
    client().call("PING");
    RawRespClient third = client();
    assertThat(third.readReply()).isEqualTo("-ERR max number of clients reached\r\n");
    assertThat(c.call("INFO", "clients")).contains("maxclients:2");
  }

  @Test
  void scriptingCommandsFailAtOnceAsUnsupported() throws IOException {
    RawRespClient c = client();
    for (String command : List.of("EVALSHA", "EVAL", "SCRIPT", "FCALL", "FUNCTION")) {
      assertThat(c.call(command, "x", "0"))
          .startsWith("-ERR " + command + " is unsupported")
          .contains("does not run Lua scripts");
    }
    assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
  }

  @Test
  void clientPauseWriteHoldsPublishUntilUnpause() throws IOException {
    RawRespClient admin = client();
    RawRespClient publisher = RawRespClient.connect(server.port(), Duration.ofMillis(300));
    clients.add(publisher);
    assertThat(admin.call("CLIENT", "PAUSE", "20000", "WRITE")).isEqualTo("+OK\r\n");
    assertThat(publisher.call("PING")).isEqualTo("+PONG\r\n");
    publisher.command("PUBLISH", "a", "b").command("PING");
    assertThatThrownBy(publisher::readReply).isInstanceOf(SocketTimeoutException.class);
    assertThat(admin.call("CLIENT", "UNPAUSE")).isEqualTo("+OK\r\n");
    await()
        .atMost(AWAIT)
        .ignoreExceptionsInstanceOf(SocketTimeoutException.class)
        .untilAsserted(() -> assertThat(publisher.readReply()).isEqualTo(":0\r\n"));
    assertThat(publisher.readReply()).isEqualTo("+PONG\r\n");
  }

  @Test
  void clientPauseEndsByItselfWhenItsTimeIsUp() throws IOException {
    RawRespClient admin = client();
    assertThat(admin.call("CLIENT", "PAUSE", "200")).isEqualTo("+OK\r\n");
    RawRespClient other = client();
    assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
    assertThat(admin.call("CLIENT", "PAUSE", "x"))
        .isEqualTo("-ERR timeout is not an integer or out of range\r\n");
  }

  @Test
  void clientReplyOffSilencesRepliesUntilOnAndSkipSilencesOne() throws IOException {
    RawRespClient c = client();
    c.command("CLIENT", "REPLY", "OFF")
        .command("PING")
        .command("ECHO", "lost")
        .command("CLIENT", "REPLY", "ON");
    assertThat(c.readReply()).isEqualTo("+OK\r\n");
    c.command("CLIENT", "REPLY", "SKIP").command("ECHO", "skipped").command("ECHO", "seen");
    assertThat(c.readReply()).isEqualTo("$4\r\nseen\r\n");
    assertThat(c.call("CLIENT", "NO-EVICT", "on")).isEqualTo("+OK\r\n");
    assertThat(c.call("CLIENT", "NO-EVICT", "maybe")).isEqualTo("-ERR syntax error\r\n");
  }

  @Test
  void clientListHasRedis70FieldsWithTheOutboxBytes() throws IOException {
    String list = client().call("CLIENT", "LIST");
    assertThat(list)
        .containsPattern(" fd=\\d+ ")
        .contains(" qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=")
        .containsPattern(" omem=\\d+ tot-mem=\\d+ events=r");
  }

  @Test
  void infoHasCpuCommandstatsErrorstatsAndLatencystats() throws IOException {
    RawRespClient c = client();
    c.call("PING");
    c.call("NOSUCH");
    c.call("CLIENT", "LIST", "TYPE", "bad");
    String info = c.call("INFO");
    assertThat(info)
        .contains("# CPU\r\nused_cpu_sys:", "# Errorstats\r\nerrorstat_ERR:count=2")
        .doesNotContain("# Commandstats");
    String all = c.call("INFO", "all");
    assertThat(all)
        .containsPattern("cmdstat_ping:calls=1,usec=\\d+,usec_per_call=[0-9.]+,rejected_calls=0,"
            + "failed_calls=0")
        .contains("cmdstat_client|list:calls=1,")
        .contains("failed_calls=1")
        .containsPattern("latency_percentiles_usec_ping:p50=[0-9.]+,p99=[0-9.]+,p99.9=[0-9.]+");
    assertThat(c.call("CONFIG", "RESETSTAT")).isEqualTo("+OK\r\n");
    assertThat(c.call("INFO", "commandstats")).doesNotContain("cmdstat_ping");
  }

  @Test
  @SuppressWarnings(
      "StringConcatToTextBlock") // RESP bytes: CRLFs are clearer escaped than in a text block
  void commandDocsDescribesEveryCommandAndCountMatchesList() throws IOException {
    RawRespClient c = client();
    assertThat(c.call("COMMAND", "DOCS", "publish"))
        .startsWith(
            "*2\r\n$7\r\npublish\r\n*8\r\n$7\r\nsummary\r\n$27\r\nPost a message to a channel\r\n"
                + "$5\r\nsince\r\n$5\r\n2.0.0\r\n$5\r\ngroup\r\n$6\r\npubsub\r\n$10\r\ncomplexity\r\n")
        .endsWith("of subscribed patterns (by any client).\r\n");
    String count = c.call("COMMAND", "COUNT");
    String list = c.call("COMMAND", "LIST");
    assertThat(list).startsWith("*" + count.substring(1, count.length() - 2) + "\r\n");
    String all = c.call("COMMAND", "DOCS");
    for (String name :
        List.of("config", "client|pause", "client|reply", "config|set", "command|docs")) {
      assertThat(all).contains("\r\n" + name + "\r\n");
    }
    assertThat(c.call("COMMAND", "INFO", "config")).contains("config|get", "config|set");
  }

  @Test
  void redisBenchmarkRunsWithoutTheConfigWarning() throws Exception {
    Process p;
    try {
      p = new ProcessBuilder(
              "redis-benchmark",
              "-p",
              Integer.toString(server.port()),
              "-t",
              "ping",
              "-n",
              "2000",
              "-c",
              "4",
              "-q")
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new AssertionError(
          "redis-benchmark is not installed: install the Debian package redis-tools", e);
    }
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(out)
        .doesNotContain("WARNING")
        .doesNotContain("Could not fetch server CONFIG")
        .contains("PING_INLINE:")
        .contains("requests per second");
  }

  @SuppressWarnings("unused")
  private static boolean closed(RawRespClient c) {
    try {
      c.readReply();
      return false;
    } catch (EOFException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
