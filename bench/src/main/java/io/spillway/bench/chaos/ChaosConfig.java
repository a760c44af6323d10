package io.spillway.bench.chaos;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings of a {@code chaos} run. Immutable.
 *
 * @param httpPort the server's HTTP port on the target's host, or -1 to leave out the HTTP and WebSocket clients
 * @param bystanderRate PUBLISHes per second from the bystander's publisher to its own subscriber
 * @param pingInterval how often the bystander's third connection sends PING
 * @param floodRate PUBLISHes per second of {@link #FLOOD_PAYLOAD} bytes from the hostile flood publisher
 * @param patterns pathological patterns the pattern-heavy client subscribes
 * @param floodConnections connections the connection flood attempts, or 0 for the server's maxclients + 8
 * @param slowloris HTTP connections that trickle one header byte a second
 * @param duration how long the hostile clients run
 */
record ChaosConfig(
    int httpPort,
    int bystanderRate,
    Duration pingInterval,
    int floodRate,
    int patterns,
    int floodConnections,
    int slowloris,
    Duration duration) {

  /** Payload of the flood publisher's messages: 1 KiB. */
  static final int FLOOD_PAYLOAD = 1024;
  /** The flood's channel: 1 KiB of 'a', the channel of issue 11's pattern probe. */
  static final String FLOOD_CHANNEL = "a".repeat(1024);
  /** Most connections the connection flood attempts when the server's maxclients is large: 2 000. */
  static final int MAX_FLOOD_CONNECTIONS = 2_000;

  ChaosConfig {
    positive("--bystander-rate", bystanderRate, 100_000);
    positive("--flood-rate", floodRate, 1_000_000);
    positive("--ping-interval (ms)", pingInterval.toMillis(), 10_000);
    if (patterns < 0 || patterns > 100_000) {
      throw new IllegalArgumentException("--patterns must be in [0, 100000], was " + patterns);
    }
    if (floodConnections < 0 || floodConnections > MAX_FLOOD_CONNECTIONS) {
      throw new IllegalArgumentException("--flood-connections must be in [0, "
          + MAX_FLOOD_CONNECTIONS + "], was " + floodConnections);
    }
    if (slowloris < 0 || slowloris > 1_000) {
      throw new IllegalArgumentException("--slowloris must be in [0, 1000], was " + slowloris);
    }
    if (httpPort < -1 || httpPort > 65_535 || httpPort == 0) {
      throw new IllegalArgumentException(
          "--http-port must be a port or -1 (no HTTP clients), was " + httpPort);
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("--duration must be positive, was " + duration);
    }
  }

  private static void positive(String option, long value, long max) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(option + " must be in [1, " + max + "], was " + value);
    }
  }

  Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("http_port", httpPort);
    p.put("bystander_rate", bystanderRate);
    p.put("ping_interval_ms", pingInterval.toMillis());
    p.put("flood_rate", floodRate);
    p.put("flood_payload", FLOOD_PAYLOAD);
    p.put("patterns", patterns);
    p.put("flood_connections", floodConnections);
    p.put("slowloris", slowloris);
    p.put("duration_s", duration.toMillis() / 1000.0);
    return p;
  }
}
