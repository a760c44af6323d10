package io.spillway.server.broker;

import java.util.Arrays;

/**
 * The {@link String} keys of the channel names one event loop publishes to most, so that a publish to a hot channel
 * allocates no key: a small direct-mapped table from a name's bytes to its key. Confined to one loop.
 */
final class NameCache {

  private static final int SLOTS = 256;
  /** Longer names are not cached (they are rare, and comparing them costs as much as a copy). */
  private static final int MAX_CACHED_LENGTH = 256;

  private final byte[][] names = new byte[SLOTS][];
  private final String[] keys = new String[SLOTS];

  /** The key of {@code name} ({@link Names#of}), from the table when it is there. */
  String key(byte[] name) {
    if (name.length > MAX_CACHED_LENGTH) {
      return Names.of(name);
    }
    int slot = Arrays.hashCode(name) & (SLOTS - 1);
    byte[] cached = names[slot];
    if (cached != null && Arrays.equals(cached, name)) {
      return keys[slot];
    }
    String key = Names.of(name);
    names[slot] = name.clone();
    keys[slot] = key;
    return key;
  }
}
