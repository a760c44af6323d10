package io.spillway.server.backplane;

import io.lettuce.core.resource.Delay;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.Names;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this server holds on the backplane: a channel (or pattern) while it has at least one local subscriber. The
 * broker's hook only marks a name dirty ({@link #changed}, any thread); the backplane's thread reads the broker's
 * state back and subscribes or unsubscribes to match it, so two loops racing (a subscriber leaving, another arriving)
 * cannot leave Redis out of step. The set of names held is ours, not the client library's: after a reconnect all of
 * it is subscribed again ({@link #resubscribeAll}), and an unsubscribe that failed while down is sent again. Every
 * method except {@link #changed} and the counts runs on the backplane's thread.
 */
final class InterestSync {

  private static final Logger log = LoggerFactory.getLogger("spillway.backplane");
  /** Attempts to subscribe again to a name Redis dropped before giving up (with a gap notice all the same). */
  private static final int MAX_RESUBSCRIBE_ATTEMPTS = 20;

  /** A channel or pattern, as the broker names it. */
  private record Name(String name, boolean pattern) {
    byte[] bytes() {
      return Names.bytes(name);
    }
  }

  private final Broker broker;
  private final ScheduledExecutorService thread;
  private final LongAdder gapNotices;
  private final Delay backoff;
  private final AtomicBoolean closing;
  private final Set<Name> dirty = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean syncScheduled = new AtomicBoolean();
  /** Names subscribed on Redis, or to subscribe once connected. */
  private final Set<Name> held = new HashSet<>();
  /** Names unsubscribed while down, to unsubscribe again once up. */
  private final Set<Name> unheldWhileDown = new HashSet<>();
  /** Patterns not held because the backplane has none (Cluster). */
  private final Set<String> refusedPatterns = new HashSet<>();

  private RedisLink link;
  private volatile int channels;
  private volatile int patterns;
  private volatile int refused;

  InterestSync(
      Broker broker,
      ScheduledExecutorService thread,
      LongAdder gapNotices,
      Delay backoff,
      AtomicBoolean closing) {
    this.broker = broker;
    this.thread = thread;
    this.gapNotices = gapNotices;
    this.backoff = backoff;
    this.closing = closing;
  }

  /** {@code name} may have gained its first or lost its last local subscriber. Any thread (the broker's hook). */
  void changed(String name, boolean pattern) {
    if (!pattern && name.equals(Broker.NOTICES_CHANNEL)) {
      return;
    }
    dirty.add(new Name(name, pattern));
    if (syncScheduled.compareAndSet(false, true)) {
      thread.execute(this::sync);
    }
  }

  /** The link is open: holds every name the broker has subscribers of now. */
  void linked(RedisLink l) {
    this.link = l;
    held.clear();
    refusedPatterns.clear();
    for (String channel : broker.activeChannels(null)) {
      dirty.add(new Name(channel, false));
    }
    for (String pattern : broker.activePatterns()) {
      dirty.add(new Name(pattern, true));
    }
    sync();
  }

  /** Subscribes or unsubscribes every dirty name to match the broker. */
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
    held.add(n);
    unheldWhileDown.remove(n);
    if (link != null) {
      subscribe(n); // fails while down: subscribed again by resubscribeAll once up
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

  private CompletionStage<?> subscribe(Name n) {
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
    channels = c;
    patterns = p;
    refused = refusedPatterns.size();
  }

  /**
   * After a reconnect: subscribes to every held name again and then asks for a gap notice to every local subscriber
   * of each; unsubscribes what was released while down.
   */
  void resubscribeAll() {
    for (Name n : List.copyOf(held)) {
      resubscribe(n, 0);
    }
    for (Name n : List.copyOf(unheldWhileDown)) {
      if (!held.contains(n)) {
        release(n);
      }
    }
    unheldWhileDown.clear();
  }

  /** Redis dropped this server's subscription to {@code channel} by itself (a slot that moved). */
  void lost(String channel) {
    resubscribe(new Name(channel, false), 0);
  }

  /**
   * Subscribes to {@code n} again, retrying with the backoff while the link or the topology settles, then asks for a
   * gap notice to its subscribers.
   */
  private void resubscribe(Name n, int attempt) {
    if (!held.contains(n) || closing.get()) {
      return;
    }
    subscribe(n).whenComplete((r, e) -> {
      if (e == null || attempt >= MAX_RESUBSCRIBE_ATTEMPTS) {
        gapNotices.increment();
        broker.noticeGap(n.name(), n.pattern(), Backplane.GAP_CAUSE);
      } else {
        long delay = backoff.createDelay(attempt + 1L).toMillis();
        thread.schedule(
            () -> resubscribe(n, attempt + 1), Math.max(1, delay), TimeUnit.MILLISECONDS);
      }
    });
  }

  /** Channels held on the backplane. Any thread. */
  int channels() {
    return channels;
  }

  /** Patterns held on the backplane. Any thread. */
  int patterns() {
    return patterns;
  }

  /** Local patterns not held, because the backplane has no patterns. Any thread. */
  int refused() {
    return refused;
  }
}
