package io.spillway.bench.slow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The counters of Spillway's {@code INFO stats} a strategy run reads before and after: cuts by reason ({@code
 * client_cuts_<reason>}), drops by strategy ({@code messages_dropped_<strategy>}) and notices sent. Redis has none
 * of them: an empty map. Stateless.
 */
final class ServerCounters {

  /** The prefix of the cut counters, one per reason. */
  static final String CUTS = "client_cuts_";
  /** The prefix of the drop counters, one per lossy strategy. */
  static final String DROPPED = "messages_dropped_";

  private ServerCounters() {}

  /** The counters of {@code INFO stats} on {@code admin}; from the thread that owns it. */
  static Map<String, Long> read(RespConnection admin) throws IOException {
    Object reply = admin.call("INFO", "stats");
    return reply instanceof byte[] b ? parse(new String(b, StandardCharsets.UTF_8)) : Map.of();
  }

  /** The counters named by {@link #counted} in an INFO reply. */
  static Map<String, Long> parse(String info) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String line : info.split("\r?\n", -1)) {
      int colon = line.indexOf(':');
      if (colon > 0 && counted(line.substring(0, colon))) {
        try {
          out.put(
              line.substring(0, colon), Long.parseLong(line.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
          // not a count: skipped
        }
      }
    }
    return out;
  }

  private static boolean counted(String name) {
    return (name.startsWith(CUTS) && !name.equals(CUTS))
        || name.startsWith(DROPPED)
        || name.equals("gap_notices_sent")
        || name.equals("warning_notices_sent");
  }

  /** What rose from {@code before} to {@code after}: the counters that moved, with how much. */
  static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new LinkedHashMap<>();
    after.forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d != 0) {
        out.put(k, d);
      }
    });
    return out;
  }

  /** The cut reasons that rose, {@code buffer_overflow=1,max_block=1}, or {@code -}. */
  static String cutReasons(Map<String, Long> difference) {
    StringBuilder sb = new StringBuilder();
    difference.forEach((k, v) -> {
      if (k.startsWith(CUTS)) {
        sb.append(sb.length() == 0 ? "" : ",")
            .append(k.substring(CUTS.length()))
            .append('=')
            .append(v);
      }
    });
    return sb.length() == 0 ? "-" : sb.toString();
  }

  /** The sum of the drop counters that rose. */
  static long dropped(Map<String, Long> difference) {
    return difference.entrySet().stream()
        .filter(e -> e.getKey().startsWith(DROPPED))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}
