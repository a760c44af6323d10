package io.spillway.server.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A subscriber over a plain socket that reads as fast as it can on its own thread and records each message's
 * payload, so tests can check loss and order without any client library in between.
 */
public final class RawSubscriber implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final List<String> payloads = new ArrayList<>();
  private final Thread reader;
  private volatile Throwable failure;
  private volatile boolean closedByServer;

  private RawSubscriber(int port, String channel) throws IOException {
    socket = new Socket();
    // A fast client's receive buffer: a reader thread descheduled for a moment on a busy machine is
    // not a slow reader.
    socket.setReceiveBufferSize(2 * 1024 * 1024);
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    socket.setSoTimeout(30_000);
    OutputStream out = socket.getOutputStream();
    out.write(Resp.command("SUBSCRIBE", channel));
    out.flush();
    in = new FastInput(socket.getInputStream());
    List<String> confirmation = Resp.readArray(in);
    if (!confirmation.get(0).equals("subscribe")) {
      throw new IOException("unexpected reply to SUBSCRIBE: " + confirmation);
    }
    reader = new Thread(this::readLoop, "raw-subscriber-" + channel);
    reader.setDaemon(true);
    reader.start();
  }

  /** Connects, subscribes to {@code channel}, waits for the confirmation, and starts reading. */
  public static RawSubscriber subscribe(int port, String channel) throws IOException {
    return new RawSubscriber(port, channel);
  }

  private void readLoop() {
    try {
      for (; ; ) {
        List<String> frame = Resp.readArray(in);
        if (frame == null) {
          closedByServer = true;
          return;
        }
        if (frame.size() == 3 && frame.get(0).equals("message")) {
          synchronized (payloads) {
            payloads.add(frame.get(2));
          }
        }
      }
    } catch (IOException e) {
      if (!socket.isClosed()) {
        failure = e;
        closedByServer = true;
      }
    }
  }

  /** A copy of the payloads received so far, in arrival order. */
  public List<String> payloads() {
    synchronized (payloads) {
      return new ArrayList<>(payloads);
    }
  }

  public int received() {
    synchronized (payloads) {
      return payloads.size();
    }
  }

  /** The connection ended from the server's side (EOF or reset). */
  public boolean closedByServer() {
    return closedByServer;
  }

  public Throwable failure() {
    return failure;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /**
   * A buffered input stream without {@link java.io.BufferedInputStream}'s per-call locking: fast enough for the
   * reader thread to keep up with a flood on a busy machine. Parsed with {@link Resp} like any other stream.
   */
  static final class FastInput extends InputStream {
    private final InputStream in;
    private final byte[] buf = new byte[256 * 1024];
    private int pos;
    private int limit;

    FastInput(InputStream in) {
      this.in = in;
    }

    private boolean fill() throws IOException {
      if (pos < limit) {
        return true;
      }
      int n = in.read(buf, 0, buf.length);
      if (n <= 0) {
        return false;
      }
      pos = 0;
      limit = n;
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, limit - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** Just enough RESP for tests: commands out, arrays of bulk strings and integers in. */
  public static final class Resp {
    private Resp() {}

    public static byte[] command(String... args) {
      StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.ISO_8859_1);
        sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
      }
      return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Reads one reply that is an array (or push) of bulks/integers; null at end of stream. */
    public static List<String> readArray(InputStream in) throws IOException {
      String header = readLine(in);
      if (header == null) {
        return null;
      }
      if (header.charAt(0) != '*' && header.charAt(0) != '>') {
        throw new IOException("expected an array, got: " + header);
      }
      int n = Integer.parseInt(header.substring(1));
      List<String> items = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        items.add(readScalar(in));
      }
      return items;
    }

    /** Reads one simple string, error, integer or bulk reply as text. */
    public static String readScalar(InputStream in) throws IOException {
      String line = readLine(in);
      if (line == null) {
        throw new IOException("connection closed");
      }
      switch (line.charAt(0)) {
        case '$': {
          int len = Integer.parseInt(line.substring(1));
          if (len < 0) {
            return null;
          }
          byte[] b = in.readNBytes(len + 2);
          if (b.length < len + 2) {
            throw new IOException("connection closed inside a bulk");
          }
          return new String(b, 0, len, StandardCharsets.ISO_8859_1);
        }
        default:
          return line;
      }
    }

    static String readLine(InputStream in) throws IOException {
      StringBuilder sb = new StringBuilder();
      for (; ; ) {
        int c = in.read();
        if (c < 0) {
          return sb.length() == 0 ? null : sb.toString();
        }
        if (c == '\r') {
          in.read();
          return sb.toString();
        }
        sb.append((char) c);
      }
    }
  }
}
