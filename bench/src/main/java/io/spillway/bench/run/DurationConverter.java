package io.spillway.bench.run;

import io.spillway.core.config.DurationParser;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as Spillway's configuration does, with core's {@link DurationParser}, for picocli. */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    try {
      return DurationParser.parse(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage());
    }
  }

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException naming the text, when it is not a duration
   */
  public static Duration parse(String text) {
    return DurationParser.parse(text);
  }

  /** Formats a duration the way {@link #parse} reads it back: {@code 10s}, {@code 250ms}. */
  public static String format(Duration d) {
    return DurationParser.format(d);
  }
}
