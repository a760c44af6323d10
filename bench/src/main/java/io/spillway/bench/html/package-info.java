/**
 * The {@code --html} report: one self-contained HTML file (inline CSS and SVG, no script, no external resource)
 * with the report's header, its table and charts drawn by {@link io.spillway.bench.html.HtmlReportWriter}.
 */
package io.spillway.bench.html;
