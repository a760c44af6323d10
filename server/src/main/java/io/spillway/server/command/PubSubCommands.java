package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.spillway.server.auth.Permissions;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.Names;
import io.spillway.server.client.ClientSession;
import io.spillway.server.resp.RespRequest;
import io.spillway.server.resp.RespWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/** SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, PUBLISH and PUBSUB (its shard subcommands in ShardCommands). */
final class PubSubCommands {

  private static final List<String> PUBSUB_HELP = List.of(
      "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: '*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
      "HELP",
      "    Prints this help.");

  private PubSubCommands() {}

  /**
   * SUBSCRIBE / PSUBSCRIBE. Every name is checked first, so a request that breaks a limit subscribes to nothing and
   * gets one error.
   */
  static void subscribe(CommandHandler h, RespRequest r, boolean pattern) {
    if (Permissions.refuseSubscribe(
        h.ctx.channel(),
        IntStream.range(1, r.size()).mapToObj(r::arg).toList(),
        pattern,
        h::error)) {
      return;
    }
    ClientSession s = h.session;
    BooleanSupplier patternBytesRefused =
        () -> pattern && (refusePatternBytes(h, s, r) || refuseMatchCost(h, r));
    if (refuseLimits(h, r, pattern ? s.patterns() : s.channels(), pattern, patternBytesRefused)) {
      return;
    }
    Broker broker = h.server.broker;
    String kind = pattern ? "psubscribe" : "subscribe";
    for (int i = 1; i < r.size(); i++) {
      String name = Names.of(r.arg(i));
      if (pattern) {
        broker.psubscribe(s, name);
      } else {
        broker.subscribe(s, name);
      }
      s.subscriptionsChanged();
      confirmation(h, kind, r.arg(i), s.classicSubscriptionCount());
    }
  }

  /**
   * True, after replying the error, when subscribing to the names of {@code r} (those {@code held} does not hold yet)
   * would break max-channel-length, {@code extra} (checked after the lengths), max-subscriptions-per-client (which
   * counts channels, patterns and shard channels together) or max-subscription-memory. Shared by (P|S)SUBSCRIBE.
   */
  static boolean refuseLimits(
      CommandHandler h, RespRequest r, Set<String> held, boolean pattern, BooleanSupplier extra) {
    ClientSession s = h.session;
    long maxLength = h.server.config.maxChannelLength().toBytes();
    int fresh = 0;
    long cost = 0;
    Set<String> seen = new HashSet<>();
    for (int i = 1; i < r.size(); i++) {
      if (r.arg(i).length > maxLength) {
        h.error("ERR " + (pattern ? "pattern" : "channel") + " of " + r.arg(i).length
            + " bytes is longer than max-channel-length (" + maxLength + ")");
        return true;
      }
      String name = Names.of(r.arg(i));
      if (!held.contains(name) && seen.add(name)) {
        fresh++;
        cost += pattern
            ? Broker.patternSubscriptionCost(r.arg(i))
            : Broker.subscriptionCost(r.arg(i).length);
      }
    }
    if (extra.getAsBoolean()) {
      return true;
    }
    int limit = h.server.config.maxSubscriptionsPerClient();
    if (s.channels().size() + s.patterns().size() + s.shardChannels().size() + fresh > limit) {
      h.error("ERR subscribing would exceed max-subscriptions-per-client (" + limit + ")");
      return true;
    }
    Broker broker = h.server.broker;
    if (!broker.subscriptionsFit(cost)) {
      h.server.stats.subscriptionRefused();
      h.error("ERR subscribing would exceed max-subscription-memory ("
          + broker.maxSubscriptionBytes() + " bytes of subscription state for the whole server)");
      return true;
    }
    return false;
  }

  private static boolean refusePatternBytes(CommandHandler h, ClientSession s, RespRequest r) {
    long held = 0;
    for (String p : s.patterns()) {
      held += p.length();
    }
    long patternLimit = h.server.config.maxPatternBytesPerClient().toBytes();
    if (held + freshPatternBytes(s, r) > patternLimit) {
      h.error("ERR subscribing would exceed max-pattern-bytes-per-client (" + patternLimit
          + " bytes of patterns per client)");
      return true;
    }
    return false;
  }

