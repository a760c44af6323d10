/**
 * {@code --assert 'EXPR'}: thresholds over a report's metrics that decide the exit status. A
 * {@link io.spillway.bench.assertion.Threshold} is one parsed expression; {@link io.spillway.bench.assertion.Thresholds}
 * are all of them, bound to the targets before the run and evaluated against the
 * {@link io.spillway.bench.report.BenchReport} after it, giving {@link io.spillway.bench.assertion.ThresholdVerdicts}.
 */
package io.spillway.bench.assertion;
