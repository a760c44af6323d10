package io.spillway.bench.html;

/** The report's inline stylesheet: system fonts only, print-friendly, no external resource. */
final class HtmlReportStyle {

  static final String CSS = """
      body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px auto;
             max-width: 1100px; color: #1f2937; padding: 0 16px; }
      h1 { font-size: 22px; margin-bottom: 8px; }
      h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #e5e7eb; padding-bottom: 4px; }
      table { border-collapse: collapse; font-size: 13px; }
      th, td { padding: 3px 10px; border-bottom: 1px solid #f0f0f0; text-align: left; }
      table.facts th { font-weight: 600; color: #4b5563; }
      table.results td.num { text-align: right; font-variant-numeric: tabular-nums; }
      table.results th.num { text-align: right; }
      table.results tr:hover td { background: #f9fafb; }
      td.better { color: #15803d; font-weight: 600; }
      td.worse { color: #b91c1c; font-weight: 600; }
      .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px; }
      ul.warnings li { color: #92400e; }
      p.note { color: #6b7280; font-size: 13px; }
      figure { margin: 16px 0; }
      svg.chart { font-family: inherit; background: #fff; }
      svg.chart .grid { stroke: #e5e7eb; stroke-width: 1; }
      svg.chart .axis { stroke: #374151; stroke-width: 1; }
      svg.chart .tick { font-size: 11px; fill: #374151; }
      svg.chart .value { font-size: 11px; fill: #111827; }
      svg.chart .legend { font-size: 12px; fill: #111827; }
      svg.chart .axis-title { font-size: 12px; fill: #4b5563; }
      svg.chart .chart-title { font-size: 15px; font-weight: 600; fill: #111827; }
      """;

  private HtmlReportStyle() {}
}
