package io.spillway.server;

import io.spillway.server.config.ServerConfig;

/** A running Spillway server. (Being written: start/port/close/awaitClosed are its contract.) */
public final class SpillwayServer implements AutoCloseable {

  private SpillwayServer() {}

  /** Binds every port and returns once the server accepts clients. */
  public static SpillwayServer start(ServerConfig config) throws InterruptedException {
    throw new UnsupportedOperationException("not yet");
  }

  /** The RESP port actually bound (useful with port 0). */
  public int port() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Graceful shutdown: stop accepting, close every client, release the event loops. Idempotent. */
  @Override
  public void close() {
    throw new UnsupportedOperationException("not yet");
  }

  /** Blocks until {@link #close()} has completed. */
  public void awaitClosed() throws InterruptedException {
    throw new UnsupportedOperationException("not yet");
  }
}
