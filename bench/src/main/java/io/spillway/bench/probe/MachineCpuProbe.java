package io.spillway.bench.probe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Reads the whole machine's busy CPU time from the first line of {@code /proc/stat}. Immutable; any thread. */
public final class MachineCpuProbe {

  private static final Path STAT = Paths.get("/proc/stat");

  private MachineCpuProbe() {}

  /** True where {@code /proc/stat} can be read. */
  public static boolean available() {
    return Files.isReadable(STAT);
  }

  /** CPU time all CPUs spent busy (user, nice, system, irq, softirq, steal) since boot, in nanoseconds. */
  public static long busyNanos() throws IOException {
    return parseBusyNanos(Files.readString(STAT, StandardCharsets.US_ASCII));
  }

  /** The busy time of a {@code /proc/stat} text, in nanoseconds. */
  static long parseBusyNanos(String statText) {
    String first = statText.substring(
        0, statText.indexOf('\n') < 0 ? statText.length() : statText.indexOf('\n'));
    String[] f = first.trim().split("\\s+", -1);
    if (!f[0].equals("cpu")) {
      throw new IllegalArgumentException("not a /proc/stat text: " + first);
    }
    // cpu user nice system idle iowait irq softirq steal [guest guest_nice: already inside user and
    // nice]
    long ticks = 0;
    int[] busy = {1, 2, 3, 6, 7, 8};
    for (int i : busy) {
      if (i < f.length) {
        ticks += Long.parseLong(f[i]);
      }
    }
    return ticks * (1_000_000_000L / ProcessProbe.CLOCK_TICKS_PER_SECOND);
  }
}
