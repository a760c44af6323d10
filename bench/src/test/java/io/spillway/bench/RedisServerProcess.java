package io.spillway.bench;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server (Debian's package) on a free loopback port, persistence off, for the RESP scenarios' wire tests.
 * A test that needs it fails, naming the program and its package, when it is not installed: never skipped.
 */
public final class RedisServerProcess implements AutoCloseable {

  private final Process process;
  private final int port;

  private RedisServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts redis-server with {@code extraArgs} and waits (10 s at most) until it accepts connections. */
  public static RedisServerProcess start(String... extraArgs)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(
        binary(),
        "--port",
        String.valueOf(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no"));
    command.addAll(List.of(extraArgs));
    Process p = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    RedisServerProcess redis = new RedisServerProcess(p, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return redis;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    redis.close();
    return fail("redis-server did not accept connections on port " + port + " within 10 s");
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    return fail(
        "redis-server is not installed (Debian: apt-get install redis-server); this wire test needs it");
  }
}
