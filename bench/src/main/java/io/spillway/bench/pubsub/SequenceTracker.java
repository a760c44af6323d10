package io.spillway.bench.pubsub;

/**
 * Checks one subscriber's messages for order and gaps, per stream (publisher, channel), from their sequence
 * numbers. Not thread-safe: owned by the subscriber's event loop.
 *
 * <p>A sequence above the next expected is a gap (the skipped numbers are counted as missing); one below is out
 * of order (a duplicate counts so too). Numbers never received after the last one seen are only known at the end,
 * from what was published: {@link #missing}.
 */
public final class SequenceTracker {

  private final int publishers;
  private final int channels;
  private final long[] next;
  private final long[] skipped;
  private long received;
  private long outOfOrder;
  private long foreign;

  public SequenceTracker(int publishers, int channels) {
    this.publishers = publishers;
    this.channels = channels;
    this.next = new long[publishers * channels];
    this.skipped = new long[publishers * channels];
  }

  /**
   * Takes the message whose payload starts at {@code payloadIndex} in {@code frame}: false if it is not a bench
   * message, or (counted as foreign) not of this run; otherwise its sequence number is checked and true returned.
   */
  public boolean onPayload(io.netty.buffer.ByteBuf frame, int payloadIndex, int payloadLength) {
    return PayloadHeader.isBench(frame, payloadIndex, payloadLength)
        && onMessage(
            PayloadHeader.publisher(frame, payloadIndex),
            PayloadHeader.channel(frame, payloadIndex),
            PayloadHeader.sequence(frame, payloadIndex));
  }

  /**
   * Takes one message; returns false (and counts it as foreign) if its publisher or channel is not of this run.
   */
  public boolean onMessage(int publisher, int channel, long sequence) {
    if (publisher < 0 || publisher >= publishers || channel < 0 || channel >= channels) {
      foreign++;
      return false;
    }
    int stream = publisher * channels + channel;
    long expected = next[stream];
    if (sequence == expected) {
      next[stream] = expected + 1;
    } else if (sequence > expected) {
      skipped[stream] += sequence - expected;
      next[stream] = sequence + 1;
    } else {
      outOfOrder++;
    }
    received++;
    return true;
  }

  /** Messages of this run received, in order or not. */
  public long received() {
    return received;
  }

  public long outOfOrder() {
    return outOfOrder;
  }

  /** Messages that were not this run's (another publisher on the channel, a malformed header). */
  public long foreign() {
    return foreign;
  }

  /** Sequence numbers skipped so far on all streams (not counting the tail after the last message seen). */
  public long skipped() {
    long sum = 0;
    for (long s : skipped) {
      sum += s;
    }
    return sum;
  }

  /**
   * Messages of stream (publisher, channel) this subscriber never saw, given that {@code published} were
   * published on it: the gaps plus the tail after the last one seen.
   */
  public long missing(int publisher, int channel, long published) {
    int stream = publisher * channels + channel;
    return skipped[stream] + Math.max(0, published - next[stream]);
  }
}
