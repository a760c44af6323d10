package io.spillway.bench.burst;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.http.ProcessServerLauncher;
import io.spillway.bench.http.ServerLauncher;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import io.spillway.bench.run.Scenario;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A burst after idle, as issue 10 measured it: see {@link BurstCommand}. Per mode a fresh server, N connections
 * opened, then warm and measured bursts, each after the idle time. Immutable; called by the runner's thread.
 */
final class BurstScenario implements Scenario {

  static final String NAME = "burst";

  private static final List<String> HEADER = List.of(
      "admission",
      "burst",
      "200",
      "in deadline",
      "503",
      "504",
      "other",
      "shed reasons",
      "p50 ms",
      "p99 ms",
      "max ms");

  private final BurstConfig config;
  private final ServerLauncher launcher;

  BurstScenario(BurstConfig config) {
    this(config, new ProcessServerLauncher(config.serverCommand(), config.serverArgs()));
  }

  /** With a given launcher: tests start in-process servers. */
  BurstScenario(BurstConfig config, ServerLauncher launcher) {
    this.config = config;
    this.launcher = launcher;
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
    PrintStream progress = context.progress();
    String channel =
        "spillway-bench:burst:" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    byte[] request = BurstConnections.publishRequest(channel, config.payloadBytes());
    List<Metric> metrics = new ArrayList<>();
    List<List<String>> table = new ArrayList<>();
    table.add(HEADER);
    List<Map<String, Object>> bursts = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    for (String mode : config.modes()) {
      try (ServerLauncher.RunningServer server = launcher.start(mode, target, progress)) {
        progress.printf(
            "  [%s] opening %d connection(s) to %s%n", mode, config.connections(), server.http());
        try (BurstConnections connections =
            new BurstConnections(server.http(), config.connections())) {
          for (int i = 0; i < config.warmBursts(); i++) {
            Thread.sleep(config.idle().toMillis());
            connections.burst(request, BurstConfig.ANSWER_TIMEOUT.toNanos());
          }
          for (int r = 1; r <= config.repeat(); r++) {
            Thread.sleep(config.idle().toMillis());
            List<BurstConnections.Answer> answers =
                connections.burst(request, BurstConfig.ANSWER_TIMEOUT.toNanos());
            Summary s = summarise(answers);
            progress.printf(
                Locale.ROOT,
                "  [%s] burst %d: %d x 200 (%d in deadline), %s, slowest %.0f ms%n",
                mode,
                r,
                s.ok,
                s.inDeadline,
                s.byStatus,
                s.maxMs);
            String prefix = mode + "_b" + r + "_";
            metrics.add(Metric.higher(prefix + "ok_in_deadline", "req", s.inDeadline));
            metrics.add(Metric.lower(prefix + "shed", "req", s.shed503 + s.shed504));
            metrics.add(Metric.lower(prefix + "p99_ms", "ms", s.p99Ms));
            metrics.add(Metric.lower(prefix + "max_ms", "ms", s.maxMs));
            table.add(List.of(
                mode,
                Integer.toString(r),
                Long.toString(s.ok),
                Long.toString(s.inDeadline),
                Long.toString(s.shed503),
                Long.toString(s.shed504),
                Long.toString(s.other),
                s.reasons.toString(),
                fmt(s.p50Ms),
                fmt(s.p99Ms),
                fmt(s.maxMs)));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("admission", mode);
            d.put("burst", r);
            d.put("by_status", s.byStatus);
            d.put("ok", s.ok);
            d.put("ok_in_deadline", s.inDeadline);
            d.put("p50_ms", s.p50Ms);
            d.put("p99_ms", s.p99Ms);
            d.put("max_ms", s.maxMs);
            bursts.add(d);
            if (s.unanswered > 0) {
              warnings.add(
                  mode + " burst " + r + ": " + s.unanswered + " request(s) unanswered within "
                      + BurstConfig.ANSWER_TIMEOUT.toSeconds() + " s or connection closed");
            }
          }
        } catch (IOException e) {
          throw new BenchException(
              "burst against " + server.http() + " (" + mode + "): " + e.getMessage(), e);
        }
      }
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("table", table);
    details.put("bursts", bursts);
    return new ScenarioResult(metrics, details, warnings);
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.0f", ms);
  }

  /** One burst's figures. */
  private record Summary(
      long ok,
      long inDeadline,
      long shed503,
      long shed504,
      long other,
      long unanswered,
      Map<String, Integer> byStatus,
      Map<String, Integer> reasons,
      double p50Ms,
      double p99Ms,
      double maxMs) {}

  private Summary summarise(List<BurstConnections.Answer> answers) {
    Map<String, Integer> byStatus = new TreeMap<>();
    Map<String, Integer> reasons = new TreeMap<>();
    long ok = 0;
    long inDeadline = 0;
    long s503 = 0;
    long s504 = 0;
    long other = 0;
    long unanswered = 0;
    long[] times = new long[answers.size()];
    int i = 0;
    for (BurstConnections.Answer a : answers) {
      times[i++] = a.nanos();
      byStatus.merge(Integer.toString(a.status()), 1, Integer::sum);
      if (a.shed() != null) {
        reasons.merge(a.shed(), 1, Integer::sum);
      }
      switch (a.status()) {
        case 200:
          ok++;
          if (a.nanos() <= config.deadline().toNanos()) {
            inDeadline++;
          }
          break;
        case 503:
          s503++;
          break;
        case 504:
          s504++;
          break;
        case 0:
          unanswered++;
          other++;
          break;
        default:
          other++;
      }
    }
    Arrays.sort(times);
    return new Summary(
        ok,
        inDeadline,
        s503,
        s504,
        other,
        unanswered,
        byStatus,
        reasons,
        pct(times, 0.5),
        pct(times, 0.99),
        times.length == 0 ? 0 : times[times.length - 1] / 1e6);
  }

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int idx = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, idx)] / 1e6;
  }
}
