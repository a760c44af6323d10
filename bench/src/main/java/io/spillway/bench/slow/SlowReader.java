package io.spillway.bench.slow;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One slow reader: names itself ({@code CLIENT SETNAME}), subscribes, then reads at most {@code bytesPerSecond}
 * (or nothing, when stalled) until the socket fails or the deadline passes. Runs on its own thread; the run's
 * thread reads the results after joining it.
 */
final class SlowReader implements Runnable {

  /** How often a paced reader tops up its allowance and tries to read: 100 ms. */
  static final int TICK_MILLIS = 100;

  private final RespConnection connection;
  private final String name;
  private final long bytesPerSecond;
  private final LongSupplier nanoClock;
  private final long subscribedNanos;
  private volatile long deadlineNanos = Long.MAX_VALUE;
  private volatile long socketCutNanos = -1;
  private volatile String socketError;
  private volatile long bytesRead;

  private SlowReader(
      RespConnection connection, String name, long bytesPerSecond, LongSupplier nanoClock) {
    this.subscribedNanos = nanoClock.getAsLong();
    this.connection = connection;
    this.name = name;
    this.bytesPerSecond = bytesPerSecond;
    this.nanoClock = nanoClock;
  }

  /** Connects, names and subscribes; returns once the subscription is confirmed. Runs on the caller's thread. */
  static SlowReader subscribe(
      String host,
      int port,
      int receiveBuffer,
      String name,
      String channel,
      long bytesPerSecond,
      LongSupplier nanoClock)
      throws IOException {
    RespConnection c = RespConnection.open(host, port, receiveBuffer, false);
    try {
      c.socket().setSoTimeout(5_000);
      c.call("CLIENT", "SETNAME", name);
      Object reply = c.call("SUBSCRIBE", channel);
      if (!(reply instanceof List<?> l) || l.size() != 3) {
        throw new IOException("unexpected SUBSCRIBE reply for " + name);
      }
      c.socket().setSoTimeout(TICK_MILLIS);
      return new SlowReader(c, name, bytesPerSecond, nanoClock);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  String name() {
    return name;
  }

  /** When the server confirmed its subscription: its cut times are counted from here. */
  long subscribedNanos() {
    return subscribedNanos;
  }

  /** Called before starting the thread: when to stop reading. */
  void deadline(long nanos) {
    deadlineNanos = nanos;
  }

  @Override
  @SuppressWarnings(
      "NonAtomicVolatileUpdate") // bytesRead has one writer, this thread; others only read it
  public void run() {
    InputStream in = connection.input();
    byte[] buf = new byte[64 * 1024];
    double allowance = 0;
    long last = nanoClock.getAsLong();
    try {
      while (nanoClock.getAsLong() < deadlineNanos && !Thread.currentThread().isInterrupted()) {
        if (bytesPerSecond == 0) {
          Thread.sleep(TICK_MILLIS);
          continue;
        }
        long now = nanoClock.getAsLong();
        allowance = Math.min(allowance + bytesPerSecond * ((now - last) / 1e9), buf.length);
        last = now;
        if (allowance < 1) {
          Thread.sleep(TICK_MILLIS);
          continue;
        }
        try {
          int n = in.read(buf, 0, (int) allowance);
          if (n < 0) {
            socketCut(null);
            return;
          }
          bytesRead += n;
          allowance -= n;
        } catch (SocketTimeoutException e) {
          continue;
        }
        Thread.sleep(TICK_MILLIS);
      }
    } catch (IOException e) {
      socketCut(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connection.close();
    }
  }

  private void socketCut(String error) {
    if (socketCutNanos < 0 && nanoClock.getAsLong() < deadlineNanos) {
      socketCutNanos = nanoClock.getAsLong();
      socketError = error == null ? "EOF" : error;
    }
  }

  /** When the socket reported EOF or an error, or -1. */
  long socketCutNanos() {
    return socketCutNanos;
  }

  /** EOF or the error text, or null. */
  String socketError() {
    return socketError;
  }

  long bytesRead() {
    return bytesRead;
  }

  /** Closes the connection, from any thread. */
  void close() {
    connection.close();
  }
}
