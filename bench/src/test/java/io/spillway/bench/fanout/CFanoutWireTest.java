package io.spillway.bench.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.server.SpillwayServer;
import io.spillway.server.config.ServerConfig;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The C load generator of {@code scripts/bench-vs-redis.sh --loadgen c} ({@code bench/c/fanout.c}), built with gcc
 * and run for a second: against a real Spillway server it sees every message in order; against a relay that loses
 * and reorders known messages, it counts exactly those (so its "lost 0" is not a figure it cannot help giving).
 */
class CFanoutWireTest {

  @TempDir
  static Path dir;

  private static Path binary;
  private static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void build() throws Exception {
    Path source = Path.of("c", "fanout.c").toAbsolutePath();
    assertThat(source).exists();
    binary = dir.resolve("spillway-fanout-c");
    ProcessResult gcc;
    try {
      gcc = run(List.of(
          "gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(), source.toString()));
    } catch (IOException e) {
      fail("gcc is needed to build bench/c/fanout.c (Debian: apt-get install gcc libc6-dev): " + e);
      return;
    }
    assertThat(gcc.exit).as("gcc: " + gcc.output).isZero();
  }

  @Test
  void everyMessageOfARealSpillwayServerArrivesInOrder() throws Exception {
    SpillwayServer server = SpillwayServer.start(
        ServerConfig.builder().bind("127.0.0.1").port(0).ioThreads(1).build());
    try {
      ProcessResult r = fanout(
          server.port(),
          128,
          "200ms",
          "--label",
          "spillway",
          "--server-pid",
          String.valueOf(ProcessHandle.current().pid()));
      JsonNode m = JSON.readTree(r.stdout);
      assertThat(m.get("label").asText()).isEqualTo("spillway");
      assertThat(m.get("published").asLong()).as(r.output).isGreaterThan(1000);
      assertThat(m.get("expected_deliveries").asLong())
          .isEqualTo(3 * m.get("published").asLong());
      assertThat(m.get("delivered").asLong())
          .isEqualTo(m.get("expected_deliveries").asLong());
      assertThat(m.get("lost").asLong()).isZero();
      assertThat(m.get("out_of_order").asLong()).isZero();
      assertThat(m.get("receiver_mismatches").asLong()).isZero();
      assertThat(m.get("disconnects").asLong()).isZero();
      assertThat(m.get("delivered_per_s").asDouble()).isGreaterThan(0);
      assertThat(m.get("latency_p99_ms").asDouble())
          .isGreaterThan(0)
          .isGreaterThanOrEqualTo(m.get("latency_p50_ms").asDouble());
      assertThat(m.get("server_cpu_s").asDouble())
          .as("this JVM's CPU, read from /proc")
          .isPositive();
    } finally {
      server.close();
      server.awaitClosed();
    }
  }

  @Test
  void countsExactlyTheMessagesARelayLostAndTheOneItReordered() throws Exception {
    try (LossyRelay relay = new LossyRelay()) {
      ProcessResult r = fanout(relay.port(), 16, "0s");
      JsonNode m = JSON.readTree(r.stdout);
      long published = m.get("published").asLong();
      assertThat(published).as(r.output).isGreaterThan(100);
      // One subscriber misses every sequence number ending in 3; one gets 5 after 6.
      assertThat(m.get("lost").asLong()).as(r.output).isEqualTo((published + 6) / 10);
      assertThat(m.get("out_of_order").asLong()).as(r.output).isEqualTo(1);
      assertThat(m.get("delivered").asLong()).isEqualTo(3 * published - (published + 6) / 10);
      assertThat(m.get("receiver_mismatches").asLong()).isZero();
      assertThat(m.get("disconnects").asLong()).isZero();
    }
  }

  @Test
  void refusesAPayloadTooShortForItsHeaderAndNamesARefusedConnection() throws Exception {
    ProcessResult tooShort = run(List.of(binary.toString(), "--payload", "8"));
    assertThat(tooShort.exit).isEqualTo(2);
    assertThat(tooShort.output).contains("--payload >= 16");
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    ProcessResult refused = run(List.of(binary.toString(), "--port", String.valueOf(closedPort)));
    assertThat(refused.exit).isEqualTo(1);
    assertThat(refused.output).contains("connect to 127.0.0.1:" + closedPort);
  }

  private record ProcessResult(int exit, String stdout, String output) {}

  /** A one-second run with 3 subscribers against {@code port}; asserts it exited 0. */
  private static ProcessResult fanout(int port, int payload, String warmup, String... more)
      throws Exception {
    List<String> command = new ArrayList<>(List.of(
        binary.toString(),
        "--port",
        String.valueOf(port),
        "--subscribers",
        "3",
        "--payload",
        String.valueOf(payload),
        "--warmup",
        warmup,
        "--duration",
        "1s"));
    command.addAll(List.of(more));
    ProcessResult r = run(command);
    assertThat(r.exit).as(r.output).isZero();
    return r;
  }

  private static ProcessResult run(List<String> command) throws Exception {
    Process p = new ProcessBuilder(command)
        .redirectError(dir.resolve("stderr").toFile())
        .start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("did not finish within 60 s: " + command);
    }
    String stdout = new String(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(dir.resolve("stderr"));
    return new ProcessResult(p.exitValue(), stdout, stdout + stderr);
  }

  /**
   * Just enough of a pub/sub server for the load generator: confirms SUBSCRIBE, answers PUBLISH with the number of
   * subscribers, and relays each message to them, except that the second subscriber never gets a sequence number
   * ending in 3 and the third gets number 5 after number 6.
   */
  private static final class LossyRelay implements AutoCloseable {
    private final ServerSocket socket = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    private final List<OutputStream> subscribers = new CopyOnWriteArrayList<>();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private byte[] held;

    LossyRelay() throws IOException {
      Thread acceptor = new Thread(this::accept, "lossy-relay");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    private void accept() {
      try {
        while (true) {
          Socket s = socket.accept();
          accepted.add(s);
          Thread t = new Thread(() -> serve(s), "lossy-relay-conn");
          t.setDaemon(true);
          t.start();
        }
      } catch (IOException closed) {
        // closed
      }
    }

    private void serve(Socket s) {
      try (InputStream in = new BufferedInputStream(s.getInputStream());
          OutputStream out = new BufferedOutputStream(s.getOutputStream())) {
        while (true) {
          List<byte[]> command = readCommand(in);
          String name = new String(command.get(0), StandardCharsets.US_ASCII);
          if (name.equalsIgnoreCase("SUBSCRIBE")) {
            byte[] channel = command.get(1);
            out.write(("*3\r\n$9\r\nsubscribe\r\n$" + channel.length + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.write(channel);
            out.write("\r\n:1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            subscribers.add(out);
          } else {
            relay(command.get(1), command.get(2));
            out.write((":" + subscribers.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        }
      } catch (IOException | RuntimeException gone) {
        // the load generator closed its connections
      }
    }

    private void relay(byte[] channel, byte[] payload) throws IOException {
      long seq = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
      byte[] frame = frame(channel, payload);
      for (int i = 0; i < subscribers.size(); i++) {
        OutputStream o = subscribers.get(i);
        if (i == 1 && seq % 10 == 3) {
          continue;
        }
        if (i == 2 && seq == 5) {
          held = frame;
          continue;
        }
        o.write(frame);
        if (i == 2 && seq == 6) {
          o.write(held);
        }
        o.flush();
      }
    }

    private static byte[] frame(byte[] channel, byte[] payload) {
      ByteArrayOutputStream f = new ByteArrayOutputStream();
      f.writeBytes(("*3\r\n$7\r\nmessage\r\n$" + channel.length + "\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      f.writeBytes(channel);
      f.writeBytes(("\r\n$" + payload.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      f.writeBytes(payload);
      f.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      return f.toByteArray();
    }

    private static List<byte[]> readCommand(InputStream in) throws IOException {
      int n = Integer.parseInt(readLine(in).substring(1));
      List<byte[]> args = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        int len = Integer.parseInt(readLine(in).substring(1));
        args.add(in.readNBytes(len));
        in.readNBytes(2);
      }
      return args;
    }

    private static String readLine(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      int c;
      while ((c = in.read()) != '\r') {
        if (c < 0) {
          throw new EOFException();
        }
        b.append((char) c);
      }
      in.read();
      return b.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
