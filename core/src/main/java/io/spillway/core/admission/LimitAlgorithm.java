package io.spillway.core.admission;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the concurrency limit, the number of jobs allowed to run at once, is chosen. The adaptive ones are Netflix
 * concurrency-limits' algorithms, fed each job's run time as measured by the controller's clock.
 */
public enum LimitAlgorithm {
  /** A fixed limit: the number of workers. */
  NONE,
  /** Netflix's Gradient2: compares the short-term run time with a long-term average and shrinks as it grows. */
  GRADIENT2,
  /** TCP Vegas: estimates the queue from the minimum run time seen and the current one. */
  VEGAS,
  /** Additive increase, multiplicative decrease: backs off when a job runs past {@code aimdTimeout} or drops. */
  AIMD;

  /**
   * Reads an algorithm by name, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the text and the allowed values
   */
  public static LimitAlgorithm parse(String text) {
    if (text != null) {
      String name = text.trim().toUpperCase(Locale.ROOT);
      for (LimitAlgorithm a : values()) {
        if (a.name().equals(name)) {
          return a;
        }
      }
    }
    throw new IllegalArgumentException("unknown limit algorithm '" + text + "': allowed values are "
        + Arrays.stream(values())
            .map(a -> a.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", ")));
  }

  /** True for the algorithms that move the limit with measured run times. */
  public boolean adaptive() {
    return this != NONE;
  }
}
