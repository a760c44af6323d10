package io.spillway.bench.fanout;

import io.spillway.bench.run.RunOptions;
import io.spillway.bench.run.Scenario;
import io.spillway.bench.run.ScenarioCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code fanout} command line; filled by picocli, then read once by {@link #createScenario()}. */
@Command(
    name = FanoutScenario.NAME,
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "Publish -> fan-out: P publishers PUBLISH to C channels, S subscribers spread over them round-robin.",
      "Flat out (default): each publisher keeps up to --pipeline PUBLISHes unanswered.",
      "Open loop (--rate): sends are scheduled; latency counts from the intended send time.",
      "Reports published/delivered msg/s, latency percentiles, lost, out-of-order, receiver-count mismatches,"
          + " disconnects."
    })
public final class FanoutCommand implements ScenarioCommand {

  @Mixin
  private RunOptions runOptions;

  @Option(
      names = "--publishers",
      paramLabel = "P",
      defaultValue = "1",
      description = "Publisher connections (default ${DEFAULT-VALUE}).")
  private int publishers;

  @Option(
      names = "--subscribers",
      paramLabel = "S",
      defaultValue = "100",
      description = "Subscriber connections (default ${DEFAULT-VALUE}).")
  private int subscribers;

  @Option(
      names = "--channels",
      paramLabel = "C",
      defaultValue = "1",
      description =
          "Channels; subscriber s listens on channel s mod C, publishers cycle over all (default "
              + "${DEFAULT-VALUE}).")
  private int channels;

  @Option(
      names = "--payload",
      paramLabel = "BYTES",
      defaultValue = "128",
      description = "Payload size, its 28-byte header included (default ${DEFAULT-VALUE}).")
  private int payload;

  @Option(
      names = "--pipeline",
      paramLabel = "N",
      defaultValue = "64",
      description = "Unanswered PUBLISHes allowed per publisher (default ${DEFAULT-VALUE}).")
  private int pipeline;

  @Option(
      names = "--rate",
      paramLabel = "MSGS_PER_S",
      description = "Open loop: total PUBLISHes per second over all publishers. Default: flat out.")
  private Long rate;

  @Option(
      names = "--resp",
      paramLabel = "2|3",
      defaultValue = "2",
      description =
          "RESP version; 3 sends HELLO 3 and receives messages as pushes (default ${DEFAULT-VALUE}).")
  private int resp;

  @Option(
      names = "--spread",
      paramLabel = "HOST:PORT",
      split = ",",
      description =
          "Other servers joined to the target by a backplane: subscribers and publishers are spread"
              + " round-robin over the target and these; deliveries are expected for every subscriber, wherever it is.")
  private java.util.List<String> spread = new java.util.ArrayList<>();

  @Override
  public RunOptions runOptions() {
    return runOptions;
  }

  @Override
  public Scenario createScenario() {
    return new FanoutScenario(FanoutConfig.builder()
        .publishers(publishers)
        .subscribers(subscribers)
        .channels(channels)
        .payloadBytes(payload)
        .pipeline(pipeline)
        .rate(rate == null ? 0 : requirePositive(rate))
        .respVersion(resp)
        .spread(spread.stream().map(FanoutCommand::address).toList())
        .duration(runOptions.duration())
        .warmup(runOptions.warmup())
        .build());
  }

  private static java.net.InetSocketAddress address(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("--spread " + hostPort + " is not HOST:PORT");
    }
    return new java.net.InetSocketAddress(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  private static long requirePositive(long rate) {
    if (rate <= 0) {
      throw new IllegalArgumentException(
          "--rate " + rate + " is not positive (omit it to publish flat out)");
    }
    return rate;
  }
}
