package io.spillway.bench.slow;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.probe.ProcessProbe;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * One {@code slow-consumers} run against one target, driven by the calling thread: fast subscribers and the
 * publisher for the baseline phase, then the slow readers join for the slow phase while this thread polls
 * {@code CLIENT LIST} and the server's RSS, then a bounded drain. Every connection is closed before returning.
 */
final class SlowConsumersRun {

  /** How often the server's client list and RSS are read: 100 ms. */
  static final long POLL_MILLIS = 100;
  /** Longest wait for the fast subscribers to receive the last message: 2 s. */
  static final long DRAIN_NANOS = 2_000_000_000L;
  /** How long a thread is given to end once its socket is closed: 2 s. */
  static final long JOIN_MILLIS = 2_000;

  private final SlowConsumersConfig config;
  private final Target target;
  private final RunContext context;
  private final LongSupplier clock;
  private final String channel;
  private final List<Thread> threads = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private volatile long slowPhaseStartNanos = Long.MAX_VALUE;
  private long peakRssBytes = -1;

  SlowConsumersRun(SlowConsumersConfig config, Target target, RunContext context) {
    this.config = config;
    this.target = target;
    this.context = context;
    this.clock = context.nanoClock();
    this.channel = "spillway-bench-slow-" + Long.toHexString(System.nanoTime());
  }

  ScenarioResult execute() throws BenchException, InterruptedException {
    String host = target.socketAddress().getAddress().getHostAddress();
    int port = target.port();
    RespConnection admin = null;
    Publisher publisher = null;
    List<FastSubscriber> fast = new ArrayList<>();
    List<SlowReader> slow = new ArrayList<>();
    try {
      admin = RespConnection.open(host, port, 0, true);
      admin.socket().setSoTimeout(5_000);
      long worstCase = worstCaseBytes(admin);
      for (int i = 0; i < config.fast(); i++) {
        fast.add(FastSubscriber.subscribe(host, port, channel, clock, () -> slowPhaseStartNanos));
      }
      fast.forEach(f -> start(f, "fast"));
      publisher = new Publisher(RespConnection.open(host, port, 0, true), channel, config.payloadBytes(),
          config.rate(), clock);
      Publisher p = publisher;
      start(p::readReplies, "publisher-replies");

      context.progress().printf("  baseline: %d fast subscribers, %s%n", config.fast(), config.baseline());
      long baselineStart = clock.getAsLong();
      long baselineEnd = baselineStart + config.baseline().toNanos();
      Thread phase1 = start(() -> p.publish(baselineStart, baselineEnd), "publisher");
      pollUntil(admin, null, baselineEnd);
      phase1.join(JOIN_MILLIS * 5);
      if (phase1.isAlive()) {
        throw new BenchException(target.uri() + ": the publisher was still blocked writing 10 s after the baseline");
      }

      List<String> names = new ArrayList<>();
      for (int i = 1; i <= config.slow(); i++) {
        names.add("slow-" + i);
        slow.add(SlowReader.subscribe(host, port, config.slowReceiveBuffer(), "slow-" + i, channel,
            config.slowRate(), clock));
      }
      ClientCutTracker tracker = new ClientCutTracker(names);
      tracker.observe(clock.getAsLong(), clientList(admin));
      context.progress().printf("  with %d slow reader(s) at %d B/s: %s%n", config.slow(), config.slowRate(),
          config.duration());
      long slowStart = clock.getAsLong();
      long slowEnd = slowStart + config.duration().toNanos();
      slowPhaseStartNanos = slowStart;
      p.markPhase();
      for (SlowReader r : slow) {
        r.deadline(slowEnd);
        start(r, r.name());
      }
      Thread phase2 = start(() -> p.publish(slowStart, slowEnd), "publisher");
      pollUntil(admin, tracker, slowEnd);
      phase2.join(JOIN_MILLIS);
      if (phase2.isAlive()) {
        warnings.add("the publisher was still blocked writing at the end of the slow phase");
        p.close();
      }
      drain(fast, p.published());
      long firstPublish = p.firstSendNanos() >= 0 ? p.firstSendNanos() : slowStart;

      List<SlowReaderOutcome> slowOutcomes = new ArrayList<>();
      for (SlowReader r : slow) {
        OptionalLong server = tracker.cutNanos(r.name());
        Double serverS = server.isPresent() ? seconds(server.getAsLong() - firstPublish) : null;
        Double socketS = r.socketCutNanos() >= 0 ? seconds(r.socketCutNanos() - firstPublish) : null;
        slowOutcomes.add(new SlowReaderOutcome(r.name(), serverS, socketS, r.socketError(), r.bytesRead()));
      }
      closeAll(admin, p, fast, slow);
      joinAll();
      FastOutcome fastOutcome = fastOutcome(fast, p.published());
      if (p.failure() != null) {
        warnings.add("publishing stopped early: " + p.failure());
      }
      if (p.errors() > 0) {
        warnings.add(p.errors() + " PUBLISH(es) answered with an error");
      }
      if (fastOutcome.disconnects() > 0) {
        warnings.add(fastOutcome.disconnects() + " fast subscriber(s) were disconnected by the server");
      }
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("slow_readers", slowOutcomes);
      details.put("server_peak_rss_mb", peakRssBytes < 0 ? null : peakRssBytes / (1024.0 * 1024.0));
      details.put("worst_case_mb", worstCase < 0 ? null : worstCase / (1024.0 * 1024.0));
      for (SlowReaderOutcome o : slowOutcomes) {
        context.progress().printf("  %s: cut_server_s=%s cut_socket_s=%s (%s), read %d B%n", o.name(),
            o.cutServerS(), o.cutSocketS(), o.socketError(), o.bytesRead());
      }
      List<Metric> metrics = SlowConsumersMetrics.assemble(slowOutcomes, fastOutcome,
          seconds(slowEnd - firstPublish), peakRssBytes, worstCase);
      metrics.stream().filter(m -> m.name().equals("fast_latency_p99_ratio")).findFirst().ifPresent(m ->
          context.progress().printf("  fast p99 with slow readers / baseline: %.3fx%n", m.value()));
      return new ScenarioResult(metrics, details, warnings);
    } catch (IOException e) {
      throw new BenchException(target.uri() + ": " + e.getMessage(), e);
    } finally {
      closeAll(admin, publisher, fast, slow);
      joinAll();
    }
  }

