package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code redis-cli} binary (Debian package redis-tools) against a port. Its stdout is not a terminal,
 * so it prints replies raw, one element per line. A missing binary fails the test with a message naming the package;
 * it never skips. Every process started is destroyed by {@link #close()}.
 */
public final class RedisCli implements AutoCloseable {

  /** How long a one-shot command may run. */
  public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private final int port;
  private final List<Running> started = new ArrayList<>();

  public RedisCli(int port) {
    this.port = port;
  }

  /** The redis-cli executable on the PATH; fails the test, naming the Debian package, if there is none. */
  public static String executable() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator, -1)) {
        Path candidate = Path.of(dir, "redis-cli");
        if (Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    return fail("redis-cli is not installed (not found on PATH); this wire test needs it: "
        + "install the Debian package redis-tools (apt-get install redis-tools)");
  }

  /** A process that is still running, with the lines it has printed so far (stdout and stderr together). */
  public static final class Running {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    Running(Process process) {
      this.process = process;
      this.reader = new Thread(this::pump, "redis-cli-output-" + process.pid());
      this.reader.setDaemon(true);
      this.reader.start();
    }

    private void pump() {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (IOException e) {
        // The process was destroyed; what was read stays in lines.
      }
    }

    /** Lines printed so far; a snapshot. */
    public List<String> lines() {
      return List.copyOf(lines);
    }

    public Process process() {
      return process;
    }

    void destroy() {
      process.destroyForcibly();
      try {
        process.waitFor(5, TimeUnit.SECONDS);
        reader.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts {@code redis-cli -p PORT args...} and returns at once (SUBSCRIBE and the like never exit). */
  public Running start(String... args) {
    List<String> command = new ArrayList<>();
    command.add(executable());
    command.add("-p");
    command.add(Integer.toString(port));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().remove("REDISCLI_AUTH");
    try {
      Running running = new Running(pb.start());
      synchronized (started) {
        started.add(running);
      }
      return running;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + command, e);
    }
  }

  /**
   * Runs {@code redis-cli -p PORT args...} to completion and returns its output lines; fails the test if it runs
   * longer than {@link #COMMAND_TIMEOUT}.
   */
  public List<String> run(String... args) {
    Running running = start(args);
    try {
      if (!running.process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        running.destroy();
        return fail("redis-cli " + String.join(" ", args) + " still running after "
            + COMMAND_TIMEOUT + "; output so far: " + running.lines());
      }
      running.reader.join(COMMAND_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return running.lines();
  }

  /** Destroys every process this instance started. */
  @Override
  public void close() {
    List<Running> all;
    synchronized (started) {
      all = new ArrayList<>(started);
      started.clear();
    }
    for (Running r : all) {
      r.destroy();
    }
  }
}
