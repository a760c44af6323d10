package io.spillway.client;

/**
 * The server shed the request without publishing it: 503, 429 or a Spillway 504 ({@code X-Spillway-Shed}), or the
 * connection was refused before the request was sent. Retryable; thrown once retries are over.
 */
public class ShedException extends SpillwayException {

  private final int status;
  private final String reason;
  private final long retryAfterSeconds;

  ShedException(
      int status, String reason, long retryAfterSeconds, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** The HTTP status; 0 when the connection could not be made. */
  public int status() {
    return status;
  }

  /** The server's {@code X-Spillway-Shed} reason ({@code queue_full}, {@code deadline}...), or a local one. */
  public String reason() {
    return reason;
  }

  /** The server's {@code Retry-After} in seconds, 0 if none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  @Override
  public boolean notPublished() {
    return true;
  }
}
