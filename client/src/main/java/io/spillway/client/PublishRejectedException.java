package io.spillway.client;

/**
 * The server answered with a status that is not retried: a 4xx other than 429 (bad request, unauthorised, too
 * large...), or a 5xx that is not a shed. The body is the server's JSON error.
 */
public final class PublishRejectedException extends SpillwayException {

  private final int status;
  private final String body;

  PublishRejectedException(String channel, int status, String body) {
    super("publish to " + channel + ": HTTP " + status + ": " + body, null);
    this.status = status;
    this.body = body;
  }

  public int status() {
    return status;
  }

  public String body() {
    return body;
  }
}
