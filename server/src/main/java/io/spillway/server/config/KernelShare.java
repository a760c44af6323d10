package io.spillway.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel may hold for one client beside Spillway's own outbox, and the worst cases that follow. Immutable.
 *
 * <p>Two bounds apply per client socket:
 *
 * <ul>
 *   <li><b>unsent</b> — bytes written to the socket and not yet sent. With {@code tcp-notsent-lowat} (epoll) the
 *       kernel accepts no more once this many wait, so a reader that does not read holds at most this much in the
 *       kernel beside its outbox; without it, the whole send buffer.
 *   <li><b>send buffer</b> — unsent plus sent-but-unacknowledged bytes: a fixed {@code socket-send-buffer} (Linux
 *       doubles the value it is given), or, with autotuning, the maximum of {@code net.ipv4.tcp_wmem}.
 * </ul>
 */
public final class KernelShare {

  /*
   * Design note. The default is autotuning plus a low-water mark on unsent bytes. Measured on loopback (docs and
   * README): a fixed 16 KiB send buffer cut the seed's slow reader after 8.5 s but held fan-out to 0.9 M msg/s at
   * 128 B (loopback's 64 KiB MTU leaves room for only a few segments in flight); autotuning with a 16 KiB low-water
   * mark cut it after 7.4 s and delivered 3.2 M msg/s. The price is a larger absolute bound: bytes in flight to a
   * peer that acknowledges nothing may reach tcp_wmem's maximum until the write timeout cuts that peer.
   */

  static final long FALLBACK_TCP_WMEM_MAX = 4L * 1024 * 1024;
  static final Path TCP_WMEM = Path.of("/proc/sys/net/ipv4/tcp_wmem");

  private final long unsentBound;
  private final long sendBufferBound;
  private final boolean sendBufferAutotuned;

  private KernelShare(long unsentBound, long sendBufferBound, boolean sendBufferAutotuned) {
    this.unsentBound = unsentBound;
    this.sendBufferBound = sendBufferBound;
    this.sendBufferAutotuned = sendBufferAutotuned;
  }

  /** The kernel share {@code config} implies on this machine (reads {@code tcp_wmem} when autotuning is on). */
  public static KernelShare of(ServerConfig config) {
    long sndbuf = config.socketSendBuffer().toBytes();
    long sendBuffer = sndbuf > 0 ? 2 * sndbuf : tcpWmemMax();
    long lowat = config.tcpNotsentLowat().toBytes();
    long unsent = lowat > 0 ? Math.min(lowat, sendBuffer) : sendBuffer;
    return new KernelShare(unsent, sendBuffer, sndbuf == 0);
  }

  static long tcpWmemMax() {
    try {
      // Not Files.readString: /proc files report size 0 and it returns only the first bytes.
      String[] parts = Files.readAllLines(TCP_WMEM).get(0).trim().split("\\s+", -1);
      return Long.parseLong(parts[parts.length - 1]);
    } catch (IOException | RuntimeException e) {
      return FALLBACK_TCP_WMEM_MAX;
    }
  }

  /** The most unsent bytes the kernel holds for one client. */
  public long unsentBound() {
    return unsentBound;
  }

  /** The most bytes, sent or not, the kernel holds for one client. */
  public long sendBufferBound() {
    return sendBufferBound;
  }

  private static long largestHard(ServerConfig c) {
    return Math.max(
        c.subscriberLimits().hardLimit().toBytes(), c.normalLimits().hardLimit().toBytes());
  }

  /** What every outbox together may hold: max clients x hard limit, or max-output-memory if that is less. */
  private static long queuedBound(ServerConfig c) {
    return Math.min((long) c.maxClients() * largestHard(c), c.maxOutputMemory().toBytes());
  }

  /** Clients that do not read: the outboxes' bound plus max clients x unsent bound. */
  public long stalledWorstCase(ServerConfig c) {
    return queuedBound(c) + (long) c.maxClients() * unsentBound;
  }

  /** The absolute bound: the outboxes' bound plus max clients x send buffer bound. */
  public long absoluteWorstCase(ServerConfig c) {
    return queuedBound(c) + (long) c.maxClients() * sendBufferBound;
  }

  /** The start-up line. */
  public String worstCaseLine(ServerConfig c) {
    return "worst-case output memory: queued min(" + c.maxClients() + " clients x " + largestHard(c)
        + " bytes, max-output-memory " + c.maxOutputMemory().toBytes() + ") + " + c.maxClients()
        + " x " + unsentBound + " unsent in the kernel = " + mib(stalledWorstCase(c))
        + " for clients that stop reading;"
        + " at most " + mib(queuedBound(c)) + " + " + c.maxClients() + " x " + sendBufferBound
        + " send buffer"
        + (sendBufferAutotuned ? " (the tcp_wmem maximum)" : "") + " = " + mib(absoluteWorstCase(c))
        + " while bytes are in flight to peers that have not acknowledged them; subscription state at most "
        + mib(c.maxSubscriptionMemory().toBytes()) + " (max-subscription-memory)";
  }

  private static String mib(long bytes) {
    return bytes + " bytes (" + String.format("%.1f MiB", bytes / 1048576.0) + ")";
  }
}
