package io.spillway.bench.chaos;

import io.spillway.bench.endpoint.Target;
import io.spillway.bench.probe.ProcessProbe;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * One {@code chaos} run, driven by the calling thread: the bystander connects first, then every hostile client; the
 * connection flood holds every free client slot through the middle third of the run; this thread polls {@code
 * CLIENT LIST} and the server's RSS every 100 ms and prints a progress line a second; then everything stops, the
 * bystander is given 2 s to receive what was published, and every connection is closed before returning.
 */
final class ChaosRun {

  /** How often CLIENT LIST and the server's RSS are read: 100 ms. */
  static final long POLL_NANOS = 100_000_000L;
  /** Progress line interval: 1 s. */
  static final long PROGRESS_NANOS = 1_000_000_000L;
  /** Longest wait for the bystander's subscriber to receive the last message: 5 s. */
  static final long DRAIN_NANOS = 5_000_000_000L;

  private static final double MB = 1024.0 * 1024.0;

  private final ChaosConfig config;
  private final Target target;
  private final RunContext context;
  private final LongSupplier clock;
  private final List<String> warnings = new ArrayList<>();
  private final Map<String, Double> cutAfterS = new LinkedHashMap<>();
  /** Whether CLIENT LIST has shown the WebSocket client yet: it may register just after its upgrade is answered. */
  private boolean webSocketSeen;

  private long startRss = -1;
  private long peakRss = -1;
  private long start;

  ChaosRun(ChaosConfig config, Target target, RunContext context) {
    this.config = config;
    this.target = target;
    this.context = context;
    this.clock = context.nanoClock();
  }

  ScenarioResult execute() throws BenchException, InterruptedException {
    InetSocketAddress resp = target.socketAddress();
    InetSocketAddress http =
        new InetSocketAddress(resp.getAddress(), Math.max(config.httpPort(), 0));
    RespHostiles hostile = new RespHostiles(config, resp, clock);
    HttpHostiles web = new HttpHostiles(http);
    Bystander bystander = null;
    RespSocket admin = null;
    ThreadGroupRunner threads = new ThreadGroupRunner();
    try {
      admin = RespSocket.connect(resp, 0, 5_000);
      long worstCase = infoField(admin, "memory", "outbox_worst_case_bytes");
      long maxClients = infoField(admin, "clients", "maxclients");
      ProcessProbe probe = context.serverProbe().orElse(null);
      if (probe != null) {
        startRss = probe.sample().rssBytes();
        peakRss = startRss;
      }
      bystander = new Bystander(config, resp, clock);
      start = clock.getAsLong();
      bystander.start(threads);
      context.progress().printf("  bystander on %s; hostile clients connecting%n", target.uri());
      hostile.start(threads);
      if (config.httpPort() > 0) {
        web.start(threads, config.slowloris());
        if (!web.webSocketUpgraded) {
          warnings.add("the never-reading WebSocket was not upgraded: " + web.webSocketAnswer);
        }
      }
      int floodAttempts = config.floodConnections() > 0
          ? config.floodConnections()
          : (int) Math.min(ChaosConfig.MAX_FLOOD_CONNECTIONS, Math.max(0, maxClients) + 8);
      long end = start + config.duration().toNanos();
      long floodFrom = start + config.duration().toNanos() / 3;
      long floodUntil = start + 2 * config.duration().toNanos() / 3;
      pollUntil(admin, probe, hostile, floodFrom);
      context.progress().printf("  connection flood: %d attempts%n", floodAttempts);
      threads.start("connection-flood", () -> hostile.floodConnections(floodAttempts));
      pollUntil(admin, probe, hostile, floodUntil);
      hostile.releaseFlood();
      pollUntil(admin, probe, hostile, end);
      bystander.stop();
      hostile.stop();
      web.stop();
      if (!bystander.awaitCaughtUp(clock.getAsLong() + DRAIN_NANOS)) {
        warnings.add(
            "the bystander had not received everything published 5 s after publishing stopped");
      }
      poll(admin, probe);
      return result(bystander, hostile, web, worstCase);
    } catch (IOException e) {
      throw new BenchException(target.uri() + ": " + e.getMessage(), e);
    } finally {
      hostile.close();
      web.close();
      if (bystander != null) {
        bystander.close();
      }
      if (admin != null) {
        admin.close();
      }
      threads.stopAll();
    }
  }

  private void pollUntil(RespSocket admin, ProcessProbe probe, RespHostiles hostile, long until)
      throws IOException, InterruptedException {
    long nextProgress = start + ((clock.getAsLong() - start) / PROGRESS_NANOS + 1) * PROGRESS_NANOS;
    while (true) {
      long now = clock.getAsLong();
      poll(admin, probe);
      if (now >= nextProgress) {
        context
            .progress()
            .printf(
                "[chaos] %4.1fs flood published %,d, rss %s, cut %s%n",
                (now - start) / 1e9,
                hostile.floodPublished.get(),
                peakRss < 0 ? "?" : String.format("%.1fMiB", peakRss / MB),
                cutAfterS.keySet());
        nextProgress += PROGRESS_NANOS;
      }
      if (now >= until) {
        return;
      }
      Thread.sleep(Math.max(1, Math.min(POLL_NANOS, until - now) / 1_000_000));
    }
  }

