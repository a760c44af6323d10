package io.spillway.server.broker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Glob patterns indexed by the literal bytes their matches must start or end with, so that finding the patterns a
 * channel matches tests only those whose literal start (or end) the channel has, and each of those only beyond the
 * bytes the index already compared.
 *
 * <p>Every pattern has a {@linkplain #costOf cost}: the most byte comparisons it can add to one lookup, for a channel
 * of at most {@code maxChannelLength} bytes. A lookup makes at most {@code 2 x maxChannelLength} comparisons walking
 * the index plus the sum of the costs of the patterns held ({@link #cost()}), whatever the patterns; the broker keeps
 * that sum under a budget.
 *
 * <p>Threading: {@link #add} and {@link #remove} may be called from any thread (they take this index's lock, one
 * writer at a time); {@link #matching} from any thread at any time, without a lock, allocating nothing unless a
 * pattern matches.
 *
 * @param <T> what a pattern stands for (the broker's topic)
 */
final class PatternIndex<T> {

  /*
   * Design notes.
   *
   * Three places: patterns with a literal prefix go in a radix tree keyed by that prefix; patterns that start with a
   * wildcard but end with literal bytes go in a second tree keyed by that suffix, reversed; patterns with neither
   * ("*", "?x*", "*error*") in a plain array, tested against every channel. A pattern with both goes where its
   * literal part is longer. A lookup walks the channel down the prefix tree from its first byte and down the suffix
   * tree from its last: each channel byte is compared once per tree, and the patterns at each node passed are the
   * only candidates. A candidate is matched by its remainder (the pattern without the literal part the tree has
   * compared, compiled once) on the rest of the channel, with GlobPattern's linear matcher; the unindexed patterns
   * by their whole glob.
   *
   * A pattern's cost is 1 (for visiting it) plus GlobPattern.worstComparisons of what is matched per lookup: its
   * remainder's anchored tokens, plus maxChannelLength per token of its floating segments (those between two
   * stars, searched for). So "*" + "a" x 1000 + "bN" costs 2 (its remainder is "*"), "news.*" 2, "*error*"
   * 1 + 5 x maxChannelLength, and "*" + "b" + "a" x 500 + "*" 1 + 501 x maxChannelLength. The sum bounds every lookup,
   * even one by a channel that every indexed pattern's literal part fits.
   *
   * Concurrency: the trees are persistent (RadixNode copies the path it changes) and the three roots volatile, so a
   * reader sees either the tree before a change or after it, never a half-made one, with no lock. Writers are rare
   * (PSUBSCRIBE of a pattern nobody held yet, last PUNSUBSCRIBE) and serialise on this index's monitor. A change
   * copies at most one path: its length is bounded by the key's length.
   */

  /** One indexed pattern: what it stands for, and the glob of what the index did not compare. */
  private static final class Entry<T> {
    final T value;
    final GlobPattern rest;
    final long cost;

    Entry(T value, GlobPattern rest, long cost) {
      this.value = value;
      this.rest = rest;
      this.cost = cost;
    }
  }

  private final int maxChannelLength;
  private final T[] none;

  private volatile RadixNode<Entry<T>> byPrefix = RadixNode.root();
  private volatile RadixNode<Entry<T>> bySuffix = RadixNode.root();

  @SuppressWarnings({"unchecked", "rawtypes"})
  private volatile Entry<T>[] unindexed = new Entry[0];

  private long cost;
  private int size;

  /**
   * @param maxChannelLength the longest channel {@link #matching} will be asked about (costs are computed for it)
   * @param none an empty array of {@code T}, returned when nothing matches (and the type of the arrays returned)
   */
  PatternIndex(int maxChannelLength, T[] none) {
    if (none.length != 0) {
      throw new IllegalArgumentException("not empty: " + none.length);
    }
    this.maxChannelLength = maxChannelLength;
    this.none = none;
  }

  /** Where a pattern goes in the index and what a lookup then still matches. */
  private enum Place {
    PREFIX,
    SUFFIX,
    UNINDEXED
  }

  private static Place placeOf(GlobLiterals lit) {
    if (lit.prefix.length == 0 && lit.suffix.length == 0) {
      return Place.UNINDEXED;
    }
    return lit.prefix.length >= lit.suffix.length ? Place.PREFIX : Place.SUFFIX;
  }

  private static GlobPattern restOf(byte[] pattern, GlobLiterals lit, Place place) {
    switch (place) {
      case PREFIX:
        return GlobPattern.compile(Arrays.copyOfRange(pattern, lit.prefixEnd, pattern.length));
      case SUFFIX:
        return GlobPattern.compile(Arrays.copyOf(pattern, lit.suffixStart));
      default:
        return GlobPattern.compile(pattern);
    }
  }

  /** How many bytes of {@code pattern}'s literal start or end the index keys it by (0: not indexed). Any thread. */
  static int keyLength(byte[] pattern) {
    GlobLiterals lit = GlobLiterals.of(pattern);
    switch (placeOf(lit)) {
      case PREFIX:
        return lit.prefix.length;
      case SUFFIX:
        return lit.suffix.length;
      default:
        return 0;
    }
  }

  /**
   * The most comparisons {@code pattern} can add to one lookup by a channel of at most {@code maxChannelLength}
   * bytes, as {@link #add} would count it. Any thread.
   */
  static long costOf(byte[] pattern, int maxChannelLength) {
    GlobLiterals lit = GlobLiterals.of(pattern);
    return 1 + restOf(pattern, lit, placeOf(lit)).worstComparisons(maxChannelLength);
  }

  /**
   * Adds {@code pattern}, standing for {@code value}; returns its {@linkplain #costOf cost}. A pattern added twice
   * (with two values) is found twice. Any thread.
   */
  synchronized long add(byte[] pattern, T value) {
    GlobLiterals lit = GlobLiterals.of(pattern);
    Place place = placeOf(lit);
    GlobPattern rest = restOf(pattern, lit, place);
    Entry<T> e = new Entry<>(value, rest, 1 + rest.worstComparisons(maxChannelLength));
    switch (place) {
      case PREFIX:
        byPrefix = byPrefix.with(lit.prefix, e);
        break;
      case SUFFIX:
        bySuffix = bySuffix.with(reversed(lit.suffix), e);
        break;
      default:
        Entry<T>[] more = Arrays.copyOf(unindexed, unindexed.length + 1);
        more[unindexed.length] = e;
        unindexed = more;
    }
    cost += e.cost;
    size++;
    return e.cost;
  }

  /**
   * Removes {@code pattern} added for {@code value} (compared by identity); returns the cost it counted, or 0 when it
   * was not there. Any thread.
   */
  synchronized long remove(byte[] pattern, T value) {
    GlobLiterals lit = GlobLiterals.of(pattern);
    Entry<T> e;
    switch (placeOf(lit)) {
      case PREFIX:
        e = find(byPrefix, lit.prefix, value);
        if (e != null) {
          byPrefix = byPrefix.without(lit.prefix, e);
        }
        break;
      case SUFFIX:
        byte[] key = reversed(lit.suffix);
        e = find(bySuffix, key, value);
        if (e != null) {
          bySuffix = bySuffix.without(key, e);
        }
        break;
      default:
        e = null;
        Entry<T>[] all = unindexed;
        for (int i = 0; i < all.length; i++) {
          if (all[i].value == value) {
            e = all[i];
            @SuppressWarnings({"unchecked", "rawtypes"})
            Entry<T>[] fewer = new Entry[all.length - 1];
            System.arraycopy(all, 0, fewer, 0, i);
            System.arraycopy(all, i + 1, fewer, i, fewer.length - i);
            unindexed = fewer;
            break;
          }
        }
    }
    if (e == null) {
      return 0;
    }
    cost -= e.cost;
    size--;
    return e.cost;
  }

  private static <T> Entry<T> find(RadixNode<Entry<T>> root, byte[] key, T value) {
    RadixNode<Entry<T>> n = root;
    int depth = 0;
    while (true) {
      byte[] label = n.label;
      if (key.length - depth < label.length
          || !Arrays.equals(label, 0, label.length, key, depth, depth + label.length)) {
        return null;
      }
      depth += label.length;
      if (depth == key.length) {
        for (int i = 0; i < n.entries.length; i++) {
          if (n.entry(i).value == value) {
            return n.entry(i);
          }
        }
        return null;
      }
      n = n.child(key[depth]);
      if (n == null) {
        return null;
      }
    }
  }

  private static byte[] reversed(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  /**
   * The values of the patterns {@code channel} matches (Redis glob rules), in no particular order; the empty array
   * given to the constructor when none does. The array is neither modified nor kept. Any thread, no lock; allocates
   * only when something matches.
   */
  T[] matching(byte[] channel) {
    List<T> found = null;
    Entry<T>[] all = unindexed;
    for (Entry<T> e : all) {
      if (e.rest.matches(channel)) {
        found = add(found, e.value);
      }
    }
    if (channel.length > 0) {
      found = walk(byPrefix, channel, false, found);
      found = walk(bySuffix, channel, true, found);
    }
    return found == null ? none : found.toArray(none);
  }

  private static <T> List<T> walk(
      RadixNode<Entry<T>> root, byte[] channel, boolean fromEnd, List<T> found) {
    int length = channel.length;
    RadixNode<Entry<T>> n = root;
    int depth = 0;
    while (true) {
      byte[] label = n.label;
      if (length - depth < label.length) {
        return found;
      }
      for (int k = 0; k < label.length; k++) {
        int at = depth + k;
        if (label[k] != channel[fromEnd ? length - 1 - at : at]) {
          return found;
        }
      }
      depth += label.length;
      Object[] entries = n.entries;
      for (int i = 0; i < entries.length; i++) {
        Entry<T> e = n.entry(i);
        boolean hit = fromEnd
            ? e.rest.matchesRange(channel, 0, length - depth)
            : e.rest.matchesRange(channel, depth, length);
        if (hit) {
          found = add(found, e.value);
        }
      }
      if (depth == length) {
        return found;
      }
      n = n.child(channel[fromEnd ? length - 1 - depth : depth]);
      if (n == null) {
        return found;
      }
    }
  }

  private static <T> List<T> add(List<T> found, T value) {
    List<T> list = found == null ? new ArrayList<>(2) : found;
    list.add(value);
    return list;
  }

  /** The sum of the costs of the patterns held: the most comparisons one lookup makes besides the walk. Any thread. */
  synchronized long cost() {
    return cost;
  }

  /** Patterns held. Any thread. */
  synchronized int size() {
    return size;
  }

  /** Radix nodes in both trees, for tests that check removal gives back the memory. Any thread. */
  int nodes() {
    return byPrefix.size() + bySuffix.size();
  }
}
