package io.spillway.bench.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints a {@link BenchReport} as a plain-text table: one row per metric; one column per run, then, with several
 * rounds, one median column per target; then B/A when comparing. A scenario's own table ({@code details.table})
 * follows, then the warnings. Stateless.
 */
public final class ReportTable {

  private ReportTable() {}

  public static void print(BenchReport report, PrintStream out) {
    out.println();
    out.println(report.scenario() + ": "
        + report.parameters().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" ")));
    out.println("load generator: "
        + report.loadGenerator().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(" ")));
    for (BenchReport.TargetEntry t : report.targets()) {
      out.println("target " + t.name() + ": " + t.label() + " = " + t.uri()
          + (t.serverPid() != null ? " (server pid " + t.serverPid() + ")" : ""));
    }
    out.println();

    printAligned(rows(report), out);
    printScenarioTables(report, out);

    boolean first = true;
    for (RunResult r : report.runs()) {
      for (String w : r.warnings()) {
        if (first) {
          out.println();
          out.println("warnings:");
          first = false;
        }
        out.println("  [" + r.targetName() + " " + r.label() + " r" + r.round() + "] " + w);
      }
    }
    if (report.targets().size() == 2) {
      out.println();
      out.println("B/A: " + BenchReport.AGGREGATION);
    }
  }

  /**
   * Prints each run's own table, when its scenario gave one: {@code details.table}, rows of cells, header first
   * (the http-overload scenario's one row per mode and level).
   */
  private static void printScenarioTables(BenchReport report, PrintStream out) {
    boolean single = report.runs().size() == 1;
    for (RunResult r : report.runs()) {
      if (!(r.details().get("table") instanceof List<?> table) || table.isEmpty()) {
        continue;
      }
      List<List<String>> rows = new ArrayList<>();
      for (Object row : table) {
        if (row instanceof List<?> cells) {
          rows.add(cells.stream().map(String::valueOf).collect(Collectors.toList()));
        }
      }
      if (rows.isEmpty()
          || rows.stream().anyMatch(row -> row.size() != rows.get(0).size())) {
        continue;
      }
      out.println();
      if (!single) {
        out.println(r.targetName() + " " + r.label() + " r" + r.round() + ":");
      }
      printAligned(rows, out);
    }
  }

  /**
   * The table's cells, header row first: per metric its name, unit, one figure per run, with several rounds one
   * median per target, and when comparing the ratio B/A. Absent figures are {@code -}, absent ratios {@code n/a}.
   */
  public static List<List<String>> rows(BenchReport report) {
    Map<String, String> units = new LinkedHashMap<>();
    report.runs().forEach(r -> r.metrics().forEach(m -> units.putIfAbsent(m.name(), m.unit())));
    List<String> header = new ArrayList<>(List.of("metric", "unit"));
    boolean single = report.targets().size() == 1 && report.rounds() == 1;
    for (RunResult r : report.runs()) {
      header.add(single ? r.label() : r.targetName() + " " + r.label() + " r" + r.round());
    }
    if (report.rounds() > 1) {
      report.summary().forEach(s -> header.add(s.name() + " median"));
    }
    boolean comparing = report.targets().size() == 2;
    if (comparing) {
      header.add("B/A");
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(header);
    units.forEach((name, unit) -> {
      List<String> row = new ArrayList<>(List.of(name, unit));
      for (RunResult r : report.runs()) {
        row.add(r.metric(name).map(m -> format(m.value(), unit)).orElse("-"));
      }
      if (report.rounds() > 1) {
        report
            .summary()
            .forEach(s ->
                row.add(s.median().containsKey(name) ? format(s.median().get(name), unit) : "-"));
      }
      if (comparing) {
        Double ratio = report.ratios().get(name);
        row.add(ratio == null ? "n/a" : String.format(Locale.ROOT, "%.2fx", ratio));
      }
      rows.add(row);
    });
    return rows;
  }

  /** Formats {@code value} for its unit: latencies to the microsecond, rates and counts grouped by thousands. */
  public static String format(double value, String unit) {
    switch (unit) {
      case "ms":
        return String.format(Locale.ROOT, "%.3f", value);
      case "MB/s":
      case "MiB":
        return String.format(Locale.ROOT, "%,.1f", value);
      case "s":
      case "cores":
      case "x":
        return String.format(Locale.ROOT, "%.2f", value);
      default:
        return String.format(Locale.ROOT, "%,.0f", value);
    }
  }

  private static void printAligned(List<List<String>> rows, PrintStream out) {
    int columns = rows.get(0).size();
    int[] width = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = row.get(i);
        String pad = " ".repeat(width[i] - cell.length());
        // Names left-aligned, figures right-aligned.
        line.append(i < 2 ? cell + pad : pad + cell).append(i + 1 < columns ? "  " : "");
      }
      out.println(line.toString().stripTrailing());
    }
  }
}
