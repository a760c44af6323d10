package io.spillway.bench.report;

import java.util.Objects;

/**
 * One figure of a run, by a stable snake_case name that reports, comparisons and (later) {@code --assert} use:
 * {@code delivered_per_s}, {@code latency_p99_ms}, {@code lost}. Immutable.
 *
 * @param name stable identifier, snake_case
 * @param unit what {@code value} counts: {@code msg/s}, {@code ms}, {@code MB/s}, {@code msgs}, {@code s}...
 * @param value the figure
 * @param better which direction is an improvement, so that a ratio can be read
 */
public record Metric(String name, String unit, double value, Better better) {

  /** Which direction of a metric is an improvement. */
  public enum Better {
    HIGHER,
    LOWER,
    /** A count that describes the run (messages expected...), neither good nor bad. */
    NEITHER
  }

  public Metric {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(better, "better");
  }

  public static Metric higher(String name, String unit, double value) {
    return new Metric(name, unit, value, Better.HIGHER);
  }

  public static Metric lower(String name, String unit, double value) {
    return new Metric(name, unit, value, Better.LOWER);
  }

  public static Metric neither(String name, String unit, double value) {
    return new Metric(name, unit, value, Better.NEITHER);
  }
}
