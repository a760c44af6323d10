package io.spillway.bench.html;

import io.spillway.bench.report.BenchReport;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ReportTable;
import java.util.List;
import java.util.Optional;

/**
 * Appends the terminal's table ({@link ReportTable#rows}) as an HTML table: names left, figures right, and the B/A
 * column coloured green where B is better and red where it is worse, by the metric's direction. Stateless.
 */
final class HtmlReportTable {

  private HtmlReportTable() {}

  static void append(BenchReport report, StringBuilder html) {
    List<List<String>> rows = ReportTable.rows(report);
    boolean comparing = report.targets().size() == 2;
    html.append("<table class=\"results\">\n<tr>");
    List<String> header = rows.get(0);
    for (int i = 0; i < header.size(); i++) {
      html.append(i < 2 ? "<th>" : "<th class=\"num\">")
          .append(HtmlText.escape(header.get(i)))
          .append("</th>");
    }
    html.append("</tr>\n");
    for (List<String> row : rows.subList(1, rows.size())) {
      html.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        String css = i < 2 ? "" : "num";
        if (comparing && i == row.size() - 1) {
          css += " " + verdict(report, row.get(0));
        }
        html.append(css.isBlank() ? "<td>" : "<td class=\"" + css.strip() + "\">")
            .append(HtmlText.escape(row.get(i)))
            .append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</table>\n");
  }

  /** {@code better}, {@code worse} or empty: how B's median compares with A's for {@code metric}. */
  static String verdict(BenchReport report, String metric) {
    Double ratio = report.ratios().get(metric);
    Optional<Metric.Better> better = report.runs().stream()
        .map(r -> r.metric(metric))
        .flatMap(Optional::stream)
        .map(Metric::better)
        .findFirst();
    if (ratio == null || better.isEmpty() || ratio == 1.0) {
      return "";
    }
    return switch (better.get()) {
      case HIGHER -> ratio > 1 ? "better" : "worse";
      case LOWER -> ratio < 1 ? "better" : "worse";
      case NEITHER -> "";
    };
  }
}
