package io.spillway.bench.chaos;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The hostile RESP clients, each on its own thread until {@link #stop()}: a flood publisher (the load the others
 * need), a stalled subscriber, a slow reader, a pipeliner that never reads its replies, a reconnecting sender of
 * malformed requests, a pattern-heavy subscriber and a connection flood. Counters are written by the client's own
 * thread and read by the run's thread ({@link AtomicLong}).
 */
final class RespHostiles implements AutoCloseable {

  /** Receive buffer of the stalled and slow subscribers: 4 KiB. */
  static final int SMALL_RCVBUF = 4096;
  /** Bytes a second the slow reader reads: 1 KiB. */
  static final int SLOW_READ_BYTES_PER_S = 1024;
  /** Most PUBLISHes the flood publisher has unanswered. */
  static final int FLOOD_PIPELINE = 512;
  /** Most bytes the pipeliner writes: 256 MiB. */
  static final long PIPELINER_MAX_BYTES = 256L << 20;
  /** How long a malformed request's connection may stay open after it before it counts as hung: 5 s. */
  static final int MALFORMED_CLOSE_MILLIS = 5_000;

  /** CLIENT SETNAME names, so that the run can see in CLIENT LIST which hostile clients the server cut. */
  static final String STALLED = "chaos-stalled";

  static final String SLOW = "chaos-slow";
  static final String PIPELINER = "chaos-pipeliner";
  static final String PATTERNS = "chaos-patterns";

  /**
   * The pattern client keeps its patterns within this many bytes, Spillway's default max-pattern-bytes-per-client
   * (64 KiB), so that the server takes them and matches them on every flood publish instead of refusing them all.
   */
  static final int PATTERN_BYTES = 64 * 1024;

  /** What the malformed-request client sends, one per connection, in turn. */
  private static final List<byte[]> MALFORMED = List.of(
      ascii("*2\r\n$7\r\nPUBLISH\r\n$99999999999\r\n"),
      ascii("*3\r\n$7\r\nPUBLISH\r\n$1\r\nx\r\n$2147483648\r\n"),
      ascii("*99999999999\r\n"),
      ascii("*-5\r\n*1\r\n$abc\r\n"),
      ascii("*1\r\n$4\r\nPING\r\n*1\r\nx\r\n"),
      ascii("SUBSCRIBE \"unbalanced\r\n"),
      ascii("x".repeat(200 * 1024)),
      ascii("*1\r\n" + "$".repeat(70 * 1024)));

  private final ChaosConfig config;
  private final InetSocketAddress address;
  private final LongSupplier clock;
  private final List<RespSocket> sockets = new ArrayList<>();
  private final List<RespSocket> flood = new ArrayList<>();
  private volatile boolean stopped;

  final AtomicLong floodPublished = new AtomicLong();
  final AtomicLong floodErrors = new AtomicLong();
  final AtomicLong pipelinerBytes = new AtomicLong();
  final AtomicLong slowBytesRead = new AtomicLong();
  final AtomicLong malformedAttempts = new AtomicLong();
  final AtomicLong malformedRefused = new AtomicLong();
  final AtomicLong malformedHung = new AtomicLong();
  final AtomicLong floodAccepted = new AtomicLong();
  final AtomicLong floodRefused = new AtomicLong();
  final AtomicLong patternsAccepted = new AtomicLong();
  final AtomicLong patternsRefused = new AtomicLong();

  RespHostiles(ChaosConfig config, InetSocketAddress address, LongSupplier clock) {
    this.config = config;
    this.address = address;
    this.clock = clock;
  }

  private synchronized RespSocket open(int receiveBuffer, int readTimeoutMillis)
      throws IOException {
    RespSocket s = RespSocket.connect(address, receiveBuffer, readTimeoutMillis);
    sockets.add(s);
    return s;
  }

