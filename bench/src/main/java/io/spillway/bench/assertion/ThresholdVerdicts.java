package io.spillway.bench.assertion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spillway.bench.report.BenchReport;
import io.spillway.bench.report.JsonReportWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** The results of every {@code --assert} after a run, and what they mean for the exit status. Immutable. */
public final class ThresholdVerdicts {

  /** What the thresholds say about the run, worst first. */
  public enum Outcome {
    /** At least one could not be evaluated (unknown metric, ratio to a zero): a usage error. */
    UNEVALUABLE,
    /** All were evaluated and at least one is false: a threshold is broken. */
    FAILED,
    /** All held, or there were none. */
    PASSED
  }

  /** Significant digits printed for a value that is not a whole number. */
  static final int PRINTED_DIGITS = 6;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final List<ThresholdResult> results;

  ThresholdVerdicts(List<ThresholdResult> results) {
    this.results = List.copyOf(results);
  }

  /** One result per {@code --assert}, in command-line order. */
  public List<ThresholdResult> results() {
    return results;
  }

  public Outcome outcome() {
    if (results.stream().anyMatch(r -> r.passed() == null)) {
      return Outcome.UNEVALUABLE;
    }
    return results.stream().allMatch(ThresholdResult::passed) ? Outcome.PASSED : Outcome.FAILED;
  }

  /**
   * Prints one line per threshold: {@code assert PASS  lost==0  (lost=0)}, {@code assert FAIL ...}, or
   * {@code assert ERROR  EXPR  (why)}. Prints nothing without thresholds.
   */
  public void print(PrintStream out) {
    if (!results.isEmpty()) {
      out.println();
    }
    for (ThresholdResult r : results) {
      out.println(line(r));
    }
  }

  static String line(ThresholdResult r) {
    if (r.passed() == null) {
      return "assert ERROR  " + r.expr() + "  (" + r.error() + ")";
    }
    String values = r.values().entrySet().stream()
        .map(e -> e.getKey() + "=" + format(e.getValue()))
        .collect(Collectors.joining(", "));
    return "assert " + (r.passed() ? "PASS" : "FAIL") + "  " + r.expr()
        + (values.isEmpty() ? "" : "  (" + values + ")");
  }

  /** Whole numbers in full ({@code 1234567}), others to {@value #PRINTED_DIGITS} significant digits. */
  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return Double.toString(value);
    }
    return new BigDecimal(value)
        .round(new MathContext(PRINTED_DIGITS))
        .stripTrailingZeros()
        .toPlainString();
  }

  /**
   * Writes {@code report} as JSON to {@code file} like {@link JsonReportWriter#write}, with an {@code assertions}
   * list of {@link ThresholdResult}s added when there are thresholds.
   */
  public void writeJson(BenchReport report, Path file) throws IOException {
    if (results.isEmpty()) {
      JsonReportWriter.write(report, file);
      return;
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ObjectNode tree = MAPPER.valueToTree(report);
    tree.set("assertions", MAPPER.valueToTree(results));
    MAPPER.writeValue(file.toFile(), tree);
  }
}
