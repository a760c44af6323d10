package io.spillway.bench.slow;

import java.io.IOException;
import java.util.List;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * One fast subscriber: reads every message as fast as it can, checks sequence numbers and records latency (from
 * the intended send time) into the baseline histogram or the with-slow one, by when the message was meant to be
 * sent. Runs on its own thread; the counters are read by the run's thread while it waits for the drain and after
 * joining.
 */
final class FastSubscriber implements Runnable {

  /** Highest latency recorded: 60 s. */
  static final long MAX_LATENCY_NANOS = 60_000_000_000L;

  private final RespConnection connection;
  private final LongSupplier nanoClock;
  private final LongSupplier slowPhaseStartNanos;
  private final Histogram baseline = new Histogram(MAX_LATENCY_NANOS, 3);
  private final Histogram withSlow = new Histogram(MAX_LATENCY_NANOS, 3);
  private volatile long nextSequence;
  private volatile long received;
  private volatile long outOfOrder;
  private volatile long gaps;
  private volatile String disconnect;

  /** @param slowPhaseStartNanos messages meant to be sent from that time on count as "with slow readers" */
  private FastSubscriber(RespConnection connection, LongSupplier nanoClock, LongSupplier slowPhaseStartNanos) {
    this.connection = connection;
    this.nanoClock = nanoClock;
    this.slowPhaseStartNanos = slowPhaseStartNanos;
  }

  /** Connects and subscribes; returns once the subscription is confirmed. Runs on the caller's thread. */
  static FastSubscriber subscribe(String host, int port, String channel, LongSupplier nanoClock,
      LongSupplier slowPhaseStartNanos) throws IOException {
    RespConnection c = RespConnection.open(host, port, 0, true);
    try {
      c.socket().setSoTimeout(5_000);
      Object reply = c.call("SUBSCRIBE", channel);
      if (!(reply instanceof List<?> l) || l.size() != 3) {
        throw new IOException("unexpected SUBSCRIBE reply");
      }
      c.socket().setSoTimeout(0);
      return new FastSubscriber(c, nanoClock, slowPhaseStartNanos);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  @Override
  public void run() {
    try {
      while (true) {
        Object reply = connection.readReply();
        if (!(reply instanceof List<?> l) || l.size() != 3 || !(l.get(2) instanceof byte[] payload)
            || payload.length < MessageStamp.LENGTH) {
          continue;
        }
        long now = nanoClock.getAsLong();
        long seq = MessageStamp.sequence(payload);
        long sent = MessageStamp.sentNanos(payload);
        long latency = Math.min(Math.max(now - sent, 0), MAX_LATENCY_NANOS);
        (sent < slowPhaseStartNanos.getAsLong() ? baseline : withSlow).recordValue(latency);
        long next = nextSequence;
        if (seq >= next) {
          gaps += seq - next;
          nextSequence = seq + 1;
        } else {
          outOfOrder++;
        }
        received++;
      }
    } catch (IOException e) {
      if (!connection.socket().isClosed()) {
        disconnect = e.getMessage();
      }
    } finally {
      connection.close();
    }
  }

  /** The sequence number expected next: every earlier one has arrived or was skipped. */
  long nextSequence() {
    return nextSequence;
  }

  long received() {
    return received;
  }

  long outOfOrder() {
    return outOfOrder;
  }

  /** Messages lost given {@code published} were sent: skipped ones plus those never reached, less late arrivals. */
  long lost(long published) {
    return Math.max(0, gaps + Math.max(0, published - nextSequence) - outOfOrder);
  }

  /** Why the server closed the connection, or null if it did not. */
  String disconnect() {
    return disconnect;
  }

  Histogram baseline() {
    return baseline;
  }

  Histogram withSlow() {
    return withSlow;
  }

  void close() {
    connection.close();
  }
}
