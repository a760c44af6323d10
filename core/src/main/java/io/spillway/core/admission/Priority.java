package io.spillway.core.admission;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How much a job matters when the server must choose what to drop. Sheds take the lowest class first: a
 * {@link #SHEDDABLE} job may use only the bottom part of the queue, a {@link #NORMAL} one more of it, and a
 * {@link #CRITICAL} one all of it, evicting lower classes when there is no room left. Workers serve the classes in
 * declaration order.
 */
public enum Priority {
  /** Served first; may take the place of a queued lower-priority job; admitted up to the full queue. */
  CRITICAL,
  /** The default class; may take the place of a queued sheddable job. */
  NORMAL,
  /** Shed first: admitted only while the queue is below its share, evicted by anything else. */
  SHEDDABLE;

  /**
   * Reads a priority by name, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the text and the allowed values
   */
  public static Priority parse(String text) {
    if (text != null) {
      String name = text.trim().toUpperCase(Locale.ROOT);
      for (Priority p : values()) {
        if (p.name().equals(name)) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException(
        "unknown priority '" + text + "': allowed values are " + allowed());
  }

  private static String allowed() {
    return Arrays.stream(values())
        .map(p -> p.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
