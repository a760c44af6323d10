package io.spillway.bench.slow;

import io.spillway.bench.run.RunOptions;
import io.spillway.bench.run.Scenario;
import io.spillway.bench.run.ScenarioCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code slow-consumers} command line; filled by picocli, then read once by {@link #createScenario()}. */
@Command(
    name = SlowConsumersScenario.NAME,
    sortOptions = false,
    mixinStandardHelpOptions = true,
    description = {
      "K slow (or stalled) readers beside F fast subscribers on one channel, one publisher at --rate (0: flat out,"
          + " a flood), never more than --pipeline PUBLISHes unanswered. Fast subscribers and the publisher run on"
          + " the bench's event loops (--threads); slow readers are blocking sockets with a small receive buffer.",
      "A baseline phase (fast subscribers only, a third of --duration, at least 3s) precedes --duration with the"
          + " slow readers; publishing runs through both. A progress line per second goes to stderr, and a sample"
          + " per second to the JSON details.",
      "Reports per slow reader when the server cut it (seen in CLIENT LIST, and by its socket), fast-subscriber"
          + " loss and latency with and without the slow ones, server peak RSS and its growth over the run (--server-pid) against the worst"
          + " case Spillway prints in INFO memory.",
      "--warmup is not used: the baseline phase is measured.",
      "With --channel-policy (Spillway only), each strategy in turn on its own channel: the slow readers also"
          + " subscribe to __spillway__:notices and drain their connection once publishing ends, so that their"
          + " loss by sequence numbers is set against the sum of their gap notices' lost counts and the drops the"
          + " server counted (INFO); a table, one row per strategy: publisher rate with the slow readers (block paces it),"
          + " fast loss and p99, slow loss against notices, cuts and their reason (INFO client_cuts_*), peak RSS."
    })
public final class SlowConsumersCommand implements ScenarioCommand {

  @Mixin
  private RunOptions runOptions;

  @Option(
      names = "--fast",
      paramLabel = "F",
      defaultValue = "20",
      description = "Fast subscribers (default ${DEFAULT-VALUE}).")
  private int fast;

  @Option(
      names = "--slow",
      paramLabel = "K",
      defaultValue = "1",
      description = "Slow readers (default ${DEFAULT-VALUE}).")
  private int slow;

  @Option(
      names = "--slow-rate",
      paramLabel = "BYTES_PER_S",
      defaultValue = "1",
      description =
          "Bytes per second each slow reader reads; 0 = stalled, never reads (default ${DEFAULT-VALUE}).")
  private long slowRate;

  @Option(
      names = "--slow-rcvbuf",
      paramLabel = "BYTES",
      defaultValue = "4096",
      description =
          "Slow readers' receive buffer, set before connecting (default ${DEFAULT-VALUE}).")
  private int slowRcvbuf;

  @Option(
      names = "--payload",
      paramLabel = "BYTES",
      defaultValue = "1024",
      description = "Payload size, its 28-byte header included (default ${DEFAULT-VALUE}).")
  private int payload;

  @Option(
      names = "--rate",
      paramLabel = "MSGS_PER_S",
      defaultValue = "10",
      description =
          "PUBLISHes per second, open loop, stamped with their intended send time; 0 = flat out, as fast"
              + " as --pipeline allows (default ${DEFAULT-VALUE}).")
  private long rate;

  @Option(
      names = "--pipeline",
      paramLabel = "N",
      defaultValue = "" + SlowConsumersConfig.DEFAULT_PIPELINE,
      description =
          "PUBLISHes the publisher may have unanswered; open loop, messages due while it is full go out"
              + " late, never queued by the bench (default ${DEFAULT-VALUE}).")
  private int pipeline;

  @Option(
      names = "--channel-policy",
      paramLabel = "STRATEGY",
      split = ";",
      description =
          "Measure this overflow strategy (disconnect, drop-oldest, drop-newest, conflate, block[,max-block=D]),"
              + " or all of them (all); repeatable, or a ';' list. Each strategy gets its own channel"
              + " slow.<strategy>.<run>, measured one after the other (a baseline and --duration each); the bench"
              + " prints the --channel-policies the server needs and checks it with CONFIG GET.")
  private List<String> channelPolicies = new ArrayList<>();

  @Override
  public RunOptions runOptions() {
    return runOptions;
  }

  @Override
  public Scenario createScenario() {
    return new SlowConsumersScenario(new SlowConsumersConfig(
        fast,
        slow,
        slowRate,
        slowRcvbuf,
        payload,
        rate,
        pipeline,
        runOptions.duration(),
        StrategyChannels.parse(channelPolicies),
        SlowConsumersConfig.MIN_BASELINE));
  }
}
