package io.spillway.bench.http;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.run.BenchException;
import java.io.PrintStream;
import java.net.InetSocketAddress;

/**
 * Provides the server an admission mode is measured on: starts a fresh one ({@link ProcessServerLauncher}), or
 * hands back one that is already running (attach). Called by the run's thread, once per mode.
 */
public interface ServerLauncher {

  /**
   * Starts, or finds, the server for admission mode {@code mode} ({@code on}, {@code off}, or {@code attached}),
   * returning once its HTTP and RESP ports accept connections.
   *
   * @param target where the bench was told to send load: its host is the address servers bind to
   * @throws BenchException if the server cannot be started or does not come up in time
   */
  RunningServer start(String mode, Target target, PrintStream progress)
      throws BenchException, InterruptedException;

  /** A server being measured; closing it stops it if the launcher started it. */
  interface RunningServer extends AutoCloseable {

    /** Where {@code POST /v1/publish/{channel}} is served. */
    InetSocketAddress http();

    /** The RESP port, where the fan-out subscribers connect. */
    InetSocketAddress resp();

    /** The server's process id, or -1 when unknown (attached, or in-process). */
    long pid();

    @Override
    void close();
  }
}
