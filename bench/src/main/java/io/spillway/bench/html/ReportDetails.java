package io.spillway.bench.html;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads values out of a run's details, which hold JSON-like structure (maps, lists, numbers, strings) built by the
 * scenarios: anything missing or of another type reads as absent, never as an error. Stateless.
 */
final class ReportDetails {

  private ReportDetails() {}

  /** The maps in {@code value} if it is a list (other elements skipped); empty otherwise. */
  static List<Map<?, ?>> maps(Object value) {
    List<Map<?, ?>> maps = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m) {
          maps.add(m);
        }
      }
    }
    return maps;
  }

  /** {@code map.get(key)} as a double; NaN if absent, null or not a number. */
  static double number(Map<?, ?> map, String key) {
    return map.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** {@code map.get(key)} as a string; empty if absent or null. */
  static String text(Map<?, ?> map, String key) {
    Object v = map.get(key);
    return v == null ? "" : v.toString();
  }
}
