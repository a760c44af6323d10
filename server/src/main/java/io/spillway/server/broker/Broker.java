package io.spillway.server.broker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.spillway.server.client.ClientSession;
import io.spillway.server.client.IoLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Channels and patterns, and the fan-out of published messages to their subscribers.
 *
 * <p>Threading: {@link #subscribe}, {@link #unsubscribe}, {@link #psubscribe}, {@link #punsubscribe}, {@link
 * #unsubscribeAll} and {@link #protocolChanged} run on the subscribing client's event loop; {@link #publish} on the
 * publisher's; the {@code PUBSUB} queries on any thread.
 */
public final class Broker {

  /*
   * Design notes.
   *
   * Each event loop owns the lists of its own clients' subscriptions (Local), touched by no other thread, so a
   * delivery walks a plain ArrayList with no lock. The shared maps hold only counts per loop and protocol (Topic),
   * changed inside ConcurrentHashMap.compute so that a topic is removed exactly when its last subscriber leaves.
   *
   * A publish encodes the message once per protocol in use (RESP2 array, RESP3 push, WebSocket text frame) and, for
   * each matching pattern, once more as a pmessage (WebSocket clients have no pattern subscriptions); then it hands one Delivery to each loop that has subscribers, collected in
   * Outgoing while the publisher's loop finishes its current batch of work (one read per ready connection) and then
   * run: on the publisher's own loop directly, on the others as one task per loop. The receiving loop copies each
   * frame once into its own memory (so the reference counting of its subscribers stays on its own core), and
   * consecutive messages to the same channel are concatenated into chunks (a quarter of the subscriber hard limit,
   * 16 to 64 KiB); every subscriber on the loop then gets a retained duplicate of each chunk (a reference count and an index pair, no per-subscriber copy,
   * and one outbound entry per chunk rather than per message). Messages from one publisher reach each loop, and so
   * each subscriber, in publish order, because a loop runs its tasks in order. A publisher subscribed to its own
   * channel (RESP3) gets the PUBLISH reply before the message, where Redis sends the message first.
   *
   * Cross-loop deliveries count in the target loop's backlog (IoLoop), which is bounded: the caller of publish()
   * checks congestedLoop() and pauses the publisher while a loop is congested.
   *
   * The receiver count PUBLISH returns is the sum of the counts at the moment of publishing, like Redis's.
   */

  private final IoLoop[] loops;
  private final Local[] locals;
  private final Outgoing[] outgoing;
  private final ConcurrentHashMap<String, Topic> channels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Topic> patterns = new ConcurrentHashMap<>();

  /** Chunks of consecutive messages to one channel, as one write per subscriber: at most this many bytes. */
  public static final int MAX_CHUNK_BYTES = 64 * 1024;
  /** ... and at least this many, whatever the limits. */
  public static final int MIN_CHUNK_BYTES = 16 * 1024;

  /** A broker whose chunks are {@link #MIN_CHUNK_BYTES} (the size for Spillway's default limits). */
  public Broker(IoLoop[] loops) {
    this(loops, MIN_CHUNK_BYTES);
  }

  /**
   * The chunk size for subscribers held to {@code limits}: a quarter of the hard limit, within
   * [{@link #MIN_CHUNK_BYTES}, {@link #MAX_CHUNK_BYTES}]. A chunk is one write into a subscriber's outbox, so it must
   * stay small beside the hard limit (16 KiB at the default 64 KiB); with roomier limits, larger chunks mean fewer,
   * larger socket writes per subscriber.
   */
  public static int chunkBytesFor(io.spillway.core.outbox.OutboxLimits limits) {
    long quarter = limits.hardLimit().toBytes() / 4;
    return (int) Math.max(MIN_CHUNK_BYTES, Math.min(MAX_CHUNK_BYTES, quarter));
  }

  /** A broker over {@code loops} whose chunks hold at most {@code chunkBytes} (see {@link #chunkBytesFor}). */
  public Broker(IoLoop[] loops, int chunkBytes) {
    this.loops = loops.clone();
    this.locals = new Local[loops.length];
    this.outgoing = new Outgoing[loops.length];
    for (int i = 0; i < loops.length; i++) {
      locals[i] = new Local();
      outgoing[i] = new Outgoing(this.loops[i], this.loops, chunkBytes);
    }
  }

  /** One loop's own subscriber lists; confined to that loop. */
  static final class Local {
    final HashMap<String, ArrayList<ClientSession>> channels = new HashMap<>();
    final HashMap<String, ArrayList<ClientSession>> patterns = new HashMap<>();
  }

  /** Subscribes {@code client} to {@code channel}; false if it already was. */
  public boolean subscribe(ClientSession client, String channel) {
    if (!client.channels().add(channel)) {
      return false;
    }
    join(locals[client.loop().index()].channels, channels, client, channel);
    return true;
  }

  /** Unsubscribes {@code client} from {@code channel}; false if it was not subscribed. */
  public boolean unsubscribe(ClientSession client, String channel) {
    if (!client.channels().remove(channel)) {
      return false;
    }
    leave(locals[client.loop().index()].channels, channels, client, channel, client.protocol());
    return true;
  }

  public boolean psubscribe(ClientSession client, String pattern) {
    if (!client.patterns().add(pattern)) {
      return false;
    }
    join(locals[client.loop().index()].patterns, patterns, client, pattern);
    return true;
  }

  public boolean punsubscribe(ClientSession client, String pattern) {
    if (!client.patterns().remove(pattern)) {
      return false;
    }
    leave(locals[client.loop().index()].patterns, patterns, client, pattern, client.protocol());
    return true;
  }

  /** Removes every subscription of {@code client}; on close and RESET. */
  public void unsubscribeAll(ClientSession client) {
    for (String channel : List.copyOf(client.channels())) {
      unsubscribe(client, channel);
    }
    for (String pattern : List.copyOf(client.patterns())) {
      punsubscribe(client, pattern);
    }
  }

  /** Moves {@code client}'s subscriptions from one protocol's counts to the other's (HELLO while subscribed). */
  public void protocolChanged(ClientSession client, int from, int to) {
    int loop = client.loop().index();
    for (String channel : client.channels()) {
      channels.computeIfPresent(channel, (k, t) -> move(t, loop, from, to));
    }
    for (String pattern : client.patterns()) {
      patterns.computeIfPresent(pattern, (k, t) -> move(t, loop, from, to));
    }
  }

  private static Topic move(Topic t, int loop, int from, int to) {
    t.add(loop, from, -1);
    t.add(loop, to, +1);
    return t;
  }

  private void join(
      HashMap<String, ArrayList<ClientSession>> local,
      ConcurrentHashMap<String, Topic> shared,
      ClientSession client,
      String name) {
    local.computeIfAbsent(name, k -> new ArrayList<>(4)).add(client);
    int loop = client.loop().index();
    int protocol = client.protocol();
    shared.compute(name, (k, t) -> {
      Topic topic = t == null ? new Topic(k, loops.length) : t;
      topic.add(loop, protocol, +1);
      return topic;
    });
  }

  private static void leave(
      HashMap<String, ArrayList<ClientSession>> local,
      ConcurrentHashMap<String, Topic> shared,
      ClientSession client,
      String name,
      int protocol) {
    ArrayList<ClientSession> list = local.get(name);
    if (list != null) {
      int i = list.indexOf(client);
      if (i >= 0) {
        int last = list.size() - 1;
        list.set(i, list.get(last));
        list.remove(last);
      }
      if (list.isEmpty()) {
        local.remove(name);
      }
    }
    int loop = client.loop().index();
    shared.computeIfPresent(name, (k, t) -> {
      t.add(loop, protocol, -1);
      return t.total() <= 0 ? null : t;
    });
  }

  /**
   * Publishes {@code payload} on {@code channel} and returns the number of subscriptions it was handed to (channel
   * subscribers plus matching pattern subscriptions), as Redis's PUBLISH does.
   *
   * @param current the publisher's loop, on which this runs; its own subscribers are served inline
   */
  public int publish(byte[] channel, byte[] payload, ByteBufAllocator alloc, IoLoop current) {
    String key = Names.of(channel);
    Topic topic = channels.get(key);
    int receivers = topic == null ? 0 : topic.total();
    PatternHit[] hits = PatternHit.NONE;
    if (!patterns.isEmpty()) {
      hits = matchPatterns(channel);
      for (PatternHit hit : hits) {
        receivers += hit.topic.total();
      }
    }
    if (receivers <= 0) {
      return 0;
    }
    ByteBuf resp2 = null;
    ByteBuf resp3 = null;
    ByteBuf ws = null;
    if (topic != null) {
      resp2 = topic.anyWithProtocol(2) ? MessageFrames.message(alloc, 2, channel, payload) : null;
      resp3 = topic.anyWithProtocol(3) ? MessageFrames.message(alloc, 3, channel, payload) : null;
      ws = topic.anyWebSocket() ? MessageFrames.message(alloc, ClientSession.WEBSOCKET, channel, payload) : null;
    }
    for (PatternHit hit : hits) {
      hit.encode(alloc, channel, payload);
    }
    try {
      for (int i = 0; i < loops.length; i++) {
        if ((topic != null && topic.onLoop(i) > 0) || PatternHit.anyOnLoop(hits, i)) {
          outgoing[current.index()].add(i,
              new Delivery(locals[i], loops[i], key, channel, payload, resp2, resp3, ws, hits, loops[i] != current));
        }
      }
    } finally {
      release(resp2);
      release(resp3);
      release(ws);
      for (PatternHit hit : hits) {
        hit.release();
      }
    }
    return receivers;
  }

  private PatternHit[] matchPatterns(byte[] channel) {
    ArrayList<PatternHit> found = null;
    for (Topic p : patterns.values()) {
      if (p.total() > 0 && GlobPattern.matches(p.nameBytes, channel)) {
        if (found == null) {
          found = new ArrayList<>(2);
        }
        found.add(new PatternHit(p));
      }
    }
    return found == null ? PatternHit.NONE : found.toArray(PatternHit.NONE);
  }

  /** A loop whose cross-loop backlog is at or above its high mark, or null. Any thread. */
  public IoLoop congestedLoop() {
    for (IoLoop loop : loops) {
      if (loop.congested()) {
        return loop;
      }
    }
    return null;
  }

  static void release(ByteBuf buf) {
    if (buf != null) {
      buf.release();
    }
  }

  /** Channels with at least one subscriber, optionally only those matching a glob pattern. Any thread. */
  public List<String> activeChannels(byte[] patternOrNull) {
    ArrayList<String> out = new ArrayList<>();
    for (Topic t : channels.values()) {
      if (t.total() > 0 && (patternOrNull == null || GlobPattern.matches(patternOrNull, t.nameBytes))) {
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
}
