package io.spillway.bench.retry;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code retry-storm} scenario's settings. Immutable; the constructor rejects bad values naming the option.
 *
 * @param modes caller kinds, in order: {@code naive} (immediate retries, no budget, Retry-After ignored),
 *     {@code budget} (SpillwayClient, budget and backoff, no breaker), {@code client} (SpillwayClient defaults:
 *     budget, backoff and circuit breaker)
 * @param rate logical calls started per second (open loop)
 * @param callers calls outstanding at most; a due call finding none free is counted as not started
 * @param serverLimit requests per second the server accepts (its rate limit); 0 leaves the server as configured
 * @param deadline each call's deadline
 * @param naiveRetries retries of a naive call at most
 * @param budgetMinPerSecond the client's retry budget reserve (retries/s whatever the calls)
 * @param duration how long calls are started
 * @param payloadBytes message size
 */
record RetryStormConfig(
    List<String> modes,
    double rate,
    int callers,
    int serverLimit,
    Duration deadline,
    int naiveRetries,
    int budgetMinPerSecond,
    Duration duration,
    int payloadBytes,
    List<String> serverCommand,
    List<String> serverArgs) {

  static final List<String> MODES = List.of("naive", "budget", "client");

  RetryStormConfig {
    if (modes.isEmpty() || !MODES.containsAll(modes)) {
      throw new IllegalArgumentException(
          "--modes " + String.join(",", modes) + " must list naive, budget, client");
    }
    if (!(rate > 0 && rate <= 100_000)) {
      throw new IllegalArgumentException("--rate " + rate + " is out of range (0, 100000]");
    }
    check("--callers", callers, 1, 10_000);
    check("--server-limit", serverLimit, 0, 1_000_000);
    check("--naive-retries", naiveRetries, 0, 10);
    check("--budget-min-per-second", budgetMinPerSecond, 0, 100_000);
    check("--payload", payloadBytes, 0, 1 << 20);
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("--deadline " + deadline + " must be positive");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration " + duration + " must be positive");
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

  /** The server arguments, the rate limit included. */
  List<String> allServerArgs() {
    if (serverLimit == 0) {
      return serverArgs;
    }
    List<String> all = new java.util.ArrayList<>(serverArgs);
    all.add("--http-rate-limit=" + serverLimit);
    all.add("--http-rate-burst=" + serverLimit);
    return all;
  }

  Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("modes", String.join(",", modes));
    p.put("rate_per_s", rate);
    p.put("callers", callers);
    p.put("server_limit_per_s", serverLimit);
    p.put("deadline_ms", deadline.toMillis());
    p.put("naive_retries", naiveRetries);
    p.put("budget_min_per_s", budgetMinPerSecond);
    p.put("duration_s", duration.toMillis() / 1e3);
    p.put("payload_bytes", payloadBytes);
    return p;
  }
}
