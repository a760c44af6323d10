package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The differential test: one command script, run against a real redis-server (Debian package redis-server) and
 * against Spillway, each reply compared after a normaliser that removes what legitimately differs (a default value,
 * a field Redis has and Spillway does not). Covers every command the operator's-tools work added.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisDifferentialWireTest {

  private final TestServer spillway = TestServer.start();
  private Process redis;
  private final List<RawRespClient> clients = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (RawRespClient c : clients) {
      c.close();
    }
    spillway.close();
    if (redis != null) {
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A step of the script: a command, and how its two replies are made comparable. */
  private static final class Step {
    final String[] command;
    final UnaryOperator<String> normalise;

    Step(UnaryOperator<String> normalise, String... command) {
      this.command = command;
      this.normalise = normalise;
    }

    /** This step sent by the sharded script's publisher. */
    ShardStep asShardStep() {
      return new ShardStep(Role.PUB, 1, normalise, command);
    }
  }

  private static Step exact(String... command) {
    return new Step(UnaryOperator.identity(), command);
  }

  /** Both replies are errors (the texts differ on purpose). */
  private static Step anyError(String... command) {
    return new Step(r -> r.startsWith("-") ? "-error" : r, command);
  }

  /** Only the shape: types and counts, every bulk's content and length blanked. */
  private static Step shape(String... command) {
    return new Step(RedisDifferentialWireTest::shapeOf, command);
  }

  /** The parts of a reply that {@code regex}'s groups capture, sorted (Redis lists subcommands in hash order). */
  private static Step extract(String regex, String... command) {
    Pattern p = Pattern.compile(regex, Pattern.DOTALL);
    return new Step(
        r -> {
          Matcher m = p.matcher(r);
          List<String> parts = new ArrayList<>();
          while (m.find()) {
            StringBuilder sb = new StringBuilder();
            for (int g = 1; g <= m.groupCount(); g++) {
              sb.append(m.group(g)).append('=');
            }
            parts.add(sb.toString());
          }
          parts.sort(null);
          return String.join("|", parts);
        },
        command);
  }

  private static String shapeOf(String raw) {
    return raw.replaceAll("\\$\\d+\\r\\n[^\\r]*\\r\\n", "\\$?\r\n");
  }

  private static final List<Step> SCRIPT = List.of(
      exact("CONFIG", "GET", "save"),
      exact("CONFIG", "GET", "appendonly"),
      exact("CONFIG", "GET", "no-such-parameter"),
      shape("CONFIG", "GET", "maxclients"),
      exact("CONFIG", "SET", "maxclients", "500"),
      exact("CONFIG", "GET", "maxclients"),
      exact("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1mb 512kb 5"),
      extract("(pubsub \\d+ \\d+ \\d+)", "CONFIG", "GET", "client-output-buffer-limit"),
      exact("CONFIG", "SET", "io-threads", "2"),
      exact("CONFIG", "SET", "nosuch", "1"),
      exact("CONFIG", "SET", "maxclients"),
      exact("CONFIG", "SET", "maxclients", "1", "maxclients", "2"),
      exact("CONFIG", "RESETSTAT"),
      anyError("CONFIG", "REWRITE"),
      exact("CONFIG", "FOO"),
      exact("CONFIG"),
      anyError("EVALSHA", "abc", "0"),
      exact("CLIENT", "NO-EVICT", "on"),
      exact("CLIENT", "NO-EVICT", "maybe"),
      exact("CLIENT", "PAUSE", "abc"),
      exact("CLIENT", "PAUSE", "-1"),
      exact("CLIENT", "PAUSE", "10", "FOO"),
      exact("CLIENT", "PAUSE", "10", "WRITE"),
      exact("CLIENT", "UNPAUSE"),
      exact("CLIENT", "REPLY", "FOO"),
      exact("CLIENT", "REPLY", "ON"),
      extract(
          "\\$\\d+\\r\\n(summary|since|group|complexity)\\r\\n\\$\\d+\\r\\n([^\\r]*)",
          "COMMAND",
          "DOCS",
          "ping"),
      extract(
          "(summary\\r\\n\\$\\d+\\r\\n[^\\r]*)",
          "COMMAND",
          "DOCS",
          "config",
          "client|pause",
          "nosuch"),
      extract("\\r\\n(config\\|[a-z]+)\\r\\n", "COMMAND", "INFO", "config"),
      exact("COMMAND", "DOCS", "nosuch"));

  @Test
  void theScriptGetsTheSameRepliesFromRedisAndSpillway() throws Exception {
    int redisPort = startRedis();
    RawRespClient r = connect(redisPort);
    RawRespClient s = connect(spillway.port());
    for (Step step : SCRIPT) {
      String fromRedis = r.call(step.command);
      String fromSpillway = s.call(step.command);
      assertThat(step.normalise.apply(fromSpillway))
          .as(
              "%s: redis-server said %s, Spillway said %s",
              Arrays.toString(step.command), fromRedis, fromSpillway)
          .isEqualTo(step.normalise.apply(fromRedis));
    }
    // CLIENT REPLY SKIP: the one reply after it is the ECHO's, from both.
    for (RawRespClient c : List.of(r, s)) {
      c.command("CLIENT", "REPLY", "SKIP").command("PING").command("ECHO", "after");
      assertThat(c.readReply()).isEqualTo("$5\r\nafter\r\n");
    }
    // Every field Redis 7.0 puts in CLIENT LIST and CLIENT INFO, in Redis's order, before
    // Spillway's own.
    List<String> redisFields = fieldNames(r.call("CLIENT", "INFO"));
    List<String> ourFields = fieldNames(s.call("CLIENT", "INFO"));
    assertThat(ourFields.subList(0, redisFields.size())).isEqualTo(redisFields);
    // INFO's new sections: every key Spillway prints is one Redis prints for the same script.
    for (String section : List.of("cpu", "commandstats", "errorstats", "latencystats")) {
      Set<String> ours = infoKeys(s.call("INFO", section));
      assertThat(ours)
          .as("INFO %s", section)
          .isNotEmpty()
          .isSubsetOf(infoKeys(r.call("INFO", section)));
    }
  }

  /** Who sends a step of the sharded script: a RESP2 subscriber, a RESP2 publisher, a RESP3 client. */
  private enum Role {
    SUB,
    PUB,
    R3
  }

  /**
   * A step of the sharded pub/sub script: {@code role} sends {@code command} (none: only reads) and reads {@code
   * replies} replies, compared after {@code normalise}.
   */
  private static final class ShardStep {
    final Role role;
    final int replies;
    final UnaryOperator<String> normalise;
    final String[] command;

    ShardStep(Role role, int replies, UnaryOperator<String> normalise, String... command) {
      this.role = role;
      this.replies = replies;
      this.normalise = normalise;
      this.command = command;
    }
  }

  private static ShardStep on(Role role, int replies, String... command) {
    return new ShardStep(role, replies, UnaryOperator.identity(), command);
  }

  private static ShardStep on(Role role, String... command) {
    return on(role, 1, command);
  }

  /** {@code role} reads one reply it did not ask for (a published message). */
  private static ShardStep read(Role role) {
    return new ShardStep(role, 1, UnaryOperator.identity());
  }

  /** A flat array's elements sorted (Redis lists active channels in hash order). */
  private static ShardStep sorted(Role role, String... command) {
    return new ShardStep(
        role,
        1,
        r -> {
          String[] lines = r.split("\r\n", -1);
          List<String> bulks = new ArrayList<>();
          for (int i = 1; i + 1 < lines.length; i += 2) {
            bulks.add(lines[i] + "|" + lines[i + 1]);
          }
          bulks.sort(null);
          return lines[0] + bulks;
        },
        command);
  }

  private static ShardStep extracted(Role role, String regex, String... command) {
    return new ShardStep(role, 1, extract(regex, command).normalise, command);
  }

  private static final List<ShardStep> SHARD_SCRIPT = List.of(
      // Errors, and the replies with nothing subscribed.
      on(Role.PUB, "SSUBSCRIBE"),
      on(Role.PUB, "SPUBLISH", "a"),
      on(Role.PUB, "SPUBLISH", "a", "b", "c"),
      on(Role.PUB, "SUNSUBSCRIBE"),
      on(Role.PUB, "PUBSUB", "SHARDCHANNELS"),
      on(Role.PUB, "PUBSUB", "SHARDNUMSUB"),
      on(Role.PUB, "PUBSUB", "SHARDCHANNELS", "a", "b"),
      on(Role.PUB, "PUBSUB", "shardchannels", "*", "x", "y"),
      on(Role.PUB, "PUBSUB", "CHANNELS", "a", "b"),
      on(Role.PUB, "PUBSUB", "HELP"),
      on(Role.PUB, "PUBSUB", "HELP", "x"),
      on(Role.PUB, "SPUBLISH", "orders", "nobody"),
      // RESP2: confirmations count shard channels only; the subscribed context.
      on(Role.SUB, "SSUBSCRIBE", "orders"),
      on(Role.SUB, 2, "SSUBSCRIBE", "orders", "news"),
      on(Role.SUB, "SUBSCRIBE", "orders"),
      on(Role.SUB, "PING"),
      on(Role.SUB, "PING", "x"),
      on(Role.SUB, "SPUBLISH", "orders", "x"),
      on(Role.SUB, "PUBSUB", "SHARDCHANNELS"),
      sorted(Role.PUB, "PUBSUB", "SHARDCHANNELS"),
      on(Role.PUB, "PUBSUB", "SHARDCHANNELS", "o*"),
      on(Role.PUB, "PUBSUB", "SHARDNUMSUB", "orders", "news", "nosuch"),
      on(Role.PUB, "PUBSUB", "NUMSUB", "orders", "news"),
      on(Role.PUB, "PUBSUB", "CHANNELS"),
      extracted(Role.PUB, "(pubsub\\w*:\\d+)", "INFO", "stats"),
      extracted(Role.PUB, " (s?sub=\\d+) ", "CLIENT", "LIST"),
      // Namespaces: SPUBLISH reaches the shard subscriber only, PUBLISH the channel subscriber
      // only.
      on(Role.PUB, "SPUBLISH", "orders", "shard-hello"),
      read(Role.SUB),
      on(Role.PUB, "PUBLISH", "orders", "classic-hello"),
      read(Role.SUB),
      on(Role.PUB, "PUBLISH", "news", "nobody-classic"),
      on(Role.PUB, "SPUBLISH", "news", "shard-news"),
      read(Role.SUB),
      on(Role.SUB, "SUNSUBSCRIBE", "orders"),
      on(Role.SUB, "SUNSUBSCRIBE", "orders"),
      on(Role.SUB, "UNSUBSCRIBE"),
      on(Role.SUB, "PING"),
      on(Role.SUB, "SUNSUBSCRIBE"),
      on(Role.SUB, "SUNSUBSCRIBE"),
      on(Role.SUB, "PING"),
      on(Role.PUB, "PUBSUB", "SHARDCHANNELS"),
      // RESP3: pushes, the publisher's own copy before its reply, null when nothing is left.
      new ShardStep(Role.R3, 1, r -> r.substring(0, r.indexOf("\r\n")), "HELLO", "3"),
      on(Role.R3, 2, "SSUBSCRIBE", "a", "b"),
      on(Role.R3, 2, "SPUBLISH", "a", "to-myself"),
      on(Role.R3, "PUBLISH", "a", "classic"),
      on(Role.R3, "PUBSUB", "SHARDNUMSUB", "a"),
      on(Role.R3, "PUBSUB", "SHARDCHANNELS", "a"),
      on(Role.R3, "SPUBLISH", "a"),
      on(Role.R3, "SUNSUBSCRIBE", "a"),
      on(Role.R3, "SUNSUBSCRIBE"),
      on(Role.R3, "SUNSUBSCRIBE"),
      on(Role.R3, "SSUBSCRIBE", "c"),
      on(Role.R3, "RESET"),
      on(Role.PUB, "PUBSUB", "SHARDNUMSUB", "c"),
      // RESET in RESP2 leaves the subscribed context and every shard channel.
      on(Role.SUB, "SSUBSCRIBE", "d"),
      on(Role.SUB, "RESET"),
      on(Role.SUB, "PING"),
      on(Role.PUB, "SPUBLISH", "d", "gone"),
      // COMMAND's view of the new commands.
      extract(
              "\\$\\d+\\r\\n(summary|since|group|complexity)\\r\\n\\$\\d+\\r\\n([^\\r]*)",
              "COMMAND",
              "DOCS",
              "ssubscribe",
              "sunsubscribe",
              "spublish",
              "pubsub|shardchannels",
              "pubsub|shardnumsub")
          .asShardStep(),
      extracted(
          Role.PUB,
          "\\*10\\r\\n\\$\\d+\\r\\n([a-z|]+)\\r\\n:(-?\\d+)\\r\\n\\*\\d+\\r\\n((?:\\+[a-z_]+\\r\\n)*)"
              + ":(-?\\d+)\\r\\n:(-?\\d+)\\r\\n:(-?\\d+)\\r\\n",
          "COMMAND",
          "INFO",
          "ssubscribe",
          "sunsubscribe",
          "spublish"),
      extract("\\r\\n(pubsub\\|[a-z]+)\\r\\n", "COMMAND", "INFO", "pubsub").asShardStep());

  @Test
  void shardedPubSubGetsTheSameRepliesFromRedisAndSpillway() throws Exception {
    int redisPort = startRedis();
    Map<Role, RawRespClient> redisClients = new EnumMap<>(Role.class);
    Map<Role, RawRespClient> ourClients = new EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      redisClients.put(role, connect(redisPort));
      ourClients.put(role, connect(spillway.port()));
    }
    for (ShardStep step : SHARD_SCRIPT) {
      String fromRedis = run(redisClients.get(step.role), step);
      String fromSpillway = run(ourClients.get(step.role), step);
      assertThat(step.normalise.apply(fromSpillway))
          .as(
              "%s %s: redis-server said %s, Spillway said %s",
              step.role, Arrays.toString(step.command), fromRedis, fromSpillway)
          .isEqualTo(step.normalise.apply(fromRedis));
    }
  }

  private static String run(RawRespClient c, ShardStep step) throws IOException {
    if (step.command.length > 0) {
      c.command(step.command);
    }
    StringBuilder replies = new StringBuilder();
    for (int i = 0; i < step.replies; i++) {
      replies.append(c.readReply());
    }
    return replies.toString();
  }

  private static List<String> fieldNames(String reply) {
    List<String> names = new ArrayList<>();
    Matcher m =
        Pattern.compile("(?:^|\\s)([a-z-]+)=").matcher(reply.substring(reply.indexOf("\r\n") + 2));
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static Set<String> infoKeys(String reply) {
    Set<String> keys = new LinkedHashSet<>();
    for (String line : reply.split("\r\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && !line.startsWith("#") && !line.startsWith("$") && !line.startsWith("=")) {
        keys.add(line.substring(0, colon));
      }
    }
    return keys;
  }

  private RawRespClient connect(int port) throws IOException {
    RawRespClient c = RawRespClient.connect(port);
    clients.add(c);
    return c;
  }

  private int startRedis() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try {
      redis = new ProcessBuilder(
              "redis-server",
              "--port",
              Integer.toString(port),
              "--bind",
              "127.0.0.1",
              "--save",
              "",
              "--appendonly",
              "no",
              "--daemonize",
              "no")
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.to(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      return fail(
          "redis-server is not installed; the differential test needs it: install the Debian package"
              + " redis-server (apt-get install redis-server)");
    }
    int p = port;
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      try (RawRespClient c = RawRespClient.connect(p)) {
        return c.call("PING").equals("+PONG\r\n");
      }
    });
    return port;
  }
}
