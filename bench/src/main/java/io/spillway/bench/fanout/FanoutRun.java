package io.spillway.bench.fanout;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.probe.ResourceMonitor;
import io.spillway.bench.report.ScenarioResult;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * One fan-out run against one target, driven by the calling thread: connect and subscribe, publish through the
 * warm-up and the measured window while sampling the processes and the progress (one line and one sample about
 * every second, see {@link FanoutSampler}), drain, count, close. Used once.
 */
final class FanoutRun {

  /** Longest wait for every connection, and then every subscription confirmation: 10 s each. */
  static final long SETUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** Longest wait, once publishing stopped, for outstanding replies and deliveries: 2 s. */
  static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** Gap between the start signal and the first PUBLISH, so that all publishers start together: 50 ms. */
  static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  static final long DRAIN_POLL_MILLIS = 20;
  static final long CLOSE_TIMEOUT_MILLIS = 5_000;

  /*
   * Design: nothing on the hot path is shared between threads. Connections are spread over the event loops in
   * LoopShards; each shard's handlers and latency histogram are touched only by its loop, and this thread reads
   * them by submitting a snapshot task to the loop (the task's completion is the happens-before edge). So counters
   * are plain longs and the histogram a plain Histogram, with no lock or atomic per message.
   *
   * Order of a run: every subscription is confirmed before any PUBLISH (a message published before a subscriber
   * is registered would look lost); subscribers get the run's window (armed) before publishers start, on their own
   * loops; publishers start START_DELAY_NANOS later, all at the same instant, so open-loop schedules line up.
   * After the window, publishers stop by themselves; the drain waits for the last replies and for as many
   * deliveries as the replies promised, bounded, and what never came is counted as lost. Channel names carry a
   * random tag, so two runs (or two bench processes) never see each other's messages.
   */

  private final FanoutConfig config;
  private final Target target;
  private final RunContext context;
  private final LongSupplier clock;
  private final RunState state = new RunState();
  private final List<LoopShard> shards = new ArrayList<>();
  private final List<Channel> channels = new ArrayList<>();
  private final List<SubscriberHandler> subscribers = new ArrayList<>();
  private final List<PublisherHandler> publishers = new ArrayList<>();

  FanoutRun(FanoutConfig config, Target target, RunContext context) {
    this.config = config;
    this.target = target;
    this.context = context;
    this.clock = context.nanoClock();
    context.transport().loops().forEach(loop -> shards.add(new LoopShard(loop)));
  }

  ScenarioResult execute() throws BenchException, InterruptedException {
    try {
      connect();
      ResourceMonitor monitor = new ResourceMonitor(
          context.serverProbe().orElse(null), context.loadGeneratorProbe().orElse(null), true);
      RunWindow window = RunWindow.startingAt(
          clock.getAsLong() + START_DELAY_NANOS,
          config.warmup().toNanos(),
          config.duration().toNanos());
      FanoutSampler sampler =
          new FanoutSampler(window, context.progress(), overwritesProgress(context));
      publish(monitor, window, sampler);
      long drainStart = clock.getAsLong();
      boolean drained;
      try {
        drained = drain(sampler);
        tick(sampler);
      } finally {
        sampler.finish();
      }
      double drainSeconds = (clock.getAsLong() - drainStart) / 1e9;
      long[][] published = publishedCounts();
      List<LoopShard.Snapshot> finals = new ArrayList<>();
      for (LoopShard shard : shards) {
        finals.add(shard.snapshot(published, true));
      }
      return new FanoutResults(
              config,
              window,
              finals,
              monitor,
              context.transport().loops().size(),
              sampler.samples())
          .build(drained, drainSeconds);
    } finally {
      closeAll();
    }
  }

