package io.spillway.bench.run;

/**
 * A run that could not be carried out (connection refused, subscriptions never confirmed...). Its message is
 * printed as is, so it names the target and what went wrong.
 */
public final class BenchException extends Exception {

  public BenchException(String message) {
    super(message);
  }

  public BenchException(String message, Throwable cause) {
    super(message, cause);
  }
}