  /**
   * Refuses PSUBSCRIBE when the patterns of {@code r} that nobody holds yet would take the matching cost of a
   * publish over max-pattern-match-cost; true when refused.
   */
  private static boolean refuseMatchCost(CommandHandler h, RespRequest r) {
    Broker broker = h.server.broker;
    long added = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 1; i < r.size(); i++) {
      String name = Names.of(r.arg(i));
      if (!broker.patternHeld(name) && seen.add(name)) {
        added += broker.patternMatchCost(r.arg(i));
      }
    }
    if (added == 0 || broker.patternsFit(added)) {
      return false;
    }
    h.error("ERR subscribing would exceed max-pattern-match-cost (" + broker.maxPatternMatchCost()
        + " byte comparisons per publish for all patterns; " + broker.patternMatchCost()
        + " in use, these patterns add " + added
        + ": each byte searched for between two '*' costs max-channel-length)");
    return true;
  }

  /** Bytes of the patterns of {@code r} that {@code s} does not hold yet. */
  private static long freshPatternBytes(ClientSession s, RespRequest r) {
    long bytes = 0;
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 1; i < r.size(); i++) {
      String name = Names.of(r.arg(i));
      if (!s.patterns().contains(name) && seen.add(name)) {
        bytes += r.arg(i).length;
      }
    }
    return bytes;
  }

  static void unsubscribe(CommandHandler h, RespRequest r, boolean pattern) {
    ClientSession s = h.session;
    Broker broker = h.server.broker;
    String kind = pattern ? "punsubscribe" : "unsubscribe";
    if (r.size() == 1) {
      List<String> names = List.copyOf(pattern ? s.patterns() : s.channels());
      if (names.isEmpty()) {
        confirmation(h, kind, null, s.classicSubscriptionCount());
        return;
      }
      for (String name : names) {
        leave(broker, s, name, pattern);
        confirmation(h, kind, Names.bytes(name), s.classicSubscriptionCount());
      }
      return;
    }
    for (int i = 1; i < r.size(); i++) {
      leave(broker, s, Names.of(r.arg(i)), pattern);
      confirmation(h, kind, r.arg(i), s.classicSubscriptionCount());
    }
  }

  private static void leave(Broker broker, ClientSession s, String name, boolean pattern) {
    if (pattern) {
      broker.punsubscribe(s, name);
    } else {
      broker.unsubscribe(s, name);
    }
    s.subscriptionsChanged();
  }

  /**
   * {@code [kind, name or nil, count]}, a push in RESP3; the count is of channels and patterns for (P)(UN)SUBSCRIBE,
   * of shard channels for S(UN)SUBSCRIBE, as Redis 7.0 counts.
   */
  static void confirmation(CommandHandler h, String kind, byte[] name, int count) {
    ClientSession s = h.session;
    ByteBuf out = h.buffer();
    RespWriter.pushHeader(out, 3, s.protocol());
    RespWriter.bulk(out, kind);
    if (name == null) {
      RespWriter.nullBulk(out, s.protocol());
    } else {
      RespWriter.bulk(out, name);
    }
    RespWriter.integer(out, count);
    h.reply(out);
  }

  static void publish(CommandHandler h, RespRequest r) {
    publish(h, r, false);
  }

  /**
   * PUBLISH or SPUBLISH ({@code shard}) channel message: the number of subscribers it reached, or the broker's
   * refusal.
   */
  static void publish(CommandHandler h, RespRequest r, boolean shard) {
    if (Permissions.refusePublish(h.ctx.channel(), r.arg(1), h::error)) {
      return;
    }
    int receivers =
        shard ? h.session.spublish(r.arg(1), r.arg(2)) : h.session.publish(r.arg(1), r.arg(2));
    if (receivers < 0) {
      h.error("ERR " + h.server.broker.refusal(receivers, r.arg(1).length, r.arg(2).length));
      return;
    }
    ByteBuf out = h.ctx.alloc().ioBuffer(16);
    RespWriter.integer(out, receivers);
    h.reply(out);
  }

  static void pubsub(CommandHandler h, RespRequest r) {
    String sub = r.argString(1).toLowerCase(Locale.ROOT);
    Broker broker = h.server.broker;
    ByteBuf out = h.buffer();
    switch (sub) {
      case "channels": {
        if (r.size() > 3) {
          out.release();
          h.error(subcommandSyntaxError(r));
          return;
        }
        List<String> names = broker.activeChannels(r.size() == 3 ? r.arg(2) : null);
        RespWriter.arrayHeader(out, names.size());
        for (String n : names) {
          RespWriter.bulk(out, Names.bytes(n));
        }
        break;
      }
      case "numsub":
        RespWriter.arrayHeader(out, (r.size() - 2) * 2);
        for (int i = 2; i < r.size(); i++) {
          RespWriter.bulk(out, r.arg(i));
          RespWriter.integer(out, broker.subscriberCount(Names.of(r.arg(i))));
        }
        break;
      case "shardchannels":
        if (r.size() > 3) {
          out.release();
          h.error(subcommandSyntaxError(r));
          return;
        }
        ShardCommands.shardChannels(out, broker, r);
        break;
      case "shardnumsub":
        ShardCommands.shardNumsub(out, broker, r);
        break;
      case "numpat":
        RespWriter.integer(out, broker.patternCount());
        break;
      default:
        RespWriter.arrayHeader(out, PUBSUB_HELP.size());
        for (String line : PUBSUB_HELP) {
          RespWriter.simpleString(out, line);
        }
    }
    h.reply(out);
  }

  /** Redis 7.0's reply to a known PUBSUB subcommand with too many arguments (the subcommand as typed). */
  private static String subcommandSyntaxError(RespRequest r) {
    return "ERR unknown subcommand or wrong number of arguments for '"
        + Dispatcher.truncate(r.argString(1), 128) + "'. Try PUBSUB HELP.";
  }
}
