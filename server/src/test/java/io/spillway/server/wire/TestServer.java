package io.spillway.server.wire;

import io.spillway.server.SpillwayServer;
import io.spillway.server.config.ServerConfig;
import java.util.function.UnaryOperator;

/** A real Spillway server on an ephemeral loopback port, for wire tests. Close it in {@code @AfterEach}. */
public final class TestServer implements AutoCloseable {

  private final SpillwayServer server;

  private TestServer(SpillwayServer server) {
    this.server = server;
  }

  /** Starts a server with the defaults, except port 0 (any free port). */
  public static TestServer start() {
    return start(b -> b);
  }

  /**
   * Starts a server with the defaults changed by {@code tweak}, on port 0 (and its HTTP port on another free one),
   * and two event loops unless {@code tweak} says otherwise: the default is one on a 2-core machine, and wire tests
   * should cross loops as a larger machine does.
   */
  public static TestServer start(UnaryOperator<ServerConfig.Builder> tweak) {
    try {
      return new TestServer(SpillwayServer.start(tweak
          .apply(ServerConfig.builder()
              .ioThreads(2)
              .port(0)
              .http(io.spillway.server.config.HttpConfig.builder().port(0).build()))
          .build()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public int port() {
    return server.port();
  }

  public SpillwayServer server() {
    return server;
  }

  @Override
  public void close() {
    server.close();
  }
}
