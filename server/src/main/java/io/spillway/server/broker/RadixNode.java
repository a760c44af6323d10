package io.spillway.server.broker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One immutable node of {@link PatternIndex}'s radix trees: the bytes of the edge that leads to it, the entries whose
 * key ends here, and its children by first byte. A change copies the path from the root to the changed node
 * (persistent tree), so readers walk a tree that never changes under them, with no lock; any thread.
 */
final class RadixNode<E> {

  private static final byte[] NO_BYTES = new byte[0];

  @SuppressWarnings("rawtypes")
  private static final RadixNode[] NO_CHILDREN = new RadixNode[0];

  private static final Object[] NO_ENTRIES = new Object[0];

  /** The edge's bytes, in key order; empty for the root only. */
  final byte[] label;
  /** Entries whose key ends at this node, in no order. */
  final Object[] entries;
  /** First byte of each child's label, ascending (as unsigned). */
  final byte[] firsts;

  final RadixNode<E>[] children;

  private RadixNode(byte[] label, Object[] entries, byte[] firsts, RadixNode<E>[] children) {
    this.label = label;
    this.entries = entries;
    this.firsts = firsts;
    this.children = children;
  }

  @SuppressWarnings("unchecked")
  static <E> RadixNode<E> root() {
    return new RadixNode<>(NO_BYTES, NO_ENTRIES, NO_BYTES, NO_CHILDREN);
  }

  @SuppressWarnings("unchecked")
  private static <E> RadixNode<E> leaf(byte[] label, Object entry) {
    return new RadixNode<>(label, new Object[] {entry}, NO_BYTES, NO_CHILDREN);
  }

  @SuppressWarnings("unchecked")
  E entry(int i) {
    return (E) entries[i];
  }

