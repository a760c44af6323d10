package io.spillway.server.http;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.time.NanoClock;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.ChannelHold;
import io.spillway.server.broker.DetachedPublisher;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.broker.Names;
import io.spillway.server.client.ClientRegistry;
import io.spillway.server.client.ClientSession;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.outbox.OutboxState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The work of the admitted API routes, run on worker threads. A publish is handed to the connection's event loop
 * (the broker's fan-out runs on event loops) and the worker waits for it, within the request's deadline; while any
 * loop's cross-loop backlog is congested the publish first waits for it to drain, as a RESP publisher is paused.
 * Thread-safe.
 */
final class ApiRoutes {

  private final Broker broker;
  private final ClientRegistry clients;
  private final ServerStats stats;
  private final IoLoop[] loops;
  /**
   * The HTTP API as a publisher, one per event loop. It is never pushed back by the broker: a publish first waits
   * (within its deadline) for any congested backlog to drain and for a held block channel, and no HTTP publisher
   * subscribes.
   */
  private final DetachedPublisher[] publishers;

  private final Function<EventLoop, IoLoop> loopOf;
  private final NanoClock clock;
  private volatile WorkQueue queue;
  /** Tests only: runs on the worker before each route (to hold workers, say). */
  private volatile java.util.function.Consumer<Exchange> beforeRun;

  ApiRoutes(
      Broker broker,
      ClientRegistry clients,
      ServerStats stats,
      IoLoop[] loops,
      Function<EventLoop, IoLoop> loopOf,
      NanoClock clock) {
    this.broker = broker;
    this.clients = clients;
    this.stats = stats;
    this.loops = loops.clone();
    this.publishers = new DetachedPublisher[loops.length];
    for (IoLoop l : loops) {
      publishers[l.index()] = new DetachedPublisher(l);
    }
    this.loopOf = loopOf;
    this.clock = clock;
  }

  void beforeRun(java.util.function.Consumer<Exchange> hook) {
    this.beforeRun = hook;
  }

  void queue(WorkQueue queue) {
    this.queue = queue;
  }

  /** Runs {@code e}'s route and returns its response. Worker thread. */
  ApiResponse run(Exchange e) throws InterruptedException {
    java.util.function.Consumer<Exchange> hook = beforeRun;
    if (hook != null) {
      hook.accept(e);
    }
    switch (e.route) {
      case PUBLISH:
        return publish(e);
      case CHANNELS:
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(channels()));
      case CLIENTS:
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(clients()));
      case STATS:
        return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(stats()));
      default:
        throw new IllegalStateException("not a worker route: " + e.route);
    }
  }

  private ApiResponse publish(Exchange e) throws InterruptedException {
    if (clock.nanoTime() >= e.deadlineNanos) {
      return deadline("the deadline passed before the message could be published; not published");
    }
    IoLoop congested = broker.congestedLoop();
    if (congested != null) {
      CompletableFuture<Void> drained = new CompletableFuture<>();
      congested.whenDrained(() -> drained.complete(null));
      if (!await(drained, e)) {
        return deadline("the delivery backlog did not drain before the deadline; not published");
      }
    }
    ChannelHold hold = broker.heldFor(e.channel);
    if (hold != null) {
      // A block channel held back by a slow subscriber: wait, within the deadline, as a RESP
      // publisher's reads pause; then 503, the message not published.
      CompletableFuture<Void> released = new CompletableFuture<>();
      hold.whenReleased(() -> released.complete(null));
      if (!await(released, e)) {
        return ApiResponse.shed(
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            "channel_blocked",
            1,
            "the channel's block policy held publishers back until the deadline: a subscriber"
                + " is behind; not published");
      }
    }
    IoLoop loop = loopOf.apply(e.loop);
    CompletableFuture<Integer> published = new CompletableFuture<>();
    loop.eventLoop().execute(() -> {
      if (!published.isDone()) {
        published.complete(broker.publish(e.channel, e.body, publishers[loop.index()]));
      }
    });
    if (!await(published, e)) {
      if (published.cancel(false)) {
        return deadline("the deadline passed before the message could be published; not published");
      }
    }
    int receivers = published.join();
    if (receivers < 0) {
      return ApiResponse.error(
          receivers == Broker.TOO_LARGE
              ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
              : HttpResponseStatus.BAD_REQUEST,
          receivers == Broker.TOO_LARGE ? "message_too_large" : "bad_channel",
          broker.refusal(receivers, e.channel.length, e.body.length));
    }
    return ApiResponse.json(HttpResponseStatus.OK, Json.bytes(Json.object("receivers", receivers)));
  }

  /** Waits for {@code f} until {@code e}'s deadline; false if the deadline came first. */
  private boolean await(CompletableFuture<?> f, Exchange e) throws InterruptedException {
    long remaining = e.deadlineNanos - clock.nanoTime();
    try {
      f.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
      return true;
    } catch (TimeoutException timeout) {
      return false;
    } catch (ExecutionException failed) {
      throw new IllegalStateException(failed.getCause());
    }
  }

  private static ApiResponse deadline(String message) {
    return ApiResponse.shed(HttpResponseStatus.GATEWAY_TIMEOUT, "deadline", 0, message);
  }

  private Map<String, Object> channels() {
    List<Map<String, Object>> list = new ArrayList<>();
    for (String name : broker.activeChannels(null)) {
      // Names are bytes; shown as UTF-8 text (a name that is not UTF-8 shows replacement
      // characters).
      list.add(Json.object(
          "name",
          new String(Names.bytes(name), StandardCharsets.UTF_8),
          "subscribers",
          broker.subscriberCount(name)));
    }
    return Json.object("channels", list, "patterns", broker.patternCount());
  }

  /** Every client's figures, as GET /v1/clients gives them (the dashboard reads them too). Any thread. */
  Map<String, Object> clients() {
    List<Map<String, Object>> list = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (ClientSession c : clients.all()) {
      OutboxState o = c.outbox().state();
      long aboveSoft = o.millisAboveSoftLimit();
      list.add(Json.object(
          "id", c.id(),
          "addr", c.addr(),
          "name", c.name(),
          "protocol", c.protocolName(),
          "class", c.clientClass().name().toLowerCase(java.util.Locale.ROOT),
          "age_seconds", (now - c.createdAtMillis()) / 1000,
          "idle_seconds", (now - c.lastInteractionMillis()) / 1000,
          "channels", c.channelCount(),
          "patterns", c.patternCount(),
          "shard_channels", c.shardChannelCount(),
          "queued_bytes", o.queuedBytes(),
          "dropped_messages", o.droppedMessages(),
          "soft_limit_bytes", o.limits().softLimit().toBytes(),
          "hard_limit_bytes", o.limits().hardLimit().toBytes(),
          "policy_state", o.cut() ? "cut" : aboveSoft > 0 ? "over_soft_limit" : "ok",
          "paused", c.pausedBy(),
          "holding_block_channels", c.holdingBack(),
          "millis_above_soft_limit", aboveSoft));
    }
    return Json.object("clients", list);
  }

  /** The server's figures, as GET /v1/stats gives them (the dashboard reads them too). Any thread. */
  Map<String, Object> stats() {
    long delivered = 0;
    long backlog = 0;
    for (IoLoop l : loops) {
      delivered += l.delivered();
      backlog += l.backlogBytes();
    }
    long queued = 0;
    long largest = 0;
    for (ClientSession c : clients.all()) {
      long q = c.outbox().state().queuedBytes();
      queued += q;
      largest = Math.max(largest, q);
    }
    Map<String, Object> cuts = new LinkedHashMap<>();
    for (DisconnectReason r : DisconnectReason.values()) {
      cuts.put(r.label(), stats.cuts(r));
    }
    Map<String, Object> http = new LinkedHashMap<>();
    WorkQueue q = queue;
    if (q != null) {
      q.describe(http);
    }
    return Json.object(
        "connected_clients",
        clients.connected(),
        "messages_published",
        stats.messagesPublished(),
        "messages_delivered",
        delivered,
        "channels",
        broker.channelCount(),
        "patterns",
        broker.patternCount(),
        "shard_channels",
        broker.shardChannelCount(),
        "queued_output_bytes",
        queued,
        "largest_client_queued_bytes",
        largest,
        "delivery_backlog_bytes",
        backlog,
        "output_memory_bytes",
        IoLoop.outputMemoryUsed(loops),
        "max_output_memory",
        IoLoop.outputMemoryMax(loops),
        "block_pauses",
        broker.blockPauses().episodes(),
        "block_paused_seconds",
        broker.blockPauses().pausedNanos() / 1e9,
        "slow_consumer_cuts",
        cuts,
        "http",
        http);
  }
}