  private void joinAll() throws InterruptedException {
    for (Thread t : threads) {
      t.interrupt();
      t.join(JOIN_MILLIS);
    }
  }

  /** Polls the client list (with a tracker) and the server's RSS every {@link #POLL_MILLIS} until {@code end}. */
  private void pollUntil(RespConnection admin, ClientCutTracker tracker, long end)
      throws IOException, InterruptedException {
    ProcessProbe probe = context.serverProbe().orElse(null);
    while (clock.getAsLong() < end) {
      if (tracker != null) {
        tracker.observe(clock.getAsLong(), clientList(admin));
      }
      if (probe != null) {
        peakRssBytes = Math.max(peakRssBytes, probe.sample().rssBytes());
      }
      long left = (end - clock.getAsLong()) / 1_000_000;
      if (left > 0) {
        Thread.sleep(Math.min(POLL_MILLIS, left));
      }
    }
  }

  private void drain(List<FastSubscriber> fast, long published) throws InterruptedException {
    long until = clock.getAsLong() + DRAIN_NANOS;
    while (clock.getAsLong() < until) {
      if (fast.stream().allMatch(f -> f.nextSequence() >= published || f.disconnect() != null)) {
        return;
      }
      Thread.sleep(10);
    }
    warnings.add("fast subscribers had not received the last message 2 s after publishing stopped");
  }

  private static FastOutcome fastOutcome(List<FastSubscriber> fast, long published) {
    Histogram baseline = new Histogram(FastSubscriber.MAX_LATENCY_NANOS, 3);
    Histogram withSlow = new Histogram(FastSubscriber.MAX_LATENCY_NANOS, 3);
    long delivered = 0;
    long lost = 0;
    long outOfOrder = 0;
    int disconnects = 0;
    for (FastSubscriber f : fast) {
      baseline.add(f.baseline());
      withSlow.add(f.withSlow());
      delivered += f.received();
      lost += f.lost(published);
      outOfOrder += f.outOfOrder();
      disconnects += f.disconnect() != null ? 1 : 0;
    }
    return new FastOutcome(published, delivered, lost, outOfOrder, disconnects, baseline, withSlow);
  }

  /** {@code outbox_worst_case_bytes} from {@code INFO memory}, or -1 where the server does not print it (redis). */
  static long worstCaseBytes(RespConnection admin) throws IOException {
    Object reply = admin.call("INFO", "memory");
    return reply instanceof byte[] b ? infoField(new String(b, StandardCharsets.UTF_8), "outbox_worst_case_bytes")
        : -1;
  }

  /** The numeric field {@code name} of an INFO reply, or -1. */
  static long infoField(String info, String name) {
    for (String line : info.split("\r?\n")) {
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
    return reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply);
  }

  private Thread start(Runnable r, String name) {
    Thread t = new Thread(r, "slow-consumers-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return t;
  }

  private static void closeAll(RespConnection admin, Publisher p, List<FastSubscriber> fast,
      List<SlowReader> slow) {
    if (admin != null) {
      admin.close();
    }
    if (p != null) {
      p.close();
    }
    fast.forEach(FastSubscriber::close);
    slow.forEach(SlowReader::close);
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
