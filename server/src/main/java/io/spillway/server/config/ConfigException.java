package io.spillway.server.config;

/**
 * A configuration that cannot be used: an unknown key, a value that does not parse or is out of range, or a config
 * file that cannot be read. The message is written for the operator and names the key or the file; it is meant to
 * be shown as it is, without a stack trace.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
