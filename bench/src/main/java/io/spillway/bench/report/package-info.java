/**
 * What a run produces and how it is shown: {@link io.spillway.bench.report.Metric}s with a direction, one
 * {@link io.spillway.bench.report.RunResult} per run, and the whole {@link io.spillway.bench.report.BenchReport}
 * (medians per target, ratios B/A) that is printed as a table and written as JSON.
 */
package io.spillway.bench.report;
