package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A Redis 7 Cluster of three masters on loopback (Debian packages redis-server and redis-tools), made with {@code
 * redis-cli --cluster create}; slots moved with {@code redis-cli --cluster reshard}. Close it in {@code @AfterEach}.
 */
final class RedisCluster implements AutoCloseable {

  private final List<RedisProcess> masters = new ArrayList<>();

  static RedisCluster launch() throws Exception {
    RedisCluster c = new RedisCluster();
    try {
      for (int i = 0; i < 3; i++) {
        c.masters.add(RedisProcess.launchOn(
            RedisProcess.freePort(),
            "--cluster-enabled",
            "yes",
            "--cluster-config-file",
            "nodes.conf",
            "--cluster-node-timeout",
            "2000"));
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (RedisProcess m : c.masters) {
        create.add("127.0.0.1:" + m.port());
      }
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      run(create);
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> {
            for (RedisProcess m : c.masters) {
              try (Jedis j = m.jedis()) {
                if (!j.clusterInfo().contains("cluster_state:ok")) {
                  return false;
                }
              }
            }
            return true;
          });
      return c;
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
  }

  /** Runs a redis-cli command to its end (at most 60 s) and returns its output. */
  static String run(List<String> command) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return fail(
          "redis-cli is not installed; the Cluster backplane test needs it: install the Debian package"
              + " redis-tools (./spillway test does)");
    }
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join(" ", command) + ": " + text).isZero();
    return text;
  }

  List<RedisProcess> masters() {
    return masters;
  }

  /** {@code redis-cluster://127.0.0.1:P1,127.0.0.1:P2} (two seeds, as a user would give). */
  String uri() {
    return "redis-cluster://127.0.0.1:" + masters.get(0).port() + ",127.0.0.1:"
        + masters.get(1).port();
  }

  /** The master that owns {@code slot} now, as CLUSTER NODES on the first master says. */
  RedisProcess ownerOf(int slot) {
    String owner = null;
    try (Jedis j = masters.get(0).jedis()) {
      for (String line : j.clusterNodes().split("\n", -1)) {
        String[] f = line.trim().split(" +", -1);
        for (int i = 8; i < f.length; i++) {
          if (f[i].startsWith("[")) {
            continue; // a slot being imported or migrated
          }
          int dash = f[i].indexOf('-');
          int from = Integer.parseInt(dash < 0 ? f[i] : f[i].substring(0, dash));
          int to = dash < 0 ? from : Integer.parseInt(f[i].substring(dash + 1));
          if (slot >= from && slot <= to) {
            owner = f[0];
          }
        }
      }
    }
    for (RedisProcess m : masters) {
      if (nodeId(m).equals(owner)) {
        return m;
      }
    }
    throw new IllegalStateException("no owner of slot " + slot);
  }

  String nodeId(RedisProcess m) {
    try (Jedis j = m.jedis()) {
      return j.clusterMyId();
    }
  }

  @Override
  public void close() {
    for (RedisProcess m : masters) {
      m.close();
    }
  }
}
