package io.spillway.bench.retry;

import io.spillway.bench.run.DurationConverter;
import io.spillway.bench.run.RunOptions;
import io.spillway.bench.run.Scenario;
import io.spillway.bench.run.ScenarioCommand;
import io.spillway.client.RetryBudget;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code retry-storm} command line; filled by picocli, then read once by {@link #createScenario()}. */
@Command(
    name = RetryStormScenario.NAME,
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Retry storms: --rate logical publishes per second (open loop, at most --callers outstanding) against a",
      "server that accepts --server-limit requests per second (its rate limit; the rest get 429), for --duration,",
      "once per --modes: naive (retry at once, up to --naive-retries, Retry-After ignored), budget (SpillwayClient:",
      "retry budget, backoff honouring Retry-After, no breaker), client (SpillwayClient's defaults, breaker too).",
      "Reports retry amplification = requests the server answered (its spillway_http_responses_total) / logical",
      "calls, goodput (calls that succeeded per second), p99 of successful calls, and how calls failed."
    })
public final class RetryStormCommand implements ScenarioCommand {

  @Mixin
  private RunOptions runOptions;

  @Option(
      names = "--modes",
      paramLabel = "M,M",
      defaultValue = "naive,budget,client",
      description = "Caller kinds, in order (default ${DEFAULT-VALUE}).")
  private String modes;

  @Option(
      names = "--rate",
      paramLabel = "CALLS_PER_S",
      defaultValue = "400",
      description = "Logical calls started per second (default ${DEFAULT-VALUE}).")
  private double rate;

  @Option(
      names = "--callers",
      paramLabel = "N",
      defaultValue = "200",
      description = "Calls outstanding at most (default ${DEFAULT-VALUE}).")
  private int callers;

  @Option(
      names = "--server-limit",
      paramLabel = "REQ_PER_S",
      defaultValue = "200",
      description =
          "Requests per second the started server accepts (--http-rate-limit); 0: as configured "
              + "(default ${DEFAULT-VALUE}).")
  private int serverLimit;

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Each call's deadline, retries included (default ${DEFAULT-VALUE}).")
  private Duration deadline;

  @Option(
      names = "--naive-retries",
      paramLabel = "N",
      defaultValue = "3",
      description = "Retries of a naive call at most (default ${DEFAULT-VALUE}).")
  private int naiveRetries;

  @Option(
      names = "--budget-min-per-second",
      paramLabel = "N",
      defaultValue = "" + RetryBudget.DEFAULT_MIN_RETRIES_PER_SECOND,
      description =
          "The client's retry budget reserve, retries per second whatever the calls (default "
              + "${DEFAULT-VALUE}, the client's).")
  private int budgetMin;

  @Option(
      names = "--payload",
      paramLabel = "BYTES",
      defaultValue = "128",
      description = "Message size (default ${DEFAULT-VALUE}).")
  private int payload;

  @Option(
      names = "--server-command",
      paramLabel = "CMD",
      defaultValue = "./spillway serve",
      description = "How to start a server, split on spaces (default '${DEFAULT-VALUE}').")
  private String serverCommand;

  @Option(
      names = "--server-arg",
      paramLabel = "ARG",
      description = "Extra argument for every started server.")
  private List<String> serverArgs;

  @Override
  public RunOptions runOptions() {
    return runOptions;
  }

  @Override
  public Scenario createScenario() {
    if (runOptions.comparing()) {
      throw new IllegalArgumentException(
          "--compare does not apply to retry-storm: it compares callers itself");
    }
    return new RetryStormScenario(new RetryStormConfig(
        Arrays.stream(modes.split(",")).map(String::trim).toList(),
        rate,
        callers,
        serverLimit,
        deadline,
        naiveRetries,
        budgetMin,
        runOptions.duration(),
        payload,
        Arrays.stream(serverCommand.trim().split("\\s+"))
            .filter(s -> !s.isEmpty())
            .toList(),
        serverArgs == null ? List.of() : serverArgs));
  }
}
