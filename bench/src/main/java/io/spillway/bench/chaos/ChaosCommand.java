package io.spillway.bench.chaos;

import io.spillway.bench.run.DurationConverter;
import io.spillway.bench.run.RunOptions;
import io.spillway.bench.run.Scenario;
import io.spillway.bench.run.ScenarioCommand;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code chaos} command line; filled by picocli, then read once by {@link #createScenario()}. */
@Command(
    name = ChaosScenario.NAME,
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Hostile clients of every kind beside a bystander: a stalled subscriber (never reads), a slow reader (1 KiB/s),"
          + " a pipeliner that never reads its replies, a client reconnecting to send malformed RESP (oversized bulk"
          + " and multibulk lengths, huge inline lines), a connection flood up to max-clients (through the middle"
          + " third of --duration), a subscriber of --patterns pathological patterns ('*' + 'a' x k + 'bN' and 'a' x k +"
          + " '*bN', k up to 1000 as 64 KiB of patterns allow, matched on every flood publish), and,"
          + " with --http-port, HTTP slowloris connections and a WebSocket subscriber that never reads. A flood"
          + " publisher sends 1 KiB messages to a 1 KiB channel of 'a' that the stalled, slow and WebSocket clients"
          + " subscribe to.",
      "The bystander subscribes to a channel of its own, publishes sequence numbers to it at --bystander-rate and"
          + " times PING every --ping-interval. Reports what it lost, its PING latency, the server's RSS growth"
          + " (--server-pid) against the worst case Spillway prints in INFO memory, and which hostile clients the"
          + " server cut.",
      "--warmup is not used."
    })
public final class ChaosCommand implements ScenarioCommand {

  @Mixin
  private RunOptions runOptions;

  @Option(
      names = "--http-port",
      paramLabel = "PORT",
      defaultValue = "-1",
      description =
          "The server's HTTP port on the target host; -1 leaves out the HTTP and WebSocket clients"
              + " (default ${DEFAULT-VALUE}).")
  private int httpPort;

  @Option(
      names = "--bystander-rate",
      paramLabel = "MSGS_PER_S",
      defaultValue = "200",
      description = "PUBLISHes per second from the bystander to itself (default ${DEFAULT-VALUE}).")
  private int bystanderRate;

  @Option(
      names = "--ping-interval",
      paramLabel = "DURATION",
      defaultValue = "10ms",
      converter = DurationConverter.class,
      description = "How often the bystander sends PING (default ${DEFAULT-VALUE}).")
  private Duration pingInterval;

  @Option(
      names = "--flood-rate",
      paramLabel = "MSGS_PER_S",
      defaultValue = "2000",
      description =
          "PUBLISHes per second of 1 KiB from the flood publisher (default ${DEFAULT-VALUE}).")
  private int floodRate;

  @Option(
      names = "--patterns",
      paramLabel = "N",
      defaultValue = "1000",
      description =
          "Pathological patterns the pattern-heavy client subscribes (default ${DEFAULT-VALUE}).")
  private int patterns;

  @Option(
      names = "--flood-connections",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Connections the connection flood attempts; 0: the server's maxclients + 8, at most 2000"
              + " (default ${DEFAULT-VALUE}).")
  private int floodConnections;

  @Option(
      names = "--slowloris",
      paramLabel = "N",
      defaultValue = "20",
      description =
          "HTTP connections sending their request head one byte a second (default ${DEFAULT-VALUE}).")
  private int slowloris;

  @Override
  public RunOptions runOptions() {
    return runOptions;
  }

  @Override
  public Scenario createScenario() {
    return new ChaosScenario(new ChaosConfig(
        httpPort,
        bystanderRate,
        pingInterval,
        floodRate,
        patterns,
        floodConnections,
        slowloris,
        runOptions.duration()));
  }
}
