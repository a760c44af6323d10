package io.spillway.bench.slow;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import io.spillway.core.outbox.ChannelPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code slow-consumers} run over several overflow strategies: checks that the server gives each strategy's
 * channel its strategy ({@code CONFIG GET channel-policies}), then runs the scenario once per strategy, one after
 * the other, each on its own channel, and merges the results: a few metrics per strategy (named {@code
 * <strategy>_<metric>}, {@code drop_oldest_slow_lost}), a table of one row per strategy, and every run's details
 * under {@code details.strategies}. Driven by the calling thread; used once.
 */
final class StrategySweep {

  /** The metrics of each strategy's run kept at the top level, prefixed with the strategy. */
  static final Set<String> KEPT = Set.of(
      "published_per_s",
      "publish_unsent",
      "fast_lost",
      "fast_disconnects",
      "fast_latency_p99_ms_baseline",
      "fast_latency_p99_ms_with_slow",
      "slow_never_cut",
      "slow_cut_s_max",
      "server_peak_rss_mb");

  private final SlowConsumersConfig config;
  private final Target target;
  private final RunContext context;
  private final String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);

  StrategySweep(SlowConsumersConfig config, Target target, RunContext context) {
    this.config = config;
    this.target = target;
    this.context = context;
  }

  ScenarioResult execute() throws BenchException, InterruptedException {
    StrategyChannels strategies = config.strategies();
    context
        .progress()
        .printf("  strategies need the server started with %s%n", strategies.serverFlags());
    checkServer(strategies);
    List<Metric> metrics = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Map<String, Object> perStrategy = new LinkedHashMap<>();
    List<List<String>> table = new ArrayList<>();
    table.add(List.of(
        "strategy",
        "pub/s base",
        "pub/s slow",
        "fast lost",
        "fast p99 ms",
        "slow recv",
        "slow lost",
        "noticed",
        "srv dropped",
        "slow cut",
        "cut reason",
        "rss MiB"));
    for (ChannelPolicy policy : strategies.policies()) {
      String channel = StrategyChannels.channel(policy, tag);
      String label = policy.strategy().label();
      context.progress().printf("== strategy %s on %s%n", label, channel);
      ScenarioResult r = new SlowConsumersRun(config, target, context, channel, policy).execute();
      StrategyOutcome o = (StrategyOutcome) r.details().get("strategy");
      String prefix = label.replace('-', '_') + "_";
      for (Metric m : r.metrics()) {
        if (KEPT.contains(m.name())) {
          metrics.add(new Metric(prefix + m.name(), m.unit(), m.value(), m.better()));
        }
      }
      metrics.add(Metric.neither(
          prefix + "published_per_s_with_slow", "msgs/s", o.publishedPerSWithSlow()));
      metrics.add(Metric.lower(prefix + "slow_lost", "msgs", o.slowLost()));
      metrics.add(Metric.neither(prefix + "slow_noticed_lost", "msgs", o.slowNoticedLost()));
      metrics.add(Metric.lower(prefix + "slow_unnoticed_lost", "msgs", o.unnoticedLoss()));
      metrics.add(Metric.neither(prefix + "server_dropped", "msgs", o.serverDropped()));
      metrics.add(Metric.neither(prefix + "slow_cut", "readers", o.slowCut()));
      r.warnings().forEach(w -> warnings.add(w.startsWith(label + ":") ? w : label + ": " + w));
      Map<String, Object> details = new LinkedHashMap<>(r.details());
      details.put("metrics", r.metrics());
      details.put("warnings", r.warnings());
      perStrategy.put(label, details);
      table.add(row(o));
      context
          .progress()
          .printf(
              "  %s: published %.0f/s (baseline %.0f/s), fast lost %d, slow lost %d, noticed %d,"
                  + " server dropped %d, slow cut %d (%s)%n",
              label,
              o.publishedPerSWithSlow(),
              o.publishedPerSBaseline(),
              o.fastLost(),
              o.slowLost(),
              o.slowNoticedLost(),
              o.serverDropped(),
              o.slowCut(),
              o.cutReasons());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("server_flags", strategies.serverFlags());
    details.put("table", table);
    details.put("strategies", perStrategy);
    return new ScenarioResult(metrics, details, warnings);
  }

  private void checkServer(StrategyChannels strategies) throws BenchException {
    String host = target.socketAddress().getAddress().getHostAddress();
    try (RespConnection admin = RespConnection.open(host, target.port(), 0, true)) {
      admin.socket().setSoTimeout(5_000);
      String problem =
          strategies.mismatch(configValue(admin.call("CONFIG", "GET", "channel-policies")), tag);
      if (problem != null) {
        throw new BenchException(target.uri() + ": " + problem);
      }
    } catch (RespConnection.ErrorReplyException e) {
      throw new BenchException(
          target.uri() + ": CONFIG GET channel-policies failed (" + e.getMessage()
              + "); start Spillway with " + strategies.serverFlags(),
          e);
    } catch (IOException e) {
      throw new BenchException(target.uri() + ": " + e.getMessage(), e);
    }
  }

  /** The value of a {@code CONFIG GET} reply for one name, or null when the server does not know it. */
  static String configValue(Object reply) {
    if (reply instanceof List<?> l && l.size() >= 2 && l.get(1) instanceof byte[] b) {
      return new String(b, java.nio.charset.StandardCharsets.UTF_8);
    }
    return null;
  }

  private static List<String> row(StrategyOutcome o) {
    return List.of(
        o.strategy(),
        String.format(Locale.ROOT, "%.0f", o.publishedPerSBaseline()),
        String.format(Locale.ROOT, "%.0f", o.publishedPerSWithSlow()),
        Long.toString(o.fastLost()),
        o.fastP99MsWithSlow() == null
            ? "-"
            : String.format(Locale.ROOT, "%.2f", o.fastP99MsWithSlow()),
        Long.toString(o.slowReceived()),
        Long.toString(o.slowLost()),
        Long.toString(o.slowNoticedLost()),
        Long.toString(o.serverDropped()),
        o.slowCut() + "/" + o.readers().size(),
        o.cutReasons(),
        o.serverPeakRssMb() == null
            ? "-"
            : String.format(Locale.ROOT, "%.1f", o.serverPeakRssMb()));
  }
}