  /** Connects the long-lived hostile clients (not the flood) and starts their threads. */
  void start(ThreadGroupRunner threads) throws IOException {
    RespSocket pub = open(0, 0);
    threads.start("flood-publisher", () -> floodPublish(pub));
    threads.start("flood-replies", () -> floodReplies(pub));

    RespSocket stalled = named(open(SMALL_RCVBUF, 5_000), STALLED);
    stalled.write("SUBSCRIBE", ChaosConfig.FLOOD_CHANNEL);
    stalled.flush(); // and never read again

    RespSocket slow = named(open(SMALL_RCVBUF, 0), SLOW);
    slow.write("SUBSCRIBE", ChaosConfig.FLOOD_CHANNEL);
    slow.flush();
    threads.start("slow-reader", () -> readSlowly(slow));

    RespSocket pipeliner = named(open(SMALL_RCVBUF, 5_000), PIPELINER);
    threads.start("pipeliner", () -> pipelineWithoutReading(pipeliner));

    RespSocket patterns = named(open(0, 5_000), PATTERNS);
    subscribePatterns(patterns);
    threads.start("patterns-reader", () -> drain(patterns));

    threads.start("malformed", this::sendMalformed);
  }

  private static RespSocket named(RespSocket s, String name) throws IOException {
    Object ok = s.call("CLIENT", "SETNAME", name);
    if (!"OK".equals(ok)) {
      throw new IOException("CLIENT SETNAME " + name + " was answered " + Bystander.show(ok));
    }
    return s;
  }

