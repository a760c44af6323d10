package io.spillway.bench.run;

import io.spillway.bench.endpoint.Target;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every scenario takes, mixed into each scenario's command with {@code @Mixin}: where to send load,
 * how many rounds, how long, how many load-generator threads, which server process to watch, where to write JSON.
 * Filled by picocli on the main thread, then read-only.
 */
public final class RunOptions {

  /** Where load goes without {@code --target}: a local redis-server or Spillway on Redis' port. */
  public static final String DEFAULT_TARGET = "resp://127.0.0.1:6379";
  /** Measured time per run: 10 s. */
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
  /** Load before measuring, excluded from every figure but loss: 2 s (JIT, TCP windows, server buffers). */
  public static final Duration DEFAULT_WARMUP = Duration.ofSeconds(2);
  /** Longest measured time accepted: 1 h. */
  static final Duration MAX_DURATION = Duration.ofHours(1);

  @Option(
      names = "--target",
      paramLabel = "resp://HOST:PORT[#LABEL]",
      converter = TargetConverter.class,
      description = "Server to load (loopback only). Default: " + DEFAULT_TARGET + ".")
  private Target target;

  @Option(
      names = "--compare",
      arity = "2",
      paramLabel = "URI",
      converter = TargetConverter.class,
      description =
          "Two servers A and B, run alternately (A, B, A, B...); reports each and the ratio B/A of the "
              + "medians over rounds. Excludes --target.")
  private List<Target> compare;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "1",
      description = "Runs per target (default ${DEFAULT-VALUE}).")
  private int rounds;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description =
          "Server process to watch through /proc (peak RSS, CPU seconds). With --compare give it twice, "
              + "A's then B's.")
  private List<Long> serverPids;

  @Option(
      names = "--json",
      paramLabel = "FILE",
      description = "Also write the whole report as JSON to FILE.")
  private Path json;

  @Option(
      names = "--html",
      paramLabel = "FILE",
      description = "Also write a self-contained HTML report with charts to FILE.")
  private Path html;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Measured time per run (default ${DEFAULT-VALUE}).")
  private Duration duration;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Load before measuring, excluded from the figures (default ${DEFAULT-VALUE}).")
  private Duration warmup;

  @Option(
      names = "--assert",
      paramLabel = "EXPR",
      description =
          "Threshold checked after the runs, e.g. 'lost==0 && latency_p99_ms<=5'; repeatable. Compare "
              + "metrics (per-target medians) and numbers with == != < <= > >=, join with && || ! ( ). With --compare "
              + "qualify names: A.lost, B.lost, LABEL.lost, ratio.lost (B/A). Exit 1 if one is false, 2 if one cannot "
              + "be evaluated (syntax errors exit 2 before any run).")
  private List<String> assertions;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "1",
      description = "Load-generator event loop threads (default ${DEFAULT-VALUE}).")
  private int threads;

  /** The targets in run order: A (and B with {@code --compare}). */
  public List<Target> targets() {
    if (compare != null && !compare.isEmpty()) {
      return List.copyOf(compare);
    }
    return List.of(target != null ? target : Target.parse(DEFAULT_TARGET));
  }

  /** True with {@code --compare}. */
  public boolean comparing() {
    return compare != null && !compare.isEmpty();
  }

  /** One pid per target, in order, or an empty list. */
  public List<Long> serverPids() {
    return serverPids == null ? List.of() : List.copyOf(serverPids);
  }

  public int rounds() {
    return rounds;
  }

  /** The {@code --assert} expressions as written, in order; empty without any. */
  public List<String> assertions() {
    return assertions == null ? List.of() : List.copyOf(assertions);
  }

  /** The JSON report's path, or null. */
  public Path json() {
    return json;
  }

  /** The HTML report's path, or null. */
  public Path html() {
    return html;
  }

  public Duration duration() {
    return duration;
  }

  public Duration warmup() {
    return warmup;
  }

  public int threads() {
    return threads;
  }

  /**
   * Checks the options against each other and their ranges.
   *
   * @throws IllegalArgumentException naming the option, the value and what is allowed
   */
  public void validate() {
    if (target != null && comparing()) {
      throw new IllegalArgumentException(
          "--target and --compare exclude each other: --compare names both servers");
    }
    if (rounds < 1 || rounds > 100) {
      throw new IllegalArgumentException("--rounds " + rounds + " is outside 1..100");
    }
    int pids = serverPids().size();
    if (pids != 0 && pids != targets().size()) {
      throw new IllegalArgumentException(
          "--server-pid given " + pids + " time(s) for " + targets().size()
              + " target(s): give it once per target (with --compare: A's pid, then B's), or not at all");
    }
    if (duration.isNegative()
        || duration.toMillis() < 100
        || duration.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "--duration " + DurationConverter.format(duration) + " is outside 100ms..1h");
    }
    if (warmup.isNegative() || warmup.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException(
          "--warmup " + DurationConverter.format(warmup) + " is outside 0s..1h");
    }
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("--threads " + threads + " is outside 1..256");
    }
  }

  /** picocli's bridge to {@link Target#parse}. */
  public static final class TargetConverter implements ITypeConverter<Target> {
    @Override
    public Target convert(String value) {
      try {
        return Target.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
