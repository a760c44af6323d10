package io.spillway.bench.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hostile clients of the HTTP port: slowloris connections that send a request head one byte a second, and a
 * WebSocket subscriber of the flood channel that never reads. One thread drives every slowloris connection.
 */
final class HttpHostiles implements AutoCloseable {

  /** The start of every slowloris request; then one header byte a second, never the blank line. */
  private static final String SLOW_HEAD =
      "POST /v1/publish/chaos HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n" + "X-Slow: ";

  private final InetSocketAddress address;
  private final List<Socket> slowloris = new ArrayList<>();
  private Socket webSocket;
  private volatile boolean stopped;

  /** Slowloris connections the server answered (408) or closed. */
  final AtomicLong slowlorisClosed = new AtomicLong();
  /** Whether the WebSocket upgrade was answered 101. */
  volatile boolean webSocketUpgraded;

  volatile String webSocketAnswer = "";

  HttpHostiles(InetSocketAddress address) {
    this.address = address;
  }

  /** Opens the connections and starts the slowloris thread. */
  void start(ThreadGroupRunner threads, int slowlorisConnections) throws IOException {
    for (int i = 0; i < slowlorisConnections; i++) {
      Socket s = connect(0);
      s.setSoTimeout(1);
      s.getOutputStream().write(SLOW_HEAD.getBytes(StandardCharsets.US_ASCII));
      slowloris.add(s);
    }
    threads.start("slowloris", this::trickle);
    webSocket = connect(RespHostiles.SMALL_RCVBUF);
    webSocket.setSoTimeout(5_000);
    String upgrade =
        "GET /v1/ws?channel=" + ChaosConfig.FLOOD_CHANNEL + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n";
    webSocket.getOutputStream().write(upgrade.getBytes(StandardCharsets.US_ASCII));
    String head = readHead(webSocket.getInputStream());
    webSocketAnswer = head.lines().findFirst().orElse("");
    webSocketUpgraded = head.startsWith("HTTP/1.1 101");
    // From here on the WebSocket is never read.
  }

  private Socket connect(int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(address, RespSocket.CONNECT_TIMEOUT_MILLIS);
    return s;
  }

  /** Reads up to the end of the response head, one byte at a time so that nothing after it is taken. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    while (!sb.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      sb.append((char) b);
    }
    return sb.toString();
  }

  private void trickle() {
    boolean[] closed = new boolean[slowloris.size()];
    byte[] buf = new byte[512];
    try {
      while (!stopped) {
        for (int i = 0; i < closed.length; i++) {
          if (closed[i]) {
            continue;
          }
          Socket s = slowloris.get(i);
          try {
            OutputStream out = s.getOutputStream();
            out.write('x');
            out.flush();
            int n = s.getInputStream().read(buf);
            closed[i] = true; // an answer (408) or the end of the stream
            slowlorisClosed.incrementAndGet();
            if (n > 0) {
              s.close();
            }
          } catch (SocketTimeoutException stillOpen) {
            // the server is still waiting for the rest of the head
          } catch (IOException e) {
            closed[i] = true;
            slowlorisClosed.incrementAndGet();
          }
        }
        Thread.sleep(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void close() {
    stopped = true;
    for (Socket s : slowloris) {
      closeQuietly(s);
    }
    if (webSocket != null) {
      closeQuietly(webSocket);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
