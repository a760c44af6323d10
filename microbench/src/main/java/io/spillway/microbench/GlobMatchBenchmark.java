package io.spillway.microbench;

import io.spillway.server.broker.GlobPattern;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One glob match of a compiled pattern against a 1 KiB channel of 'a': issue 11's pathological pattern
 * ({@code "*" + "a" x 1000 + "bN"}, about a million comparisons for a backtracking matcher), the worst case of a
 * floating segment, which is tried at every position ({@code "*" + "a" x 500 + "b*"} fails each on its last byte,
 * {@code "*b" + "a" x 500 + "*"} only after comparing all 501), and a typical pattern.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GlobMatchBenchmark {

  @Param({"star-a1000-bN", "star-a500-b-star", "star-b-a500-star", "news.*"})
  String pattern;

  private GlobPattern compiled;
  private byte[] raw;
  private byte[] channel;

  @Setup
  public void setUp() {
    String text = switch (pattern) {
      case "star-a1000-bN" -> "*" + "a".repeat(1000) + "b7";
      case "star-a500-b-star" -> "*" + "a".repeat(500) + "b*";
      case "star-b-a500-star" -> "*b" + "a".repeat(500) + "*";
      default -> pattern;
    };
    raw = text.getBytes(StandardCharsets.ISO_8859_1);
    compiled = GlobPattern.compile(raw);
    channel = "a".repeat(1024).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The compiled form, as a pattern index holds it. */
  @Benchmark
  public boolean compiled() {
    return compiled.matches(channel);
  }

  /** The pattern's bytes scanned on each call ({@code GlobPattern.matches(pattern, subject)}): no allocation. */
  @Benchmark
  public boolean scanned() {
    return GlobPattern.matches(raw, channel);
  }
}
