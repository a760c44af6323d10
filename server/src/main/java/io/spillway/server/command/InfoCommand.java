package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.spillway.core.outbox.DisconnectReason;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.client.ClientSession;
import io.spillway.server.config.KernelShare;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.outbox.ClientClass;
import io.spillway.server.resp.RespRequest;
import io.spillway.server.resp.RespWriter;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * INFO [section ...] with the sections server, clients, memory, stats, cpu, commandstats, errorstats and latencystats
 * in Redis's {@code key:value} format; the outbox policy's figures (queued bytes, cuts by reason, the configured
 * limits and the worst case) are in memory and stats. As in Redis 7.0, {@code INFO} alone leaves out commandstats and
 * latencystats; {@code all} and {@code everything} include them.
 */
final class InfoCommand {

  static final String VERSION = "0.1.0";
  private static final List<String> ORDER = List.of(
      "server",
      "clients",
      "memory",
      "stats",
      "cpu",
      "commandstats",
      "errorstats",
      "latencystats",
      "backplane");
  private static final Set<String> DEFAULT =
      Set.of("server", "clients", "memory", "stats", "cpu", "errorstats");

  private InfoCommand() {}

  static void info(CommandHandler h, RespRequest r) {
    Set<String> wanted = new LinkedHashSet<>();
    if (r.size() == 1) {
      wanted.addAll(DEFAULT);
    }
    for (int i = 1; i < r.size(); i++) {
      String s = r.argString(i).toLowerCase(Locale.ROOT);
      if (s.equals("default")) {
        wanted.addAll(DEFAULT);
      } else if (s.equals("all") || s.equals("everything")) {
        wanted.addAll(ORDER);
      } else {
        wanted.add(s);
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String section : ORDER) {
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
        case "cpu":
          cpu(sb);
          break;
        case "commandstats":
          commandStats(h.server.commandStats, sb);
          break;
        case "errorstats":
          errorStats(h.server.commandStats, sb);
          break;
        case "latencystats":
          latencyStats(h.server.commandStats, sb);
          break;
        case "backplane":
          backplane(h.server.backplane.get(), sb);
          break;
        default:
          stats(h.server, sb);
      }
    }
    ByteBuf out = h.buffer();
    RespWriter.verbatim(out, sb.toString(), h.session.protocol());
    h.reply(out);
  }

  /** {@code INFO backplane}: the link to the other servers (README: Backplane). */
  private static void backplane(io.spillway.server.backplane.BackplaneStatus b, StringBuilder sb) {
    sb.append("# Backplane\r\n");
    field(sb, "backplane_kind", b.kind());
    field(sb, "backplane_state", b.state());
    field(sb, "backplane_down_seconds", b.downSeconds());
    field(sb, "backplane_reconnects", b.reconnects());
    field(sb, "backplane_channels", b.channels());
    field(sb, "backplane_patterns", b.patterns());
    field(sb, "backplane_patterns_local_only", b.patternsRefused());
    field(sb, "backplane_published", b.published());
    field(sb, "backplane_dropped_full", b.droppedFull());
    field(sb, "backplane_dropped_down", b.droppedDown());
    field(sb, "backplane_outbound_bytes", b.outboundBytes());
    field(sb, "backplane_outbound_queue", b.outboundBound());
    field(sb, "backplane_sent_bytes", b.bytesOut());
    field(sb, "backplane_received", b.received());
    field(sb, "backplane_received_bytes", b.bytesIn());
    field(sb, "backplane_own_skipped", b.ownSkipped());
    field(sb, "backplane_duplicates_skipped", b.duplicatesSkipped());
    field(sb, "backplane_foreign_ignored", b.foreignIgnored());
    field(sb, "backplane_inbound_bytes", b.inboundBytes());
    field(sb, "backplane_inbound_dropped", b.inboundDropped());
    field(sb, "backplane_gap_notices", b.gapNotices());
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
    field(
        sb,
        "os",
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
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
    field(sb, "maxclients", s.live.maxClients());
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
    ServerConfig cfg = s.live.current();
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
    field(sb, "output_memory_bytes", IoLoop.outputMemoryUsed(s.loops));
    field(sb, "max_output_memory", IoLoop.outputMemoryMax(s.loops));
    field(sb, "subscription_memory_bytes", s.broker.subscriptionBytes());
    field(sb, "max_subscription_memory", s.broker.maxSubscriptionBytes());
    field(sb, "subscriptions_refused", s.stats.subscriptionsRefused());
    field(sb, "pattern_match_cost", s.broker.patternMatchCost());
    field(sb, "max_pattern_match_cost", s.broker.maxPatternMatchCost());
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
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Seconds of CPU the process has used in the kernel and in user space, from /proc (all threads). */
  private static void cpu(StringBuilder sb) {
    double[] sysUser = cpuSeconds();
    sb.append("# CPU\r\n");
    field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", sysUser[0]));
    field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", sysUser[1]));
    field(sb, "used_cpu_sys_children", "0.000000");
    field(sb, "used_cpu_user_children", "0.000000");
  }

  /**
   * {@code {system, user}} seconds from /proc/self/stat (clock ticks of 1/100 s, Linux's USER_HZ); where there is no
   * /proc, the JVM's process CPU time counted as user time.
   */
  static double[] cpuSeconds() {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
      // After "pid (comm) ", field 3 (state) is f[0]; utime is field 14, stime field 15.
      return new double[] {Long.parseLong(f[12]) / 100.0, Long.parseLong(f[11]) / 100.0};
    } catch (java.io.IOException | RuntimeException e) {
      java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      long nanos =
          os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
      return new double[] {0, Math.max(0, nanos) / 1e9};
    }
  }

  private static void commandStats(CommandStats stats, StringBuilder sb) {
    sb.append("# Commandstats\r\n");
    for (Map.Entry<String, CommandStats.Entry> e : stats.commands().entrySet()) {
      CommandStats.Entry c = e.getValue();
      long calls = c.calls.sum();
      long usec = c.nanos.sum() / 1000;
      field(
          sb,
          "cmdstat_" + e.getKey(),
          "calls=" + calls + ",usec=" + usec + ",usec_per_call="
              + String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls)
              + ",rejected_calls=" + c.rejected.sum() + ",failed_calls=" + c.failed.sum());
    }
  }

