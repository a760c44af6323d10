package io.spillway.bench.run;

/**
 * A scenario's picocli command: it declares the scenario's own options and mixes in {@link RunOptions}.
 * {@code BenchMain} parses the command line into it, then asks it for the scenario.
 */
public interface ScenarioCommand {

  /** The common options, as parsed. */
  RunOptions runOptions();

  /**
   * The scenario the parsed options describe.
   *
   * @throws IllegalArgumentException naming the option, the value and the allowed range, if one is invalid
   */
  Scenario createScenario();
}
