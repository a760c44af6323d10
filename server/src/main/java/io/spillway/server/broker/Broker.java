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
 * Channels, patterns and shard channels, and the one publish path: RESP, WebSocket and HTTP publishers all call
 * {@link #publish}, SPUBLISH calls {@link #spublish}, and both hand messages to the same delivery (Outgoing, Batch).
 *
 * <p>Threading: {@link #subscribe}, {@link #unsubscribe}, {@link #psubscribe}, {@link #punsubscribe} and {@link
 * #ssubscribe}, {@link #sunsubscribe} and {@link #unsubscribeAll} run on the subscriber's event loop; {@link #publish}
 * and {@link #spublish} on the publisher's; the {@code PUBSUB}
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
   *
   * Shard channels (Redis 7's SSUBSCRIBE/SPUBLISH; on one node every slot is local) are a third map beside channels
   * and patterns, a namespace of their own: PUBLISH never reaches them and SPUBLISH reaches nothing else. Their topics
   * carry a flag (Topic.shard) so that Batch encodes their messages as smessage frames; everything else (outboxes,
   * overflow strategies by channel policy, the backlog, the subscription budget) is the channels' own path.
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
  private long blockWindowBytes = 8 * 1024;
  private io.spillway.core.flow.PauseTally blockPauses =
      new io.spillway.core.flow.PauseTally(io.spillway.core.time.NanoClock.SYSTEM);
  private final ConcurrentHashMap<String, Topic> channels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Topic> patterns = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Topic> shardChannels = new ConcurrentHashMap<>();
  /** The topics of {@link #patterns}, indexed: changed inside the map's compute, read by publishers. */
  private final PatternIndex<Topic> patternIndex;

  private long maxPatternMatchCost = Long.MAX_VALUE;
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
    this.patternIndex =
        new PatternIndex<>((int) Math.min(Integer.MAX_VALUE, maxChannelBytes), NO_TOPICS);
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

  /** Where publishers' pauses on held {@code block} channels are counted; before the first publish. */
  public void blockPauses(io.spillway.core.flow.PauseTally tally) {
    this.blockPauses = tally;
  }

  /** Publishers' pauses on held {@code block} channels: episodes and time. Any thread. */
  public io.spillway.core.flow.PauseTally blockPauses() {
    return blockPauses;
  }

  /** Sets the budget for subscription state (max-subscription-memory); before the first subscription. */
  public void maxSubscriptionBytes(long bytes) {
    this.maxSubscriptionBytes = bytes;
  }

  /**
   * Sets the budget of pattern matching (max-pattern-match-cost): the most comparisons the patterns held may cost one
   * publish; before the first subscription.
   */
  public void maxPatternMatchCost(long comparisons) {
    this.maxPatternMatchCost = comparisons;
  }

  /** The budget of pattern matching (max-pattern-match-cost), in comparisons per publish. Any thread. */
  public long maxPatternMatchCost() {
    return maxPatternMatchCost;
  }

  /**
   * What {@code pattern} would add to the matching cost of every publish if nobody held it yet: comparisons, for a
   * channel of max-channel-length. Any thread.
   */
  public long patternMatchCost(byte[] pattern) {
    return PatternIndex.costOf(pattern, (int) Math.min(Integer.MAX_VALUE, maxChannelBytes));
  }

  /** Whether some client holds {@code pattern} now (then subscribing to it again costs no matching). Any thread. */
  public boolean patternHeld(String pattern) {
    return patterns.containsKey(pattern);
  }

  /**
   * Whether patterns costing {@code comparisons} more fit max-pattern-match-cost. Any thread; as with {@link
   * #subscriptionsFit}, two loops subscribing at once may pass it together by at most one command's cost each.
   */
  public boolean patternsFit(long comparisons) {
    return patternIndex.cost() + comparisons <= maxPatternMatchCost;
  }

  /** The matching cost of the patterns held now: the most comparisons one publish makes for them. Any thread. */
  public long patternMatchCost() {
    return patternIndex.cost();
  }

  /**
   * The most comparisons one publish makes to find its patterns, whatever the patterns: a walk of the channel through
   * the index from each end, plus the budget.
   */
  public long worstPatternComparisons() {
    return worstPatternComparisons(maxChannelBytes, maxPatternMatchCost);
  }

  private static long worstPatternComparisons(long maxChannelBytes, long maxPatternMatchCost) {
    return 2 * maxChannelBytes + maxPatternMatchCost;
  }

  /**
   * The start-up line that states what matching patterns may cost one publish, for max-channel-length {@code
   * maxChannelBytes} and max-pattern-match-cost {@code maxPatternMatchCost}.
   */
  public static String patternMatchingLine(long maxChannelBytes, long maxPatternMatchCost) {
    long worst = worstPatternComparisons(maxChannelBytes, maxPatternMatchCost);
    return "worst-case pattern matching per publish: " + worst
        + " byte comparisons (2 x max-channel-length to walk the pattern index, plus max-pattern-match-cost "
        + maxPatternMatchCost + " for the patterns it finds), about "
        + Math.max(1, worst / 1_000_000) + " ms of one core";
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
   * The heap one subscription to {@code pattern} is counted as: {@link #subscriptionCost} plus its place in the
   * index: the literal part it is indexed by (one byte each), the compiled rest (at most four bytes per byte), and
   * the index's nodes and entry.
   */
  public static long patternSubscriptionCost(byte[] pattern) {
    int key = PatternIndex.keyLength(pattern);
    return subscriptionCost(pattern.length)
        + key
        + 4L * (pattern.length - key)
        + PATTERN_INDEX_OVERHEAD_BYTES;
  }

  /** Bytes of the heap counted for one pattern in the index besides its length. */
  static final long PATTERN_INDEX_OVERHEAD_BYTES = 384;

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
    subscriptionBytes.addAndGet(patternSubscriptionCost(Names.bytes(pattern)));
    join(patterns, true, s, pattern);
    return true;
  }

  /** Unsubscribes {@code s} from {@code pattern}; false if it was not subscribed. */
  public boolean punsubscribe(Subscriber s, String pattern) {
    if (!s.patterns().remove(pattern)) {
      return false;
    }
    subscriptionBytes.addAndGet(-patternSubscriptionCost(Names.bytes(pattern)));
    leave(patterns, true, s, pattern);
    return true;
  }

  /** Subscribes {@code s} to the shard channel {@code channel} (SSUBSCRIBE); false if it already was. */
  public boolean ssubscribe(Subscriber s, String channel) {
    if (!s.shardChannels().add(channel)) {
      return false;
    }
    subscriptionBytes.addAndGet(subscriptionCost(channel.length()));
    join(shardChannels, false, true, s, channel);
    return true;
  }

  /** Unsubscribes {@code s} from the shard channel {@code channel}; false if it was not subscribed. */
  public boolean sunsubscribe(Subscriber s, String channel) {
    if (!s.shardChannels().remove(channel)) {
      return false;
    }
    subscriptionBytes.addAndGet(-subscriptionCost(channel.length()));
    leave(shardChannels, false, s, channel);
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
    for (String channel : List.copyOf(s.shardChannels())) {
      sunsubscribe(s, channel);
    }
  }

  private void join(
      ConcurrentHashMap<String, Topic> map, boolean isPattern, Subscriber s, String name) {
    join(map, isPattern, false, s, name);
  }

  private void join(
      ConcurrentHashMap<String, Topic> map,
      boolean isPattern,
      boolean shard,
      Subscriber s,
      String name) {
    int loop = s.loop().index();
    boolean[] created = new boolean[1];
    Topic topic = map.compute(name, (k, t) -> {
      created[0] = t == null;
      Topic x = t == null
          ? new Topic(k, loops.length, policyOf(Names.bytes(k)), isPattern, shard, blockWindowBytes)
          : t;
      if (t == null && isPattern) {
        patternIndex.add(x.nameBytes, x);
      }
      x.add(loop, +1);
      return x;
    });
    // Safe outside compute: our count keeps the topic in the map until we leave.
    topic.local(loop).add(s);
    if (topic.hold != null && s.holdingBack()) {
      topic.hold.hold();
    }
    if (created[0] && !shard) {
      interest.interestChanged(name, isPattern);
    }
  }

  /**
   * The overflow strategy of a channel (or, for a pattern subscription, of the pattern's own text): the first
   * configured policy whose glob matches it, else {@code disconnect}.
   */
  OverflowStrategy strategyOf(byte[] name) {
    return policyOf(name).strategy();
  }

  private ChannelPolicy policyOf(byte[] name) {
    for (int i = 0; i < policies.size(); i++) {
      if (policyGlobs[i].matches(name)) {
        return policies.get(i);
      }
    }
    return ChannelPolicy.DEFAULT;
  }

  /**
   * Sets how many bytes of a {@code block} channel's messages may be in flight between its publishers and its
   * subscribers' outboxes before the publishers pause (see {@link ChannelHold}); before the first subscription.
   */
  public void blockWindowBytes(long bytes) {
    this.blockWindowBytes = bytes;
  }

  /**
   * {@code s}'s outbox has reached its soft limit ({@code holding}), or drained to half of it: it starts or stops
   * holding back the publishers of the {@code block} channels and patterns it is subscribed to. Returns the shortest
   * max-block of those (0 if none): the longest it may hold them back. On {@code s}'s loop; {@link
   * Subscriber#holdingBack()} must already give the new state.
   */
  public long holdBack(Subscriber s, boolean holding) {
    if (!holding) {
      blockTopics(s, -1);
      return 0;
    }
    return blockTopics(s, +1);
  }

  /** The shortest max-block of the {@code block} channels and patterns {@code s} is subscribed to; 0 if none. */
  public long maxBlockNanos(Subscriber s) {
    return blockTopics(s, 0);
  }

  /**
   * Walks the holds of the {@code block} topics {@code s} is subscribed to (channels, patterns, shard channels),
   * taking ({@code +1}) or giving back ({@code -1}) one hold on each, or neither (0); returns their shortest
   * max-block, 0 if none.
   */
  private long blockTopics(Subscriber s, int change) {
    long maxBlock = 0;
    for (int m = 0; m < 3; m++) {
      ConcurrentHashMap<String, Topic> map = m == 0 ? channels : m == 1 ? patterns : shardChannels;
      for (String name : m == 0 ? s.channels() : m == 1 ? s.patterns() : s.shardChannels()) {
        Topic t = map.get(name);
        if (t == null || t.hold == null) {
          continue;
        }
        if (change > 0) {
          t.hold.hold();
        } else if (change < 0) {
          t.hold.release();
        }
        long mb = t.hold.maxBlockNanos();
        maxBlock = maxBlock == 0 ? mb : Math.min(maxBlock, mb);
      }
    }
    return maxBlock;
  }

  /**
   * The hold of a {@code block} channel or pattern that publishing on {@code channel} would meet while it is held, or
   * null: a front end that can wait before publishing (HTTP) waits for it. Any thread.
   */
  public ChannelHold heldFor(byte[] channel) {
    Topic topic = channels.get(Names.of(channel));
    if (topic != null && topic.hold != null && topic.hold.held()) {
      return topic.hold;
    }
    if (!patterns.isEmpty()) {
      for (Topic hit : matchPatterns(channel)) {
        if (hit.hold != null && hit.hold.held()) {
          return hit.hold;
        }
      }
    }
    return null;
  }

  private void leave(
      ConcurrentHashMap<String, Topic> map, boolean isPattern, Subscriber s, String name) {
    int loop = s.loop().index();
    Topic topic = map.get(name);
    if (topic == null) {
      return;
    }
    if (topic.hold != null && s.holdingBack()) {
      topic.hold.release();
    }
    topic.removeLocal(loop, s);
    Topic left = map.computeIfPresent(name, (k, t) -> {
      t.add(loop, -1);
      if (t.total() > 0) {
        return t;
      }
      if (isPattern) {
        patternIndex.remove(t.nameBytes, t);
      }
      return null;
    });
    if (left == null && !topic.shard) {
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
      if (topic != null && topic.hold != null && topic.hold.held()) {
        from.held(topic.hold);
      }
      for (Topic hit : hits) {
        if (hit.hold != null && hit.hold.held()) {
          from.held(hit.hold);
        }
      }
    }
    IoLoop congested = congestedLoop();
    if (congested != null) {
      from.pushedBack(congested);
    }
    return receivers;
  }

  /**
   * Publishes {@code payload} on the shard channel {@code channel} (SPUBLISH): only its shard subscribers receive it,
   * through the same delivery as {@link #publish}. Returns their number, or a refusal as {@link #publish} does
   * (the notices channel's name is refused here too, so that nobody mistakes it for the notices). Pushback and the
   * publisher's own copy before its reply are as {@link #publish}'s. Runs on {@code from}'s loop.
   */
  public int spublish(byte[] channel, byte[] payload, Publisher from) {
    int refusal = check(channel.length, payload.length);
    if (refusal != 0) {
      return refusal;
    }
    if (channel.length == NOTICES_BYTES.length && java.util.Arrays.equals(channel, NOTICES_BYTES)) {
      return RESERVED;
    }
    counters.published();
    IoLoop here = from.loop();
    String key = nameCaches[here.index()].key(channel);
    Topic topic = shardChannels.get(key);
    int receivers = topic == null ? 0 : topic.total();
    if (receivers > 0) {
      Outgoing out = outgoing[here.index()];
      Subscriber self = from.self();
      Subscriber skip = null;
      if (self != null && self.shardChannels().contains(key)) {
        deliverNow(self, topic, null, channel, payload);
        skip = self;
      }
      for (int i = 0; i < loops.length; i++) {
        if (topic.onLoop(i) > 0) {
          out.add(i, topic, false, channel, payload, i == here.index() ? skip : null);
        }
      }
      if (topic.hold != null && topic.hold.held()) {
        from.held(topic.hold);
      }
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
    int n = topic.shard
        ? e.smessageSize(channel, payload)
        : pattern == null
            ? e.messageSize(channel, payload)
            : e.pmessageSize(pattern, channel, payload);
    ByteBuf buf = ByteBufAllocator.DEFAULT.directBuffer(n, n);
    if (topic.shard) {
      e.smessage(buf, channel, payload);
    } else if (pattern == null) {
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

  /** The pattern topics {@code channel} matches, from the index; allocates only when one does. */
  private Topic[] matchPatterns(byte[] channel) {
    Topic[] hits = patternIndex.matching(channel);
    for (Topic hit : hits) {
      if (hit.total() <= 0) {
        // the last subscriber is leaving: rare, so copying is fine
        return java.util.Arrays.stream(hits).filter(t -> t.total() > 0).toArray(Topic[]::new);
      }
    }
    return hits;
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
    return active(channels, patternOrNull);
  }

  private static List<String> active(ConcurrentHashMap<String, Topic> map, byte[] patternOrNull) {
    ArrayList<String> out = new ArrayList<>();
    GlobPattern glob = patternOrNull == null ? null : GlobPattern.compile(patternOrNull);
    for (Topic t : map.values()) {
      if (t.total() > 0 && (glob == null || glob.matches(t.nameBytes))) {
        out.add(t.name);
      }
    }
    return out;
  }

  private static int count(ConcurrentHashMap<String, Topic> map, String name) {
    Topic t = map.get(name);
    return t == null ? 0 : t.total();
  }

  /** Subscribers of {@code channel} (not counting patterns). Any thread. */
  public int subscriberCount(String channel) {
    return count(channels, channel);
  }

  /** Distinct patterns with at least one subscriber. Any thread. */
  public int patternCount() {
    return patterns.size();
  }

  /** Channels with at least one subscriber. Any thread. */
  public int channelCount() {
    return channels.size();
  }

  /** Shard channels with at least one subscriber, optionally only those matching a glob pattern. Any thread. */
  public List<String> activeShardChannels(byte[] patternOrNull) {
    return active(shardChannels, patternOrNull);
  }

  /** Subscribers of the shard channel {@code channel}. Any thread. */
  public int shardSubscriberCount(String channel) {
    return count(shardChannels, channel);
  }

  /** Shard channels with at least one subscriber. Any thread. */
  public int shardChannelCount() {
    return shardChannels.size();
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
   * (a channel, or a pattern when {@code pattern}) that takes notices, and for a channel also every subscriber of a
   * pattern that matches it: messages of it may have been lost where this server could not see them (a backplane that
   * was down). Each subscriber's loop does it in a task of its own, after the messages already handed to it. Any
   * thread.
   */
  public void noticeGap(String name, boolean pattern, String cause) {
    Topic topic = (pattern ? patterns : channels).get(name);
    if (topic != null) {
      noticeGap(topic, cause);
    }
    if (!pattern && !patterns.isEmpty()) {
      for (Topic hit : matchPatterns(Names.bytes(name))) {
        noticeGap(hit, cause);
      }
    }
  }

  private void noticeGap(Topic topic, String cause) {
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
