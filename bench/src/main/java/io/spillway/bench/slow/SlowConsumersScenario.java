package io.spillway.bench.slow;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import io.spillway.bench.run.Scenario;
import java.util.Map;

/** Slow consumers: see {@link SlowConsumersCommand}. Immutable; each run uses fresh connections and channel. */
final class SlowConsumersScenario implements Scenario {

  static final String NAME = "slow-consumers";

  private final SlowConsumersConfig config;

  SlowConsumersScenario(SlowConsumersConfig config) {
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
    return config.strategies().isEmpty()
        ? new SlowConsumersRun(config, target, context).execute()
        : new StrategySweep(config, target, context).execute();
  }
}
