package io.spillway.bench.http;

import io.spillway.bench.run.DurationConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of an {@code http-overload} run. Immutable; built with {@link #builder()}, whose {@link
 * Builder#build()} checks every value and names the option, the value and the allowed range when one is wrong.
 */
final class HttpOverloadConfig {

  /** Load levels, as multiples of the measured capacity: 0.5×, 1×, 2×, 4× (the acceptance). */
  static final List<Double> DEFAULT_LEVELS = List.of(0.5, 1.0, 2.0, 4.0);
  /** Admission modes run, in order; the first is also where capacity is calibrated: off (no shedding), then on. */
  static final List<String> DEFAULT_MODES = List.of("off", "on");
  /** Each request's deadline, sent as {@code X-Request-Timeout-Ms}: 1 s. */
  static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(1);
  /** Keep-alive connections, each with at most one request outstanding: 512. */
  static final int DEFAULT_CONNECTIONS = 512;
  /** Requests waiting in the client for a free connection, beyond which they are dropped: 10 000. */
  static final int DEFAULT_CLIENT_BACKLOG = 10_000;
  /** RESP subscribers on the run's channel, so that each publish fans out to them: 50. */
  static final int DEFAULT_SUBSCRIBERS = 50;
  /** Message body size: 128 bytes. */
  static final int DEFAULT_PAYLOAD_BYTES = 128;
  /** Closed-loop calibration's measured time: 5 s (after {@link #CALIBRATION_WARMUP}). */
  static final Duration DEFAULT_CALIBRATION = Duration.ofSeconds(5);
  /** Closed-loop calibration's concurrent requests: 64. */
  static final int DEFAULT_CALIBRATION_CONNECTIONS = 64;
  /** Closed-loop load before calibration measures: 5 s, for both JVMs' JIT compilers (at 1 s the rate was still climbing). */
  static final Duration CALIBRATION_WARMUP = Duration.ofSeconds(5);
  /** How a server is started when none is attached: the launcher in the working directory. */
  static final List<String> DEFAULT_SERVER_COMMAND = List.of("./spillway", "serve");

  private final List<Double> levels;
  private final List<String> modes;
  private final Duration duration;
  private final Duration warmup;
  private final Duration deadline;
  private final int connections;
  private final int clientBacklog;
  private final int subscribers;
  private final int payloadBytes;
  private final double capacity;
  private final Duration calibration;
  private final int calibrationConnections;
  private final List<String> serverCommand;
  private final List<String> serverArgs;
  private final int attachHttpPort;

  private HttpOverloadConfig(Builder b) {
    this.levels = List.copyOf(b.levels);
    this.modes = List.copyOf(b.modes);
    this.duration = b.duration;
    this.warmup = b.warmup;
    this.deadline = b.deadline;
    this.connections = b.connections;
    this.clientBacklog = b.clientBacklog;
    this.subscribers = b.subscribers;
    this.payloadBytes = b.payloadBytes;
    this.capacity = b.capacity;
    this.calibration = b.calibration;
    this.calibrationConnections = b.calibrationConnections;
    this.serverCommand = List.copyOf(b.serverCommand);
    this.serverArgs = List.copyOf(b.serverArgs);
    this.attachHttpPort = b.attachHttpPort;
  }

  static Builder builder() {
    return new Builder();
  }

  /** Load levels as multiples of capacity, in the order run. */
  List<Double> levels() {
    return levels;
  }

  /** Admission modes ({@code on}, {@code off}) in the order run; one entry, {@code attached}, when attaching. */
  List<String> modes() {
    return attached() ? List.of("attached") : modes;
  }

  Duration duration() {
    return duration;
  }

  Duration warmup() {
    return warmup;
  }

  Duration deadline() {
    return deadline;
  }

  int connections() {
    return connections;
  }

  int clientBacklog() {
    return clientBacklog;
  }

  int subscribers() {
    return subscribers;
  }

  int payloadBytes() {
    return payloadBytes;
  }

  /** A fixed capacity in requests per second, or 0 to calibrate it. */
  double capacity() {
    return capacity;
  }

  Duration calibration() {
    return calibration;
  }

  int calibrationConnections() {
    return calibrationConnections;
  }

  List<String> serverCommand() {
    return serverCommand;
  }

  List<String> serverArgs() {
    return serverArgs;
  }

  /** True when the bench loads a running server's HTTP port instead of starting servers. */
  boolean attached() {
    return attachHttpPort > 0;
  }

  int attachHttpPort() {
    return attachHttpPort;
  }

  /** The settings as reported, in a stable order. */
  Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("levels", levels.stream().map(HttpOverloadConfig::levelLabel).toList().toString());
    p.put("modes", String.join(",", modes()));
    p.put("duration", DurationConverter.format(duration));
    p.put("warmup", DurationConverter.format(warmup));
    p.put("deadline", DurationConverter.format(deadline));
    p.put("connections", connections);
    p.put("client_backlog", clientBacklog);
    p.put("subscribers", subscribers);
    p.put("payload", payloadBytes);
    if (capacity > 0) {
      p.put("capacity", capacity);
    } else {
      p.put("calibration", DurationConverter.format(calibration));
      p.put("calibration_connections", calibrationConnections);
    }
    if (attached()) {
      p.put("http_port", attachHttpPort);
    } else {
      p.put("server_command", String.join(" ", serverCommand));
      if (!serverArgs.isEmpty()) {
        p.put("server_args", String.join(" ", serverArgs));
      }
    }
    return p;
  }

  /** A level as shown in tables: {@code 0.5x}, {@code 4x}. */
  static String levelLabel(double level) {
    return (level == Math.rint(level) ? Long.toString((long) level) : Double.toString(level)) + "x";
  }

  /** A level as part of a metric name (no dots, which qualify targets in --assert): {@code x0_5}, {@code x4}. */
  static String levelKey(double level) {
    String label = levelLabel(level);
    return "x" + label.substring(0, label.length() - 1).replace('.', '_');
  }

  /** Parses {@code --levels 0.5,1,2,4}. @throws IllegalArgumentException naming the option and the value */
  static List<Double> parseLevels(String text) {
    List<Double> levels = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      try {
        levels.add(Double.parseDouble(part.trim().toLowerCase(Locale.ROOT).replaceAll("x$", "")));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--levels '" + text + "': '" + part.trim()
            + "' is not a number; expected multiples of capacity such as 0.5,1,2,4");
      }
    }
    return levels;
  }

  /** Collects the settings; {@link #build()} checks them. */
  static final class Builder {
    private List<Double> levels = DEFAULT_LEVELS;
    private List<String> modes = DEFAULT_MODES;
    private Duration duration = Duration.ofSeconds(10);
    private Duration warmup = Duration.ofSeconds(2);
    private Duration deadline = DEFAULT_DEADLINE;
    private int connections = DEFAULT_CONNECTIONS;
    private int clientBacklog = DEFAULT_CLIENT_BACKLOG;
    private int subscribers = DEFAULT_SUBSCRIBERS;
    private int payloadBytes = DEFAULT_PAYLOAD_BYTES;
    private double capacity;
    private Duration calibration = DEFAULT_CALIBRATION;
    private int calibrationConnections = DEFAULT_CALIBRATION_CONNECTIONS;
    private List<String> serverCommand = DEFAULT_SERVER_COMMAND;
    private List<String> serverArgs = List.of();
    private int attachHttpPort;

    private Builder() {}

    Builder levels(List<Double> v) {
      levels = Objects.requireNonNull(v, "levels");
      return this;
    }

    Builder modes(List<String> v) {
      modes = Objects.requireNonNull(v, "modes");
      return this;
    }

    Builder duration(Duration v) {
      duration = Objects.requireNonNull(v, "duration");
      return this;
    }

    Builder warmup(Duration v) {
      warmup = Objects.requireNonNull(v, "warmup");
      return this;
    }

    Builder deadline(Duration v) {
      deadline = Objects.requireNonNull(v, "deadline");
      return this;
    }

    Builder connections(int v) {
      connections = v;
      return this;
    }

    Builder clientBacklog(int v) {
      clientBacklog = v;
      return this;
    }

    Builder subscribers(int v) {
      subscribers = v;
      return this;
    }

    Builder payloadBytes(int v) {
      payloadBytes = v;
      return this;
    }

    /** A fixed capacity, skipping calibration; 0 calibrates. */
    Builder capacity(double v) {
      capacity = v;
      return this;
    }

    Builder calibration(Duration v) {
      calibration = Objects.requireNonNull(v, "calibration");
      return this;
    }

    Builder calibrationConnections(int v) {
      calibrationConnections = v;
      return this;
    }

    Builder serverCommand(List<String> v) {
      serverCommand = Objects.requireNonNull(v, "serverCommand");
      return this;
    }

    Builder serverArgs(List<String> v) {
      serverArgs = Objects.requireNonNull(v, "serverArgs");
      return this;
    }

    /** Attach to a running server's HTTP port instead of starting servers; 0 starts them. */
    Builder attachHttpPort(int v) {
      attachHttpPort = v;
      return this;
    }

    /** @throws IllegalArgumentException naming the option, the value and the allowed range */
    HttpOverloadConfig build() {
      if (levels.isEmpty() || levels.size() > 16) {
        throw new IllegalArgumentException(
            "--levels has " + levels.size() + " level(s); give 1..16");
      }
      for (double l : levels) {
        if (!(l > 0 && l <= 100)) {
          throw new IllegalArgumentException("--levels: " + l + " is outside (0, 100]");
        }
      }
      if (modes.isEmpty()
          || !List.of("on", "off").containsAll(modes)
          || modes.stream().distinct().count() != modes.size()) {
        throw new IllegalArgumentException("--admission " + String.join(",", modes)
            + " is not one of on, off, 'on,off', 'off,on'");
      }
      requireRange("--connections", connections, 1, 65_536);
      requireRange("--client-backlog", clientBacklog, 1, 10_000_000);
      requireRange("--subscribers", subscribers, 0, 100_000);
      requireRange("--payload", payloadBytes, 0, 16 * 1024 * 1024);
      requireRange("--calibration-connections", calibrationConnections, 1, 65_536);
      requireRange("--http-port", attachHttpPort, 0, 65_535);
      if (deadline.toMillis() < 1 || deadline.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "--deadline " + DurationConverter.format(deadline) + " is outside 1ms..10m");
      }
      if (calibration.toMillis() < 100 || calibration.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException(
            "--calibration " + DurationConverter.format(calibration) + " is outside 100ms..10m");
      }
      if (!(capacity >= 0) || capacity > 100_000_000) {
        throw new IllegalArgumentException(
            "--capacity " + capacity + " is outside 0..100000000 (0 calibrates)");
      }
      if (serverCommand.isEmpty() && attachHttpPort == 0) {
        throw new IllegalArgumentException(
            "--server-command is empty: give a command, or --http-port to attach");
      }
      return new HttpOverloadConfig(this);
    }

    private static void requireRange(String option, long value, long min, long max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            option + " " + value + " is outside " + min + ".." + max);
      }
    }
  }
}
