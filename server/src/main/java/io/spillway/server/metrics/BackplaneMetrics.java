package io.spillway.server.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.spillway.server.backplane.BackplaneStatus;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The backplane's metrics ({@code spillway_backplane_*}), callbacks over {@link BackplaneStatus}; registered only when
 * a backplane is configured.
 */
final class BackplaneMetrics {

  private BackplaneMetrics() {}

  static void register(PrometheusRegistry registry, Supplier<BackplaneStatus> status) {
    GaugeWithCallback.builder()
        .name("spillway_backplane_up")
        .help("1 while the backplane is connected, 0 while it is down or not reached yet")
        .callback(cb -> cb.call(status.get().state().equals("up") ? 1 : 0))
        .register(registry);
    gauge(
        registry,
        "spillway_backplane_down_seconds",
        "How long the backplane has been down",
        status,
        BackplaneStatus::downSeconds);
    counter(
        registry,
        "spillway_backplane_reconnects_total",
        "Times the backplane came back after being down",
        status,
        BackplaneStatus::reconnects);
    gauge(
        registry,
        "spillway_backplane_channels",
        "Channels this server is subscribed to on the backplane",
        status,
        BackplaneStatus::channels);
    gauge(
        registry,
        "spillway_backplane_patterns",
        "Patterns this server is subscribed to on the backplane",
        status,
        BackplaneStatus::patterns);
    counter(
        registry,
        "spillway_backplane_published_total",
        "Messages sent to the backplane and acknowledged",
        status,
        BackplaneStatus::published);
    counter(
        registry,
        "spillway_backplane_dropped_full_total",
        "Messages not sent to the backplane because backplane-outbound-queue was full",
        status,
        BackplaneStatus::droppedFull);
    counter(
        registry,
        "spillway_backplane_dropped_down_total",
        "Messages not sent to the backplane because it was down",
        status,
        BackplaneStatus::droppedDown);
    gauge(
        registry,
        "spillway_backplane_outbound_bytes",
        "Bytes queued for the backplane or not yet acknowledged (outbound lag)",
        status,
        BackplaneStatus::outboundBytes);
    counter(
        registry,
        "spillway_backplane_sent_bytes_total",
        "Bytes of messages sent to the backplane",
        status,
        BackplaneStatus::bytesOut);
    counter(
        registry,
        "spillway_backplane_received_total",
        "Messages received from other servers through the backplane",
        status,
        BackplaneStatus::received);
    counter(
        registry,
        "spillway_backplane_received_bytes_total",
        "Bytes of messages received from the backplane",
        status,
        BackplaneStatus::bytesIn);
    gauge(
        registry,
        "spillway_backplane_inbound_bytes",
        "Bytes received from the backplane and not yet handed to the event loops (inbound lag)",
        status,
        BackplaneStatus::inboundBytes);
    counter(
        registry,
        "spillway_backplane_inbound_dropped_total",
        "Messages received from the backplane and dropped because the inbound bound was reached",
        status,
        BackplaneStatus::inboundDropped);
    counter(
        registry,
        "spillway_backplane_gap_notices_total",
        "Gap notices asked for (one per channel or pattern per outage)",
        status,
        BackplaneStatus::gapNotices);
  }

  private static void counter(
      PrometheusRegistry registry,
      String name,
      String help,
      Supplier<BackplaneStatus> status,
      ToLongFunction<BackplaneStatus> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.applyAsLong(status.get())))
        .register(registry);
  }

  private static void gauge(
      PrometheusRegistry registry,
      String name,
      String help,
      Supplier<BackplaneStatus> status,
      ToLongFunction<BackplaneStatus> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.applyAsLong(status.get())))
        .register(registry);
  }
}
