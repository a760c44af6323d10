package io.spillway.bench.slow;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.probe.ProcessProbe;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import io.spillway.core.outbox.ChannelPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * One {@code slow-consumers} run against one target, driven by the calling thread: the fast side (subscribers and
 * publisher on the event loops) publishes through a baseline phase and the slow phase; at the slow phase the slow
 * readers subscribe, each on its own thread, while this thread polls {@code CLIENT LIST} and the server's RSS and
 * prints a progress line per second; then a bounded drain and the final count. Every connection is closed before
 * returning.
 */
final class SlowConsumersRun {

  /** How often the server's client list and RSS are read: 100 ms. */
  static final long POLL_NANOS = 100_000_000L;
  /** Progress line and JSON sample interval: 1 s. */
  static final long PROGRESS_NANOS = 1_000_000_000L;
  /** Gap between the end of set-up and the first PUBLISH: 50 ms. */
  static final long START_DELAY_NANOS = 50_000_000L;
  /** Longest wait for the fast subscribers to receive the last message: 2 s. */
  static final long DRAIN_NANOS = 2_000_000_000L;
  /** How long a slow reader's thread is given to end once its socket is closed: 2 s. */
  static final long JOIN_MILLIS = 2_000;

  /*
   * Design: publishing never pauses between the phases, so the baseline and the slow phase are one open-loop
   * stream, and a message's phase is decided by its stamp (sent before the first slow reader subscribed or not).
   * Loss is counted from sequence numbers; a fast subscriber's "lost" is its gaps plus the tail it never got once
   * the drain is over. A slow reader's cut is timed from its own subscription, both as the server shows it (gone
   * from CLIENT LIST, polled every 100 ms) and as its socket does (EOF or reset while it reads; a stalled reader
   * never reads, so it has no socket-side figure). The progress line and the JSON samples read the same per-loop counts, on the
   * loops (FastSide.totals), so nothing on the message path is shared between threads.
   */

  private final SlowConsumersConfig config;
  private final Target target;
  private final RunContext context;
  private final LongSupplier clock;
  private final String channel;
  /** The strategy measured on {@link #channel}, or null for a run on whatever the server's policy is. */
  private final ChannelPolicy policy;

  private final List<Thread> threads = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<Map<String, Object>> samples = new ArrayList<>();
  private final List<SlowReader> slow = new ArrayList<>();
  private long peakRssBytes = -1;
  private long startRssBytes = -1;
  private long lastRssBytes = -1;
  private SlowProgress.Tick lastTick;
  private long publishStart;

