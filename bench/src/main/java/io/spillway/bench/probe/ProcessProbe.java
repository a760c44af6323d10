package io.spillway.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Reads a process' RSS and CPU time from {@code /proc/PID/status} and {@code /proc/PID/stat}. Immutable; any thread.
 * Linux only.
 */
public final class ProcessProbe {

  /**
   * Kernel clock ticks per second in {@code /proc/PID/stat} (USER_HZ). It is 100 on every Linux architecture the
   * bench runs on; Java cannot call sysconf(_SC_CLK_TCK) to check.
   */
  static final long CLOCK_TICKS_PER_SECOND = 100;

  private final long pid;
  private final Path status;
  private final Path stat;

  private ProcessProbe(long pid) {
    this.pid = pid;
    this.status = Paths.get("/proc", Long.toString(pid), "status");
    this.stat = Paths.get("/proc", Long.toString(pid), "stat");
  }

  /**
   * A probe of process {@code pid}, checked by reading it once.
   *
   * @throws IllegalArgumentException naming the pid, if it cannot be read (no such process, no /proc)
   */
  public static ProcessProbe of(long pid) {
    ProcessProbe probe = new ProcessProbe(pid);
    try {
      probe.sample();
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "process " + pid + " cannot be read from /proc (" + e.getMessage()
              + "); is it running, on this machine?",
          e);
    }
    return probe;
  }

  /** A probe of this JVM, the load generator. */
  public static ProcessProbe self() {
    return new ProcessProbe(ProcessHandle.current().pid());
  }

  public long pid() {
    return pid;
  }

  /**
   * Reads the process now.
   *
   * @throws IOException if it can no longer be read (it exited)
   */
  public ProcessSample sample() throws IOException {
    String statusText = Files.readString(status, StandardCharsets.US_ASCII);
    String statText = Files.readString(stat, StandardCharsets.US_ASCII);
    return new ProcessSample(parseRssBytes(statusText), parseCpuNanos(statText));
  }

  /** The {@code VmRSS} of a {@code /proc/PID/status} text, in bytes; 0 if absent (a zombie). */
  static long parseRssBytes(String statusText) {
    for (String line : statusText.split("\n", -1)) {
      if (line.startsWith("VmRSS:")) {
        String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+", -1);
        long kib = Long.parseLong(parts[0]);
        return kib * 1024;
      }
    }
    return 0;
  }

  /** utime + stime of a {@code /proc/PID/stat} text, in nanoseconds. */
  static long parseCpuNanos(String statText) {
    // The command name (field 2) is in parentheses and may hold spaces and parentheses: count after
    // the last ')'.
    int close = statText.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + statText);
    }
    String[] fields = statText.substring(close + 1).trim().split("\\s+", -1);
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
  }
}
