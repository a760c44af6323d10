package io.spillway.server.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OverflowStrategy;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientRegistry;
import java.util.function.LongSupplier;

/**
 * The RESP port's metrics, every one a callback over figures the server already keeps (ServerStats, the loops'
 * counters, the broker's maps, the client census), so that delivering a message does no work for metrics.
 */
final class RespMetrics {

  private RespMetrics() {}

  static void register(
      PrometheusRegistry registry,
      ServerStats stats,
      ClientRegistry clients,
      Broker broker,
      IoLoop[] loops,
      ClientCensus census) {
    IoLoop[] ioLoops = loops.clone();
    counter(
        registry,
        "spillway_connections_received_total",
        "RESP connections accepted",
        stats::connectionsReceived);
    counter(
        registry,
        "spillway_connections_rejected_total",
        "RESP connections refused at max-clients",
        stats::rejectedConnections);
    counter(
        registry,
        "spillway_commands_processed_total",
        "RESP commands executed",
        stats::commandsProcessed);
    counter(
        registry,
        "spillway_protocol_errors_total",
        "RESP requests that broke the protocol or its limits (the connection is closed)",
        stats::protocolErrors);
    counter(
        registry,
        "spillway_messages_published_total",
        "PUBLISH commands accepted",
        stats::messagesPublished);
    counter(
        registry,
        "spillway_publishes_too_large_total",
        "PUBLISH commands refused for their size",
        stats::publishRejectedTooLarge);
    counter(
        registry,
        "spillway_messages_delivered_total",
        "Messages accepted into subscribers' outboxes (one per subscriber reached)",
        () -> {
          long sum = 0;
          for (IoLoop loop : ioLoops) {
            sum += loop.delivered();
          }
          return sum;
        });
    counter(
        registry,
        "spillway_publisher_pauses_total",
        "Publishers paused because a delivery backlog reached delivery-backlog-high (lossless pushback)",
        () -> stats.publisherPauses().episodes());
    CounterWithCallback.builder()
        .name("spillway_publisher_paused_seconds")
        .help("Total time publishers spent paused by a congested delivery backlog")
        .unit(Unit.SECONDS)
        .callback(cb -> cb.call(stats.publisherPauses().pausedNanos() / 1e9))
        .register(registry);
    CounterWithCallback.builder()
        .name("spillway_messages_dropped_total")
        .help(
            "Messages dropped for slow subscribers by their channel's overflow strategy, by strategy")
        .labelNames("strategy")
        .callback(cb -> {
          for (OverflowStrategy st : OverflowStrategy.values()) {
            if (st.lossy()) {
              cb.call(stats.dropped(st), st.label());
            }
          }
        })
        .register(registry);
    CounterWithCallback.builder()
        .name("spillway_notices_sent_total")
        .help("In-band notices handed to clients subscribed to __spillway__:notices, by type")
        .labelNames("type")
        .callback(cb -> {
          cb.call(stats.noticesSent(true), "gap");
          cb.call(stats.noticesSent(false), "warning");
        })
        .register(registry);
    CounterWithCallback.builder()
        .name("spillway_slow_consumer_cuts_total")
        .help("Clients disconnected by the outbox policy, by reason")
        .labelNames("reason")
        .callback(cb -> {
          for (DisconnectReason r : DisconnectReason.values()) {
            cb.call(stats.cuts(r), r.label());
          }
        })
        .register(registry);

    GaugeWithCallback.builder()
        .name("spillway_clients")
        .help("Connected clients by protocol")
        .labelNames("protocol")
        .callback(cb -> {
          for (String protocol : ClientCensus.PROTOCOLS) {
            cb.call(census.clients(protocol), protocol);
          }
        })
        .register(registry);
    gauge(registry, "spillway_clients_max", "The max-clients setting", clients::maxClients);
    GaugeWithCallback.builder()
        .name("spillway_outbox_queued_bytes")
        .unit(Unit.BYTES)
        .help(
            "Output bytes accepted for clients and not yet taken by their sockets, all clients together")
        .callback(cb -> cb.call(census.queuedBytes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("spillway_outbox_largest_queued_bytes")
        .unit(Unit.BYTES)
        .help("Output bytes queued for the single client with the most")
        .callback(cb -> cb.call(census.largestQueuedBytes()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("spillway_delivery_backlog_bytes")
        .unit(Unit.BYTES)
        .help(
            "Messages handed to an event loop by publishers on other loops and not yet delivered, by loop;"
                + " publishers pause while a loop holds delivery-backlog-high bytes")
        .labelNames("loop")
        .callback(cb -> {
          for (IoLoop loop : ioLoops) {
            cb.call(loop.backlogBytes(), Integer.toString(loop.index()));
          }
        })
        .register(registry);
    gauge(
        registry,
        "spillway_channels_active",
        "Channels with at least one subscriber",
        broker::channelCount);
    gauge(
        registry,
        "spillway_output_memory_bytes",
        "Bytes all outboxes hold together, as charged to the output budget; bounded by max-output-memory",
        () -> IoLoop.outputMemoryUsed(ioLoops));
    gauge(
        registry,
        "spillway_output_memory_max_bytes",
        "The max-output-memory setting",
        () -> IoLoop.outputMemoryMax(ioLoops));
    counter(
        registry,
        "spillway_block_pauses_total",
        "Publishers paused because a block channel was held back by a subscriber at its soft limit",
        () -> broker.blockPauses().episodes());
    CounterWithCallback.builder()
        .name("spillway_block_paused_seconds")
        .help("Total time publishers spent paused by held block channels")
        .unit(Unit.SECONDS)
        .callback(cb -> cb.call(broker.blockPauses().pausedNanos() / 1e9))
        .register(registry);
    gauge(
        registry,
        "spillway_subscription_memory_bytes",
        "Heap counted for subscription state (names, topics, lists); bounded by max-subscription-memory",
        broker::subscriptionBytes);
    gauge(
        registry,
        "spillway_subscription_memory_max_bytes",
        "The max-subscription-memory setting",
        broker::maxSubscriptionBytes);
    counter(
        registry,
        "spillway_subscriptions_refused_total",
        "SUBSCRIBE, PSUBSCRIBE and SSUBSCRIBE refused because the subscription state budget was full",
        stats::subscriptionsRefused);
    gauge(
        registry,
        "spillway_patterns_active",
        "Patterns with at least one subscriber",
        broker::patternCount);
    gauge(
        registry,
        "spillway_shard_channels_active",
        "Shard channels (SSUBSCRIBE) with at least one subscriber",
        broker::shardChannelCount);
  }

  private static void counter(
      PrometheusRegistry registry, String name, String help, LongSupplier value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsLong()))
        .register(registry);
  }

  private static void gauge(
      PrometheusRegistry registry, String name, String help, LongSupplier value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.getAsLong()))
        .register(registry);
  }
}