  SlowConsumersRun(SlowConsumersConfig config, Target target, RunContext context) {
    this(
        config,
        target,
        context,
        "spillway-bench:slow:" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16),
        null);
  }

  /**
   * A run on {@code channel}, whose strategy is {@code policy}: the slow readers are accounted ({@link
   * SlowReader#subscribeAccounted}) and the result carries a {@link StrategyOutcome} under {@code details.strategy}.
   */
  SlowConsumersRun(
      SlowConsumersConfig config,
      Target target,
      RunContext context,
      String channel,
      ChannelPolicy policy) {
    this.config = config;
    this.target = target;
    this.context = context;
    this.clock = context.nanoClock();
    this.channel = channel;
    this.policy = policy;
  }

  ScenarioResult execute() throws BenchException, InterruptedException {
    String host = target.socketAddress().getAddress().getHostAddress();
    int port = target.port();
    RespConnection admin = null;
    try (FastSide fast = new FastSide(config, target, context, channel)) {
      admin = RespConnection.open(host, port, 0, true);
      admin.socket().setSoTimeout(5_000);
      long worstCase = worstCaseBytes(admin);
      Map<String, Long> countersBefore = policy == null ? Map.of() : ServerCounters.read(admin);
      if (context.serverProbe().isPresent()) {
        startRssBytes = context.serverProbe().get().sample().rssBytes();
      }
      context
          .progress()
          .printf(
              "  connecting %d fast subscriber(s) and the publisher to %s%n",
              config.fast(), target.uri());
      fast.connect();
      publishStart = clock.getAsLong() + START_DELAY_NANOS;
      long slowStart = publishStart + config.baseline().toNanos();
      long publishEnd = slowStart + config.duration().toNanos();
      fast.startPublishing(publishStart, publishEnd);
      context
          .progress()
          .printf(
              "  baseline: %d fast subscribers, %s, %s%n",
              config.fast(),
              config.baseline(),
              config.rate() == 0 ? "flat out" : config.rate() + " msg/s");
      pollUntil(admin, null, fast, "baseline", slowStart);

      List<String> names = new ArrayList<>();
      for (int i = 1; i <= config.slow(); i++) {
        names.add("slow-" + i);
      }
      ClientCutTracker tracker = new ClientCutTracker(names);
      fast.slowPhaseFrom(clock.getAsLong());
      long sentAtSlowStart = fast.publisherStats().sent();
      for (String name : names) {
        slow.add(
            policy == null
                ? SlowReader.subscribe(
                    host, port, config.slowReceiveBuffer(), name, channel, config.slowRate(), clock)
                : SlowReader.subscribeAccounted(
                    host,
                    port,
                    config.slowReceiveBuffer(),
                    name,
                    channel,
                    config.slowRate(),
                    clock));
        tracker.present(name);
      }
      tracker.observe(clock.getAsLong(), clientList(admin));
      context
          .progress()
          .printf(
              "  with %d slow reader(s) at %d B/s: %s%n",
              config.slow(), config.slowRate(), config.duration());
      for (SlowReader r : slow) {
        r.deadline(publishEnd);
        start(r, r.name());
      }
      pollUntil(admin, tracker, fast, "slow", publishEnd);
      long sentAtSlowEnd = fast.publisherStats().sent();
      FastSide.Totals totals = drain(fast);
      if (policy != null) {
        joinSlowReaders();
      }

      List<SlowReaderOutcome> slowOutcomes = new ArrayList<>();
      for (SlowReader r : slow) {
        OptionalLong server = tracker.cutNanos(r.name());
        Double serverS =
            server.isPresent() ? seconds(server.getAsLong() - r.subscribedNanos()) : null;
        Double socketS =
            r.socketCutNanos() >= 0 ? seconds(r.socketCutNanos() - r.subscribedNanos()) : null;
        slowOutcomes.add(
            new SlowReaderOutcome(r.name(), serverS, socketS, r.socketError(), r.bytesRead()));
      }
      FloodPublisherHandler.Stats pub = totals.publisher();
      FastOutcome fastOutcome = new FastOutcome(
          pub.sent(),
          totals.received(),
          totals.missing(),
          totals.outOfOrder(),
          totals.disconnects().size(),
          totals.baseline(),
          totals.withSlow());
      warn(pub, totals);
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("slow_readers", slowOutcomes);
      details.put("fast_disconnects", totals.disconnects());
      details.put(
          "server_start_rss_mb", startRssBytes < 0 ? null : startRssBytes / (1024.0 * 1024.0));
      details.put("server_peak_rss_mb", peakRssBytes < 0 ? null : peakRssBytes / (1024.0 * 1024.0));
      details.put("worst_case_mb", worstCase < 0 ? null : worstCase / (1024.0 * 1024.0));
      details.put("samples", samples);
      if (policy != null) {
        StrategyOutcome outcome = StrategyOutcome.of(
            policy,
            channel,
            slow,
            slowOutcomes,
            pub.sent(),
            sentAtSlowStart / seconds(slowStart - publishStart),
            (sentAtSlowEnd - sentAtSlowStart) / seconds(publishEnd - slowStart),
            fastOutcome,
            ServerCounters.difference(countersBefore, ServerCounters.read(admin)),
            peakRssBytes);
        details.put("strategy", outcome);
        outcome.warnings().forEach(warnings::add);
      }
      for (SlowReaderOutcome o : slowOutcomes) {
        context
            .progress()
            .printf(
                "  %s: cut_server_s=%s cut_socket_s=%s (%s), read %d B%n",
                o.name(), o.cutServerS(), o.cutSocketS(), o.socketError(), o.bytesRead());
      }
      List<Metric> metrics = new ArrayList<>(SlowConsumersMetrics.assemble(
          slowOutcomes, fastOutcome, seconds(publishEnd - slowStart), peakRssBytes, worstCase));
      if (startRssBytes >= 0 && peakRssBytes >= 0) {
        metrics.add(Metric.lower(
            "server_rss_growth_mb", "MiB", (peakRssBytes - startRssBytes) / (1024.0 * 1024.0)));
      }
      metrics.add(Metric.higher(
          "published_per_s", "msgs/s", pub.sent() / seconds(publishEnd - publishStart)));
      metrics.add(Metric.lower("publish_late", "msgs", pub.late()));
      metrics.add(Metric.lower("publish_unsent", "msgs", pub.unsent()));
      metrics.stream()
          .filter(m -> m.name().equals("fast_latency_p99_ratio"))
          .findFirst()
          .ifPresent(m -> context
              .progress()
              .printf("  fast p99 with slow readers / baseline: %.3fx%n", m.value()));
      return new ScenarioResult(metrics, details, warnings);
    } catch (IOException e) {
      throw new BenchException(target.uri() + ": " + e.getMessage(), e);
    } finally {
      if (admin != null) {
        admin.close();
      }
      slow.forEach(SlowReader::close);
      for (Thread t : threads) {
        t.interrupt();
        t.join(JOIN_MILLIS);
      }
    }
  }

  /** Waits for the accounted slow readers to end their drain, so that their counts can be read. */
  private void joinSlowReaders() throws InterruptedException {
    long until = System.currentTimeMillis() + SlowReader.DRAIN_MILLIS + JOIN_MILLIS;
    for (Thread t : threads) {
      t.join(Math.max(1, until - System.currentTimeMillis()));
      if (t.isAlive()) {
        warnings.add(t.getName() + " was still draining; its counts may be short");
      }
    }
  }

  private void warn(FloodPublisherHandler.Stats pub, FastSide.Totals totals) {
    if (pub.disconnect() != null) {
      warnings.add("the server closed the publisher: " + pub.disconnect());
    }
    if (pub.errors() > 0) {
      warnings.add(
          pub.errors() + " PUBLISH(es) answered with an error, the last: " + pub.lastError());
    }
    if (pub.unsent() > 0) {
      warnings.add(pub.unsent()
          + " PUBLISH(es) due by the end were never sent: the server answered slower than"
          + " --rate with --pipeline " + config.pipeline() + " in flight");
    }
    if (!totals.disconnects().isEmpty()) {
      warnings.add(
          totals.disconnects().size() + " fast subscriber(s) were disconnected by the server: "
              + totals.disconnects().get(0));
    }
  }

  /**
   * Polls the client list (with a tracker) and the server's RSS every {@link #POLL_NANOS} until {@code end},
   * printing a progress line and keeping a sample every {@link #PROGRESS_NANOS}.
   */
  private void pollUntil(
      RespConnection admin, ClientCutTracker tracker, FastSide fast, String phase, long end)
      throws IOException, InterruptedException {
    ProcessProbe probe = context.serverProbe().orElse(null);
    long nextTick = lastTick == null
        ? publishStart + PROGRESS_NANOS
        : publishStart + (long) (lastTick.elapsedSeconds() * 1e9) + PROGRESS_NANOS;
    while (true) {
      long now = clock.getAsLong();
      if (tracker != null) {
        tracker.observe(now, clientList(admin));
      }
      if (probe != null) {
        lastRssBytes = probe.sample().rssBytes();
        peakRssBytes = Math.max(peakRssBytes, lastRssBytes);
      }
      if (now >= nextTick) {
        tick(fast.totals(false), phase, tracker, now);
        nextTick += PROGRESS_NANOS;
      }
      if (now >= end) {
        return;
      }
      long sleep = Math.min(POLL_NANOS, Math.min(end, nextTick) - now);
      if (sleep > 0) {
        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
    }
  }

  private void tick(FastSide.Totals t, String phase, ClientCutTracker tracker, long now) {
    int cut = 0;
    for (SlowReader r : slow) {
      cut += (tracker != null && tracker.cutNanos(r.name()).isPresent()) || r.socketCutNanos() >= 0
          ? 1
          : 0;
    }
    SlowProgress.Tick tick = new SlowProgress.Tick(
        phase,
        seconds(now - publishStart),
        t.publisher().sent(),
        t.received(),
        t.skipped(),
        cut,
        slow.size(),
        lastRssBytes);
    context.progress().println(SlowProgress.format(tick, t.interval()));
    samples.add(SlowProgress.sample(tick, lastTick, t.interval()));
    lastTick = tick;
  }

  /** Waits, at most {@link #DRAIN_NANOS}, for the last replies and for every fast subscriber to have it all. */
  private FastSide.Totals drain(FastSide fast) throws InterruptedException {
    long until = clock.getAsLong() + DRAIN_NANOS;
    while (true) {
      FastSide.Totals t = fast.totals(true);
      boolean done = t.publisher().stopped()
          && (t.publisher().inflight() == 0 || t.publisher().disconnect() != null)
          && t.missing() == 0;
      if (done || clock.getAsLong() >= until) {
        if (!done) {
          warnings.add("fast subscribers still missed " + t.missing()
              + " message(s) 2 s after publishing stopped");
        }
        return t;
      }
      Thread.sleep(10);
    }
  }

  /** {@code outbox_worst_case_bytes} from {@code INFO memory}, or -1 where the server does not print it (redis). */
  static long worstCaseBytes(RespConnection admin) throws IOException {
    Object reply = admin.call("INFO", "memory");
    return reply instanceof byte[] b
        ? infoField(new String(b, StandardCharsets.UTF_8), "outbox_worst_case_bytes")
        : -1;
  }

  /** The numeric field {@code name} of an INFO reply, or -1. */
  static long infoField(String info, String name) {
    for (String line : info.split("\r?\n", -1)) {
      if (line.startsWith(name + ":")) {
        try {
          return Long.parseLong(line.substring(name.length() + 1).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static String clientList(RespConnection admin) throws IOException {
    Object reply = admin.call("CLIENT", "LIST");
    return reply instanceof byte[] b
        ? new String(b, StandardCharsets.UTF_8)
        : String.valueOf(reply);
  }

  private void start(Runnable r, String name) {
    Thread t = new Thread(r, "slow-consumers-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
