package io.spillway.bench;

import io.spillway.bench.assertion.ThresholdVerdicts;
import io.spillway.bench.assertion.Thresholds;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.html.HtmlReportWriter;
import io.spillway.bench.probe.ProcessProbe;
import io.spillway.bench.report.BenchReport;
import io.spillway.bench.report.ReportTable;
import io.spillway.bench.report.RunResult;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.ClientTransport;
import io.spillway.bench.run.RunContext;
import io.spillway.bench.run.RunOptions;
import io.spillway.bench.run.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one scenario over the targets and rounds of the options (A, B, A, B...), on one set of event loops, then
 * prints the table and writes the JSON. Used once, by the main thread.
 */
final class BenchRunner {

  /** Pause between two runs, so that the previous run's connections are gone from the servers: 1 s. */
  static final long PAUSE_BETWEEN_RUNS_MILLIS = 1_000;

  private final RunOptions options;
  private final PrintStream out;
  private final PrintStream err;

  BenchRunner(RunOptions options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  int run(Scenario scenario) {
    String startedAt = Instant.now().toString();
    Thresholds thresholds =
        Thresholds.parse(options.assertions(), options.targets()); // checked by BenchMain
    List<Target> targets = options.targets();
    List<Long> pids = options.serverPids();
    List<ProcessProbe> probes = new ArrayList<>();
    List<BenchReport.TargetEntry> entries = new ArrayList<>();
    try {
      for (int i = 0; i < targets.size(); i++) {
        Long pid = pids.isEmpty() ? null : pids.get(i);
        probes.add(pid == null ? null : ProcessProbe.of(pid));
        entries.add(new BenchReport.TargetEntry(
            nameOf(i), targets.get(i).label(), targets.get(i).uri(), pid));
      }
    } catch (IllegalArgumentException e) {
      err.println("spillway bench: --server-pid: " + e.getMessage());
      return BenchMain.EXIT_RUN_FAILED;
    }
    ProcessProbe self = Files.isReadable(Paths.get("/proc/self/stat")) ? ProcessProbe.self() : null;
    List<RunResult> results = new ArrayList<>();
    try (ClientTransport transport = ClientTransport.create(options.threads())) {
      int total = options.rounds() * targets.size();
      for (int round = 1; round <= options.rounds(); round++) {
        for (int i = 0; i < targets.size(); i++) {
          if (!results.isEmpty()) {
            Thread.sleep(PAUSE_BETWEEN_RUNS_MILLIS);
          }
          Target t = targets.get(i);
          err.printf(
              "[run %d/%d] %s -> %s %s (%s), round %d%n",
              results.size() + 1, total, scenario.name(), nameOf(i), t.label(), t.uri(), round);
          String runStart = Instant.now().toString();
          RunContext context =
              new RunContext(transport, System::nanoTime, probes.get(i), self, err);
          ScenarioResult r = scenario.run(t, context);
          results.add(RunResult.of(nameOf(i), t.uri(), t.label(), round, runStart, r));
        }
      }
      BenchReport report = BenchReport.of(
          BenchMain.version(),
          startedAt,
          scenario.name(),
          scenario.parameters(),
          loadGenerator(transport),
          entries,
          options.rounds(),
          results);
      ReportTable.print(report, out);
      ThresholdVerdicts verdicts = thresholds.evaluate(report);
      verdicts.print(out);
      if (options.json() != null) {
        verdicts.writeJson(report, options.json());
        err.println("wrote " + options.json());
      }
      if (options.html() != null) {
        try {
          HtmlReportWriter.write(report, options.html());
          err.println("wrote " + options.html());
        } catch (IOException e) {
          err.println("spillway bench: cannot write " + options.html() + ": " + e.getMessage());
          return BenchMain.EXIT_RUN_FAILED;
        }
      }
      return verdicts.outcome() == ThresholdVerdicts.Outcome.UNEVALUABLE
          ? BenchMain.EXIT_USAGE
          : verdicts.outcome() == ThresholdVerdicts.Outcome.FAILED
              ? BenchMain.EXIT_THRESHOLD_BROKEN
              : BenchMain.EXIT_OK;
    } catch (BenchException e) {
      err.println("spillway bench: " + e.getMessage());
      return BenchMain.EXIT_RUN_FAILED;
    } catch (IOException e) {
      err.println("spillway bench: cannot write " + options.json() + ": " + e.getMessage());
      return BenchMain.EXIT_RUN_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("spillway bench: interrupted");
      return BenchMain.EXIT_RUN_FAILED;
    }
  }

  private Map<String, Object> loadGenerator(ClientTransport transport) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("transport", transport.name());
    m.put("threads", transport.loops().size());
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return m;
  }

  private static String nameOf(int index) {
    return index == 0 ? "A" : "B";
  }
}