  /** Reads the server's RSS and notes when each named hostile client left CLIENT LIST. */
  private void poll(RespSocket admin, ProcessProbe probe) throws IOException {
    if (probe != null) {
      peakRss = Math.max(peakRss, probe.sample().rssBytes());
    }
    Object reply = admin.call("CLIENT", "LIST");
    String list = reply instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : "";
    double elapsed = (clock.getAsLong() - start) / 1e9;
    for (String name : List.of(RespHostiles.STALLED, RespHostiles.SLOW, RespHostiles.PIPELINER)) {
      if (!list.contains(" name=" + name + " ")) {
        cutAfterS.putIfAbsent(name, elapsed);
      }
    }
    if (list.contains("proto=websocket")) {
      webSocketSeen = true;
    } else if (webSocketSeen) {
      cutAfterS.putIfAbsent("chaos-websocket", elapsed);
    }
  }

  private ScenarioResult result(
      Bystander bystander, RespHostiles hostile, HttpHostiles web, long worstCase) {
    List<Metric> m = new ArrayList<>();
    m.add(Metric.neither("bystander_published", "msgs", bystander.published()));
    m.add(Metric.higher("bystander_received", "msgs", bystander.received()));
    m.add(Metric.lower("bystander_lost", "msgs", bystander.lost()));
    m.add(Metric.lower("bystander_out_of_order", "msgs", bystander.outOfOrder()));
    m.add(Metric.lower("bystander_zero_receivers", "msgs", bystander.zeroReceivers()));
    m.add(Metric.lower("bystander_disconnects", "conns", bystander.disconnect() == null ? 0 : 1));
    Histogram pings = bystander.pings();
    m.add(Metric.neither("bystander_pings", "pings", pings.getTotalCount()));
    if (pings.getTotalCount() > 0) {
      m.add(Metric.lower("bystander_ping_p50_ms", "ms", pings.getValueAtPercentile(50) / 1e6));
      m.add(Metric.lower("bystander_ping_p99_ms", "ms", pings.getValueAtPercentile(99) / 1e6));
      m.add(Metric.lower("bystander_ping_max_ms", "ms", pings.getMaxValue() / 1e6));
    }
    Histogram publishes = bystander.publishes();
    if (publishes.getTotalCount() > 0) {
      m.add(
          Metric.lower("bystander_publish_p99_ms", "ms", publishes.getValueAtPercentile(99) / 1e6));
      m.add(Metric.lower("bystander_publish_max_ms", "ms", publishes.getMaxValue() / 1e6));
    }
    if (peakRss >= 0) {
      m.add(Metric.lower("server_peak_rss_mb", "MiB", peakRss / MB));
      m.add(Metric.lower("server_rss_growth_mb", "MiB", (peakRss - startRss) / MB));
    }
    if (worstCase >= 0) {
      m.add(Metric.neither("worst_case_mb", "MiB", worstCase / MB));
    }
    m.add(Metric.neither("flood_published", "msgs", hostile.floodPublished.get()));
    cut(m, "hostile_stalled_cut", RespHostiles.STALLED);
    cut(m, "hostile_slow_cut", RespHostiles.SLOW);
    cut(m, "hostile_pipeliner_cut", RespHostiles.PIPELINER);
    if (config.httpPort() > 0) {
      cut(m, "hostile_websocket_cut", "chaos-websocket");
      m.add(Metric.neither("slowloris_closed", "conns", web.slowlorisClosed.get()));
    }
    m.add(Metric.neither("pipeliner_sent_mb", "MiB", hostile.pipelinerBytes.get() / MB));
    m.add(Metric.neither("malformed_attempts", "conns", hostile.malformedAttempts.get()));
    m.add(Metric.neither("malformed_refused", "conns", hostile.malformedRefused.get()));
    m.add(Metric.lower("malformed_hung", "conns", hostile.malformedHung.get()));
    m.add(Metric.neither("flood_accepted", "conns", hostile.floodAccepted.get()));
    m.add(Metric.neither("flood_refused", "conns", hostile.floodRefused.get()));
    m.add(Metric.neither("patterns_accepted", "patterns", hostile.patternsAccepted.get()));
    m.add(Metric.neither("patterns_refused", "patterns", hostile.patternsRefused.get()));

    Map<String, Object> details = new LinkedHashMap<>();
    details.put("cut_after_s", cutAfterS);
    details.put("bystander_disconnect", bystander.disconnect());
    details.put("websocket_answer", web.webSocketAnswer);
    details.put("server_start_rss_mb", startRss < 0 ? null : startRss / MB);
    if (bystander.disconnect() != null) {
      warnings.add("the bystander was disconnected: " + bystander.disconnect());
    }
    if (hostile.floodErrors.get() > 0) {
      warnings.add(hostile.floodErrors.get() + " flood PUBLISH(es) answered with an error");
    }
    return new ScenarioResult(m, details, warnings);
  }

  /** 1 when the named client had left CLIENT LIST by the end, else 0; and when, in the details. */
  private void cut(List<Metric> m, String metric, String name) {
    m.add(Metric.higher(metric, "clients", cutAfterS.containsKey(name) ? 1 : 0));
  }

  /** A numeric field of {@code INFO section}, or -1 where the server does not print it. */
  static long infoField(RespSocket admin, String section, String name) throws IOException {
    Object reply = admin.call("INFO", section);
    if (!(reply instanceof byte[] b)) {
      return -1;
    }
    for (String line : new String(b, StandardCharsets.UTF_8).split("\r?\n", -1)) {
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
}
