package io.spillway.bench.slow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.bench.pubsub.PayloadHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a slow reader subscribed to a bench channel and to {@value #NOTICES} received, counted from its raw bytes
 * as they are read, in whatever pieces: the messages of the channel by the sequence numbers in their payloads
 * ({@link PayloadHeader}), and the server's notices (gap notices for the channel, warnings). Not thread-safe: the
 * reader's thread feeds it, and others read it only after joining that thread.
 *
 * <p>Loss is counted two ways that must agree: by sequence numbers (the gaps between consecutive messages received,
 * plus, once publishing is over and the reader drained its connection, the tail after the last one received) and by
 * the {@code lost} counts of the gap notices. A gap notice stands where the loss happened, so a notice is
 * <em>followed</em> once a later message of the channel arrived; a notice still pending at the end stands for tail
 * loss.
 */
final class SlowStreamAccount {

  /** The channel on which Spillway sends a client its own notices. */
  static final String NOTICES = "__spillway__:notices";

  /** Where {@link PayloadHeader} puts the sequence number. */
  private static final int SEQUENCE_OFFSET = 12;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] MESSAGE = "message".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NOTICES_BYTES = NOTICES.getBytes(StandardCharsets.UTF_8);

  private final byte[] channel;
  private final String channelName;
  private byte[] buf = new byte[8192];
  private int start;
  private int end;

  private long received;
  private long firstSequence = -1;
  private long lastSequence = -1;
  private long lostBySequence;
  private long outOfOrder;
  private long gapNotices;
  private long noticedFollowed;
  private long noticedPending;
  private long noticedBeforeFirst;
  private long warnings;
  private String noticeStrategy;
  private String lastWarningState;
  private long malformed;

  /** @param channel the bench channel whose messages and gap notices are counted */
  SlowStreamAccount(String channel) {
    this.channelName = channel;
    this.channel = channel.getBytes(StandardCharsets.UTF_8);
  }

  /** Counts the {@code length} bytes at {@code offset} of {@code bytes}, the next ones of the connection. */
  void feed(byte[] bytes, int offset, int length) {
    if (end + length > buf.length) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
      if (end + length > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + length));
      }
    }
    System.arraycopy(bytes, offset, buf, end, length);
    end += length;
    int consumed;
    while ((consumed = frame(start)) > 0) {
      start += consumed;
    }
  }

  /** Parses one whole frame at {@code at}; returns its length, or 0 if it is not complete yet. */
  private int frame(int at) {
    if (at >= end) {
      return 0;
    }
    int lineEnd = lineEnd(at + 1);
    if (lineEnd < 0) {
      return 0;
    }
    if (buf[at] != '*') {
      return lineEnd + 2 - at; // +OK, :1, -ERR...: nothing to count
    }
    int count = (int) parseLong(at + 1, lineEnd);
    int pos = lineEnd + 2;
    int[] offsets = new int[Math.max(0, Math.min(count, 4))];
    int[] lengths = new int[offsets.length];
    for (int i = 0; i < count; i++) {
      if (pos >= end) {
        return 0;
      }
      int le = lineEnd(pos + 1);
      if (le < 0) {
        return 0;
      }
      if (buf[pos] != '$') {
        if (i < offsets.length) {
          offsets[i] = pos + 1;
          lengths[i] = le - pos - 1;
        }
        pos = le + 2;
        continue;
      }
      long n = parseLong(pos + 1, le);
      int dataStart = le + 2;
      if (n < 0) {
        pos = dataStart;
        continue;
      }
      if ((long) dataStart + n + 2 > end) {
        return 0;
      }
      if (i < offsets.length) {
        offsets[i] = dataStart;
        lengths[i] = (int) n;
      }
      pos = dataStart + (int) n + 2;
    }
    if (count == 3 && equal(offsets[0], lengths[0], MESSAGE)) {
      if (equal(offsets[1], lengths[1], channel)) {
        message(offsets[2], lengths[2]);
      } else if (equal(offsets[1], lengths[1], NOTICES_BYTES)) {
        notice(new String(buf, offsets[2], lengths[2], StandardCharsets.UTF_8));
      }
    }
    return pos - at;
  }

  private void message(int offset, int length) {
    ByteBuffer b = ByteBuffer.wrap(buf);
    if (length < PayloadHeader.LENGTH || b.getInt(offset) != PayloadHeader.MAGIC) {
      malformed++;
      return;
    }
    long sequence = b.getLong(offset + SEQUENCE_OFFSET);
    received++;
    if (firstSequence < 0) {
      firstSequence = sequence;
      noticedBeforeFirst += noticedPending;
    } else if (sequence > lastSequence + 1) {
      lostBySequence += sequence - lastSequence - 1;
      noticedFollowed += noticedPending;
    } else if (sequence <= lastSequence) {
      outOfOrder++;
      noticedFollowed += noticedPending;
    } else {
      noticedFollowed += noticedPending;
    }
    noticedPending = 0;
    lastSequence = Math.max(lastSequence, sequence);
  }

  /** One notice's JSON; a gap notice for another channel is ignored. */
  void notice(String json) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (java.io.IOException e) {
      malformed++;
      return;
    }
    String type = n.path("type").asText("");
    if (type.equals("gap")) {
      if (!n.path("channel").asText("").equals(channelName)) {
        return;
      }
      gapNotices++;
      noticedPending += n.path("lost").asLong(0);
      noticeStrategy = n.path("strategy").asText(null);
    } else if (type.equals("warning")) {
      warnings++;
      lastWarningState = n.path("state").asText(null);
    }
  }

  private int lineEnd(int from) {
    for (int i = from; i + 1 < end; i++) {
      if (buf[i] == '\r' && buf[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private long parseLong(int from, int to) {
    return Long.parseLong(new String(buf, from, to - from, StandardCharsets.US_ASCII));
  }

  private boolean equal(int offset, int length, byte[] expected) {
    return length == expected.length
        && Arrays.equals(buf, offset, offset + length, expected, 0, expected.length);
  }

  /** Messages of the channel received. */
  long received() {
    return received;
  }

  /** The first sequence number received, or -1. */
  long firstSequence() {
    return firstSequence;
  }

  /** The highest sequence number received, or -1. */
  long lastSequence() {
    return lastSequence;
  }

  /** Sequence numbers skipped between the first and the last message received. */
  long lostBySequence() {
    return lostBySequence;
  }

  /**
   * Messages never received after the last one received, given that {@code published} were published (sequence
   * numbers 0..published-1); 0 before the first message.
   */
  long tailMissing(long published) {
    return lastSequence < 0 ? 0 : Math.max(0, published - 1 - lastSequence);
  }

  /** Messages that arrived after a later one (duplicates included): 0 for a server that keeps order. */
  long outOfOrder() {
    return outOfOrder;
  }

  /** Gap notices received for the channel. */
  long gapNotices() {
    return gapNotices;
  }

  /** The sum of the {@code lost} counts of every gap notice received for the channel. */
  long noticedLost() {
    return noticedFollowed + noticedPending + noticedBeforeFirst;
  }

  /** The part of {@link #noticedLost} whose notices a message of the channel followed: gaps, not the tail. */
  long noticedFollowed() {
    return noticedFollowed;
  }

  /** The part of {@link #noticedLost} after the last message received: tail loss. */
  long noticedPending() {
    return noticedPending;
  }

  /** The part of {@link #noticedLost} received before the first message: loss the sequence numbers cannot see. */
  long noticedBeforeFirst() {
    return noticedBeforeFirst;
  }

  /** The strategy the last gap notice named, or null. */
  String noticeStrategy() {
    return noticeStrategy;
  }

  /** Warning notices received (above and back below the soft limit). */
  long warnings() {
    return warnings;
  }

  /** The state the last warning named, or null. */
  String lastWarningState() {
    return lastWarningState;
  }

  /** Messages of the channel without the bench's header, and notices that were not JSON. */
  long malformed() {
    return malformed;
  }
}
