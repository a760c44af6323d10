package io.spillway.server.outbox;

import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.spillway.core.outbox.OverflowStrategy;
import java.util.HashMap;

/**
 * The ring an outbox keeps of what waits for its socket: ranges of shared message runs ({@link SharedBuffer}),
 * buffers the client owns (replies, with their promises), and in-band notices ({@link Notice}, counted as 0 bytes).
 * Besides adding at the tail and taking from the head, it can evict a channel's oldest messages from anywhere in the
 * ring, leaving a gap notice where they were. Confined to the client's event loop.
 */
final class OutboxQueue {

  /*
   * Design notes. Parallel arrays, a power-of-two ring, grown by doubling: adding an entry costs array stores, no
   * allocation. Eviction compacts the ring into a second set of arrays of the same size, kept for the next time, and
   * swaps them in: one pass, no allocation in the steady state. An open gap notice (one per channel, in openGaps)
   * takes the count of later losses of its channel as long as no message of that channel has been queued behind it.
   */

  private Object[] items;
  private int[] offsets;
  private int[] lengths;
  private int[] counts;
  private ChannelPromise[] promises;
  private Object[] spareItems;
  private int[] spareOffsets;
  private int[] spareLengths;
  private int[] spareCounts;
  private ChannelPromise[] sparePromises;
  private int head;
  private int size;
  private long bytes;
  private long exemptBytes;
  private long blockBytes;
  private final HashMap<ChannelTag, Notice> openGaps = new HashMap<>(4);

  /** What {@link #poll} took. */
  Object item;

  int offset;
  int length;
  int messages;
  ChannelPromise promise;

  OutboxQueue(int initialEntries) {
    allocate(Integer.highestOneBit(Math.max(2, initialEntries - 1)) << 1);
  }

