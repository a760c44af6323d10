package io.spillway.bench.slow;

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
 * A blocking RESP2 connection on a plain socket. Replies are returned as {@link String} (simple strings),
 * {@link Long}, {@code byte[]} (bulk strings), {@link List} (arrays) or null (nil); an error reply is thrown as
 * {@link ErrorReplyException}. One thread writes and one thread reads at a time; {@link #close} may be called from
 * any thread and unblocks both.
 */
final class RespConnection implements AutoCloseable {

  /** How long connecting may take: 2 s. */
  static final int CONNECT_TIMEOUT_MILLIS = 2_000;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RespConnection(Socket socket, boolean bufferedInput) throws IOException {
    this.socket = socket;
    this.in = bufferedInput
        ? new BufferedInputStream(socket.getInputStream(), 64 * 1024)
        : socket.getInputStream();
    this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
  }

  /**
   * Connects to {@code host:port}.
   *
   * @param receiveBuffer SO_RCVBUF set before connecting, or 0 for the system default
   * @param bufferedInput false for a reader that must not take more bytes from the socket than it parses
   */
  static RespConnection open(String host, int port, int receiveBuffer, boolean bufferedInput)
      throws IOException {
    Socket s = new Socket();
    try {
      if (receiveBuffer > 0) {
        s.setReceiveBufferSize(receiveBuffer);
      }
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      return new RespConnection(s, bufferedInput);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  Socket socket() {
    return socket;
  }

  /** The raw input, for a reader that paces its own reads after the handshake. */
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

  void flush() throws IOException {
    out.flush();
  }

  /** Sends a command and returns its reply. */
  Object call(String... args) throws IOException {
    write(args);
    flush();
    return readReply();
  }

  /** Reads one reply. */
  Object readReply() throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("connection closed by the server");
    }
    String line = readLine();
    switch (type) {
      case '+':
        return line;
      case '-':
        throw new ErrorReplyException(line);
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
          items.add(readReply());
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

  private static byte[] ascii(String s) {
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

  /** A RESP error reply. */
  static final class ErrorReplyException extends IOException {
    private static final long serialVersionUID = 1L;

    ErrorReplyException(String message) {
      super(message);
    }
  }
}
