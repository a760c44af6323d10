package io.spillway.bench.fanout;

import java.io.IOException;

/**
 * What every connection of one run must know about the run as a whole: whether the bench itself is closing the
 * connections (so a close is not a disconnect). Thread-safe: written by the run's main thread, read by the event
 * loops.
 */
final class RunState {

  private volatile boolean closing;

  /** Called by the run before it closes its connections. */
  void startClosing() {
    closing = true;
  }

  boolean closing() {
    return closing;
  }

  /** Seconds from {@code window}'s start to {@code now}; -1 before the window exists (set-up). */
  static double secondsInto(RunWindow window, long now) {
    return window == null ? -1 : (now - window.start()) / 1e9;
  }

  /** A short text for what broke a connection. */
  static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    if (root instanceof IOException && message != null) {
      // Netty's native transport says "recvAddress(..) failed: Connection reset by peer": keep the
      // errno text.
      int failed = message.indexOf("failed: ");
      return failed >= 0 ? message.substring(failed + "failed: ".length()) : message;
    }
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
