package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.server.config.ServerConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real redis-cli binary against a real Spillway server: what a user typing at a shell sees. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisCliWireTest {

  private static final Duration AWAIT = Duration.ofSeconds(10);

  private TestServer server;
  private RedisCli cli;

  private RedisCli start(UnaryOperator<ServerConfig.Builder> tweak) {
    RedisCli.executable();
    server = TestServer.start(tweak);
    cli = new RedisCli(server.port());
    return cli;
  }

  private RedisCli start() {
    return start(b -> b);
  }

  @AfterEach
  void stopProcessesThenServer() {
    if (cli != null) {
      cli.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * Starts a subscribing redis-cli and waits until it has printed the confirmation ({@code kind, name, count}) of
   * every name after the SUBSCRIBE or PSUBSCRIBE in {@code args}.
   */
  private RedisCli.Running subscribed(String... args) {
    int command = 0;
    while (args[command].startsWith("-")) {
      command++;
    }
    int confirmationLines = 3 * (args.length - command - 1);
    RedisCli.Running sub = cli.start(args);
    await().atMost(AWAIT).until(() -> sub.lines().size() >= confirmationLines);
    return sub;
  }

  @Test
  void redisCliPingGetsPong() {
    assertThat(start().run("PING")).containsExactly("PONG");
  }

  @Test
  void redisCliPublishReturnsReceiverCount() {
    start();
    assertThat(cli.run("PUBLISH", "ch", "nobody")).containsExactly("0");

    subscribed("SUBSCRIBE", "ch");
    subscribed("PSUBSCRIBE", "c*");

    assertThat(cli.run("PUBLISH", "ch", "two")).containsExactly("2");
    assertThat(cli.run("PUBLISH", "cx", "one")).containsExactly("1");
  }

  @Test
  void redisCliSubscriberReceivesMessagePublishedByAnotherRedisCli() {
    start();
    RedisCli.Running sub = subscribed("SUBSCRIBE", "ch");
    assertThat(sub.lines()).containsExactly("subscribe", "ch", "1");

    assertThat(cli.run("PUBLISH", "ch", "hello world")).containsExactly("1");

    await()
        .atMost(AWAIT)
        .untilAsserted(() -> assertThat(sub.lines())
            .containsExactly("subscribe", "ch", "1", "message", "ch", "hello world"));
  }

  @Test
  void redisCliPatternSubscriberReceivesPmessageWithPatternAndChannel() {
    start();
    RedisCli.Running sub = subscribed("PSUBSCRIBE", "news.*");
    assertThat(sub.lines()).containsExactly("psubscribe", "news.*", "1");

    assertThat(cli.run("PUBLISH", "sport.x", "not matched")).containsExactly("0");
    assertThat(cli.run("PUBLISH", "news.tech", "matched")).containsExactly("1");

    await()
        .atMost(AWAIT)
        .untilAsserted(() -> assertThat(sub.lines())
            .containsExactly(
                "psubscribe", "news.*", "1", "pmessage", "news.*", "news.tech", "matched"));
  }

  @Test
  void redisCliResp3SubscriberReceivesPushMessages() {
    start();
    RedisCli.Running sub = subscribed("-3", "SUBSCRIBE", "ch");
    assertThat(sub.lines()).containsExactly("subscribe", "ch", "1");

    List<String> clients = cli.run("CLIENT", "LIST");
    assertThat(clients)
        .filteredOn(l -> l.contains("cmd=subscribe"))
        .singleElement(InstanceOfAssertFactories.STRING)
        .contains(" resp=3 ", " sub=1 ");

    assertThat(cli.run("PUBLISH", "ch", "pushed")).containsExactly("1");

    await()
        .atMost(AWAIT)
        .untilAsserted(() -> assertThat(sub.lines())
            .containsExactly("subscribe", "ch", "1", "message", "ch", "pushed"));
  }

  @Test
  void redisCliPubsubChannelsNumsubAndNumpatCountSubscribers() {
    start();
    subscribed("SUBSCRIBE", "alpha", "beta");
    subscribed("SUBSCRIBE", "alpha");
    subscribed("PSUBSCRIBE", "a*", "b*");

    assertThat(cli.run("PUBSUB", "CHANNELS")).containsExactlyInAnyOrder("alpha", "beta");
    assertThat(cli.run("PUBSUB", "CHANNELS", "a*")).containsExactly("alpha");
    assertThat(cli.run("PUBSUB", "NUMSUB", "alpha", "beta", "gamma"))
        .containsExactly("alpha", "2", "beta", "1", "gamma", "0");
    assertThat(cli.run("PUBSUB", "NUMPAT")).containsExactly("2");
  }

  @Test
  void redisCliClientListShowsSubscriberWithSpillwayFields() {
    start();
    subscribed("SUBSCRIBE", "ch");

    List<String> clients = cli.run("CLIENT", "LIST");

    assertThat(clients).hasSize(2);
    String subscriber =
        clients.stream().filter(l -> l.contains(" cmd=subscribe ")).findFirst().orElseThrow();
    assertThat(subscriber)
        .matches("id=\\d+ addr=127\\.0\\.0\\.1:\\d+ .*")
        .contains(" sub=1 ", " psub=0 ", " flags=P ", " class=subscriber ")
        .containsPattern(" queued=\\d+ ")
        .containsPattern(" hard=\\d+ soft=\\d+ paused=none holding=0$");
    String self = clients.stream()
        .filter(l -> l.contains(" cmd=client|list "))
        .findFirst()
        .orElseThrow();
    assertThat(self).contains(" sub=0 ", " class=normal ", " flags=N ");
  }

  @Test
  void redisCliInfoHasServerClientsMemoryAndStatsSections() {
    start();

    List<String> info = cli.run("INFO");

    assertThat(info).contains("# Server", "# Clients", "# Memory", "# Stats");
    assertThat(info).anyMatch(l -> l.startsWith("redis_version:"));
    assertThat(info).anyMatch(l -> l.matches("connected_clients:\\d+"));
    assertThat(info).anyMatch(l -> l.matches("outbox_queued_bytes:\\d+"));
    assertThat(info).anyMatch(l -> l.matches("client_cuts_buffer_overflow:0"));
    assertThat(info).anyMatch(l -> l.matches("client_cuts_slow_reader_sustained:0"));
    assertThat(info).anyMatch(l -> l.matches("client_cuts_write_timeout:0"));
    assertThat(cli.run("INFO", "stats")).contains("# Stats").doesNotContain("# Server");
  }

  @Test
  void redisCliWithoutPasswordGetsNoauth() {
    start(b -> b.requirePass("pass"));

    assertThat(cli.run("PING")).contains("NOAUTH Authentication required.");
    assertThat(cli.run("PUBLISH", "ch", "x")).contains("NOAUTH Authentication required.");
  }

  @Test
  void redisCliWithPasswordIsAuthenticated() {
    start(b -> b.requirePass("pass"));

    assertThat(cli.run("-a", "pass", "--no-auth-warning", "PING")).containsExactly("PONG");
    assertThat(cli.run("-a", "pass", "--no-auth-warning", "PUBLISH", "ch", "x"))
        .containsExactly("0");
  }

  @Test
  void redisCliWithWrongPasswordGetsWrongpass() {
    start(b -> b.requirePass("pass"));

    List<String> out = cli.run("-a", "wrong", "--no-auth-warning", "PING");

    assertThat(out)
        .anyMatch(l -> l.contains("WRONGPASS invalid username-password pair or user is disabled."));
    assertThat(out).doesNotContain("PONG");
  }
}