  private void allocate(int n) {
    items = new Object[n];
    offsets = new int[n];
    lengths = new int[n];
    counts = new int[n];
    promises = new ChannelPromise[n];
    spareItems = null;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** Bytes of messages and replies queued (notices count 0). */
  long bytes() {
    return bytes;
  }

  /**
   * The part of {@link #bytes()} exempt from the soft window: messages of channels whose strategy is not {@code
   * disconnect} (see {@code OverflowStrategy.softWindowExempt}).
   */
  long exemptBytes() {
    return exemptBytes;
  }

  /** The part of {@link #bytes()} that belongs to {@code block} channels. */
  long blockBytes() {
    return blockBytes;
  }

  /** Queues a range of shared messages of {@code frames}' channel; the caller has taken the hold. */
  void addMessages(SharedBuffer frames, int offset, int length, int messages) {
    add(frames, offset, length, messages, null);
    if (frames.tag().strategy().softWindowExempt()) {
      exemptBytes += length;
    }
    if (frames.tag().strategy() == OverflowStrategy.BLOCK) {
      blockBytes += length;
    }
    if (!openGaps.isEmpty()) {
      openGaps.remove(frames.tag());
    }
  }

  /** The channel of the oldest queued message of a lossy channel, or null if none is queued. */
  ChannelTag oldestLossyTag() {
    if (exemptBytes == 0) {
      return null;
    }
    int mask = items.length - 1;
    for (int k = 0; k < size; k++) {
      if (items[(head + k) & mask] instanceof SharedBuffer frames
          && frames.tag().strategy().lossy()) {
        return frames.tag();
      }
    }
    return null;
  }

  /** Queues a buffer the client owns, with the promise to complete when the socket has taken it (or null). */
  void addOwned(Object buf, int offset, int length, ChannelPromise promise) {
    add(buf, offset, length, 0, promise);
  }

  /** Queues a warning notice at the tail. */
  void addNotice(Notice n) {
    add(n, 0, 0, 0, null);
  }

  /**
   * Records {@code lost} messages of {@code tag}'s channel dropped at the tail: the channel's open gap notice takes
   * them, or a new one is queued ({@code notices}) and left open.
   */
  void gapAtTail(ChannelTag tag, OverflowStrategy strategy, long lost, boolean notices) {
    Notice open = openGaps.get(tag);
    if (open != null) {
      open.lost += lost;
    } else if (notices) {
      Notice n = Notice.gap(tag, strategy, lost);
      add(n, 0, 0, 0, null);
      openGaps.put(tag, n);
    }
  }

  private void add(Object item, int offset, int length, int messages, ChannelPromise promise) {
    if (size == items.length) {
      grow();
    }
    int i = (head + size) & (items.length - 1);
    items[i] = item;
    offsets[i] = offset;
    lengths[i] = length;
    counts[i] = messages;
    promises[i] = promise;
    size++;
    bytes += length;
  }

  private void grow() {
    int n = items.length;
    Object[] newItems = new Object[n * 2];
    int[] newOffsets = new int[n * 2];
    int[] newLengths = new int[n * 2];
    int[] newCounts = new int[n * 2];
    ChannelPromise[] newPromises = new ChannelPromise[n * 2];
    for (int k = 0; k < size; k++) {
      int from = (head + k) & (n - 1);
      newItems[k] = items[from];
      newOffsets[k] = offsets[from];
      newLengths[k] = lengths[from];
      newCounts[k] = counts[from];
      newPromises[k] = promises[from];
    }
    items = newItems;
    offsets = newOffsets;
    lengths = newLengths;
    counts = newCounts;
    promises = newPromises;
    spareItems = null;
    head = 0;
  }

  /** The head entry's item, or null when empty. */
  Object peek() {
    return size == 0 ? null : items[head];
  }

  /** Takes the head entry into {@link #item}, {@link #offset}, {@link #length}, {@link #messages}, {@link #promise}. */
  void poll() {
    int i = head;
    item = items[i];
    offset = offsets[i];
    length = lengths[i];
    messages = counts[i];
    promise = promises[i];
    items[i] = null;
    promises[i] = null;
    head = (i + 1) & (items.length - 1);
    size--;
    bytes -= length;
    if (item instanceof SharedBuffer frames) {
      if (frames.tag().strategy() == OverflowStrategy.BLOCK) {
        blockBytes -= length;
      }
      if (frames.tag().strategy().softWindowExempt()) {
        exemptBytes -= length;
      }
    } else if (item instanceof Notice n && n.isGap()) {
      openGaps.remove(n.tag, n);
    }
  }

  /**
   * Evicts the oldest queued messages of {@code tag}'s channel until {@code needBytes} are freed (or all of them),
   * leaving a gap notice where the first of them was ({@code notices}) or adding to the channel's open one. Returns
   * the number of messages evicted; {@link #length} is set to the bytes freed.
   */
  long evict(ChannelTag tag, OverflowStrategy strategy, long needBytes, boolean notices) {
    if (spareItems == null || spareItems.length != items.length) {
      spareItems = new Object[items.length];
      spareOffsets = new int[items.length];
      spareLengths = new int[items.length];
      spareCounts = new int[items.length];
      sparePromises = new ChannelPromise[items.length];
    }
    int mask = items.length - 1;
    Notice open = openGaps.get(tag);
    Notice placed = null;
    // A gap notice of this channel with nothing of the channel kept behind it yet: messages evicted
    // after it add to
    // its count instead of queueing another notice (conflate evicts on every delivery while
    // behind).
    Notice earlier = null;
    long freed = 0;
    long lost = 0;
    int w = 0;
    for (int k = 0; k < size; k++) {
      int i = (head + k) & mask;
      Object it = items[i];
      if (it instanceof Notice n && n.isCountedGap() && n.tag == tag) {
        earlier = n;
      }
      if (freed < needBytes && it instanceof SharedBuffer frames && frames.tag() == tag) {
        if (open == null && placed == null && earlier != null) {
          placed = earlier;
        }
        int start = offsets[i];
        int end = start + lengths[i];
        int left = counts[i];
        while (start < end && freed < needBytes) {
          int next = frames.nextMessage(start, end);
          freed += next - start;
          start = next;
          left--;
          lost++;
        }
        if (open == null && placed == null && notices) {
          placed = Notice.gap(tag, strategy, 0);
          w = put(w, placed, 0, 0, 0, null);
        }
        if (start < end) {
          w = put(w, frames, start, end - start, left, null);
          earlier = null;
        } else {
          frames.release();
        }
        items[i] = null;
        continue;
      }
      if (it instanceof SharedBuffer kept && kept.tag() == tag) {
        earlier = null;
      }
      w = put(w, it, offsets[i], lengths[i], counts[i], promises[i]);
      items[i] = null;
      promises[i] = null;
    }
    swap(w);
    bytes -= freed;
    if (strategy.softWindowExempt()) {
      exemptBytes -= freed;
    }
    Notice target = open != null ? open : placed;
    if (target != null) {
      target.lost += lost;
      openGaps.put(tag, target);
    }
    length = (int) Math.min(Integer.MAX_VALUE, freed);
    return lost;
  }

  private int put(int w, Object it, int offset, int length, int messages, ChannelPromise promise) {
    if (w == spareItems.length) {
      // A notice took a slot the evicted entries did not free: grow the spare set and keep going.
      spareItems = java.util.Arrays.copyOf(spareItems, w * 2);
      spareOffsets = java.util.Arrays.copyOf(spareOffsets, w * 2);
      spareLengths = java.util.Arrays.copyOf(spareLengths, w * 2);
      spareCounts = java.util.Arrays.copyOf(spareCounts, w * 2);
      sparePromises = java.util.Arrays.copyOf(sparePromises, w * 2);
    }
    spareItems[w] = it;
    spareOffsets[w] = offset;
    spareLengths[w] = length;
    spareCounts[w] = messages;
    sparePromises[w] = promise;
    return w + 1;
  }

  private void swap(int newSize) {
    Object[] oldItems = items;
    int[] oldOffsets = offsets;
    int[] oldLengths = lengths;
    int[] oldCounts = counts;
    ChannelPromise[] oldPromises = promises;
    items = spareItems;
    offsets = spareOffsets;
    lengths = spareLengths;
    counts = spareCounts;
    promises = sparePromises;
    if (oldItems.length == items.length) {
      spareItems = oldItems;
      spareOffsets = oldOffsets;
      spareLengths = oldLengths;
      spareCounts = oldCounts;
      sparePromises = oldPromises;
    } else {
      spareItems = null; // put() grew the spares past the ring: the ring is now that larger size
    }
    head = 0;
    size = newSize;
  }

  /** Drops every queued message (replies and notices stay); returns how many were dropped. */
  long discardMessages() {
    long dropped = 0;
    int mask = items.length - 1;
    int w = 0;
    if (spareItems == null || spareItems.length != items.length) {
      spareItems = new Object[items.length];
      spareOffsets = new int[items.length];
      spareLengths = new int[items.length];
      spareCounts = new int[items.length];
      sparePromises = new ChannelPromise[items.length];
    }
    for (int k = 0; k < size; k++) {
      int i = (head + k) & mask;
      Object it = items[i];
      if (it instanceof SharedBuffer frames) {
        frames.release();
        bytes -= lengths[i];
        if (frames.tag().strategy() == OverflowStrategy.BLOCK) {
          blockBytes -= lengths[i];
        }
        if (frames.tag().strategy().softWindowExempt()) {
          exemptBytes -= lengths[i];
        }
        dropped += counts[i];
      } else {
        w = put(w, it, offsets[i], lengths[i], counts[i], promises[i]);
      }
      items[i] = null;
      promises[i] = null;
    }
    swap(w);
    return dropped;
  }

  /** Releases every entry and fails every waiting promise with {@code cause}. */
  void releaseAll(Throwable cause) {
    while (size > 0) {
      poll();
      if (item instanceof SharedBuffer frames) {
        frames.release();
      } else if (!(item instanceof Notice)) {
        ReferenceCountUtil.release(item);
      }
      if (promise != null) {
        promise.tryFailure(cause);
      }
    }
    item = null;
    promise = null;
    bytes = 0;
    exemptBytes = 0;
    blockBytes = 0;
    openGaps.clear();
  }
}
