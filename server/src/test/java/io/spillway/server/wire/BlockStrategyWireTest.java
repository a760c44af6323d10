package io.spillway.server.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.server.wire.RawSubscriber.Resp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code block} strategy on the wire: a publisher pipelining flat out on a block channel is paced to its slowest
 * subscriber with nothing lost; a stalled subscriber holds the channel back for max-block at most, is then cut
 * ({@code max_block}), and the publisher goes on at full speed; an HTTP publish to a held channel waits within its
 * deadline and gets 503 with Retry-After.
 */
class BlockStrategyWireTest {

  private static final int PAYLOAD = 1024;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private TestServer server;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private void start(String policy) {
    server = TestServer.start(b -> b.channelPolicies(List.of(ChannelPolicy.parse(policy))));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void pacesAFlatOutPublisherToItsSlowestSubscriberWithNothingLost() throws Exception {
    start("orders=block");
    int n = 4_000;
    ReadingSubscriber slow = subscriber("orders", 1_000_000); // 1 MB/s: ~4 s for the run
    RawSubscriber fast = track(RawSubscriber.subscribe(server.port(), "orders"));
    long t0 = System.nanoTime();
    Pipeline publisher = Pipeline.run(server.port(), "orders", n);
    assertThat(publisher.done.get(60, TimeUnit.SECONDS)).isEqualTo(n);
    long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    await().atMost(WAIT).until(() -> slow.received() == n && fast.received() == n);

    assertThat(slow.sequence())
        .as("the slow subscriber: every message, in order")
        .isEqualTo(n);
    assertThat(fast.payloads()).hasSize(n);
    assertThat(slow.closedByServer()).isFalse();
    assertThat(server.server().stats().totalCuts()).isZero();
    // Paced: 4 MB at 1 MB/s cannot be published in much less than the reader takes, less what the
    // kernel buffers hold (the reader's 64 KiB receive buffer, the server's send buffer).
    assertThat(publishMillis).as("the publisher was paced").isGreaterThan(2_000);
    assertThat(server.server().stats().blockPauses().episodes()).isPositive();
    try (redis.clients.jedis.Jedis jedis =
        new redis.clients.jedis.Jedis("127.0.0.1", server.port())) {
      assertThat(jedis.info("stats"))
          .as("INFO stats counts the pauses too")
          .containsPattern("block_pauses:[1-9]")
          .containsPattern("block_paused_ms:[0-9]+");
    }
  }

  @Test
  void cutsAStalledSubscriberAfterMaxBlockAndThePublisherGoesOn() throws Exception {
    start("orders=block,max-block=1s");
    int n = 3_000;
    stalledSubscriber("orders");
    RawSubscriber fast = track(RawSubscriber.subscribe(server.port(), "orders"));
    long t0 = System.nanoTime();
    Pipeline publisher = Pipeline.run(server.port(), "orders", n);
    assertThat(publisher.done.get(60, TimeUnit.SECONDS)).isEqualTo(n);
    long publishMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    await().atMost(WAIT).until(() -> fast.received() == n);

    assertThat(server.server().stats().cuts(DisconnectReason.MAX_BLOCK)).isEqualTo(1);
    assertThat(server.server().stats().totalCuts()).isEqualTo(1);
    assertThat(fast.payloads()).as("the reading subscriber lost nothing").hasSize(n);
    assertThat(publishMillis)
        .as("held for max-block (1 s, within a tick), then at full speed")
        .isBetween(900L, 20_000L);
  }

  @Test
  void anHttpPublishToAHeldChannelWaitsWithinItsDeadlineThenGets503() throws Exception {
    start("orders=block,max-block=3s");
    stalledSubscriber("orders");
    // Fill the stalled subscriber to its soft limit: the channel is held from then on.
    Pipeline publisher = Pipeline.run(server.port(), "orders", 300);
    await().atMost(WAIT).until(() -> server.server().stats().blockPauses().episodes() > 0);
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest held = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.server().http().port() + "/v1/publish/orders"))
        .header("X-Request-Timeout-Ms", "300")
        .POST(HttpRequest.BodyPublishers.ofString("m"))
        .build();
    HttpResponse<String> refused = http.send(held, HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refused.body()).contains("channel_blocked");

