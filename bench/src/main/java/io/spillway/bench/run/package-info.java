/**
 * What every scenario shares: the {@link io.spillway.bench.run.Scenario} contract, the
 * {@link io.spillway.bench.run.RunContext} a run gets (event loops, clock, probes), the common command-line
 * {@link io.spillway.bench.run.RunOptions}, and the {@link io.spillway.bench.run.ScenarioCommand} a scenario's
 * command-line class implements so that {@code BenchMain} can run it.
 */
package io.spillway.bench.run;
