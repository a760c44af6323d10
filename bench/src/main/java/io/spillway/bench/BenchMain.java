package io.spillway.bench;

import io.netty.util.ResourceLeakDetector;
import io.spillway.bench.assertion.Thresholds;
import io.spillway.bench.burst.BurstCommand;
import io.spillway.bench.chaos.ChaosCommand;
import io.spillway.bench.fanout.FanoutCommand;
import io.spillway.bench.http.HttpOverloadCommand;
import io.spillway.bench.retry.RetryStormCommand;
import io.spillway.bench.run.RunOptions;
import io.spillway.bench.run.Scenario;
import io.spillway.bench.run.ScenarioCommand;
import io.spillway.bench.slow.SlowConsumersCommand;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code spillway bench SCENARIO [options]}: runs a scenario against one server ({@code --target}) or two
 * alternately ({@code --compare}), prints a table and optionally writes JSON. Exit status: 0 when the runs
 * completed (whatever they measured) and every {@code --assert} held, 1 when a run could not be carried out or an
 * {@code --assert} was false, 2 for a usage error, including an {@code --assert} that cannot be evaluated.
 */
@Command(
    name = "spillway bench",
    mixinStandardHelpOptions = true,
    versionProvider = BenchMain.Version.class,
    subcommands = {
      FanoutCommand.class,
      SlowConsumersCommand.class,
      HttpOverloadCommand.class,
      BurstCommand.class,
      RetryStormCommand.class,
      ChaosCommand.class
    },
    description = {
      "Load any RESP server on this machine (Spillway or redis-server) and measure it.",
      "Targets must be loopback: resp://127.0.0.1:PORT, resp://localhost:PORT, resp://[::1]:PORT."
    },
    footer = {
      "",
      "Run 'spillway bench SCENARIO --help' for a scenario's options.",
      "Exit status: 0 runs completed (and every --assert held), 1 a run could not be carried out or an --assert",
      "was false, 2 usage error (including an --assert that cannot be evaluated)."
    })
public final class BenchMain implements Runnable {

  /** The runs completed; what they measured is in the report. */
  static final int EXIT_OK = 0;
  /** A run could not be carried out: connection refused, subscriptions not confirmed, unreadable --server-pid. */
  static final int EXIT_RUN_FAILED = 1;
  /** An {@code --assert} threshold evaluated false: the run completed but its figures are not acceptable. */
  static final int EXIT_THRESHOLD_BROKEN = 1;
  /** The command line is wrong. */
  static final int EXIT_USAGE = 2;

  private BenchMain() {}

  public static void main(String[] args) {
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      // Measure like a production deployment: Netty's default sampling wraps some buffers in leak
      // trackers.
      // The bench's tests run with paranoid detection instead.
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line {@code args}, writing the report to {@code out} and progress and errors to {@code err}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine cl = new CommandLine(new BenchMain());
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setExecutionStrategy(parsed -> execute(parsed, out, err));
    cl.setParameterExceptionHandler((e, ignored) -> {
      CommandLine where = e.getCommandLine();
      String name = where.getCommandSpec().qualifiedName();
      where.getErr().println(name + ": " + e.getMessage());
      where.getErr().println("Run '" + name + " --help' for the options.");
      return EXIT_USAGE;
    });
    return cl.execute(args);
  }

  private static int execute(ParseResult parsed, PrintStream out, PrintStream err) {
    Integer help = CommandLine.executeHelpRequest(parsed);
    if (help != null) {
      return help;
    }
    if (!parsed.hasSubcommand()) {
      throw new ParameterException(
          parsed.commandSpec().commandLine(),
          "a scenario is required (fanout, slow-consumers, http-overload, burst, retry-storm, chaos)");
    }
    ParseResult sub = parsed.subcommand();
    ScenarioCommand command = (ScenarioCommand) sub.commandSpec().userObject();
    RunOptions options = command.runOptions();
    Scenario scenario;
    try {
      options.validate();
      scenario = command.createScenario();
      Thresholds.parse(
          options.assertions(), options.targets()); // fails fast; BenchRunner evaluates them
    } catch (IllegalArgumentException e) {
      throw new ParameterException(sub.commandSpec().commandLine(), e.getMessage(), e);
    }
    return new BenchRunner(options, out, err).run(scenario);
  }

  /** Not called: {@code spillway bench} alone is a usage error, handled in {@link #execute}. */
  @Override
  public void run() {}

  /** The version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"spillway-bench " + version()};
    }
  }

  static String version() {
    String v = BenchMain.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
