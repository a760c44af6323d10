package io.spillway.server.backplane;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * A Jedis subscriber on its own thread that records what it receives: messages (as {@code channel|payload}), pattern
 * messages (as {@code pattern|channel|payload}) and notices (their JSON). Close it to unsubscribe.
 */
final class Recorder extends JedisPubSub implements AutoCloseable {

  private final Jedis jedis;
  private final Thread thread;
  private final List<String> messages = new ArrayList<>();
  private final List<String> notices = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger confirmed =
      new java.util.concurrent.atomic.AtomicInteger();

  private Recorder(int port, List<String> channels, List<String> patterns) {
    this.jedis = new Jedis("127.0.0.1", port, 30_000);
    int expected = channels.size() + patterns.size();
    this.thread = new Thread(
        () -> {
          try {
            if (!patterns.isEmpty()) {
              // Jedis takes patterns and channels in separate calls; subscribe to the channels once
              // in.
              jedis.psubscribe(this, patterns.toArray(String[]::new));
            } else {
              jedis.subscribe(this, channels.toArray(String[]::new));
            }
          } catch (RuntimeException e) {
            // closed
          }
        },
        "recorder-" + port);
    thread.setDaemon(true);
    thread.start();
    if (!patterns.isEmpty() && !channels.isEmpty()) {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> confirmed.get() >= patterns.size());
      subscribe(channels.toArray(String[]::new));
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> confirmed.get() >= expected);
  }

  /** Subscribes to {@code channels} on server {@code port}, and waits for the confirmations. */
  static Recorder channels(int port, String... channels) {
    return new Recorder(port, List.of(channels), List.of());
  }

  /** Subscribes to {@code patterns} (and then {@code channels}), and waits for the confirmations. */
  static Recorder patterns(int port, List<String> patterns, List<String> channels) {
    return new Recorder(port, channels, patterns);
  }

  @Override
  public void onSubscribe(String channel, int count) {
    confirmed.incrementAndGet();
  }

  @Override
  public void onPSubscribe(String pattern, int count) {
    confirmed.incrementAndGet();
  }

  @Override
  public void onMessage(String channel, String message) {
    synchronized (this) {
      if (channel.equals("__spillway__:notices")) {
        notices.add(message);
      } else {
        messages.add(channel + "|" + message);
      }
    }
  }

  @Override
  public void onPMessage(String pattern, String channel, String message) {
    synchronized (this) {
      messages.add(pattern + "|" + channel + "|" + message);
    }
  }

  synchronized List<String> messages() {
    return new ArrayList<>(messages);
  }

  synchronized List<String> notices() {
    return new ArrayList<>(notices);
  }

  @Override
  public void close() {
    try {
      if (isSubscribed()) {
        unsubscribe();
        punsubscribe();
      }
    } catch (RuntimeException e) {
      // already closed
    }
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    jedis.close();
  }
}
