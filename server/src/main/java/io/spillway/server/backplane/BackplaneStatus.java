package io.spillway.server.backplane;

/**
 * The backplane's figures at one moment, for {@code INFO backplane}, {@code /readyz} and {@code /metrics}. Immutable.
 *
 * @param kind {@code redis}, {@code redis-cluster}, or {@code off}
 * @param state {@code off}, {@code connecting} (never reached yet), {@code up}, or {@code down} (reconnecting)
 * @param downSeconds how long it has been down (0 while up)
 * @param reconnects times it came back after being down
 * @param channels channels this server is subscribed to on the backplane
 * @param patterns patterns this server is subscribed to on the backplane
 * @param patternsRefused local patterns not subscribed on the backplane (Cluster has no sharded patterns)
 * @param published messages sent to the backplane and acknowledged
 * @param droppedFull messages not sent because the outbound queue was full
 * @param droppedDown messages not sent because the backplane was down (or the publish failed)
 * @param outboundBytes bytes queued for the backplane or not yet acknowledged (the outbound lag)
 * @param outboundBound the outbound queue's bound in bytes
 * @param bytesOut bytes of messages (channel, envelope, payload) sent to the backplane
 * @param received messages received from the backplane and delivered here
 * @param bytesIn bytes of messages received from the backplane
 * @param ownSkipped this server's own messages coming back from Redis, skipped (delivered here already)
 * @param duplicatesSkipped second copies (a channel and a matching pattern) skipped
 * @param foreignIgnored messages published on Redis by something else than a Spillway server, ignored
 * @param inboundBytes bytes received and not yet handed to the event loops (the inbound lag)
 * @param inboundDropped messages received while the inbound queue was full, dropped (with a gap notice)
 * @param gapNotices gap notices asked for (one per channel or pattern per outage)
 */
public record BackplaneStatus(
    String kind,
    String state,
    long downSeconds,
    long reconnects,
    int channels,
    int patterns,
    int patternsRefused,
    long published,
    long droppedFull,
    long droppedDown,
    long outboundBytes,
    long outboundBound,
    long bytesOut,
    long received,
    long bytesIn,
    long ownSkipped,
    long duplicatesSkipped,
    long foreignIgnored,
    long inboundBytes,
    long inboundDropped,
    long gapNotices) {

  /** No backplane configured. */
  public static final BackplaneStatus OFF =
      new BackplaneStatus("off", "off", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  /** Whether messages reach other servers now (or there are none to reach). */
  public boolean healthy() {
    return state.equals("off") || state.equals("up");
  }
}
