package io.spillway.bench.fanout;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import io.spillway.bench.run.Scenario;
import java.util.Map;

/**
 * Publish → fan-out: see {@link FanoutCommand} for the options and {@link FanoutResults} for what is counted.
 * Immutable; each {@link #run} is independent (fresh connections, fresh channel names).
 */
final class FanoutScenario implements Scenario {

  static final String NAME = "fanout";

  private final FanoutConfig config;

  FanoutScenario(FanoutConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Map<String, Object> parameters() {
    return config.parameters();
  }

  @Override
  public ScenarioResult run(Target target, RunContext context)
      throws BenchException, InterruptedException {
    return new FanoutRun(config, target, context).execute();
  }
}
