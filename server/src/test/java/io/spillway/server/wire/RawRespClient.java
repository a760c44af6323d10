package io.spillway.server.wire;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A RESP client on a plain {@link Socket}, for wire tests that must see the exact bytes a server sends. Every read is
 * bounded by the socket timeout given at connection, so a server that stays silent fails the test instead of hanging
 * it. Replies are returned as their raw text (ISO-8859-1, one char per byte), CRLFs included. One thread at a time.
 */
public final class RawRespClient implements AutoCloseable {

  /** How long one read may block unless a test says otherwise. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawRespClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  /** Connects to the loopback port with {@link #DEFAULT_READ_TIMEOUT} on reads. */
  public static RawRespClient connect(int port) throws IOException {
    return connect(port, DEFAULT_READ_TIMEOUT);
  }

  public static RawRespClient connect(int port, Duration readTimeout) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.setSoTimeout((int) readTimeout.toMillis());
    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
    return new RawRespClient(socket);
  }

  public Socket socket() {
    return socket;
  }

  /** Writes {@code text} as ISO-8859-1 bytes, exactly as given. */
  public RawRespClient send(String text) throws IOException {
    return send(text.getBytes(ISO_8859_1));
  }

  public RawRespClient send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Writes one command as a multibulk array. */
  public RawRespClient command(String... args) throws IOException {
    return send(multibulk(args));
  }

  /** The multibulk encoding of {@code args}. */
  public static String multibulk(String... args) {
    StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
    for (String a : args) {
      sb.append('$')
          .append(a.getBytes(ISO_8859_1).length)
          .append("\r\n")
          .append(a)
          .append("\r\n");
    }
    return sb.toString();
  }

  /** Sends {@code args} and returns the one reply, raw. */
  public String call(String... args) throws IOException {
    command(args);
    return readReply();
  }

  /**
   * Reads one complete reply of any RESP2 or RESP3 type and returns its raw text.
   *
   * @throws SocketTimeoutException if the reply does not arrive within the read timeout
   * @throws EOFException if the server closes the connection first
   */
  public String readReply() throws IOException {
    StringBuilder sb = new StringBuilder();
    readValue(sb);
    return sb.toString();
  }

  private void readValue(StringBuilder sb) throws IOException {
    String line = readLine();
    sb.append(line).append("\r\n");
    char type = line.charAt(0);
    switch (type) {
      case '+', '-', ':', '_', '#', ',', '(':
        return;
      case '$', '=', '!': {
        int length = Integer.parseInt(line.substring(1));
        if (length >= 0) {
          sb.append(new String(readExactly(length + 2), ISO_8859_1));
        }
        return;
      }
      case '*', '>', '~', '%', '|': {
        long n = Long.parseLong(line.substring(1));
        if (type == '%' || type == '|') {
          n *= 2;
        }
        for (long i = 0; i < n; i++) {
          readValue(sb);
        }
        return;
      }
      default:
        throw new IOException("not a RESP reply: " + line);
    }
  }

  private String readLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException(
            "connection closed after " + sb.length() + " bytes of a line: " + sb);
      }
      if (previous == '\r' && b == '\n') {
        sb.setLength(sb.length() - 1);
        return sb.toString();
      }
      sb.append((char) b);
      previous = b;
    }
  }

  /** Reads exactly {@code n} bytes. */
  public byte[] readExactly(int n) throws IOException {
    byte[] buf = new byte[n];
    int filled = 0;
    while (filled < n) {
      int r = in.read(buf, filled, n - filled);
      if (r < 0) {
        throw new EOFException("connection closed after " + filled + " of " + n + " bytes");
      }
      filled += r;
    }
    return buf;
  }

  /** Reads exactly as many bytes as {@code expected} has and returns them as text, for exact-bytes assertions. */
  public String readExactly(String expected) throws IOException {
    return new String(readExactly(expected.getBytes(ISO_8859_1).length), ISO_8859_1);
  }

  /**
   * Reads until the server closes the connection and returns what came before the close. A reset counts as a close.
   *
   * @throws SocketTimeoutException if the connection is still open after the read timeout
   */
  public String readUntilClosed() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int r; (r = in.read(buf)) >= 0; ) {
        bytes.write(buf, 0, r);
      }
    } catch (SocketTimeoutException e) {
      throw new SocketTimeoutException(
          "connection still open; read so far: " + bytes.toString(ISO_8859_1));
    } catch (SocketException reset) {
      // Connection reset: closed as well.
    }
    return bytes.toString(ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
