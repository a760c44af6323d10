package io.spillway.server.broker;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link GlobPattern} against the real thing: a redis-server (Debian package redis-server) started here, asked
 * {@code PUBSUB CHANNELS pattern} over a set of subscribed channels, for thousands of generated patterns plus the
 * corner cases. Redis's answer is the specification; any difference fails with the pattern and channel shown.
 */
class GlobPatternRedisDifferentialTest {

  private static final char[] GLOB = {
    'a', 'b', '-', '^', '*', '?', '[', ']', '\\', '!', '\u00ff', '\u0080', '\0'
  };

  private static Process redis;
  private static Socket subscriber;
  private static Socket asker;
  private static List<byte[]> channels;

  @BeforeAll
  static void startRedisAndSubscribe() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    redis = new ProcessBuilder(
            redisServer(),
            "--port",
            String.valueOf(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    subscriber = connect(port);
    asker = connect(port);
    Random random = new Random(7);
    Set<String> names = new LinkedHashSet<>(List.of(
        "",
        "a",
        "ab",
        "a".repeat(1024),
        "*".repeat(1001),
        "a".repeat(1001),
        "-",
        "]",
        "[",
        "\\",
        "\u00ff",
        "b"));
    while (names.size() < 300) {
      names.add(randomString(random, GLOB, 1 + random.nextInt(9)));
    }
    channels = new ArrayList<>();
    List<byte[]> subscribe = new ArrayList<>();
    subscribe.add("SUBSCRIBE".getBytes(ISO_8859_1));
    for (String n : names) {
      channels.add(n.getBytes(ISO_8859_1));
      subscribe.add(n.getBytes(ISO_8859_1));
    }
    send(subscriber, List.of(subscribe));
    InputStream in = new BufferedInputStream(subscriber.getInputStream());
    for (int i = 0; i < channels.size(); i++) {
      readReply(in);
    }
  }

  @AfterAll
  static void stopRedis() throws Exception {
    if (subscriber != null) {
      subscriber.close();
      asker.close();
    }
    if (redis != null) {
      redis.destroy();
      if (!redis.waitFor(5, TimeUnit.SECONDS)) {
        redis.destroyForcibly();
      }
    }
  }

  @Test
  void agreesWithRedisOnGeneratedPatterns() throws IOException {
    Random random = new Random(11);
    List<byte[]> patterns = new ArrayList<>();
    for (int i = 0; i < 4000; i++) {
      String p = randomString(random, GLOB, random.nextInt(10));
      if (random.nextInt(4) == 0) {
        p = "*" + p + "*";
      }
      patterns.add(p.getBytes(ISO_8859_1));
    }
    compareWithRedis(patterns);
  }

  @Test
  void agreesWithRedisOnCornerCases() throws IOException {
    List<String> corner = new ArrayList<>(List.of(
        "",
        "*",
        "**",
        "?",
        "[",
        "[^",
        "[]",
        "[^]",
        "[a-]",
        "[]a]",
        "[\\",
        "\\",
        "a\\",
        "[a-\u00ff]",
        "[\u00ff-a]",
        "[\\]]",
        "*\\",
        "[!a]",
        "[z-a]*",
        "*[",
        "*" + "a".repeat(1000) + "b1",
        "*?".repeat(1000),
        "*?".repeat(1001),
        "*?".repeat(1000) + "*",
        "*[*]".repeat(1001),
        "*[*]".repeat(1000) + "*",
        "**?".repeat(1001),
        "a*a*a*a*a*a*a*a*b"));
    List<byte[]> patterns = new ArrayList<>();
    for (String c : corner) {
      patterns.add(c.getBytes(ISO_8859_1));
    }
    compareWithRedis(patterns);
  }

  private static void compareWithRedis(List<byte[]> patterns) throws IOException {
    List<List<byte[]>> commands = new ArrayList<>();
    for (byte[] p : patterns) {
      commands.add(List.of("PUBSUB".getBytes(ISO_8859_1), "CHANNELS".getBytes(ISO_8859_1), p));
    }
    InputStream in = new BufferedInputStream(asker.getInputStream());
    List<String> differences = new ArrayList<>();
    for (int from = 0; from < commands.size(); from += 200) {
      List<List<byte[]>> batch = commands.subList(from, Math.min(commands.size(), from + 200));
      send(asker, batch);
      for (int i = 0; i < batch.size(); i++) {
        byte[] pattern = patterns.get(from + i);
        Set<String> redisSays = new LinkedHashSet<>(readReply(in));
        for (byte[] channel : channels) {
          boolean expected = redisSays.contains(new String(channel, ISO_8859_1));
          if (GlobPattern.matches(pattern, channel) != expected
              || GlobPattern.compile(pattern).matches(channel) != expected) {
            differences.add("pattern " + GlobPatternFuzzTest.show(pattern) + ", channel "
                + GlobPatternFuzzTest.show(channel) + ": redis-server says " + expected);
          }
        }
      }
    }
    assertThat(differences).isEmpty();
  }

  private static Socket connect(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Socket socket = new Socket();
      try {
        socket.connect(
            new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
        socket.setSoTimeout(10_000);
        return socket;
      } catch (IOException notYet) {
        socket.close();
        if (System.nanoTime() > deadline) {
          return fail("redis-server did not accept connections on port " + port + " within 10 s");
        }
        Thread.sleep(50);
      }
    }
  }

  private static void send(Socket socket, List<List<byte[]>> commands) throws IOException {
    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    for (List<byte[]> args : commands) {
      out.write(("*" + args.size() + "\r\n").getBytes(ISO_8859_1));
      for (byte[] a : args) {
        out.write(("$" + a.length + "\r\n").getBytes(ISO_8859_1));
        out.write(a);
        out.write("\r\n".getBytes(ISO_8859_1));
      }
    }
    out.flush();
  }

  /** Reads one reply: an array's bulk elements as ISO-8859-1 strings (nested arrays flattened), else the line. */
  private static List<String> readReply(InputStream in) throws IOException {
    String line = readLine(in);
    List<String> out = new ArrayList<>();
    switch (line.charAt(0)) {
      case '*', '>' -> {
        int n = Integer.parseInt(line.substring(1));
        for (int i = 0; i < n; i++) {
          out.addAll(readReply(in));
        }
      }
      case '$' -> {
        int n = Integer.parseInt(line.substring(1));
        byte[] b = in.readNBytes(n + 2);
        out.add(new String(Arrays.copyOf(b, n), ISO_8859_1));
      }
      case '-' -> fail("redis-server answered " + line);
      default -> out.add(line);
    }
    return out;
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\r'; b = in.read()) {
      if (b < 0) {
        throw new EOFException("redis-server closed the connection");
      }
      line.write(b);
    }
    in.read();
    return line.toString(ISO_8859_1);
  }

  private static String randomString(Random random, char[] alphabet, int length) {
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = alphabet[random.nextInt(alphabet.length)];
    }
    return new String(c);
  }

  private static String redisServer() {
    for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
      if (new File(candidate).canExecute()) {
        return candidate;
      }
    }
    return fail(
        "redis-server is not installed (Debian: apt-get install redis-server); this test needs it");
  }
}
