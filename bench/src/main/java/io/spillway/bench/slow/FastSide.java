package io.spillway.bench.slow;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.spillway.bench.endpoint.Target;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.RunContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The non-blocking half of a run: the fast subscribers and the publisher, spread over the bench's event loops.
 * Driven by the run's thread, which reads the loops' counts through {@link #totals}; used once, then closed.
 */
final class FastSide implements AutoCloseable {

  /** Longest wait for every connection, and then every subscription confirmation: 10 s each. */
  static final long SETUP_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  static final long CLOSE_TIMEOUT_MILLIS = 5_000;

  private final SlowConsumersConfig config;
  private final Target target;
  private final RunContext context;
  private final LongSupplier clock;
  private final String channelName;
  private final List<FastShard> shards = new ArrayList<>();
  private final List<Channel> channels = new ArrayList<>();
  private final List<FastSubscriberHandler> subscribers = new ArrayList<>();
  private FastShard publisherShard;
  private FloodPublisherHandler publisher;

  FastSide(SlowConsumersConfig config, Target target, RunContext context, String channelName) {
    this.config = config;
    this.target = target;
    this.context = context;
    this.clock = context.nanoClock();
    this.channelName = channelName;
    context.transport().loops().forEach(loop -> shards.add(new FastShard(loop)));
  }

  /** Connects and subscribes the fast subscribers, then connects the publisher; returns when all are ready. */
  void connect() throws BenchException, InterruptedException {
    List<ChannelFuture> connects = new ArrayList<>();
    for (int s = 0; s < config.fast(); s++) {
      FastShard shard = shards.get(s % shards.size());
      FastSubscriberHandler h = new FastSubscriberHandler(s, channelName, clock, shard);
      shard.add(h);
      subscribers.add(h);
      connects.add(
          context.transport().bootstrap(shard.loop()).handler(h).connect(target.socketAddress()));
    }
    awaitConnected(connects);
    try {
      CompletableFuture.allOf(subscribers.stream()
              .map(FastSubscriberHandler::subscribed)
              .toArray(CompletableFuture<?>[]::new))
          .get(SETUP_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new BenchException(target.uri() + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new BenchException(target.uri() + ": fast subscriptions not confirmed within 10 s", e);
    }
    publisherShard = shards.get(config.fast() % shards.size());
    publisher = new FloodPublisherHandler(
        channelName, config.payloadBytes(), config.rate(), config.pipeline(), clock);
    awaitConnected(List.of(context
        .transport()
        .bootstrap(publisherShard.loop())
        .handler(publisher)
        .connect(target.socketAddress())));
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
            "cannot connect to " + target.uri() + ": " + f.cause().getMessage(), f.cause());
      }
    }
  }

  /** Starts publishing at {@code startNanos}, to stop by itself at {@code endNanos}. */
  void startPublishing(long startNanos, long endNanos) throws InterruptedException {
    FloodPublisherHandler p = publisher;
    publisherShard.call(() -> {
      p.start(startNanos, endNanos);
      return null;
    });
  }

  /** The publisher's counts now; from the run's thread. */
  FloodPublisherHandler.Stats publisherStats() throws InterruptedException {
    FloodPublisherHandler p = publisher;
    return publisherShard.call(p::snapshot);
  }

  /** Messages stamped from {@code nanos} on count as sent with the slow readers present. */
  void slowPhaseFrom(long nanos) {
    shards.forEach(s -> s.slowPhaseFrom(nanos));
  }

  /**
   * The counts of every loop, summed; each loop's interval histogram restarts.
   *
   * @param finalCount whether publishing is over, so that the missing tail can be counted
   */
  Totals totals(boolean finalCount) throws InterruptedException {
    FloodPublisherHandler p = publisher;
    FloodPublisherHandler.Stats pub = publisherShard.call(p::snapshot);
    Histogram interval = new Histogram(FastShard.HIGHEST_LATENCY_NANOS, 3);
    Histogram baseline = finalCount ? new Histogram(FastShard.HIGHEST_LATENCY_NANOS, 3) : null;
    Histogram withSlow = finalCount ? new Histogram(FastShard.HIGHEST_LATENCY_NANOS, 3) : null;
    long received = 0;
    long skipped = 0;
    long outOfOrder = 0;
    long missing = 0;
    List<String> disconnects = new ArrayList<>();
    for (FastShard shard : shards) {
      FastShard.Snapshot s = shard.snapshot(finalCount ? pub.sent() : -1, finalCount);
      received += s.received();
      skipped += s.skipped();
      outOfOrder += s.outOfOrder();
      missing += Math.max(0, s.missing());
      disconnects.addAll(s.disconnects());
      interval.add(s.interval());
      if (finalCount) {
        baseline.add(s.baseline());
        withSlow.add(s.withSlow());
      }
    }
    return new Totals(
        pub,
        received,
        skipped,
        outOfOrder,
        finalCount ? missing : -1,
        disconnects,
        interval,
        baseline,
        withSlow);
  }

  @Override
  public void close() {
    shards.forEach(FastShard::startClosing);
    List<ChannelFuture> closes = new ArrayList<>();
    for (Channel ch : channels) {
      closes.add(ch.close());
    }
    long deadline = System.currentTimeMillis() + CLOSE_TIMEOUT_MILLIS;
    for (ChannelFuture f : closes) {
      f.awaitUninterruptibly(Math.max(0, deadline - System.currentTimeMillis()));
    }
  }

  /**
   * Everything the fast side counted, over all loops. Immutable but for the histograms, copies owned by the reader.
   *
   * @param missing messages the fast subscribers never received (gaps and tail), or -1 before the final count
   * @param baseline latencies of messages sent before the slow phase; null before the final count
   * @param withSlow latencies of messages sent during it; null before the final count
   */
  record Totals(
      FloodPublisherHandler.Stats publisher,
      long received,
      long skipped,
      long outOfOrder,
      long missing,
      List<String> disconnects,
      Histogram interval,
      Histogram baseline,
      Histogram withSlow) {}
}
