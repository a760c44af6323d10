package io.spillway.bench.run;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.ScenarioResult;
import java.util.Map;

/**
 * One kind of load ({@code fanout}; later {@code slow-consumers}, {@code http-overload}, {@code retry-storm}),
 * configured and ready to run any number of times. {@code BenchRunner} calls {@link #run} once per target per
 * round, one run at a time, from its own thread.
 *
 * <p>Contract for implementations: a run is bounded in time (its configured duration plus bounded set-up and
 * drain), opens its own connections and closes all of them before returning, leaves nothing running on the
 * context's event loops, and reports drops and errors, not only throughput.
 */
public interface Scenario {

  /** The name on the command line and in reports: {@code fanout}. */
  String name();

  /** The settings as reported, in a stable order; values are strings or numbers. */
  Map<String, Object> parameters();

  /**
   * Runs once against {@code target}, blocking the calling thread until done.
   *
   * @throws BenchException if the run could not be carried out (its message names the target and the cause)
   * @throws InterruptedException if the calling thread was interrupted; connections are closed first
   */
  ScenarioResult run(Target target, RunContext context) throws BenchException, InterruptedException;
}
