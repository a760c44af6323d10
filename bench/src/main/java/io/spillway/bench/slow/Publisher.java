package io.spillway.bench.slow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The publisher: PUBLISHes at a fixed rate, open loop, each payload stamped with its sequence number and the time
 * it was meant to be sent, until the end time; a second thread reads the replies. Counters are read by the run's
 * thread.
 */
final class Publisher {

  private final RespConnection connection;
  private final byte[] channel;
  private final int payloadBytes;
  private final long intervalNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong published = new AtomicLong();
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile long firstSendNanos = -1;
  private volatile String failure;

  Publisher(RespConnection connection, String channel, int payloadBytes, long rate, LongSupplier nanoClock) {
    this.connection = connection;
    this.channel = channel.getBytes(StandardCharsets.UTF_8);
    this.payloadBytes = payloadBytes;
    this.intervalNanos = 1_000_000_000L / rate;
    this.nanoClock = nanoClock;
  }

  /** Publishes from {@code startNanos} to {@code endNanos}; runs on the publishing thread. */
  void publish(long startNanos, long endNanos) {
    long seq = published.get();
    long intended = startNanos;
    try {
      while (intended < endNanos) {
        long now = nanoClock.getAsLong();
        if (now < intended) {
          LockSupport.parkNanos(intended - now);
          continue;
        }
        if (firstSendNanos < 0) {
          firstSendNanos = now;
        }
        while (intended <= now && intended < endNanos) {
          connection.write("PUBLISH".getBytes(StandardCharsets.US_ASCII), channel,
              MessageStamp.payload(payloadBytes, seq++, intended));
          intended += intervalNanos;
        }
        connection.flush();
        published.set(seq);
      }
    } catch (IOException e) {
      failure = e.getMessage();
    }
  }

  /** Reads PUBLISH replies until the connection closes; runs on the reply thread. */
  void readReplies() {
    try {
      while (true) {
        try {
          connection.readReply();
          replies.incrementAndGet();
        } catch (RespConnection.ErrorReplyException e) {
          errors.incrementAndGet();
        }
      }
    } catch (IOException e) {
      // closed at the end of the run, or by the server: publish() sees the latter
    }
  }

  long published() {
    return published.get();
  }

  long errors() {
    return errors.get();
  }

  long replies() {
    return replies.get();
  }

  /** When the first PUBLISH of the current phase was written, or -1; {@link #markPhase} resets it. */
  long firstSendNanos() {
    return firstSendNanos;
  }

  void markPhase() {
    firstSendNanos = -1;
  }

  /** Why publishing stopped early, or null. */
  String failure() {
    return failure;
  }

  void close() {
    connection.close();
  }
}