  private void floodPublish(RespSocket pub) {
    byte[] payload = new byte[ChaosConfig.FLOOD_PAYLOAD];
    Arrays.fill(payload, (byte) 'f');
    byte[] publish = ascii("PUBLISH");
    byte[] channel = ascii(ChaosConfig.FLOOD_CHANNEL);
    long tick = TimeUnit.MILLISECONDS.toNanos(10);
    double perTick = config.floodRate() / 100.0;
    double due = 0;
    long sent = 0;
    long next = clock.getAsLong();
    try {
      while (!stopped) {
        due += perTick;
        boolean wrote = false;
        while (due >= 1 && sent - floodPublished.get() - floodErrors.get() < FLOOD_PIPELINE) {
          pub.write(publish, channel, payload);
          sent++;
          due--;
          wrote = true;
        }
        due = Math.min(due, Math.max(1, perTick)); // never a burst to catch up
        if (wrote) {
          pub.flush();
        }
        next += tick;
        long wait = next - clock.getAsLong();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
    } catch (IOException | InterruptedException e) {
      // stopped, or cut by the server: counted by what was answered
    }
  }

  private void floodReplies(RespSocket pub) {
    try {
      while (true) {
        Object reply = pub.read();
        (reply instanceof Long ? floodPublished : floodErrors).incrementAndGet();
      }
    } catch (IOException e) {
      // closed
    }
  }

  private void readSlowly(RespSocket slow) {
    byte[] buf = new byte[SLOW_READ_BYTES_PER_S / 10];
    InputStream in = slow.input();
    try {
      while (!stopped) {
        int n = in.read(buf);
        if (n < 0) {
          return;
        }
        slowBytesRead.addAndGet(n);
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException e) {
      // cut or stopped
    }
  }

  private void pipelineWithoutReading(RespSocket pipeliner) {
    byte[] batch = ascii("*1\r\n$4\r\nPING\r\n".repeat(1024));
    try {
      while (!stopped && pipelinerBytes.get() < PIPELINER_MAX_BYTES) {
        pipeliner.writeRaw(batch);
        pipeliner.flush();
        pipelinerBytes.addAndGet(batch.length);
      }
    } catch (IOException e) {
      // cut, or the socket closed at the end while the write was blocked
    }
  }

  /**
   * Pattern {@code i} of {@code count}, issue 11's hostile shapes with as many 'a's as {@link #PATTERN_BYTES} allows
   * (at most 1000): even ones {@code '*' + 'a' x k + 'bN'}, odd ones {@code 'a' x k + '*bN'}, whose literal start the
   * flood's channel (1 KiB of 'a') has, so that each flood publish matches them beyond it.
   */
  static String pattern(int i, int count) {
    int k = Math.max(1, Math.min(1000, PATTERN_BYTES / Math.max(1, count) - 8));
    String as = "a".repeat(k);
    return i % 2 == 0 ? "*" + as + "b" + i : as + "*b" + i;
  }

  private void subscribePatterns(RespSocket patterns) throws IOException {
    int batch = 8;
    for (int from = 0; from < config.patterns(); from += batch) {
      int n = Math.min(batch, config.patterns() - from);
      String[] args = new String[n + 1];
      args[0] = "PSUBSCRIBE";
      for (int i = 0; i < n; i++) {
        args[i + 1] = pattern(from + i, config.patterns());
      }
      patterns.write(args);
      patterns.flush();
      for (int i = 0; i < n; i++) {
        Object reply;
        try {
          reply = patterns.read();
        } catch (SocketTimeoutException e) {
          patternsRefused.addAndGet(
              config.patterns() - patternsAccepted.get() - patternsRefused.get());
          return; // fewer replies than patterns: the server refused the rest in one answer
        }
        (reply instanceof List<?> ? patternsAccepted : patternsRefused).incrementAndGet();
        if (reply instanceof RespSocket.ErrorReply && i == 0) {
          // One error may stand for the whole command (a per-client bound): count the rest as
          // refused too.
          patternsRefused.addAndGet(n - 1);
          break;
        }
      }
    }
  }

  private void drain(RespSocket s) {
    while (!stopped) {
      try {
        s.read();
      } catch (SocketTimeoutException e) {
        // nothing matched for a while: read on
      } catch (IOException e) {
        return;
      }
    }
  }

  private void sendMalformed() {
    for (int i = 0; !stopped; i++) {
      malformedAttempts.incrementAndGet();
      try (RespSocket s = RespSocket.connect(address, 0, MALFORMED_CLOSE_MILLIS)) {
        try {
          s.writeRaw(MALFORMED.get(i % MALFORMED.size()));
          s.flush();
        } catch (IOException refusedWhileWriting) {
          // the server may answer and close before it has read everything
        }
        readToClose(s);
      } catch (IOException e) {
        malformedRefused.incrementAndGet(); // refused at connect: over max-clients
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void readToClose(RespSocket s) {
    boolean error = false;
    try {
      while (true) {
        Object reply = s.read();
        error |= reply instanceof RespSocket.ErrorReply;
      }
    } catch (SocketTimeoutException e) {
      malformedHung.incrementAndGet();
      return;
    } catch (EOFException e) {
      // closed by the server, as it should be
    } catch (IOException | RuntimeException e) {
      // reset: closed as well
    }
    if (error) {
      malformedRefused.incrementAndGet();
    }
  }

  /**
   * Opens connections until {@code attempts} have been made, each sending PING; holds those answered PONG open
   * (until {@link #releaseFlood()}), counts the others as refused. Runs on a thread of its own.
   */
  void floodConnections(int attempts) {
    for (int i = 0; i < attempts && !stopped; i++) {
      try {
        RespSocket s = RespSocket.connect(address, 0, 1_000);
        synchronized (this) {
          flood.add(s);
        }
        Object reply = s.call("PING");
        if ("PONG".equals(reply)) {
          floodAccepted.incrementAndGet();
        } else {
          floodRefused.incrementAndGet();
          s.close();
        }
      } catch (IOException e) {
        floodRefused.incrementAndGet();
      }
    }
  }

  /** Closes the connection flood's connections (the others stay until {@link #close()}). */
  synchronized void releaseFlood() {
    flood.forEach(RespSocket::close);
    flood.clear();
  }

  void stop() {
    stopped = true;
  }

  @Override
  public synchronized void close() {
    stopped = true;
    sockets.forEach(RespSocket::close);
    sockets.clear();
    releaseFlood();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
