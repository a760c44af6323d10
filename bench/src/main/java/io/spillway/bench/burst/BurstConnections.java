package io.spillway.bench.burst;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A burst as the issue measured it: {@code n} keep-alive connections opened first, then one request written on
 * each as fast as one thread can, then every answer read with one selector. Answer times count from the moment the
 * burst started (the first write), connecting excluded. Used by one thread; close it.
 */
final class BurstConnections implements AutoCloseable {

  /** One answer: its status, and nanoseconds from the start of the burst. */
  record Answer(int status, String shed, long nanos) {}

  private final List<SocketChannel> channels = new ArrayList<>();

  BurstConnections(InetSocketAddress server, int n) throws IOException {
    for (int i = 0; i < n; i++) {
      SocketChannel c = SocketChannel.open(server);
      c.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      channels.add(c);
    }
  }

  /**
   * Sends {@code request} on every connection and waits up to {@code timeoutNanos} for all answers; a connection
   * that gave none in time is reported with status 0.
   */
  List<Answer> burst(byte[] request, long timeoutNanos) throws IOException {
    Answer[] answers = new Answer[channels.size()];
    StringBuilder[] heads = new StringBuilder[channels.size()];
    try (Selector selector = Selector.open()) {
      long start = System.nanoTime();
      for (int i = 0; i < channels.size(); i++) {
        SocketChannel c = channels.get(i);
        ByteBuffer b = ByteBuffer.wrap(request);
        while (b.hasRemaining()) {
          c.write(b);
        }
      }
      for (int i = 0; i < channels.size(); i++) {
        SocketChannel c = channels.get(i);
        c.configureBlocking(false);
        c.register(selector, SelectionKey.OP_READ, i);
        heads[i] = new StringBuilder();
      }
      ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
      int left = channels.size();
      while (left > 0) {
        long remaining = timeoutNanos - (System.nanoTime() - start);
        if (remaining <= 0) {
          break;
        }
        selector.select(Math.max(1, remaining / 1_000_000));
        long now = System.nanoTime();
        for (SelectionKey k : selector.selectedKeys()) {
          int i = (Integer) k.attachment();
          buf.clear();
          int read = ((SocketChannel) k.channel()).read(buf);
          if (read > 0) {
            heads[i].append(new String(buf.array(), 0, read, StandardCharsets.ISO_8859_1));
          }
          if (answers[i] == null && (complete(heads[i]) || read < 0)) {
            answers[i] = new Answer(status(heads[i]), shed(heads[i]), now - start);
            k.cancel();
            left--;
          }
        }
        selector.selectedKeys().clear();
      }
    }
    List<Answer> out = new ArrayList<>();
    for (int i = 0; i < answers.length; i++) {
      out.add(answers[i] == null ? new Answer(0, null, timeoutNanos) : answers[i]);
      channels.get(i).configureBlocking(true);
    }
    return out;
  }

  /** True once the head and a Content-Length body have arrived. */
  private static boolean complete(StringBuilder s) {
    int end = s.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = s.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    int at = head.indexOf("content-length:");
    if (at < 0) {
      return true;
    }
    int eol = head.indexOf("\r\n", at);
    int length =
        Integer.parseInt(head.substring(at + 15, eol < 0 ? head.length() : eol).trim());
    return s.length() - end - 4 >= length;
  }

  /** The X-Spillway-Shed reason, or null. */
  private static String shed(StringBuilder s) {
    String lower = s.toString().toLowerCase(java.util.Locale.ROOT);
    int at = lower.indexOf("\r\nx-spillway-shed:");
    if (at < 0) {
      return null;
    }
    int eol = lower.indexOf("\r\n", at + 2);
    return lower.substring(at + 19, eol).trim();
  }

  private static int status(StringBuilder s) {
    if (s.length() < 12 || !s.substring(0, 5).equals("HTTP/")) {
      return 0;
    }
    return Integer.parseInt(s.substring(9, 12));
  }

  /** A keep-alive {@code POST /v1/publish/{channel}} with a body of {@code bytes} 'x'. */
  static byte[] publishRequest(String channel, int bytes) {
    String head = "POST /v1/publish/" + channel + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
        + "application/octet-stream\r\nContent-Length: " + bytes + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.US_ASCII);
    byte[] r = new byte[h.length + bytes];
    System.arraycopy(h, 0, r, 0, h.length);
    java.util.Arrays.fill(r, h.length, r.length, (byte) 'x');
    return r;
  }

  @Override
  public void close() throws IOException {
    for (SocketChannel c : channels) {
      c.close();
    }
  }
}
