package io.spillway.bench.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.spillway.bench.run.BenchException;
import io.spillway.bench.run.ClientTransport;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Open-loop (and, to calibrate, closed-loop) HTTP load on one server's publish endpoint, from a pool of keep-alive
 * connections spread over the transport's event loops. Driven by one thread, which blocks in each phase; prints
 * one progress line per second to the progress stream. Used for one server, then closed.
 */
final class HttpLoadGenerator implements AutoCloseable {

  /** Longest wait for the pool's connections: 10 s. */
  static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** Gap between the start signal and the first request, so that all shards start together: 50 ms. */
  static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** Progress and sample interval: 1 s. */
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

  static final long DRAIN_POLL_MILLIS = 20;

  private final LongSupplier clock;
  private final InetSocketAddress address;
  private final PrintStream progress;
  private final long deadlineNanos;
  private final List<LoadShard> shards = new ArrayList<>();
  private final List<Channel> channels = new ArrayList<>();
  private final ClientTransport transport;
  private final LoadShard.ConnectionFactory factory;

  /**
   * @param address the server's HTTP port
   * @param channel the channel every request publishes to
   * @param payload every request's body
   */
  HttpLoadGenerator(
      ClientTransport transport,
      LongSupplier clock,
      InetSocketAddress address,
      String channel,
      byte[] payload,
      Duration deadline,
      int clientBacklog,
      PrintStream progress) {
    this.transport = transport;
    this.clock = clock;
    this.address = address;
    this.progress = progress;
    this.deadlineNanos = deadline.toNanos();
    String host = address.getAddress().getHostAddress() + ":" + address.getPort();
    String path = "/v1/publish/" + channel;
    this.factory = shard -> new HttpConnectionHandler(shard, host, path, payload);
    List<EventLoop> loops = transport.loops();
    int perShard = Math.max(1, clientBacklog / loops.size());
    for (EventLoop loop : loops) {
      shards.add(new LoadShard(loop, clock, deadlineNanos, perShard));
    }
  }

  /** Opens {@code connections} keep-alive connections, spread evenly over the loops. */
  void connect(int connections) throws BenchException, InterruptedException {
    List<ChannelFuture> futures = new ArrayList<>();
    for (int i = 0; i < shards.size(); i++) {
      int count = connections / shards.size() + (i < connections % shards.size() ? 1 : 0);
      LoadShard s = shards.get(i);
      futures.addAll(s.connect(transport.bootstrap(s.loop()), address, count, factory));
    }
    long deadline = clock.getAsLong() + CONNECT_TIMEOUT_NANOS;
    futures.forEach(f -> channels.add(f.channel()));
    for (ChannelFuture f : futures) {
      if (!f.await(Math.max(0, deadline - clock.getAsLong()), TimeUnit.NANOSECONDS)) {
        throw new BenchException(
            "cannot connect to http://" + hostPort() + ": no connection within 10 s");
      }
      if (!f.isSuccess()) {
        throw new BenchException(
            "cannot connect to http://" + hostPort() + ": " + f.cause().getMessage(), f.cause());
      }
    }
  }

  /** Sends {@code ratePerSecond} requests a second, on schedule, for the warm-up and the measured time. */
  PhaseResult runOpenLoop(
      String mode, double level, double ratePerSecond, Duration warmup, Duration duration)
      throws InterruptedException {
    LoadWindow w = window(warmup, duration);
    for (LoadShard s : shards) {
      s.call(() -> {
        s.startOpenLoop(w, ratePerSecond / shards.size());
        return null;
      });
    }
    return follow(mode, level, ratePerSecond, w, mode + " " + HttpOverloadConfig.levelLabel(level));
  }

