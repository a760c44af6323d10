package io.spillway.server.backplane;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A real redis-server (Debian package redis-server) on a free loopback port, for the backplane tests: started, killed
 * and started again on the same port. Close it in {@code @AfterEach}.
 */
final class RedisProcess implements AutoCloseable {

  private final int port;
  private final List<String> extra;
  private final Path dir;
  private Process process;

  private RedisProcess(int port, List<String> extra) throws IOException {
    this.port = port;
    this.extra = extra;
    this.dir = Files.createTempDirectory("spillway-redis-" + port);
  }

  /** Starts a standalone redis-server on a free port. */
  static RedisProcess launch(String... extraArgs) throws IOException {
    RedisProcess r = new RedisProcess(freePort(), List.of(extraArgs));
    try {
      r.start();
    } catch (IOException | RuntimeException | AssertionError e) {
      r.close(); // a server that never answered is not left running
      throw e;
    }
    return r;
  }

  /** Starts a redis-server on {@code port} (a Cluster node: {@code --cluster-enabled yes}). */
  static RedisProcess launchOn(int port, String... extraArgs) throws IOException {
    RedisProcess r = new RedisProcess(port, List.of(extraArgs));
    try {
      r.start();
    } catch (IOException | RuntimeException | AssertionError e) {
      r.close(); // a server that never answered is not left running
      throw e;
    }
    return r;
  }

  static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  /** Starts the server (again, after {@link #kill}) and waits until it answers PING. */
  void start() throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
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
        "no",
        "--dir",
        dir.toString()));
    cmd.addAll(extra);
    try {
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(new File(dir.toFile(), "redis.log")))
          .start();
    } catch (IOException e) {
      fail("redis-server is not installed; the backplane tests need it: install the Debian package"
          + " redis-server (apt-get install redis-server, or ./spillway test)");
    }
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
      try (Jedis j = jedis()) {
        return j.ping().equals("PONG");
      } catch (redis.clients.jedis.exceptions.JedisDataException e) {
        return e.getMessage().startsWith("NOAUTH"); // up, and asking for a password
      }
    });
  }

  /** Kills the server (SIGKILL) and waits for it to be gone. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      process = null;
    }
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  Jedis jedis() {
    return new Jedis("127.0.0.1", port, 2_000);
  }

  @Override
  public void close() {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}
