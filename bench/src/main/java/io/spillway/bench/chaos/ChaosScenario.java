package io.spillway.bench.chaos;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import io.spillway.bench.run.Scenario;
import java.util.Map;

/** Chaos: see {@link ChaosCommand}. Immutable; each run uses fresh connections. */
final class ChaosScenario implements Scenario {

  static final String NAME = "chaos";

  private final ChaosConfig config;

  ChaosScenario(ChaosConfig config) {
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
    return new ChaosRun(config, target, context).execute();
  }
}
