package io.spillway.bench.slow;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * When the server cut each named client, as seen in successive {@code CLIENT LIST} replies: a name cut is one that
 * was listed in an earlier snapshot (or reported {@linkplain #present present}) and is missing from a later one; its cut time is the first snapshot without
 * it. Not thread-safe: one thread (the run's poller) feeds it.
 */
final class ClientCutTracker {

  private final Map<String, Long> cutAt = new LinkedHashMap<>();
  private final Set<String> seen = new HashSet<>();

  /** @param names the client names to follow ({@code CLIENT SETNAME}), in report order */
  ClientCutTracker(List<String> names) {
    names.forEach(n -> cutAt.put(n, null));
  }

  /** Records the {@code CLIENT LIST} reply {@code clientList} taken at {@code nanos}. */
  void observe(long nanos, String clientList) {
    Set<String> present = names(clientList);
    for (Map.Entry<String, Long> e : cutAt.entrySet()) {
      String name = e.getKey();
      if (present.contains(name)) {
        seen.add(name);
      } else if (seen.contains(name) && e.getValue() == null) {
        e.setValue(nanos);
      }
    }
  }

  /**
   * Records that {@code name} exists (its subscription was just confirmed), so that a cut before the next
   * {@code CLIENT LIST} is still seen as a cut.
   */
  void present(String name) {
    if (cutAt.containsKey(name)) {
      seen.add(name);
    }
  }

  /** True once {@code name} has been listed (or {@linkplain #present reported}) at least once. */
  boolean seen(String name) {
    return seen.contains(name);
  }

  /** When {@code name} was first found missing after being listed, or empty if it has not been cut. */
  OptionalLong cutNanos(String name) {
    Long at = cutAt.get(name);
    return at == null ? OptionalLong.empty() : OptionalLong.of(at);
  }

  /** True when every followed name has been cut. */
  boolean allCut() {
    return cutAt.values().stream().allMatch(v -> v != null);
  }

  /** The {@code name=} fields of a {@code CLIENT LIST} reply, one client a line; unnamed clients are skipped. */
  static Set<String> names(String clientList) {
    Set<String> names = new HashSet<>();
    for (String line : clientList.split("\r?\n", -1)) {
      for (String field : line.split(" ", -1)) {
        if (field.startsWith("name=") && field.length() > "name=".length()) {
          names.add(field.substring("name=".length()));
        }
      }
    }
    return names;
  }
}