  private static void errorStats(CommandStats stats, StringBuilder sb) {
    sb.append("# Errorstats\r\n");
    for (Map.Entry<String, Long> e : stats.errors().entrySet()) {
      field(sb, "errorstat_" + e.getKey(), "count=" + e.getValue());
    }
  }

  private static void latencyStats(CommandStats stats, StringBuilder sb) {
    sb.append("# Latencystats\r\n");
    for (Map.Entry<String, CommandStats.Entry> e : stats.commands().entrySet()) {
      org.HdrHistogram.Histogram h = e.getValue().latency.copy();
      if (h.getTotalCount() == 0) {
        continue;
      }
      StringBuilder v = new StringBuilder();
      for (double p : CommandStats.PERCENTILES) {
        if (v.length() > 0) {
          v.append(',');
        }
        v.append('p')
            .append(p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p))
            .append('=')
            .append(String.format(Locale.ROOT, "%.3f", h.getValueAtPercentile(p) / 1000.0));
      }
      field(sb, "latency_percentiles_usec_" + e.getKey(), v);
    }
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
    field(sb, "pubsubshard_channels", s.broker.shardChannelCount());
    field(sb, "messages_published", st.messagesPublished());
    field(sb, "messages_delivered", s.messagesDelivered());
    field(sb, "delivery_backlog_bytes", s.deliveryBacklogBytes());
    field(sb, "publisher_pauses", s.pauses.episodes());
    field(sb, "publisher_paused_ms", s.pauses.pausedNanos() / 1_000_000);
    field(sb, "block_pauses", s.broker.blockPauses().episodes());
    field(sb, "block_paused_ms", s.broker.blockPauses().pausedNanos() / 1_000_000);
    for (io.spillway.core.outbox.OverflowStrategy strategy :
        io.spillway.core.outbox.OverflowStrategy.values()) {
      if (strategy.lossy()) {
        field(
            sb,
            "messages_dropped_" + strategy.label().replace('-', '_'),
            s.stats.dropped(strategy));
      }
    }
    field(sb, "gap_notices_sent", s.stats.noticesSent(true));
    field(sb, "warning_notices_sent", s.stats.noticesSent(false));
    field(sb, "publish_rejected_too_large", st.publishRejectedTooLarge());
    field(sb, "client_cuts", st.totalCuts());
    for (DisconnectReason reason : DisconnectReason.values()) {
      field(sb, "client_cuts_" + reason.label(), st.cuts(reason));
    }
    field(sb, "jvm_uptime_ms", ManagementFactory.getRuntimeMXBean().getUptime());
  }
}
