package io.spillway.server.backplane;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the last message number seen from each server, to drop the second copy of a message: Redis sends one per
 * matching subscription, so a server holding channel {@code a} and pattern {@code a*} gets each message of {@code a}
 * twice, one right after the other. Valid only where one server's messages arrive in the order it sent them (one
 * connection to one Redis). Bounded: the least recently heard-from servers are forgotten beyond {@link #MAX_NODES}.
 * Confined to the thread that reads the backplane.
 */
final class DuplicateFilter {

  /** Servers remembered; a server restarts with a new id, so old ids must age out. */
  static final int MAX_NODES = 4096;

  private final Map<Long, long[]> last = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, long[]> eldest) {
      return size() > MAX_NODES;
    }
  };

  /** Whether message {@code seq} of {@code node} is seen for the first time (and remembers it). */
  boolean firstSight(long node, long seq) {
    long[] seen = last.get(node);
    if (seen == null) {
      last.put(node, new long[] {seq});
      return true;
    }
    if (seq <= seen[0]) {
      return false;
    }
    seen[0] = seq;
    return true;
  }

  /** Servers remembered now. */
  int size() {
    return last.size();
  }
}
