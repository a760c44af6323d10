package io.spillway.bench.http;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.run.BenchException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts one Spillway process per admission mode with {@code SERVER_COMMAND --bind HOST --port P --http-port H
 * --http-admission MODE [SERVER_ARGS...]} on two free loopback ports, its output going to a log file, and stops it
 * (SIGTERM, then SIGKILL after {@link #STOP_TIMEOUT_SECONDS}) when the mode is done. Used by the run's thread.
 */
public final class ProcessServerLauncher implements ServerLauncher {

  /** Longest wait for a started server's ports: 60 s (the launcher may build first). */
  static final long START_TIMEOUT_SECONDS = 60;
  /** Longest wait for a server to exit after SIGTERM before it is killed: 10 s. */
  static final long STOP_TIMEOUT_SECONDS = 10;

  static final long POLL_MILLIS = 100;
  /** Lines of the server's log quoted when it fails to start. */
  static final int LOG_TAIL_LINES = 15;

  private final List<String> command;
  private final List<String> extraArgs;

  public ProcessServerLauncher(List<String> command, List<String> extraArgs) {
    this.command = List.copyOf(command);
    this.extraArgs = List.copyOf(extraArgs);
  }

  /** The full command line for {@code mode} on the given address and ports. */
  List<String> commandLine(String mode, String bind, int respPort, int httpPort) {
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of(
        "--bind",
        bind,
        "--port",
        Integer.toString(respPort),
        "--http-port",
        Integer.toString(httpPort),
        "--http-admission",
        mode));
    cmd.addAll(extraArgs);
    return cmd;
  }

  @Override
  public RunningServer start(String mode, Target target, PrintStream progress)
      throws BenchException, InterruptedException {
    InetAddress address = target.socketAddress().getAddress();
    int resp = freePort(address);
    int http = freePort(address);
    List<String> cmd = commandLine(mode, address.getHostAddress(), resp, http);
    Path log;
    Process process;
    try {
      log = Files.createTempFile("spillway-bench-http-" + mode + "-", ".log");
      process = new ProcessBuilder(cmd)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new BenchException(
          "cannot start the server (" + String.join(" ", cmd) + "): " + e.getMessage()
              + "; run from Spillway's directory, or give --server-command, or --http-port to attach",
          e);
    }
    progress.printf(
        "  started server (admission %s, pid %d): %s; log %s%n",
        mode, process.pid(), String.join(" ", cmd), log);
    Started started = new Started(
        process, new InetSocketAddress(address, http), new InetSocketAddress(address, resp));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (!(accepts(started.http) && accepts(started.resp))) {
      if (!process.isAlive()) {
        throw new BenchException("the server exited with status " + process.exitValue()
            + " before its ports " + "opened; its log (" + log + ") ends with:\n" + tail(log));
      }
      if (System.nanoTime() - deadline >= 0) {
        started.close();
        throw new BenchException("the server's ports " + resp + " (RESP) and " + http
            + " (HTTP) did not open " + "within " + START_TIMEOUT_SECONDS + " s; its log (" + log
            + ") ends with:\n" + tail(log));
      }
      Thread.sleep(POLL_MILLIS);
    }
    return started;
  }

  private static int freePort(InetAddress address) throws BenchException {
    try (ServerSocket s = new ServerSocket(0, 1, address)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new BenchException(
          "cannot find a free port on " + address.getHostAddress() + ": " + e.getMessage(), e);
    }
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(address, 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  /** A started process; closing it stops it, bounded in time. */
  private static final class Started implements RunningServer {
    private final Process process;
    private final InetSocketAddress http;
    private final InetSocketAddress resp;

    Started(Process process, InetSocketAddress http, InetSocketAddress resp) {
      this.process = process;
      this.http = http;
      this.resp = resp;
    }

    @Override
    public InetSocketAddress http() {
      return http;
    }

    @Override
    public InetSocketAddress resp() {
      return resp;
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public void close() {
      List<ProcessHandle> children = process.descendants().toList();
      process.destroy();
      try {
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }
}
