package io.spillway.bench.burst;

import io.spillway.bench.run.DurationConverter;
import io.spillway.bench.run.RunOptions;
import io.spillway.bench.run.Scenario;
import io.spillway.bench.run.ScenarioCommand;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code burst} command line; filled by picocli, then read once by {@link #createScenario()}. */
@Command(
    name = BurstScenario.NAME,
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "A burst after idle: opens --connections keep-alive HTTP connections first, waits --idle, then sends one",
      "POST /v1/publish/{channel} on each at once, --repeat times, with admission on and off, each mode on a fresh",
      "server started with --server-command. Reports statuses (with the X-Spillway-Shed reason) and answer times",
      "counted from the burst's first write, connecting excluded; 'in deadline' is 200 within --deadline."
    })
public final class BurstCommand implements ScenarioCommand {

  @Mixin
  private RunOptions runOptions;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "400",
      description = "Connections, one request each per burst (default ${DEFAULT-VALUE}).")
  private int connections;

  @Option(
      names = "--repeat",
      paramLabel = "R",
      defaultValue = "3",
      description = "Bursts measured per mode (default ${DEFAULT-VALUE}).")
  private int repeat;

  @Option(
      names = "--warm-bursts",
      paramLabel = "W",
      defaultValue = "1",
      description =
          "Bursts sent first and not reported, so that the server's JIT has run (default ${DEFAULT-VALUE}).")
  private int warmBursts;

  @Option(
      names = "--idle",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description = "Idle time before each burst (default ${DEFAULT-VALUE}).")
  private Duration idle;

  @Option(
      names = "--admission",
      paramLabel = "on,off",
      defaultValue = "on,off",
      description = "Admission modes, in order (default ${DEFAULT-VALUE}).")
  private String admission;

  @Option(
      names = "--payload",
      paramLabel = "BYTES",
      defaultValue = "1024",
      description = "Request body size (default ${DEFAULT-VALUE}).")
  private int payload;

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      defaultValue = "1s",
      converter = DurationConverter.class,
      description =
          "The answer time within which a 200 counts as in deadline; not sent: the server applies its "
              + "http-publish-deadline (default ${DEFAULT-VALUE}, the server's default).")
  private Duration deadline;

  @Option(
      names = "--server-command",
      paramLabel = "CMD",
      defaultValue = "./spillway serve",
      description =
          "How to start a server, split on spaces; the bench appends --bind, --port, --http-port, "
              + "--http-admission (default '${DEFAULT-VALUE}').")
  private String serverCommand;

  @Option(
      names = "--server-arg",
      paramLabel = "ARG",
      description =
          "Extra argument for every started server, repeatable: --server-arg=--http-workers=4.")
  private List<String> serverArgs;

  @Override
  public RunOptions runOptions() {
    return runOptions;
  }

  @Override
  public Scenario createScenario() {
    if (runOptions.comparing()) {
      throw new IllegalArgumentException(
          "--compare does not apply to burst: it compares admission on and off "
              + "itself (--admission)");
    }
    return new BurstScenario(new BurstConfig(
        connections,
        repeat,
        warmBursts,
        idle,
        Arrays.stream(admission.split(",")).map(String::trim).toList(),
        payload,
        deadline,
        Arrays.stream(serverCommand.trim().split("\\s+"))
            .filter(s -> !s.isEmpty())
            .toList(),
        serverArgs == null ? List.of() : serverArgs));
  }
}
