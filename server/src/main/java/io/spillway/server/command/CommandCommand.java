package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.spillway.server.resp.RespRequest;
import io.spillway.server.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** COMMAND, COMMAND COUNT, COMMAND INFO, COMMAND LIST and COMMAND DOCS: enough for redis-cli and client libraries. */
final class CommandCommand {

  private CommandCommand() {}

  static void command(CommandHandler h, RespRequest r) {
    int proto = h.session.protocol();
    Map<String, CommandSpec> table = new TreeMap<>(CommandSpec.TABLE);
    ByteBuf out = h.buffer();
    String sub = r.size() >= 2 ? r.argString(1).toLowerCase(Locale.ROOT) : "";
    switch (sub) {
      case "":
        RespWriter.arrayHeader(out, table.size());
        for (CommandSpec spec : table.values()) {
          info(out, spec, proto);
        }
        break;
      case "count":
        RespWriter.integer(out, table.size());
        break;
      case "list":
        RespWriter.arrayHeader(out, table.size());
        for (String name : table.keySet()) {
          RespWriter.bulk(out, name);
        }
        break;
      case "info": {
        List<String> names = new ArrayList<>();
        for (int i = 2; i < r.size(); i++) {
          names.add(r.argString(i).toLowerCase(Locale.ROOT));
        }
        if (names.isEmpty()) {
          names.addAll(table.keySet());
        }
        RespWriter.arrayHeader(out, names.size());
        for (String name : names) {
          CommandSpec spec = table.get(name);
          if (spec == null) {
            RespWriter.nullArray(out, proto);
          } else {
            info(out, spec, proto);
          }
        }
        break;
      }
      case "docs":
        RespWriter.mapHeader(out, 0, proto);
        break;
      default:
        out.release();
        h.error("ERR unknown subcommand '" + Dispatcher.truncate(r.argString(1), 128) + "'. Try COMMAND HELP.");
        return;
    }
    h.reply(out);
  }

  /** Redis 7's ten-element command description. */
  private static void info(ByteBuf out, CommandSpec spec, int proto) {
    describe(out, spec.name, spec.arity, spec.redisFlags, proto);
    RespWriter.arrayHeader(out, spec.subcommands.size());
    for (String sub : spec.subcommands) {
      String full = spec.name + "|" + sub;
      describe(out, full, Dispatcher.SUBCOMMAND_ARITY.getOrDefault(full, -2), List.of(), proto);
      RespWriter.arrayHeader(out, 0);
    }
  }

  private static void describe(ByteBuf out, String name, int arity, List<String> flags, int proto) {
    RespWriter.arrayHeader(out, 10);
    RespWriter.bulk(out, name);
    RespWriter.integer(out, arity);
    RespWriter.setHeader(out, flags.size(), proto);
    for (String f : flags) {
      RespWriter.simpleString(out, f);
    }
    RespWriter.integer(out, 0);
    RespWriter.integer(out, 0);
    RespWriter.integer(out, 0);
    RespWriter.setHeader(out, 1, proto);
    RespWriter.simpleString(out, name.startsWith("client") || name.startsWith("command") || name.startsWith("info")
        ? "@connection" : "@pubsub");
    RespWriter.setHeader(out, 0, proto);
    RespWriter.arrayHeader(out, 0);
  }
}
