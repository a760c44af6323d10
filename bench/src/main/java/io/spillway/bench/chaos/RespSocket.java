package io.spillway.bench.chaos;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking RESP2 socket for the chaos clients. Replies come back as {@link String} (simple strings), {@link Long},
 * {@code byte[]} (bulk strings), {@link List} (arrays), null (nil) or {@link ErrorReply}. One thread writes and one
 * reads at a time; {@link #close} may be called from any thread and unblocks both.
 */
final class RespSocket implements AutoCloseable {

  /** How long connecting may take: 2 s. */
  static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  /** A RESP error reply, such as {@code ERR max number of clients reached}. */
  record ErrorReply(String message) {}

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
  }

  /**
   * Connects to {@code address}; reads block at most {@code readTimeoutMillis} (0: forever).
   *
   * @param receiveBuffer SO_RCVBUF set before connecting, or 0 for the system default
   */
  static RespSocket connect(InetSocketAddress address, int receiveBuffer, int readTimeoutMillis)
      throws IOException {
    Socket s = new Socket();
    try {
      if (receiveBuffer > 0) {
        s.setReceiveBufferSize(receiveBuffer);
      }
      s.setTcpNoDelay(true);
      s.setSoTimeout(readTimeoutMillis);
      s.connect(address, CONNECT_TIMEOUT_MILLIS);
      return new RespSocket(s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  Socket socket() {
    return socket;
  }

  InputStream input() {
    return in;
  }

  /** Writes a command without flushing. */
  void write(String... args) throws IOException {
    byte[][] parts = new byte[args.length][];
    for (int i = 0; i < args.length; i++) {
      parts[i] = args[i].getBytes(StandardCharsets.UTF_8);
    }
    write(parts);
  }

  /** Writes a command of binary arguments without flushing. */
  void write(byte[]... args) throws IOException {
    out.write(ascii("*" + args.length + "\r\n"));
    for (byte[] a : args) {
      out.write(ascii("$" + a.length + "\r\n"));
      out.write(a);
      out.write('\r');
      out.write('\n');
    }
  }

  /** Writes bytes as they are, without flushing. */
  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
  }

  void flush() throws IOException {
    out.flush();
  }

  /** Sends a command and returns its reply. */
  Object call(String... args) throws IOException {
    write(args);
    flush();
    return read();
  }

  /** Reads one reply. */
  Object read() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by the server");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        return new ErrorReply(line);
      case ':':
        return Long.parseLong(line);
      case '$': {
        int length = Integer.parseInt(line);
        if (length < 0) {
          return null;
        }
        byte[] b = in.readNBytes(length);
        if (b.length < length || in.read() != '\r' || in.read() != '\n') {
          throw new EOFException("connection closed inside a bulk string");
        }
        return b;
      }
      case '*': {
        int count = Integer.parseInt(line);
        if (count < 0) {
          return null;
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        return items;
      }
      default:
        throw new IOException("not a RESP2 reply: type byte " + type);
    }
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(16);
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new EOFException("connection closed inside a reply");
      }
      b.write(c);
    }
    if (in.read() != '\n') {
      throw new IOException("RESP line not ended by CRLF");
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Closes the socket; blocked reads and writes on other threads fail at once. Idempotent. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing: nothing to do
    }
  }
}