  /** The child whose label starts with {@code b}, or null. */
  RadixNode<E> child(byte b) {
    byte[] f = firsts;
    int lo = 0;
    int hi = f.length - 1;
    int key = b & 0xff;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int v = f[mid] & 0xff;
      if (v < key) {
        lo = mid + 1;
      } else if (v > key) {
        hi = mid - 1;
      } else {
        return children[mid];
      }
    }
    return null;
  }

  private int childIndex(byte b) {
    for (int i = 0; i < firsts.length; i++) {
      if (firsts[i] == b) {
        return i;
      }
    }
    return -1;
  }

  /**
   * This tree (this node is its root) with {@code entry} added under {@code key}. Iterative, so a long key cannot
   * overflow the stack.
   */
  RadixNode<E> with(byte[] key, E entry) {
    List<RadixNode<E>> path = new ArrayList<>();
    List<Integer> turns = new ArrayList<>();
    RadixNode<E> node = this;
    int pos = 0;
    RadixNode<E> changed;
    while (true) {
      byte[] label = node.label;
      int common = 0;
      while (common < label.length
          && pos + common < key.length
          && label[common] == key[pos + common]) {
        common++;
      }
      if (common < label.length) {
        changed = node.split(common, key, pos + common, entry);
        break;
      }
      int at = pos + common;
      if (at == key.length) {
        Object[] more = Arrays.copyOf(node.entries, node.entries.length + 1);
        more[node.entries.length] = entry;
        changed = new RadixNode<>(label, more, node.firsts, node.children);
        break;
      }
      int ci = node.childIndex(key[at]);
      if (ci < 0) {
        changed = node.withChild(leaf(Arrays.copyOfRange(key, at, key.length), entry));
        break;
      }
      path.add(node);
      turns.add(ci);
      node = node.children[ci];
      pos = at;
    }
    for (int i = path.size() - 1; i >= 0; i--) {
      changed = path.get(i).withChildAt(turns.get(i), changed);
    }
    return changed;
  }

  /**
   * This node split after {@code common} bytes of its label, with {@code entry} at the split (when the key ends
   * there, at {@code rest} == key length) or in a new leaf beside this node's lower half.
   */
  private RadixNode<E> split(int common, byte[] key, int rest, E entry) {
    RadixNode<E> lower =
        new RadixNode<>(Arrays.copyOfRange(label, common, label.length), entries, firsts, children);
    byte[] upper = Arrays.copyOf(label, common);
    if (rest == key.length) {
      RadixNode<E>[] only = newArray(1);
      only[0] = lower;
      return new RadixNode<>(upper, new Object[] {entry}, new byte[] {lower.label[0]}, only);
    }
    RadixNode<E> leaf = leaf(Arrays.copyOfRange(key, rest, key.length), entry);
    return new RadixNode<E>(upper, NO_ENTRIES, NO_BYTES, newArray(0))
        .withChild(lower)
        .withChild(leaf);
  }

  /**
   * This tree (this node is its root) without {@code entry} (compared by identity) under {@code key}; this same tree
   * when it is not there. Nodes left with nothing are dropped, and a node left with one child and no entry is merged
   * with it, so the tree holds no more nodes than its entries need. Iterative.
   */
  RadixNode<E> without(byte[] key, E entry) {
    List<RadixNode<E>> path = new ArrayList<>();
    List<Integer> turns = new ArrayList<>();
    RadixNode<E> node = this;
    int pos = 0;
    RadixNode<E> changed;
    while (true) {
      byte[] label = node.label;
      if (key.length - pos < label.length
          || !Arrays.equals(label, 0, label.length, key, pos, pos + label.length)) {
        return this;
      }
      int at = pos + label.length;
      if (at == key.length) {
        int ei = -1;
        for (int i = 0; i < node.entries.length; i++) {
          if (node.entries[i] == entry) {
            ei = i;
            break;
          }
        }
        if (ei < 0) {
          return this;
        }
        Object[] fewer = new Object[node.entries.length - 1];
        System.arraycopy(node.entries, 0, fewer, 0, ei);
        System.arraycopy(node.entries, ei + 1, fewer, ei, fewer.length - ei);
        changed = new RadixNode<>(label, fewer, node.firsts, node.children);
        break;
      }
      int ci = node.childIndex(key[at]);
      if (ci < 0) {
        return this;
      }
      path.add(node);
      turns.add(ci);
      node = node.children[ci];
      pos = at;
    }
    if (path.isEmpty()) {
      return changed; // the root itself: never dropped nor merged
    }
    RadixNode<E> below = changed.compacted();
    for (int i = path.size() - 1; i >= 0; i--) {
      RadixNode<E> parent = path.get(i);
      RadixNode<E> next = below == null
          ? parent.withoutChild(turns.get(i))
          : parent.withChildAt(turns.get(i), below);
      below = i == 0 ? next : next.compacted();
    }
    return below;
  }

  /** Null when empty; merged with its only child when it holds no entry; else itself. */
  private RadixNode<E> compacted() {
    if (entries.length > 0) {
      return this;
    }
    if (children.length == 0) {
      return null;
    }
    if (children.length == 1) {
      RadixNode<E> only = children[0];
      byte[] merged = Arrays.copyOf(label, label.length + only.label.length);
      System.arraycopy(only.label, 0, merged, label.length, only.label.length);
      return new RadixNode<>(merged, only.entries, only.firsts, only.children);
    }
    return this;
  }

  private RadixNode<E> withChild(RadixNode<E> child) {
    int key = child.label[0] & 0xff;
    int at = 0;
    while (at < firsts.length && (firsts[at] & 0xff) < key) {
      at++;
    }
    byte[] f = new byte[firsts.length + 1];
    System.arraycopy(firsts, 0, f, 0, at);
    f[at] = child.label[0];
    System.arraycopy(firsts, at, f, at + 1, firsts.length - at);
    RadixNode<E>[] c = Arrays.copyOf(children, children.length + 1);
    System.arraycopy(children, at, c, at + 1, children.length - at);
    c[at] = child;
    return new RadixNode<>(label, entries, f, c);
  }

  private RadixNode<E> withChildAt(int i, RadixNode<E> child) {
    RadixNode<E>[] c = children.clone();
    c[i] = child;
    return new RadixNode<>(label, entries, firsts, c);
  }

  private RadixNode<E> withoutChild(int i) {
    byte[] f = new byte[firsts.length - 1];
    System.arraycopy(firsts, 0, f, 0, i);
    System.arraycopy(firsts, i + 1, f, i, f.length - i);
    RadixNode<E>[] c = Arrays.copyOf(children, children.length - 1);
    System.arraycopy(children, i + 1, c, i, c.length - i);
    return new RadixNode<>(label, entries, f, c);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <E> RadixNode<E>[] newArray(int length) {
    return new RadixNode[length];
  }

  /** Nodes in this tree (for tests of compaction). */
  int size() {
    int n = 1;
    for (RadixNode<E> c : children) {
      n += c.size();
    }
    return n;
  }
}
