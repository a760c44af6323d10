package io.spillway.bench.chaos;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * The well-behaved client the chaos must not hurt: a subscriber on a channel of its own, a publisher sending it
 * sequence numbers at a steady rate, and a third connection timing PING. Each runs on its own thread. Counters are
 * written by one thread each and read by the run's thread after {@link #stop()} and a drain ({@code volatile}).
 */
@SuppressWarnings(
    "NonAtomicVolatileUpdate") // each counter has one writer thread; others only read it
final class Bystander implements AutoCloseable {

  /** Longest a PING may take before it counts as lost: 5 s (the read timeout). */
  static final int READ_TIMEOUT_MILLIS = 5_000;

  private final ChaosConfig config;
  private final LongSupplier clock;
  private final String channel =
      "chaos:bystander:" + Long.toHexString(ThreadLocalRandom.current().nextLong());
  private final RespSocket subscriber;
  private final RespSocket publisher;
  private final RespSocket pinger;
  private final Histogram pings = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final Histogram publishes = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private volatile boolean stopped;
  private volatile long published;
  private volatile long zeroReceivers;
  private volatile long nextExpected;
  private volatile long gaps;
  private volatile long outOfOrder;
  private volatile long received;
  private volatile String disconnect;
  /** Counted down when the publisher's thread ends, its last PUBLISH answered (or failed). */
  private final CountDownLatch publisherDone = new CountDownLatch(1);

  Bystander(ChaosConfig config, InetSocketAddress address, LongSupplier clock) throws IOException {
    this.config = config;
    this.clock = clock;
    subscriber = RespSocket.connect(address, 0, 0);
    publisher = RespSocket.connect(address, 0, READ_TIMEOUT_MILLIS);
    pinger = RespSocket.connect(address, 0, READ_TIMEOUT_MILLIS);
    Object confirm = subscriber.call("SUBSCRIBE", channel);
    if (!(confirm instanceof List<?>)) {
      throw new IOException("the bystander's SUBSCRIBE was answered " + show(confirm));
    }
  }

  /** Starts the three threads. */
  void start(ThreadGroupRunner threads) {
    threads.start("bystander-subscriber", this::subscribe);
    threads.start("bystander-publisher", this::publish);
    threads.start("bystander-ping", this::ping);
  }

  /** Stops publishing and pinging; the subscriber reads on until {@link #close()}. */
  void stop() {
    stopped = true;
  }

  /**
   * Waits, until {@code deadline} on the run's clock, for the publisher to finish its last PUBLISH and then for the
   * subscriber to have every message published (or to have been disconnected). Call after {@link #stop()}.
   *
   * @return whether the subscriber caught up in time
   */
  boolean awaitCaughtUp(long deadline) throws InterruptedException {
    long left = deadline - clock.getAsLong();
    if (left <= 0 || !publisherDone.await(left, TimeUnit.NANOSECONDS)) {
      return false;
    }
    while (nextExpected < published && disconnect == null) {
      if (clock.getAsLong() >= deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  private void subscribe() {
    try {
      while (true) {
        Object m = subscriber.read();
        if (m instanceof List<?> l && l.size() == 3 && l.get(2) instanceof byte[] payload) {
          long seq = Long.parseLong(new String(payload, StandardCharsets.US_ASCII));
          received++;
          if (seq == nextExpected) {
            nextExpected = seq + 1;
          } else if (seq > nextExpected) {
            gaps += seq - nextExpected;
            nextExpected = seq + 1;
          } else {
            outOfOrder++;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      if (!stopped) {
        disconnect = "subscriber: " + e;
      }
    }
  }

  private void publish() {
    long interval = TimeUnit.SECONDS.toNanos(1) / config.bystanderRate();
    long next = clock.getAsLong();
    try {
      for (long seq = 0; !stopped; seq++) {
        long sent = clock.getAsLong();
        Object reply = publisher.call("PUBLISH", channel, Long.toString(seq));
        long rtt = clock.getAsLong() - sent;
        synchronized (publishes) {
          publishes.recordValueWithExpectedInterval(rtt, interval);
        }
        if (!(reply instanceof Long receivers)) {
          disconnect = "publisher: PUBLISH answered " + show(reply);
          return;
        }
        published = seq + 1;
        if (receivers < 1) {
          zeroReceivers++;
        }
        next += interval;
        sleepUntil(next);
      }
    } catch (IOException | RuntimeException e) {
      if (!stopped) {
        disconnect = "publisher: " + e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      publisherDone.countDown();
    }
  }

  private void ping() {
    long interval = config.pingInterval().toNanos();
    long next = clock.getAsLong();
    try {
      while (!stopped) {
        long sent = clock.getAsLong();
        Object reply = pinger.call("PING");
        long rtt = clock.getAsLong() - sent;
        if (!"PONG".equals(reply)) {
          disconnect = "ping: PING answered " + show(reply);
          return;
        }
        synchronized (pings) {
          pings.recordValueWithExpectedInterval(rtt, interval);
        }
        next += interval;
        sleepUntil(next);
      }
    } catch (IOException | RuntimeException e) {
      if (!stopped) {
        disconnect = "ping: " + e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sleepUntil(long deadline) throws InterruptedException {
    long wait = deadline - clock.getAsLong();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  static String show(Object reply) {
    return reply instanceof byte[] b
        ? new String(b, StandardCharsets.UTF_8)
        : String.valueOf(reply);
  }

  long published() {
    return published;
  }

  long received() {
    return received;
  }

  /** Messages published but never received: the gaps, plus the tail not received by now. */
  long lost() {
    return gaps + Math.max(0, published - nextExpected);
  }

  long outOfOrder() {
    return outOfOrder;
  }

  long zeroReceivers() {
    return zeroReceivers;
  }

  String disconnect() {
    return disconnect;
  }

  Histogram pings() {
    synchronized (pings) {
      return pings.copy();
    }
  }

  /** PUBLISH round trips, corrected for coordinated omission at the publishing interval. */
  Histogram publishes() {
    synchronized (publishes) {
      return publishes.copy();
    }
  }

  @Override
  public void close() {
    stopped = true;
    subscriber.close();
    publisher.close();
    pinger.close();
  }
}
