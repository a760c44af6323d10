package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.spillway.server.auth.Permissions;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.Names;
import io.spillway.server.client.ClientSession;
import io.spillway.server.resp.RespRequest;
import io.spillway.server.resp.RespWriter;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Redis 7's sharded pub/sub on one node (every slot is local): SSUBSCRIBE, SUNSUBSCRIBE, SPUBLISH, and PUBSUB
 * SHARDCHANNELS / SHARDNUMSUB, with redis-server 7.0's replies. Shard channels are a namespace of their own (PUBLISH
 * does not reach them, SPUBLISH reaches nothing else); their confirmations count shard channels only, as Redis's do;
 * every limit of SUBSCRIBE holds for them too. On the client's event loop.
 */
final class ShardCommands {

  private ShardCommands() {}

  /** SSUBSCRIBE: every name is checked first, so a request that breaks a limit subscribes to nothing. */
  static void ssubscribe(CommandHandler h, RespRequest r) {
    if (Permissions.refuseSubscribe(
        h.ctx.channel(), IntStream.range(1, r.size()).mapToObj(r::arg).toList(), false, h::error)) {
      return;
    }
    ClientSession s = h.session;
    if (PubSubCommands.refuseLimits(h, r, s.shardChannels(), false, () -> false)) {
      return;
    }
    Broker broker = h.server.broker;
    for (int i = 1; i < r.size(); i++) {
      broker.ssubscribe(s, Names.of(r.arg(i)));
      s.subscriptionsChanged();
      PubSubCommands.confirmation(h, "ssubscribe", r.arg(i), s.shardChannelCount());
    }
  }

  /** SUNSUBSCRIBE [channel ...]: without names, from every shard channel (one confirmation with nil if none). */
  static void sunsubscribe(CommandHandler h, RespRequest r) {
    ClientSession s = h.session;
    Broker broker = h.server.broker;
    if (r.size() == 1) {
      List<String> names = List.copyOf(s.shardChannels());
      if (names.isEmpty()) {
        PubSubCommands.confirmation(h, "sunsubscribe", null, 0);
        return;
      }
      for (String name : names) {
        broker.sunsubscribe(s, name);
        s.subscriptionsChanged();
        PubSubCommands.confirmation(h, "sunsubscribe", Names.bytes(name), s.shardChannelCount());
      }
      return;
    }
    for (int i = 1; i < r.size(); i++) {
      broker.sunsubscribe(s, Names.of(r.arg(i)));
      s.subscriptionsChanged();
      PubSubCommands.confirmation(h, "sunsubscribe", r.arg(i), s.shardChannelCount());
    }
  }

  /** SPUBLISH channel message: the number of shard subscribers it reached, or PUBLISH's refusals. */
  static void spublish(CommandHandler h, RespRequest r) {
    PubSubCommands.publish(h, r, true);
  }

  /** PUBSUB SHARDCHANNELS [pattern]: the shard channels with a subscriber (matching the pattern). */
  static void shardChannels(ByteBuf out, Broker broker, RespRequest r) {
    List<String> names = broker.activeShardChannels(r.size() == 3 ? r.arg(2) : null);
    RespWriter.arrayHeader(out, names.size());
    for (String n : names) {
      RespWriter.bulk(out, Names.bytes(n));
    }
  }

  /** PUBSUB SHARDNUMSUB [channel ...]: each name with its shard subscriber count, a flat array as Redis 7.0 sends. */
  static void shardNumsub(ByteBuf out, Broker broker, RespRequest r) {
    RespWriter.arrayHeader(out, (r.size() - 2) * 2);
    for (int i = 2; i < r.size(); i++) {
      RespWriter.bulk(out, r.arg(i));
      RespWriter.integer(out, broker.shardSubscriberCount(Names.of(r.arg(i))));
    }
  }
}