    // After max-block the stalled subscriber is cut and the channel is free again.
    assertThat(publisher.done.get(30, TimeUnit.SECONDS)).isEqualTo(300);
    HttpResponse<String> accepted = http.send(
        HttpRequest.newBuilder(held.uri())
            .header("X-Request-Timeout-Ms", "5000")
            .POST(HttpRequest.BodyPublishers.ofString("m"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(accepted.statusCode()).isEqualTo(200);
    assertThat(server.server().stats().cuts(DisconnectReason.MAX_BLOCK)).isEqualTo(1);
  }

  private <T extends AutoCloseable> T track(T c) {
    closeables.add(c);
    return c;
  }

  /** Subscribes and never reads, with a small receive buffer so the server's queue fills at once. */
  private Socket stalledSubscriber(String channel) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(4096);
    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 5_000);
    track(s);
    s.getOutputStream().write(Resp.command("SUBSCRIBE", channel));
    s.getOutputStream().flush();
    s.setSoTimeout(10_000);
    // Reads the confirmation, then nothing more.
    assertThat(Resp.readArray(s.getInputStream())).startsWith("subscribe");
    return s;
  }

  private ReadingSubscriber subscriber(String channel, long bytesPerSecond) throws IOException {
    return track(new ReadingSubscriber(server.port(), channel, bytesPerSecond));
  }

  /** A subscriber that reads at most {@code bytesPerSecond} and checks that sequence numbers come in order. */
  static final class ReadingSubscriber implements AutoCloseable {
    private final Socket socket = new Socket();
    private final Thread reader;
    private volatile int received;
    private volatile int inOrder;
    private volatile boolean closedByServer;

    ReadingSubscriber(int port, String channel, long bytesPerSecond) throws IOException {
      socket.setReceiveBufferSize(64 * 1024);
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(Resp.command("SUBSCRIBE", channel));
      out.flush();
      InputStream in =
          new BufferedInputStream(new Throttled(socket.getInputStream(), bytesPerSecond), 8192);
      Resp.readArray(in);
      reader = new Thread(() -> read(in), "paced-subscriber");
      reader.setDaemon(true);
      reader.start();
    }

    // One writer (the reader thread); the test thread only reads.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    private void read(InputStream in) {
      try {
        for (List<String> f; (f = Resp.readArray(in)) != null; ) {
          if (f.get(0).equals("message")) {
            if (Integer.parseInt(f.get(2).substring(0, 8)) == inOrder) {
              inOrder = inOrder + 1;
            }
            received = received + 1;
          }
        }
        closedByServer = true;
      } catch (IOException e) {
        closedByServer = !socket.isClosed();
      }
    }

    int received() {
      return received;
    }

    /** How many messages arrived in sequence from 0 with none missing. */
    int sequence() {
      return inOrder;
    }

    boolean closedByServer() {
      return closedByServer;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** Reads no faster than a rate: a slow consumer, not a test delay. */
  static final class Throttled extends InputStream {
    private final InputStream in;
    private final long nanosPerByte;
    private long next = System.nanoTime();

    Throttled(InputStream in, long bytesPerSecond) {
      this.in = in;
      this.nanosPerByte = 1_000_000_000L / bytesPerSecond;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      int n = in.read(b, off, Math.min(len, 4096));
      if (n > 0) {
        next = Math.max(next, System.nanoTime() - 50_000_000L) + n * nanosPerByte;
      }
      return n;
    }
  }

  /** One connection pipelining {@code n} PUBLISHes of sequence-numbered 1 KiB payloads as fast as it can. */
  static final class Pipeline {
    final CompletableFuture<Integer> done = new CompletableFuture<>();

    static Pipeline run(int port, String channel, int n) throws IOException {
      Pipeline p = new Pipeline();
      Socket s = new Socket();
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
      s.setSoTimeout(60_000);
      Thread writer = new Thread(
          () -> {
            try {
              OutputStream out = s.getOutputStream();
              for (int i = 0; i < n; i++) {
                String payload = String.format("%08d", i) + "x".repeat(PAYLOAD - 8);
                out.write(Resp.command("PUBLISH", channel, payload));
              }
              out.flush();
            } catch (IOException e) {
              p.done.completeExceptionally(e);
            }
          },
          "pipeline-writer");
      Thread reader = new Thread(
          () -> {
            try (s) {
              InputStream in = new BufferedInputStream(s.getInputStream());
              int replies = 0;
              while (replies < n) {
                String line = readLine(in);
                if (!line.startsWith(":")) {
                  throw new IOException("unexpected reply " + line);
                }
                replies++;
              }
              p.done.complete(replies);
            } catch (IOException e) {
              p.done.completeExceptionally(e);
            }
          },
          "pipeline-reader");
      writer.setDaemon(true);
      reader.setDaemon(true);
      writer.start();
      reader.start();
      return p;
    }

    private static String readLine(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new IOException("closed");
        }
        if (c != '\r') {
          sb.append((char) c);
        }
      }
      return sb.toString();
    }
  }
}
