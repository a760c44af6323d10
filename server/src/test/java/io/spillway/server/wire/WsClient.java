package io.spillway.server.wire;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket client on the JDK's {@link java.net.http.WebSocket}: collects whole text messages and how the
 * connection ended. A fast one requests every message; a slow one requests only the first and then stops, so the
 * JDK stops reading its socket and the server's outbox fills.
 */
public final class WsClient implements WebSocket.Listener, AutoCloseable {

  /** The JDK client's per-connection receive buffer setting, read when it connects. */
  private static final String RECEIVE_BUFFER_PROPERTY = "jdk.httpclient.receiveBufferSize";

  private final boolean fast;
  private final List<String> texts = new CopyOnWriteArrayList<>();
  private final StringBuilder partial = new StringBuilder();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  private WebSocket ws;

  private WsClient(boolean fast) {
    this.fast = fast;
  }

  /** Connects to {@code ws://127.0.0.1:port/v1/ws?query}, requesting every message. */
  public static WsClient fast(int port, String query) {
    return connect(port, query, true, 0);
  }

  /**
   * Connects with a {@code receiveBuffer}-byte socket receive buffer and requests only the first message (the first
   * subscription confirmation): after it the client reads nothing until {@link #readEverything()}.
   */
  public static WsClient slow(int port, String query, int receiveBuffer) {
    return connect(port, query, false, receiveBuffer);
  }

  private static synchronized WsClient connect(
      int port, String query, boolean fast, int receiveBuffer) {
    WsClient client = new WsClient(fast);
    String before = System.getProperty(RECEIVE_BUFFER_PROPERTY);
    if (receiveBuffer > 0) {
      System.setProperty(RECEIVE_BUFFER_PROPERTY, Integer.toString(receiveBuffer));
    }
    try {
      client.ws = HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(10))
          .build()
          .newWebSocketBuilder()
          .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/ws?" + query), client)
          .get(20, TimeUnit.SECONDS);
      return client;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      if (before == null) {
        System.clearProperty(RECEIVE_BUFFER_PROPERTY);
      } else {
        System.setProperty(RECEIVE_BUFFER_PROPERTY, before);
      }
    }
  }

  /** Tries the handshake and returns the exception it fails with (null if it succeeds, closing that connection). */
  public static Throwable handshakeFailure(int port, String query) {
    try {
      HttpClient.newHttpClient()
          .newWebSocketBuilder()
          .buildAsync(
              URI.create("ws://127.0.0.1:" + port + "/v1/ws?" + query), new WebSocket.Listener() {})
          .get(20, TimeUnit.SECONDS)
          .abort();
      return null;
    } catch (Exception e) {
      return e.getCause() != null ? e.getCause() : e;
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(fast ? Long.MAX_VALUE : 1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    synchronized (partial) {
      partial.append(data);
      if (last) {
        texts.add(partial.toString());
        partial.setLength(0);
      }
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    ended.complete("close " + statusCode + " " + reason);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    ended.complete("error " + error);
  }

  /** Every whole text message so far, in order. */
  public List<String> texts() {
    return new ArrayList<>(texts);
  }

  /** The {@code message} of each published message received, in order (the confirmations left out). */
  public List<String> messages() {
    List<String> out = new ArrayList<>();
    for (String t : texts) {
      if (t.startsWith("{\"channel\":")) {
        int start = t.indexOf(",\"message\":\"") + 12;
        out.add(t.substring(start, t.length() - 2));
      }
    }
    return out;
  }

  /** Completes with {@code "close <code> <reason>"} or {@code "error <exception>"} once the connection has ended. */
  public CompletableFuture<String> ended() {
    return ended;
  }

  /** Sends one text message and waits until it is written. */
  public void send(String text) {
    ws.sendText(text, true).join();
  }

  /** Starts reading again: requests every further message. */
  public void readEverything() {
    ws.request(Long.MAX_VALUE);
  }

  /** Drops the connection without a closing handshake, as a client that vanishes does. */
  public void abort() {
    ws.abort();
  }

  @Override
  public void close() {
    abort();
  }
}