  /** Keeps {@code concurrency} requests outstanding, each sent as soon as the previous one is answered. */
  PhaseResult runClosedLoop(String mode, int concurrency, Duration warmup, Duration duration)
      throws InterruptedException {
    LoadWindow w = window(warmup, duration);
    for (int i = 0; i < shards.size(); i++) {
      LoadShard s = shards.get(i);
      int share = concurrency / shards.size() + (i < concurrency % shards.size() ? 1 : 0);
      s.call(() -> {
        s.startClosedLoop(w, share);
        return null;
      });
    }
    return follow(mode, 0, 0, w, mode + " calibration");
  }

  private LoadWindow window(Duration warmup, Duration duration) {
    return LoadWindow.startingAt(
        clock.getAsLong() + START_DELAY_NANOS, warmup.toNanos(), duration.toNanos());
  }

  /** Samples every second until the window ends, drains, and collects the measured tally. */
  private PhaseResult follow(String mode, double level, double rate, LoadWindow w, String label)
      throws InterruptedException {
    List<Map<String, Object>> samples = new ArrayList<>();
    RequestTally soFar = new RequestTally();
    long next = w.start() + INTERVAL_NANOS;
    long drainDeadline = w.end() + deadlineNanos + LoadShard.RESPONSE_GRACE_NANOS + INTERVAL_NANOS;
    boolean drained = false;
    while (true) {
      long now = clock.getAsLong();
      if (w.over(now) && allDrained()) {
        drained = true;
        break;
      }
      if (now - drainDeadline >= 0) {
        break;
      }
      if (now - next >= 0) {
        sample(w, now, soFar, samples, label);
        next += INTERVAL_NANOS;
        continue;
      }
      long wait = w.over(now) ? TimeUnit.MILLISECONDS.toNanos(DRAIN_POLL_MILLIS) : next - now;
      TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(wait, next - now)));
    }
    sample(w, clock.getAsLong(), soFar, samples, label);
    RequestTally measured = new RequestTally();
    for (LoadShard s : shards) {
      measured.add(s.call(() -> s.finish().copy()));
    }
    return new PhaseResult(mode, level, rate, w.measuredNanos() / 1e9, measured, samples, drained);
  }

  private void sample(
      LoadWindow w, long now, RequestTally soFar, List<Map<String, Object>> samples, String label)
      throws InterruptedException {
    RequestTally interval = new RequestTally();
    int backlog = 0;
    int outstanding = 0;
    for (LoadShard s : shards) {
      LoadShard.IntervalSnapshot snap = s.call(s::takeInterval);
      interval.add(snap.tally());
      backlog += snap.backlog();
      outstanding += snap.outstanding();
    }
    soFar.add(interval);
    double t = (now - w.start()) / 1e9;
    samples.add(ProgressLine.sample(
        t,
        now - w.measureStart() > 0 && !w.over(now - INTERVAL_NANOS),
        interval,
        backlog,
        outstanding));
    progress.println(ProgressLine.format(label, t, soFar, backlog));
  }

  private boolean allDrained() throws InterruptedException {
    for (LoadShard s : shards) {
      if (!s.call(s::drained)) {
        return false;
      }
    }
    return true;
  }

  /** Connections replaced because the server closed them, over all phases so far. */
  long reconnects() throws InterruptedException {
    long n = 0;
    for (LoadShard s : shards) {
      n += s.call(s::reconnects);
    }
    return n;
  }

  /** Connections that could not be opened, replacements included. */
  long connectFailures() throws InterruptedException {
    long n = 0;
    for (LoadShard s : shards) {
      n += s.call(s::connectFailures);
    }
    return n;
  }

  /** The last connection error seen, or null. */
  String lastError() throws InterruptedException {
    for (LoadShard s : shards) {
      String e = s.call(s::lastError);
      if (e != null) {
        return e;
      }
    }
    return null;
  }

  private String hostPort() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /** Closes every connection, waiting a few seconds at most. */
  @Override
  public void close() {
    for (LoadShard s : shards) {
      s.loop().execute(s::closeAll);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (Channel ch : channels) {
      ch.close()
          .awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    for (LoadShard s : shards) {
      s.loop().submit(() -> null).awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
  }
}
