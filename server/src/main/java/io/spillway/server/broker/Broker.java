package io.spillway.server.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.spillway.core.outbox.ChannelPolicy;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.core.outbox.OverflowStrategy;
import io.spillway.server.outbox.SharedBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Channels and patterns, and the one publish path: RESP, WebSocket and HTTP publishers all call {@link #publish}.
 *
 * <p>Threading: {@link #subscribe}, {@link #unsubscribe}, {@link #psubscribe}, {@link #punsubscribe} and {@link
 * #unsubscribeAll} run on the subscriber's event loop; {@link #publish} on the publisher's; the {@code PUBSUB}
 * queries and {@link #congestedLoop()} on any thread.
 */
public final class Broker {

  /*
   * Design notes.
   *
   * The shared maps hold one Topic per channel or pattern with at least one subscriber: its count per loop (changed
   * inside ConcurrentHashMap.compute, so a topic is removed exactly when its last subscriber leaves) and one list of
   * subscribers per loop, touched by that loop only, so a delivery walks a plain ArrayList with no lock.
   *
   * A publish checks its sizes, counts, takes the receiver count (the sum of the counts at that moment, as Redis's
   * PUBLISH), and records the message (references to its byte arrays) in the publisher's loop's Outgoing, once per
   * loop that has subscribers. At the end of that loop's batch of work every other loop gets one task, and each loop
   * encodes each run of consecutive messages to one topic once per frame kind in use there (Batch) and queues
   * references to it in its subscribers' outboxes. Messages from one publisher reach each loop, and so each
   * subscriber, in publish order, because a loop runs its tasks in order. A publisher subscribed to the channel
   * itself gets its own copy at once, before the reply to its publish, as from Redis.
   *
   * Cross-loop deliveries count in the target loop's backlog (IoLoop), bounded by core's BacklogPolicy: a publish that
   * finds a congested loop tells its publisher to pause (lossless pushback).
   */

  /** The publish was refused: the payload is larger than max-message-size. */
  public static final int TOO_LARGE = -1;
  /** The publish was refused: the channel name is longer than max-channel-length. */
  public static final int NAME_TOO_LONG = -2;
  /** The publish was refused: the channel is the server's notices channel. */
  public static final int RESERVED = -3;

  /** The channel on which a client receives its own notices (gaps, warnings); nobody may publish to it. */
  public static final String NOTICES_CHANNEL = "__spillway__:notices";

  private static final byte[] NOTICES_BYTES = Names.bytes(NOTICES_CHANNEL);

  /** Runs of messages to one channel are encoded into one buffer of at most this many bytes... */
  public static final int MAX_CHUNK_BYTES = 64 * 1024;
  /** ... and at least this many, whatever the limits. */
  public static final int MIN_CHUNK_BYTES = 16 * 1024;

  private static final Topic[] NO_TOPICS = new Topic[0];

  private final IoLoop[] loops;
  private final FrameEncoder[] encoders;
  private final Outgoing[] outgoing;
  private final Batch.Scratch[] scratch;
  private final NameCache[] nameCaches;
  private final PublishCounters counters;
  private final long maxMessageBytes;
  private final long maxChannelBytes;
  private final int chunkBytes;
  private final List<ChannelPolicy> policies;
  private final GlobPattern[] policyGlobs;
  private final java.util.concurrent.atomic.AtomicLong subscriptionBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private long maxSubscriptionBytes = Long.MAX_VALUE;
  private final ConcurrentHashMap<String, Topic> channels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Topic> patterns = new ConcurrentHashMap<>();
  /** Set once before clients connect (a backplane), read by every loop. */
  private InterestListener interest = InterestListener.NONE;

  private PublishRelay relay = PublishRelay.NONE;

  /**
   * The chunk size for subscribers held to {@code limits}: a quarter of the hard limit, within [{@link
   * #MIN_CHUNK_BYTES}, {@link #MAX_CHUNK_BYTES}]. A run of messages reaches every subscriber as one burst of about
   * that many bytes, so it must stay small beside the hard limit (16 KiB at the default 64 KiB); with roomier limits,
   * larger runs mean fewer, larger socket writes per subscriber.
   */
  public static int chunkBytesFor(OutboxLimits limits) {
    long quarter = limits.hardLimit().toBytes() / 4;
    return (int) Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, quarter));
  }

  /**
   * @param encoders one per frame kind, indexed by {@link Subscriber#frameKind()} (at most 31)
   * @param maxMessageBytes the largest payload {@link #publish} accepts
   * @param maxChannelBytes the longest channel name {@link #publish} accepts
   * @param chunkBytes the most bytes of one run of messages encoded together (see {@link #chunkBytesFor})
   */
  public Broker(
      IoLoop[] loops,
      FrameEncoder[] encoders,
      PublishCounters counters,
      long maxMessageBytes,
      long maxChannelBytes,
      int chunkBytes,
      List<ChannelPolicy> policies) {
    if (encoders.length == 0 || encoders.length > 31) {
      throw new IllegalArgumentException("1 to 31 frame encoders, not " + encoders.length);
    }
    this.loops = loops.clone();
    this.encoders = encoders.clone();
    this.counters = counters;
    this.maxMessageBytes = maxMessageBytes;
    this.maxChannelBytes = maxChannelBytes;
    this.chunkBytes = chunkBytes;
    this.policies = List.copyOf(policies);
    this.policyGlobs = this.policies.stream()
        .map(p -> GlobPattern.compile(Names.bytes(p.pattern())))
        .toArray(GlobPattern[]::new);
    this.outgoing = new Outgoing[loops.length];
    this.scratch = new Batch.Scratch[loops.length];
    this.nameCaches = new NameCache[loops.length];
    for (int i = 0; i < loops.length; i++) {
      if (this.loops[i].index() != i) {
        throw new IllegalArgumentException("loop " + i + " has index " + this.loops[i].index());
      }
      outgoing[i] = new Outgoing(this, this.loops[i], this.loops);
      scratch[i] = new Batch.Scratch(encoders.length);
      nameCaches[i] = new NameCache();
      this.loops[i].deliveries(outgoing[i]);
    }
  }

  /** Sets the budget for subscription state (max-subscription-memory); before the first subscription. */
  public void maxSubscriptionBytes(long bytes) {
    this.maxSubscriptionBytes = bytes;
  }

  FrameEncoder[] encoders() {
    return encoders;
  }

  int chunkBytes() {
    return chunkBytes;
  }

  Batch.Scratch scratch(int loop) {
    return scratch[loop];
  }

  /**
   * The heap one subscription to a name of {@code nameLength} bytes is counted as: the name in the client's set and
   * in the shared map, the topic and the list entries (measured: about 2.7 KB for a 1 KiB name).
   */
  public static long subscriptionCost(int nameLength) {
    return 3L * nameLength + SUBSCRIPTION_OVERHEAD_BYTES;
  }

  /** Bytes of the heap counted for one subscription besides its name. */
  static final long SUBSCRIPTION_OVERHEAD_BYTES = 256;

  /**
   * Whether subscriptions costing {@code bytes} more fit the server-wide budget (max-subscription-memory). Any
   * thread; checked before a command subscribes, so two loops subscribing at once may pass it together by at most
   * one command's cost each.
   */
  public boolean subscriptionsFit(long bytes) {
    return subscriptionBytes.get() + bytes <= maxSubscriptionBytes;
  }

  /** Heap counted for every subscription now. Any thread. */
  public long subscriptionBytes() {
    return subscriptionBytes.get();
  }

  /** The budget for subscription state (max-subscription-memory). Any thread. */
  public long maxSubscriptionBytes() {
    return maxSubscriptionBytes;
  }

  /** Subscribes {@code s} to {@code channel}; false if it already was. */
  public boolean subscribe(Subscriber s, String channel) {
    if (!s.channels().add(channel)) {
      return false;
    }
    subscriptionBytes.addAndGet(subscriptionCost(channel.length()));
    join(channels, false, s, channel);
    return true;
  }

  /** Unsubscribes {@code s} from {@code channel}; false if it was not subscribed. */
  public boolean unsubscribe(Subscriber s, String channel) {
    if (!s.channels().remove(channel)) {
      return false;
    }
    subscriptionBytes.addAndGet(-subscriptionCost(channel.length()));
    leave(channels, false, s, channel);
    return true;
  }

  /** Subscribes {@code s} to {@code pattern} (Redis glob rules); false if it already was. */
  public boolean psubscribe(Subscriber s, String pattern) {
    if (!s.patterns().add(pattern)) {
      return false;
    }
    subscriptionBytes.addAndGet(subscriptionCost(pattern.length()));
    join(patterns, true, s, pattern);
    return true;
  }

  /** Unsubscribes {@code s} from {@code pattern}; false if it was not subscribed. */
  public boolean punsubscribe(Subscriber s, String pattern) {
    if (!s.patterns().remove(pattern)) {
      return false;
    }
    subscriptionBytes.addAndGet(-subscriptionCost(pattern.length()));
    leave(patterns, true, s, pattern);
    return true;
  }

  /** Removes every subscription of {@code s}; on close and RESET. */
  public void unsubscribeAll(Subscriber s) {
    for (String channel : List.copyOf(s.channels())) {
      unsubscribe(s, channel);
    }
    for (String pattern : List.copyOf(s.patterns())) {
      punsubscribe(s, pattern);
    }
  }

  private void join(
      ConcurrentHashMap<String, Topic> map, boolean isPattern, Subscriber s, String name) {
    int loop = s.loop().index();
    boolean[] created = new boolean[1];
    Topic topic = map.compute(name, (k, t) -> {
      created[0] = t == null;
      Topic x = t == null ? new Topic(k, loops.length, strategyOf(Names.bytes(k)), isPattern) : t;
      x.add(loop, +1);
      return x;
    });
    // Safe outside compute: our count keeps the topic in the map until we leave.
    topic.local(loop).add(s);
    if (created[0]) {
      interest.interestChanged(name, isPattern);
    }
  }

  /**
   * The overflow strategy of a channel (or, for a pattern subscription, of the pattern's own text): the first
   * configured policy whose glob matches it, else {@code disconnect}.
   */
  OverflowStrategy strategyOf(byte[] name) {
    for (int i = 0; i < policies.size(); i++) {
      if (policyGlobs[i].matches(name)) {
        return policies.get(i).strategy();
      }
    }
    return ChannelPolicy.DEFAULT.strategy();
  }

  private void leave(
      ConcurrentHashMap<String, Topic> map, boolean isPattern, Subscriber s, String name) {
    int loop = s.loop().index();
    Topic topic = map.get(name);
    if (topic == null) {
      return;
    }
    topic.removeLocal(loop, s);
    Topic left = map.computeIfPresent(name, (k, t) -> {
      t.add(loop, -1);
      return t.total() <= 0 ? null : t;
    });
    if (left == null) {
      interest.interestChanged(name, isPattern);
    }
  }

  /**
   * Publishes {@code payload} on {@code channel}: the one publish path. Returns the number of subscriptions the
   * message was handed to (channel subscribers plus matching pattern subscriptions, as Redis's PUBLISH counts), or
   * {@link #TOO_LARGE} or {@link #NAME_TOO_LONG} if it was refused. When a loop's delivery backlog is congested, the
   * message is accepted and {@code from} is told to pause ({@link Publisher#pushedBack}). The arrays must not change
   * afterwards: they are delivered by reference.
   *
   * <p>Runs on {@code from}'s loop.
   */
  public int publish(byte[] channel, byte[] payload, Publisher from) {
    int refusal = check(channel.length, payload.length);
    if (refusal != 0) {
      return refusal;
    }
    if (channel.length == NOTICES_BYTES.length && java.util.Arrays.equals(channel, NOTICES_BYTES)) {
      return RESERVED;
    }
    counters.published();
    relay.published(channel, payload, from);
    IoLoop here = from.loop();
    String key = nameCaches[here.index()].key(channel);
    Topic topic = channels.get(key);
    int receivers = topic == null ? 0 : topic.total();
    Topic[] hits = NO_TOPICS;
    if (!patterns.isEmpty()) {
      hits = matchPatterns(channel);
      for (Topic hit : hits) {
        receivers += hit.total();
      }
    }
    if (receivers > 0) {
      route(here, key, topic, hits, channel, payload, from.self());
    }
    IoLoop congested = congestedLoop();
    if (congested != null) {
      from.pushedBack(congested);
    }
    return receivers;
  }

  /**
   * The size checks of {@link #publish}, for a front end that wants to refuse a message before queueing it (HTTP):
   * 0 if a message of these sizes would be accepted, else {@link #TOO_LARGE} or {@link #NAME_TOO_LONG} (counted as
   * {@link #publish} counts them). Any thread.
   */
  public int check(int channelLength, int payloadLength) {
    if (payloadLength > maxMessageBytes) {
      counters.tooLarge();
      return TOO_LARGE;
    }
    if (channelLength > maxChannelBytes) {
      return NAME_TOO_LONG;
    }
    return 0;
  }

  /** The encoder of frame kind {@code kind}. Any thread. */
  public FrameEncoder encoder(int kind) {
    return encoders[kind];
  }

  /** The error text of a refusal {@link #publish} returned ({@link #TOO_LARGE}, {@link #NAME_TOO_LONG}). */
  public String refusal(int outcome, int channelLength, int payloadLength) {
    switch (outcome) {
      case TOO_LARGE:
        return "message of " + payloadLength + " bytes exceeds max-message-size (" + maxMessageBytes
            + ")";
      case NAME_TOO_LONG:
        return "channel of " + channelLength + " bytes is longer than max-channel-length ("
            + maxChannelBytes + ")";
      case RESERVED:
        return NOTICES_CHANNEL
            + " is the server's notices channel: subscribe to it, nobody publishes to it";
      default:
        throw new IllegalArgumentException("not a refusal: " + outcome);
    }
  }

  private void route(
      IoLoop here,
      String key,
      Topic topic,
      Topic[] hits,
      byte[] channel,
      byte[] payload,
      Subscriber self) {
    Outgoing out = outgoing[here.index()];
    Subscriber skip = null;
    if (self != null && topic != null && self.channels().contains(key)) {
      deliverNow(self, topic, null, channel, payload);
      skip = self;
    }
    if (topic != null) {
      for (int i = 0; i < loops.length; i++) {
        if (topic.onLoop(i) > 0) {
          out.add(i, topic, false, channel, payload, i == here.index() ? skip : null);
        }
      }
    }
    for (Topic hit : hits) {
      Subscriber skipHit = null;
      if (self != null
          && self.patterns().contains(hit.name)
          && encoders[self.frameKind()].patterns()) {
        deliverNow(self, hit, hit.nameBytes, channel, payload);
        skipHit = self;
      }
      for (int i = 0; i < loops.length; i++) {
        if (hit.onLoop(i) > 0) {
          out.add(i, hit, true, channel, payload, i == here.index() ? skipHit : null);
        }
      }
    }
  }

  /** Queues a message for the publisher itself, before the reply to its publish. */
  private void deliverNow(
      Subscriber self, Topic topic, byte[] pattern, byte[] channel, byte[] payload) {
    FrameEncoder e = encoders[self.frameKind()];
    int n = pattern == null
        ? e.messageSize(channel, payload)
        : e.pmessageSize(pattern, channel, payload);
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(n, n);
    if (pattern == null) {
      e.message(buf, channel, payload);
    } else {
      e.pmessage(buf, pattern, channel, payload);
    }
    SharedBuffer frame = new SharedBuffer(buf, topic.tag, null);
    try {
      if (self.outbox().deliver(frame, 0, n)) {
        self.loop().addDelivered(1);
        self.loop().markForFlush(self.outbox());
      }
    } finally {
      frame.release();
    }
  }

  private Topic[] matchPatterns(byte[] channel) {
    ArrayList<Topic> found = null;
    for (Topic p : patterns.values()) {
      if (p.total() > 0 && p.glob.matches(channel)) {
        if (found == null) {
          found = new ArrayList<>(2);
        }
        found.add(p);
      }
    }
    return found == null ? NO_TOPICS : found.toArray(NO_TOPICS);
  }

  /** A loop whose delivery backlog is at or above its high mark, or null. Any thread. */
  public IoLoop congestedLoop() {
    for (IoLoop loop : loops) {
      if (loop.congested()) {
        return loop;
      }
    }
    return null;
  }

  /** Channels with at least one subscriber, optionally only those matching a glob pattern. Any thread. */
  public List<String> activeChannels(byte[] patternOrNull) {
    ArrayList<String> out = new ArrayList<>();
    GlobPattern glob = patternOrNull == null ? null : GlobPattern.compile(patternOrNull);
    for (Topic t : channels.values()) {
      if (t.total() > 0 && (glob == null || glob.matches(t.nameBytes))) {
        out.add(t.name);
      }
    }
    return out;
  }

  /** Subscribers of {@code channel} (not counting patterns). Any thread. */
  public int subscriberCount(String channel) {
    Topic t = channels.get(channel);
    return t == null ? 0 : t.total();
  }

  /** Distinct patterns with at least one subscriber. Any thread. */
  public int patternCount() {
    return patterns.size();
  }

  /** Channels with at least one subscriber. Any thread. */
  public int channelCount() {
    return channels.size();
  }

  /**
   * Hands channels' first and last subscribers to {@code listener} and every accepted publish to {@code relay}: a
   * backplane's hooks. Once, before the first client connects.
   */
  public void backplane(InterestListener listener, PublishRelay relay) {
    this.interest = listener;
    this.relay = relay;
  }

  /** Whether {@code pattern} has at least one subscriber. Any thread. */
  public boolean hasPattern(String pattern) {
    return patterns.containsKey(pattern);
  }

  /** Patterns with at least one subscriber. Any thread. */
  public List<String> activePatterns() {
    return new ArrayList<>(patterns.keySet());
  }

  /**
   * Queues a gap notice of unknown size ({@code "lost":null}, with {@code cause}) for every subscriber of {@code name}
   * (a channel, or a pattern when {@code pattern}) that takes notices: messages of it may have been lost where this
   * server could not see them (a backplane that was down). Each subscriber's loop does it in a task of its own, after
   * the messages already handed to it. Any thread.
   */
  public void noticeGap(String name, boolean pattern, String cause) {
    Topic topic = (pattern ? patterns : channels).get(name);
    if (topic == null) {
      return;
    }
    for (IoLoop loop : loops) {
      if (topic.onLoop(loop.index()) > 0) {
        loop.eventLoop().execute(() -> {
          List<Subscriber> subs = topic.local(loop.index());
          for (int i = 0; i < subs.size(); i++) {
            Subscriber s = subs.get(i);
            if (s.outbox().gapOfUnknownSize(topic.tag, cause)) {
              loop.markForFlush(s.outbox());
            }
          }
        });
      }
    }
  }
}
