package io.spillway.server.backplane;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.spillway.core.time.NanoClock;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.broker.Names;
import io.spillway.server.broker.PublishRelay;
import io.spillway.server.broker.Publisher;
import io.spillway.server.config.BackplaneConfig;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
   * Interest: the broker tells us when a channel or pattern gains its first subscriber or loses its last;
   * InterestSync subscribes and unsubscribes on Redis to match, on this thread.
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
   * messages stay in order (InboundDelivery). Bytes handed to the loops and not yet published are bounded:
   * beyond it messages are dropped with a gap notice, rather than queued without bound.
   *
   * Faults: Lettuce reconnects with exponential backoff and full jitter (LettuceOptions). While down, publishes fail
   * at once and are counted as dropped; after the link is back, every held name is subscribed again and then every
   * local subscriber of it is sent a gap notice of unknown size: what other servers published meanwhile is lost and
   * cannot be counted here. Redis cutting our subscription connection (client-output-buffer-limit pubsub) is a
   * disconnect like any other.
   */

  private static final Logger log = LoggerFactory.getLogger("spillway.backplane");

  /** Channels remembered for a gap marker; beyond, further channels' drops are counted only. */
  static final int MAX_UNSENT_CHANNELS = 4096;

  /** Most publishes pipelined before a flush. */
  private static final int FLUSH_EVERY = 512;
  /** The cause in the gap notices the backplane asks for. */
  static final String GAP_CAUSE = "backplane";

  private final BackplaneConfig config;
  private final Broker broker;
  private final NanoClock clock;
  private final long nodeId = UUID.randomUUID().getMostSignificantBits();
  private final InboundDelivery inbound;
  private final OutboundQueue outbound;
  private final InterestSync interest;
  private final ScheduledExecutorService thread;
  private final ClientResources resources;
  private final Delay firstConnectBackoff;
  private final DuplicateFilter duplicates = new DuplicateFilter();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  /** Set by the first failed publish of an episode (one log line), cleared by the next success. */
  private final AtomicBoolean publishFailing = new AtomicBoolean();
  /** Channels some of whose messages were not sent: each gets a gap marker once the queue has drained. */
  private final java.util.Set<String> unsent = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private volatile RedisLink link;
  private long seq;
  private volatile String state = "connecting";
  private volatile long downSince;
  private final LongAdder reconnects = new LongAdder();
  private final LongAdder published = new LongAdder();
  private final LongAdder droppedDown = new LongAdder();
  private final LongAdder bytesOut = new LongAdder();
  private final LongAdder ownSkipped = new LongAdder();
  private final LongAdder duplicatesSkipped = new LongAdder();
  private final LongAdder foreignIgnored = new LongAdder();
  private final LongAdder gapNotices = new LongAdder();

  private Backplane(BackplaneConfig config, Broker broker, IoLoop[] loops, NanoClock clock) {
    this.config = config;
    this.clock = clock;
    this.outbound = new OutboundQueue(config.outboundQueue().toBytes());
    this.broker = broker;
    this.inbound = new InboundDelivery(broker, loops, gapNotices);
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spillway-backplane");
      t.setDaemon(true);
      return t;
    });
    this.resources = LettuceOptions.resources(config);
    this.firstConnectBackoff = LettuceOptions.backoff(config);
    this.interest = new InterestSync(broker, thread, gapNotices, firstConnectBackoff, closing);
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
    broker.backplane(b.interest::changed, b.new Relay());
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
    log.info(
        "backplane {} connected ({}, node id {})",
        config.uri(),
        config.kind() == BackplaneConfig.Kind.REDIS_CLUSTER ? "sharded pub/sub" : "pub/sub",
        Long.toHexString(nodeId));
    interest.linked(l);
    boolean wasDown = attempt > 0;
    markUp();
    if (wasDown) {
      interest.resubscribeAll();
    }
    drain();
  }

  private void markUp() {
    state = "up";
    downSince = 0;
  }

  // ---- publish --------------------------------------------------------------------------------

  private final class Relay implements PublishRelay {
    @Override
    public void published(byte[] channel, byte[] payload, Publisher from) {
      if (InboundDelivery.isInbound(from)) {
        return; // from another server: delivered here only
      }
      if (!state.equals("up")) {
        droppedDown.increment();
        unsent(channel);
        return;
      }
      if (!outbound.offer(channel, payload)) {
        unsent(channel);
      } else if (drainScheduled.compareAndSet(false, true)) {
        thread.execute(Backplane.this::drain);
      }
    }
  }

  /** Remembers that a message of {@code channel} was not sent, for a gap marker to the other servers. */
  private void unsent(byte[] channel) {
    if (unsent.size() < MAX_UNSENT_CHANNELS) {
      unsent.add(Names.of(channel));
    }
  }

  /**
   * Sends every queued message, pipelined, flushed every {@link #FLUSH_EVERY}; then, once the queue is empty and the
   * link up, a gap marker on every channel some of whose messages were not sent, so that the other servers tell their
   * subscribers. The backplane's thread.
   */
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
    if (!unsent.isEmpty() && state.equals("up")) {
      for (java.util.Iterator<String> it = unsent.iterator(); it.hasNext(); ) {
        String channel = it.next();
        it.remove();
        link.publish(Names.bytes(channel), Envelope.gap(nodeId, ++seq));
        n++;
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
      if (Envelope.isGap(data)) {
        // Another server could not send some messages of this channel: tell its subscribers here.
        gapNotices.increment();
        broker.noticeGap(Names.of(channel), false, GAP_CAUSE);
        return;
      }
      inbound.deliver(channel, Envelope.payload(data));
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
        interest.resubscribeAll();
        drain(); // gap markers for what was not sent while down
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
      thread.execute(() -> interest.lost(name));
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
        interest.channels(),
        interest.patterns(),
        interest.refused(),
        published.sum(),
        outbound.droppedFull(),
        droppedDown.sum(),
        outbound.bytes(),
        outbound.boundBytes(),
        bytesOut.sum(),
        inbound.received(),
        inbound.bytes(),
        ownSkipped.sum(),
        duplicatesSkipped.sum(),
        foreignIgnored.sum(),
        inbound.pendingBytes(),
        inbound.dropped(),
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
