package io.spillway.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations configuration uses: {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}, a bare number of
 * seconds, or ISO-8601 ({@code PT5S}).
 */
public final class DurationParser {

  private static final Pattern SYNTAX =
      Pattern.compile("\\s*(\\d+)\\s*(ns|us|ms|s|m|h)?\\s*", Pattern.CASE_INSENSITIVE);

  private DurationParser() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text, when it is not a duration
   */
  public static Duration parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
      switch (unit) {
        case "ns":
          return Duration.ofNanos(n);
        case "us":
          return Duration.ofNanos(Math.multiplyExact(n, 1000L));
        case "ms":
          return Duration.ofMillis(n);
        case "m":
          return Duration.ofMinutes(n);
        case "h":
          return Duration.ofHours(n);
        default:
          return Duration.ofSeconds(n);
      }
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (examples: 250ms, 5s, 2m, PT5S)", e);
    }
  }

  /** Formats a duration the way {@link #parse} reads it back: {@code 5s}, {@code 250ms}. */
  public static String format(Duration d) {
    if (d.toNanos() % 1_000_000_000L == 0) {
      return d.toSeconds() + "s";
    }
    if (d.toNanos() % 1_000_000L == 0) {
      return d.toMillis() + "ms";
    }
    return d.toNanos() + "ns";
  }
}
