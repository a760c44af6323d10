package io.spillway.server.http;

/**
 * What the HTTP port reports as it works; the metrics layer implements it. Methods are called on event loops and
 * must be cheap and thread-safe.
 */
public interface HttpObserver {

  /** Reports nothing. */
  HttpObserver NONE = new HttpObserver() {};

  /**
   * A response was written.
   *
   * @param route the route template ({@code /v1/publish/{channel}}), never the raw path; {@code other} if none
   * @param latencyNanos from the request's arrival (fully read) to its response being written
   * @param admitted whether a worker ran the request (false: shed, refused or answered on the event loop)
   */
  default void requestCompleted(String route, int status, long latencyNanos, boolean admitted) {}

  default void connectionOpened() {}

  default void connectionClosed() {}

  default void connectionRejected() {}
}
