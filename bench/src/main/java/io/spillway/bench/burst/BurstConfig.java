package io.spillway.bench.burst;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code burst} scenario's settings. Immutable; the constructor rejects bad values naming the option.
 *
 * @param connections connections, one request each per burst: 1 to 20 000
 * @param repeat bursts measured per mode: 1 to 100
 * @param warmBursts bursts sent first, not reported: 0 to 100
 * @param idle time before each burst
 * @param modes admission modes ({@code on}, {@code off}), in order
 * @param payloadBytes request body size
 * @param deadline a 200 within this counts as in deadline
 * @param serverCommand how to start a server
 * @param serverArgs extra server arguments
 */
record BurstConfig(
    int connections,
    int repeat,
    int warmBursts,
    Duration idle,
    List<String> modes,
    int payloadBytes,
    Duration deadline,
    List<String> serverCommand,
    List<String> serverArgs) {

  /** How long a burst's answers are waited for at most: 30 s. */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

  BurstConfig {
    check("--connections", connections, 1, 20_000);
    check("--repeat", repeat, 1, 100);
    check("--warm-bursts", warmBursts, 0, 100);
    check("--payload", payloadBytes, 0, 1 << 20);
    if (idle.isNegative()) {
      throw new IllegalArgumentException("--idle " + idle + " is negative");
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("--deadline " + deadline + " must be positive");
    }
    if (modes.isEmpty() || !modes.stream().allMatch(m -> m.equals("on") || m.equals("off"))) {
      throw new IllegalArgumentException(
          "--admission " + String.join(",", modes) + " must list on and/or off");
    }
    modes = List.copyOf(modes);
    serverCommand = List.copyOf(serverCommand);
    serverArgs = List.copyOf(serverArgs);
  }

  private static void check(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " " + value + " is out of range [" + min + ", " + max + "]");
    }
  }

  Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("connections", connections);
    p.put("repeat", repeat);
    p.put("warm_bursts", warmBursts);
    p.put("idle_ms", idle.toMillis());
    p.put("admission", String.join(",", modes));
    p.put("payload_bytes", payloadBytes);
    p.put("deadline_ms", deadline.toMillis());
    p.put("server_args", String.join(" ", serverArgs));
    return p;
  }
}