  private void connect() throws BenchException, InterruptedException {
    String tag = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    List<String> names = new ArrayList<>();
    for (int c = 0; c < config.channels(); c++) {
      names.add("spillway-bench:fanout:" + tag + ":" + c);
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    servers.add(target.socketAddress());
    servers.addAll(config.spread());
    context
        .progress()
        .printf(
            "  connecting %d subscriber(s) on %d channel(s) to %s%n",
            config.subscribers(), config.channels(), target.uri());
    List<ChannelFuture> connects = new ArrayList<>();
    for (int s = 0; s < config.subscribers(); s++) {
      LoopShard shard = shards.get(s % shards.size());
      int c = s % config.channels();
      SubscriberHandler h = new SubscriberHandler(
          s, c, names.get(c), config, clock, shard.latency(), shard.intervalLatency(), state);
      shard.add(h);
      subscribers.add(h);
      connects.add(context
          .transport()
          .bootstrap(shard.loop())
          .handler(h)
          .connect(servers.get(s % servers.size())));
    }
    awaitConnected(connects);
    awaitAll(
        subscribers.stream().map(SubscriberHandler::subscribed).toList(),
        "subscriptions confirmed");
    if (servers.size() > 1) {
      // Each server subscribes on the backplane after its first local subscriber: let that settle.
      Thread.sleep(1000);
    }
    connects.clear();
    for (int p = 0; p < config.publishers(); p++) {
      LoopShard shard = shards.get((config.subscribers() + p) % shards.size());
      PublisherHandler h = new PublisherHandler(p, names, config, clock, state);
      shard.add(h);
      publishers.add(h);
      connects.add(context
          .transport()
          .bootstrap(shard.loop())
          .handler(h)
          .connect(servers.get(p % servers.size())));
    }
    awaitConnected(connects);
    awaitAll(publishers.stream().map(PublisherHandler::ready).toList(), "publishers ready");
  }

  private void awaitConnected(List<ChannelFuture> connects)
      throws BenchException, InterruptedException {
    long deadline = clock.getAsLong() + SETUP_TIMEOUT_NANOS;
    for (ChannelFuture f : connects) {
      channels.add(f.channel());
    }
    for (ChannelFuture f : connects) {
      if (!f.await(Math.max(0, deadline - clock.getAsLong()), TimeUnit.NANOSECONDS)) {
        throw new BenchException(
            "cannot connect to " + target.uri() + ": no connection within 10 s");
      }
      if (!f.isSuccess()) {
        throw new BenchException(
            "cannot connect to " + target.uri() + ": " + RunState.describe(f.cause()), f.cause());
      }
    }
  }

  private void awaitAll(List<CompletableFuture<Void>> futures, String what)
      throws BenchException, InterruptedException {
    try {
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]))
          .get(SETUP_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof BenchException
          ? new BenchException(target.uri() + ": " + cause.getMessage(), cause)
          : new BenchException(target.uri() + ": " + RunState.describe(cause), cause);
    } catch (TimeoutException e) {
      long done = futures.stream().filter(CompletableFuture::isDone).count();
      throw new BenchException(
          target.uri() + ": only " + done + " of " + futures.size() + " " + what + " within 10 s",
          e);
    }
  }

  /** Publishes through the warm-up and the measured window, sampling the processes and the progress. */
  private void publish(ResourceMonitor monitor, RunWindow window, FanoutSampler sampler)
      throws InterruptedException {
    for (LoopShard shard : shards) {
      shard.armSubscribers(window);
    }
    for (LoopShard shard : shards) {
      shard.startPublishers(window);
    }
    context
        .progress()
        .printf(
            "  publishing: %.1f s warm-up, then %.1f s measured%n",
            (window.measureStart() - window.start()) / 1e9, window.measuredNanos() / 1e9);
    monitor.sample();
    boolean measuring = false;
    while (true) {
      long now = clock.getAsLong();
      if (!measuring && now >= window.measureStart()) {
        measuring = true;
        monitor.markWindowStart();
      }
      if (now >= sampler.due()) {
        tick(sampler);
        continue;
      }
      if (now >= window.end()) {
        break;
      }
      long next = Math.min(
          Math.min(
              now + ResourceMonitor.SAMPLE_INTERVAL_NANOS,
              measuring ? window.end() : window.measureStart()),
          sampler.due());
      TimeUnit.NANOSECONDS.sleep(Math.max(0, next - now));
      monitor.sample();
    }
    monitor.markWindowEnd(window.measuredNanos());
  }

  /** Ends the sampler's interval now, with every loop's totals and latencies. */
  private void tick(FanoutSampler sampler) throws InterruptedException {
    FanoutSampler.Totals totals = FanoutSampler.Totals.ZERO;
    for (LoopShard shard : shards) {
      totals = totals.plus(shard.takeInterval(sampler.intervalHistogram()));
    }
    sampler.take(clock.getAsLong(), totals);
  }

  /** Whether progress may rewrite one line: it goes to stderr and the process has a terminal. */
  private static boolean overwritesProgress(RunContext context) {
    return context.progress() == System.err && hasTerminal();
  }

  /** Java 17 to 21 give a console only to a process on a terminal; from Java 22 on, Console.isTerminal() tells. */
  @SuppressWarnings(
      "SystemConsoleNull") // null is only the first test; isTerminal() decides where it exists
  private static boolean hasTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  /**
   * Waits, at most {@link #DRAIN_TIMEOUT_NANOS}, until every publisher stopped with no PUBLISH unanswered and the
   * subscribers received every delivery the replies promised, ending progress intervals as they fall due. Returns
   * whether that happened.
   */
  private boolean drain(FanoutSampler sampler) throws InterruptedException {
    long deadline = clock.getAsLong() + DRAIN_TIMEOUT_NANOS;
    while (true) {
      if (clock.getAsLong() >= sampler.due()) {
        tick(sampler);
      }
      boolean stopped = true;
      long inflight = 0;
      long promised = 0;
      long delivered = 0;
      for (LoopShard shard : shards) {
        LoopShard.Snapshot s = shard.snapshot(null, false);
        for (PublisherStats p : s.publishers()) {
          stopped &= p.stopped();
          inflight += p.disconnect() == null ? p.inflight() : 0;
          promised += p.receivers();
        }
        for (SubscriberStats sub : s.subscribers()) {
          delivered += sub.delivered();
        }
      }
      if (stopped && inflight == 0 && delivered >= promised) {
        return true;
      }
      if (clock.getAsLong() >= deadline) {
        return false;
      }
      Thread.sleep(DRAIN_POLL_MILLIS);
    }
  }

  private long[][] publishedCounts() throws InterruptedException {
    long[][] published = new long[config.publishers()][];
    for (LoopShard shard : shards) {
      for (PublisherStats p : shard.snapshot(null, false).publishers()) {
        published[p.id()] = p.published();
      }
    }
    return published;
  }

  private void closeAll() {
    state.startClosing();
    List<ChannelFuture> closes = new ArrayList<>();
    for (Channel ch : channels) {
      closes.add(ch.close());
    }
    long deadline = System.currentTimeMillis() + CLOSE_TIMEOUT_MILLIS;
    for (ChannelFuture f : closes) {
      f.awaitUninterruptibly(Math.max(0, deadline - System.currentTimeMillis()));
    }
  }
}
