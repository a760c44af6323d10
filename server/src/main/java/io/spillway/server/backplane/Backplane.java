package io.spillway.server.backplane;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.spillway.core.time.NanoClock;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.InterestListener;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.broker.Names;
import io.spillway.server.broker.PublishRelay;
import io.spillway.server.broker.Publisher;
import io.spillway.server.broker.Subscriber;
import io.spillway.server.config.BackplaneConfig;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server's link to the others through Redis: subscribes on Redis to what its clients subscribe to, sends what its
 * clients publish, and hands what Redis delivers to the broker's publish path. Started by {@link #start}, which never
 * waits for Redis: a backplane that cannot be reached is retried in the background while local traffic goes on.
 *
 * <p>Thread-safe: {@link #status()} and {@link #close()} from any thread. Inside, one thread of its own
 * ({@code spillway-backplane}) sends publishes and (un)subscribes; Lettuce's I/O thread delivers messages and
 * connection events; the event loops call the broker hooks.
 */
public final class Backplane implements AutoCloseable {

  /*
   * Design notes.
   *
   * Interest: the broker tells us when a channel or pattern gains its first subscriber or loses its last. The hook
   * only marks the name dirty; the backplane's thread reads the broker's state back and subscribes or unsubscribes to
   * match it, so two loops racing (one subscriber leaving, another arriving) cannot leave Redis out of step. The set
   * of names we hold on Redis (held) is ours, not Lettuce's: after a reconnect we subscribe to all of it again, and
   * an unsubscribe that failed while down is sent again.
   *
   * Publish: the relay hook (on the publisher's loop) only puts the message in the bounded OutboundQueue; this
   * thread takes them in order, wraps each in an Envelope with this server's id and the next sequence number, and
   * pipelines them on one connection (flushed per batch). One thread and one connection keep every publisher's order
   * on Redis, and so on every server. The receiver count a PUBLISH returns is this server's own (as SPUBLISH on
   * Redis Cluster counts its shard's): other servers' subscribers are not known at that moment.
   *
   * Receive: Redis sends our own messages back (we are subscribed to the channel): they carry our id and are skipped,
   * so a server never delivers its own message twice. A server subscribed to channel a and pattern a* gets every
   * message of a twice in a row; DuplicateFilter drops the second. Each message goes to the event loop chosen by its
   * channel's hash, as a task that calls Broker.publish with that loop's InboundPublisher (whose messages the relay
   * ignores): the one publish path, so outbox limits and strategies apply as to any publish, and one channel's
   * messages stay in order. Bytes handed to the loops and not yet published are bounded (INBOUND_BOUND_BYTES):
   * beyond it messages are dropped with a gap notice, rather than queued without bound.
   *
   * Faults: Lettuce reconnects with exponential backoff and full jitter (LettuceOptions). While down, publishes fail
   * at once and are counted as dropped; after the link is back, every held name is subscribed again and then every
   * local subscriber of it is sent a gap notice of unknown size: what other servers published meanwhile is lost and
   * cannot be counted here. Redis cutting our subscription connection (client-output-buffer-limit pubsub) is a
   * disconnect like any other.
   */

  private static final Logger log = LoggerFactory.getLogger("spillway.backplane");

  /** Most bytes received from Redis and not yet handed to the broker; beyond it messages are dropped. */
  static final long INBOUND_BOUND_BYTES = 16L << 20;
  /** Most publishes pipelined before a flush. */
  private static final int FLUSH_EVERY = 512;
  /** The cause in the gap notices the backplane asks for. */
  static final String GAP_CAUSE = "backplane";

  private final BackplaneConfig config;
  private final Broker broker;
  private final NanoClock clock;
  private final long nodeId = UUID.randomUUID().getMostSignificantBits();
  private final InboundPublisher[] inbound;
  private final OutboundQueue outbound;
  private final ScheduledExecutorService thread;
  private final ClientResources resources;
  private final Delay firstConnectBackoff;
  private final DuplicateFilter duplicates = new DuplicateFilter();
  private final Set<Name> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean syncScheduled = new AtomicBoolean();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  /** Set by the first failed publish of an episode (one log line), cleared by the next success. */
  private final AtomicBoolean publishFailing = new AtomicBoolean();

  private final Set<String> inboundGaps = ConcurrentHashMap.newKeySet();

  /** Names subscribed on Redis, or to subscribe once connected. The backplane's thread only. */
  private final Set<Name> held = new HashSet<>();
  /** Names unsubscribed while down, to unsubscribe again once up. The backplane's thread only. */
  private final Set<Name> unheldWhileDown = new HashSet<>();
  /** Patterns not held because the backplane has none (Cluster). The backplane's thread only. */
  private final Set<String> refusedPatterns = new HashSet<>();

  private volatile RedisLink link;
  private long seq;
  private volatile String state = "connecting";
  private volatile long downSince;
  private volatile int heldChannels;
  private volatile int heldPatterns;
  private volatile int refused;
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder published = new LongAdder();
  private final LongAdder droppedDown = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder bytesIn = new LongAdder();
  private final LongAdder ownSkipped = new LongAdder();
  private final LongAdder duplicatesSkipped = new LongAdder();
  private final LongAdder foreignIgnored = new LongAdder();
  private final LongAdder inboundDropped = new LongAdder();
  private final LongAdder gapNotices = new LongAdder();
  private final AtomicLong inboundBytes = new AtomicLong();

  /** A channel or pattern, as the broker names it. */
  private record Name(String name, boolean pattern) {
    byte[] bytes() {
      return Names.bytes(name);
    }
  }

  private Backplane(BackplaneConfig config, Broker broker, IoLoop[] loops, NanoClock clock) {
    this.config = config;
    this.broker = broker;
    this.clock = clock;
    this.outbound = new OutboundQueue(config.outboundQueue().toBytes());
    this.inbound = new InboundPublisher[loops.length];
    for (int i = 0; i < loops.length; i++) {
      inbound[i] = new InboundPublisher(loops[i]);
    }
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spillway-backplane");
      t.setDaemon(true);
      return t;
    });
    this.resources = LettuceOptions.resources(config);
    this.firstConnectBackoff = LettuceOptions.backoff(config);
  }

  /**
   * Hooks the backplane into {@code broker} and starts connecting in the background. Call before clients connect.
   *
   * @throws IllegalArgumentException if {@code config} has no backplane
   */
  public static Backplane start(
      BackplaneConfig config, Broker broker, IoLoop[] loops, NanoClock clock) {
    if (!config.enabled()) {
      throw new IllegalArgumentException("no backplane configured");
    }
    Backplane b = new Backplane(config, broker, loops, clock);
    broker.backplane(b.new Interest(), b.new Relay());
    b.thread.execute(() -> b.connect(0));
    return b;
  }

  private RedisLink newLink() {
    Events events = new Events();
    return config.kind() == BackplaneConfig.Kind.REDIS_CLUSTER
        ? new ClusterLink(config, resources, events)
        : new StandaloneLink(config, resources, events);
  }

  /** Opens the link, retrying with the backoff until it works. The backplane's thread. */
  private void connect(int attempt) {
    if (closing.get()) {
      return;
    }
    RedisLink l = newLink();
    try {
      l.connect();
    } catch (RuntimeException e) {
      l.close();
      long delay = firstConnectBackoff.createDelay(attempt + 1L).toMillis();
      if (attempt == 0) {
        log.warn(
            "backplane {} cannot be reached ({}); local traffic goes on, retrying in the background",
            config.uri(),
            e.getMessage());
      }
      if (downSince == 0) {
        downSince = clock.nanoTime();
      }
      state = "down";
      thread.schedule(() -> connect(attempt + 1), Math.max(1, delay), TimeUnit.MILLISECONDS);
      return;
    }
    this.link = l;
    held.clear();
    refusedPatterns.clear();
    log.info(
        "backplane {} connected ({}, node id {})",
        config.uri(),
        config.kind() == BackplaneConfig.Kind.REDIS_CLUSTER ? "sharded pub/sub" : "pub/sub",
        Long.toHexString(nodeId));
    for (String channel : broker.activeChannels(null)) {
      dirty.add(new Name(channel, false));
    }
    for (String pattern : broker.activePatterns()) {
      dirty.add(new Name(pattern, true));
    }
    sync();
    boolean wasDown = attempt > 0;
    markUp();
    if (wasDown) {
      resubscribeAndNotice();
    }
    drain();
  }

  private void markUp() {
    state = "up";
    downSince = 0;
  }

  // ---- interest -------------------------------------------------------------------------------

  private final class Interest implements InterestListener {
    @Override
    public void interestChanged(String name, boolean pattern) {
      if (!pattern && name.equals(Broker.NOTICES_CHANNEL)) {
        return;
      }
      dirty.add(new Name(name, pattern));
      if (syncScheduled.compareAndSet(false, true)) {
        thread.execute(Backplane.this::sync);
      }
    }
  }

  /** Subscribes or unsubscribes every dirty name to match the broker. The backplane's thread. */
  private void sync() {
    syncScheduled.set(false);
    for (Iterator<Name> it = dirty.iterator(); it.hasNext(); ) {
      Name n = it.next();
      it.remove();
      boolean want =
          n.pattern() ? broker.hasPattern(n.name()) : broker.subscriberCount(n.name()) > 0;
      if (want && !held.contains(n)) {
        hold(n);
      } else if (!want && held.remove(n)) {
        release(n);
      } else if (!want && n.pattern()) {
        refusedPatterns.remove(n.name());
      }
    }
    counts();
  }

  private void hold(Name n) {
    if (n.pattern() && link != null && !link.patterns()) {
      if (refusedPatterns.add(n.name()) && refusedPatterns.size() == 1) {
        log.warn(
            "pattern {} is served on this server only: Redis Cluster's sharded pub/sub has no patterns"
                + " (README: Backplane)",
            n.name());
      }
      return;
    }
    if (n.pattern() && link == null) {
      // Not connected yet: decided when the link (and its kind) is there.
      held.add(n);
      return;
    }
    held.add(n);
    unheldWhileDown.remove(n);
    if (link != null) {
      subscribe(n);
    }
  }

  private void release(Name n) {
    if (link == null) {
      return;
    }
    byte[] b = n.bytes();
    (n.pattern() ? link.punsubscribe(b) : link.unsubscribe(b)).whenComplete((r, e) -> {
      if (e != null) {
        thread.execute(() -> unheldWhileDown.add(n));
      }
    });
  }

  private java.util.concurrent.CompletionStage<?> subscribe(Name n) {
    byte[] b = n.bytes();
    return n.pattern() ? link.psubscribe(b) : link.subscribe(b);
  }

  private void counts() {
    int c = 0;
    int p = 0;
    for (Name n : held) {
      if (n.pattern()) {
        p++;
      } else {
        c++;
      }
    }
    heldChannels = c;
    heldPatterns = p;
    refused = refusedPatterns.size();
  }

  /**
   * After a reconnect: subscribes to every held name again, then asks for a gap notice to every local subscriber of
   * each, and unsubscribes what was released while down. The backplane's thread.
   */
  private void resubscribeAndNotice() {
    for (Name n : List.copyOf(held)) {
      subscribe(n).whenComplete((r, e) -> {
        if (e == null) {
          gapNotices.increment();
          broker.noticeGap(n.name(), n.pattern(), GAP_CAUSE);
        }
      });
    }
    for (Name n : List.copyOf(unheldWhileDown)) {
      if (!held.contains(n)) {
        release(n);
      }
    }
    unheldWhileDown.clear();
  }

  // ---- publish --------------------------------------------------------------------------------

  private final class Relay implements PublishRelay {
    @Override
    public void published(byte[] channel, byte[] payload, Publisher from) {
      if (from instanceof InboundPublisher) {
        return; // from another server: delivered here only
      }
      if (!state.equals("up")) {
        droppedDown.increment();
        return;
      }
      if (outbound.offer(channel, payload) && drainScheduled.compareAndSet(false, true)) {
        thread.execute(Backplane.this::drain);
      }
    }
  }

  /** Sends every queued message, pipelined, flushed every {@link #FLUSH_EVERY}. The backplane's thread. */
  private void drain() {
    drainScheduled.set(false);
    if (link == null) {
      return;
    }
    int n = 0;
    for (OutboundQueue.Entry e; (e = outbound.poll()) != null; ) {
      byte[] data = Envelope.wrap(nodeId, ++seq, e.payload);
      long bytes = e.bytes;
      link.publish(e.channel, data).whenComplete((r, x) -> {
        outbound.done(bytes);
        if (x == null) {
          published.increment();
          bytesOut.add(bytes);
        } else {
          droppedDown.increment();
          if (publishFailing.compareAndSet(false, true)) {
            log.warn("backplane publishes fail ({}): counted as dropped", x.toString());
          }
          return;
        }
        publishFailing.lazySet(false);
      });
      if (++n % FLUSH_EVERY == 0) {
        link.flush();
      }
    }
    if (n > 0) {
      link.flush();
    }
  }

  // ---- receive --------------------------------------------------------------------------------

  /** What the link reports, on Lettuce's threads. */
  private final class Events implements RedisLink.Events {
    @Override
    public void message(byte[] channel, byte[] data) {
      if (!Envelope.isEnvelope(data)) {
        foreignIgnored.increment();
        return;
      }
      long origin = Envelope.node(data);
      if (origin == nodeId) {
        ownSkipped.increment();
        return;
      }
      RedisLink l = link;
      if (l != null && l.ordered()) {
        synchronized (duplicates) {
          if (!duplicates.firstSight(origin, Envelope.seq(data))) {
            duplicatesSkipped.increment();
            return;
          }
        }
      }
      deliver(channel, Envelope.payload(data));
    }

    @Override
    public void up() {
      if (closing.get()) {
        return;
      }
      reconnects.increment();
      log.info("backplane {} is back: subscribing again, gap notices to subscribers", config.uri());
      thread.execute(() -> {
        markUp();
        resubscribeAndNotice();
      });
    }

    @Override
    public void down(String why) {
      if (closing.get()) {
        return;
      }
      state = "down";
      downSince = clock.nanoTime();
      log.warn("backplane {} lost ({}): local traffic goes on, reconnecting", config.uri(), why);
    }

    @Override
    public void lost(byte[] channel) {
      String name = Names.of(channel);
      log.info(
          "backplane dropped this server's subscription to {} (slot migration): subscribing again",
          name);
      thread.execute(() -> resubscribeAfterLoss(new Name(name, false), 0));
    }
  }

  /**
   * Subscribes again to a name Redis dropped by itself, retrying with the backoff while the topology settles, then
   * asks for a gap notice to its subscribers. The backplane's thread.
   */
  private void resubscribeAfterLoss(Name n, int attempt) {
    if (!held.contains(n) || closing.get()) {
      return;
    }
    subscribe(n).whenComplete((r, e) -> {
      if (e == null || attempt >= 20) {
        gapNotices.increment();
        broker.noticeGap(n.name(), n.pattern(), GAP_CAUSE);
      } else {
        long delay = firstConnectBackoff.createDelay(attempt + 1L).toMillis();
        thread.schedule(
            () -> resubscribeAfterLoss(n, attempt + 1), Math.max(1, delay), TimeUnit.MILLISECONDS);
      }
    });
  }

  private void deliver(byte[] channel, byte[] payload) {
    long size = (long) channel.length + payload.length + Envelope.HEADER_BYTES;
    received.increment();
    bytesIn.add(size);
    if (inboundBytes.addAndGet(size) > INBOUND_BOUND_BYTES) {
      inboundBytes.addAndGet(-size);
      inboundDropped.increment();
      String name = Names.of(channel);
      if (inboundGaps.add(name)) {
        gapNotices.increment();
        broker.noticeGap(name, false, GAP_CAUSE);
      }
      return;
    }
    InboundPublisher p = inbound[Math.floorMod(Arrays.hashCode(channel), inbound.length)];
    p.loop().eventLoop().execute(() -> {
      try {
        broker.publish(channel, payload, p);
      } finally {
        if (inboundBytes.addAndGet(-size) < INBOUND_BOUND_BYTES / 2 && !inboundGaps.isEmpty()) {
          inboundGaps.clear();
        }
      }
    });
  }

  /** Publishes what Redis delivered, on one event loop; the relay knows it and sends nothing back. */
  private static final class InboundPublisher implements Publisher {
    private final IoLoop loop;

    InboundPublisher(IoLoop loop) {
      this.loop = loop;
    }

    @Override
    public IoLoop loop() {
      return loop;
    }

    @Override
    public Subscriber self() {
      return null;
    }

    @Override
    public void pushedBack(IoLoop congested) {
      // Redis cannot be paused per message: the inbound bound (and Redis's own output limit) bounds
      // what waits.
    }
  }

  // ---- status ---------------------------------------------------------------------------------

  /** The figures now. Any thread. */
  public BackplaneStatus status() {
    String s = state;
    long since = downSince;
    long down = s.equals("up") || since == 0 ? 0 : (clock.nanoTime() - since) / 1_000_000_000L;
    return new BackplaneStatus(
        config.kind() == BackplaneConfig.Kind.REDIS_CLUSTER ? "redis-cluster" : "redis",
        s,
        down,
        reconnects.sum(),
        heldChannels,
        heldPatterns,
        refused,
        published.sum(),
        outbound.droppedFull(),
        droppedDown.sum(),
        outbound.bytes(),
        outbound.boundBytes(),
        bytesOut.sum(),
        received.sum(),
        bytesIn.sum(),
        ownSkipped.sum(),
        duplicatesSkipped.sum(),
        foreignIgnored.sum(),
        inboundBytes.get(),
        inboundDropped.sum(),
        gapNotices.sum());
  }

  /** Where the backplane is, as configured. */
  public String uri() {
    return config.uri();
  }

  /** Closes the connections and the thread. Idempotent; any thread. */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    try {
      thread
          .submit(() -> {
            if (link != null) {
              link.close();
            }
          })
          .get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("backplane close", e);
    }
    thread.shutdownNow();
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
