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
 *
 * <p>An accounted reader ({@link #subscribeAccounted}) also subscribes to the server's notices, counts what it
 * reads in a {@link SlowStreamAccount}, and after the deadline drains its connection as fast as it can (until
 * nothing came for {@link #QUIET_MILLIS}, at most {@link #DRAIN_MILLIS}), so that the tail of the stream is counted
 * too.
 */
final class SlowReader implements Runnable {

  /** How often a paced reader tops up its allowance and tries to read: 100 ms. */
  static final int TICK_MILLIS = 100;
  /** An accounted reader's drain ends once nothing arrived for this long: 300 ms. */
  static final long QUIET_MILLIS = 300;
  /** Longest drain of an accounted reader: 3 s. */
  static final long DRAIN_MILLIS = 3_000;

  private final RespConnection connection;
  private final String name;
  private final long bytesPerSecond;
  private final LongSupplier nanoClock;
  private final long subscribedNanos;
  private volatile long deadlineNanos = Long.MAX_VALUE;
  private volatile long socketCutNanos = -1;
  private volatile String socketError;
  private volatile long bytesRead;
  private final SlowStreamAccount account;

  private SlowReader(
      RespConnection connection,
      String name,
      long bytesPerSecond,
      LongSupplier nanoClock,
      SlowStreamAccount account) {
    this.subscribedNanos = nanoClock.getAsLong();
    this.account = account;
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
    return subscribe(host, port, receiveBuffer, name, channel, bytesPerSecond, nanoClock, false);
  }

  /**
   * As {@link #subscribe}, after subscribing to {@value SlowStreamAccount#NOTICES} first; what it reads is counted in
   * its {@link #account()}, and it drains its connection after the deadline.
   */
  static SlowReader subscribeAccounted(
      String host,
      int port,
      int receiveBuffer,
      String name,
      String channel,
      long bytesPerSecond,
      LongSupplier nanoClock)
      throws IOException {
    return subscribe(host, port, receiveBuffer, name, channel, bytesPerSecond, nanoClock, true);
  }

  private static SlowReader subscribe(
      String host,
      int port,
      int receiveBuffer,
      String name,
      String channel,
      long bytesPerSecond,
      LongSupplier nanoClock,
      boolean accounted)
      throws IOException {
    RespConnection c = RespConnection.open(host, port, receiveBuffer, false);
    try {
      c.socket().setSoTimeout(5_000);
      c.call("CLIENT", "SETNAME", name);
      if (accounted) {
        confirm(c.call("SUBSCRIBE", SlowStreamAccount.NOTICES), name);
      }
      confirm(c.call("SUBSCRIBE", channel), name);
      c.socket().setSoTimeout(TICK_MILLIS);
      return new SlowReader(
          c, name, bytesPerSecond, nanoClock, accounted ? new SlowStreamAccount(channel) : null);
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private static void confirm(Object reply, String name) throws IOException {
    if (!(reply instanceof List<?> l) || l.size() != 3) {
      throw new IOException("unexpected SUBSCRIBE reply for " + name);
    }
  }

  String name() {
    return name;
  }

  /**
   * What an accounted reader counted, or null for one that is not; read it only after this reader's thread ended.
   */
  SlowStreamAccount account() {
    return account;
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
          count(buf, n);
          allowance -= n;
        } catch (SocketTimeoutException e) {
          continue;
        }
        Thread.sleep(TICK_MILLIS);
      }
      if (account != null) {
        drain(in, buf);
      }
    } catch (IOException e) {
      socketCut(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      connection.close();
    }
  }

  @SuppressWarnings("NonAtomicVolatileUpdate") // one writer, this thread
  private void count(byte[] buf, int n) {
    bytesRead += n;
    if (account != null) {
      account.feed(buf, 0, n);
    }
  }

  /** Reads flat out until nothing came for {@link #QUIET_MILLIS}, the server closed, or {@link #DRAIN_MILLIS}. */
  private void drain(InputStream in, byte[] buf) throws IOException {
    long until = nanoClock.getAsLong() + DRAIN_MILLIS * 1_000_000;
    long lastData = nanoClock.getAsLong();
    while (!Thread.currentThread().isInterrupted()) {
      long now = nanoClock.getAsLong();
      if (now >= until || now - lastData >= QUIET_MILLIS * 1_000_000) {
        return;
      }
      try {
        int n = in.read(buf, 0, buf.length);
        if (n < 0) {
          return;
        }
        count(buf, n);
        lastData = nanoClock.getAsLong();
      } catch (SocketTimeoutException e) {
        // quiet for a tick: the loop decides
      }
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
