package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.server.outbox.ClientClass;
import io.spillway.server.client.ClientSession;
import io.spillway.server.config.KernelShare;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.resp.RespRequest;
import io.spillway.server.resp.RespWriter;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * INFO [section ...] with the sections server, clients, memory and stats in Redis's {@code key:value} format; the
 * outbox policy's figures (queued bytes, cuts by reason, the configured limits and the worst case) are in memory and
 * stats.
 */
final class InfoCommand {

  static final String VERSION = "0.1.0";
  private static final Set<String> ALL = Set.of("server", "clients", "memory", "stats");

  private InfoCommand() {}

  static void info(CommandHandler h, RespRequest r) {
    Set<String> wanted = new LinkedHashSet<>();
    if (r.size() == 1) {
      wanted.addAll(ALL);
    }
    for (int i = 1; i < r.size(); i++) {
      String s = r.argString(i).toLowerCase(Locale.ROOT);
      if (s.equals("all") || s.equals("default") || s.equals("everything")) {
        wanted.addAll(ALL);
      } else {
        wanted.add(s);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String section : new String[] {"server", "clients", "memory", "stats"}) {
      if (!wanted.contains(section)) {
        continue;
      }
      if (sb.length() > 0) {
        sb.append("\r\n");
      }
      switch (section) {
        case "server":
          server(h.server, sb);
          break;
        case "clients":
          clients(h.server, sb);
          break;
        case "memory":
          memory(h.server, sb);
          break;
        default:
          stats(h.server, sb);
      }
    }
    ByteBuf out = h.buffer();
    RespWriter.verbatim(out, sb.toString(), h.session.protocol());
    h.reply(out);
  }

  private static void field(StringBuilder sb, String key, Object value) {
    sb.append(key).append(':').append(value).append("\r\n");
  }

  private static void server(ServerContext s, StringBuilder sb) {
    long uptime = (System.currentTimeMillis() - s.stats.startedAtMillis()) / 1000;
    sb.append("# Server\r\n");
    field(sb, "redis_version", ConnectionCommands.REDIS_COMPAT_VERSION);
    field(sb, "spillway_version", VERSION);
    field(sb, "redis_mode", "standalone");
    field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    field(sb, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
    field(sb, "multiplexing_api", s.transport);
    field(sb, "java_version", System.getProperty("java.version"));
    field(sb, "process_id", ProcessHandle.current().pid());
    field(sb, "tcp_port", s.boundPort);
    field(sb, "io_threads", s.loops.length);
    field(sb, "uptime_in_seconds", uptime);
    field(sb, "uptime_in_days", uptime / 86_400);
  }

  private static void clients(ServerContext s, StringBuilder sb) {
    int subscribers = 0;
    int webSockets = 0;
    for (ClientSession c : s.clients.all()) {
      if (c.clientClass() == ClientClass.SUBSCRIBER) {
        subscribers++;
      }
      if (c.isWebSocket()) {
        webSockets++;
      }
    }
    sb.append("# Clients\r\n");
    field(sb, "connected_clients", s.clients.connected());
    field(sb, "maxclients", s.config.maxClients());
    field(sb, "pubsub_clients", subscribers);
    field(sb, "websocket_clients", webSockets);
    field(sb, "blocked_clients", 0);
  }

  private static void memory(ServerContext s, StringBuilder sb) {
    long total = 0;
    long largest = 0;
    for (ClientSession c : s.clients.all()) {
      long q = c.outbox().state().queuedBytes();
      total += q;
      largest = Math.max(largest, q);
    }
    ServerConfig cfg = s.config;
    Runtime rt = Runtime.getRuntime();
    sb.append("# Memory\r\n");
    field(sb, "used_memory", rt.totalMemory() - rt.freeMemory());
    field(sb, "used_memory_rss", rss());
    field(sb, "maxmemory_heap", rt.maxMemory());
    field(sb, "used_memory_netty_direct", nettyDirect());
    field(sb, "outbox_queued_bytes", total);
    field(sb, "outbox_largest_queued_bytes", largest);
    KernelShare kernel = KernelShare.of(cfg);
    field(sb, "outbox_worst_case_bytes", kernel.stalledWorstCase(cfg));
    field(sb, "outbox_absolute_worst_case_bytes", kernel.absoluteWorstCase(cfg));
    field(sb, "kernel_unsent_bound_per_client", kernel.unsentBound());
    field(sb, "kernel_send_buffer_bound_per_client", kernel.sendBufferBound());
    field(sb, "socket_send_buffer", cfg.socketSendBuffer().toBytes());
    field(sb, "tcp_notsent_lowat", cfg.tcpNotsentLowat().toBytes());
    limits(sb, "subscriber", cfg.subscriberLimits());
    limits(sb, "normal", cfg.normalLimits());
    field(sb, "max_message_size", cfg.maxMessageSize().toBytes());
  }

  private static void limits(StringBuilder sb, String prefix, OutboxLimits l) {
    field(sb, prefix + "_hard_limit", l.hardLimit().toBytes());
    field(sb, prefix + "_soft_limit", l.softLimit().toBytes());
    field(sb, prefix + "_soft_window_ms", l.softWindow().toMillis());
    field(sb, prefix + "_write_timeout_ms", l.writeTimeout().toMillis());
  }

  private static long nettyDirect() {
    return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
  }

  /** Resident set size from /proc, or -1 where there is none. */
  static long rss() {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  private static void stats(ServerContext s, StringBuilder sb) {
    ServerStats st = s.stats;
    sb.append("# Stats\r\n");
    field(sb, "total_connections_received", st.connectionsReceived());
    field(sb, "total_commands_processed", st.commandsProcessed());
    field(sb, "rejected_connections", st.rejectedConnections());
    field(sb, "protocol_errors", st.protocolErrors());
    field(sb, "pubsub_channels", s.broker.channelCount());
    field(sb, "pubsub_patterns", s.broker.patternCount());
    field(sb, "messages_published", st.messagesPublished());
    field(sb, "messages_delivered", s.messagesDelivered());
    field(sb, "delivery_backlog_bytes", s.deliveryBacklogBytes());
    field(sb, "publisher_pauses", s.pauses.episodes());
    field(sb, "publisher_paused_ms", s.pauses.pausedNanos() / 1_000_000);
    field(sb, "publish_rejected_too_large", st.publishRejectedTooLarge());
    field(sb, "client_cuts", st.totalCuts());
    for (DisconnectReason reason : DisconnectReason.values()) {
      field(sb, "client_cuts_" + reason.label(), st.cuts(reason));
    }
    field(sb, "jvm_uptime_ms", ManagementFactory.getRuntimeMXBean().getUptime());
  }
}
