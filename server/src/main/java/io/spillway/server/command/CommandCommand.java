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

  private static final List<String> HELP = List.of(
      "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "(no subcommand)",
      "    Return details about all Redis commands.",
      "COUNT",
      "    Return the total number of commands in this Redis server.",
      "LIST",
      "    Return a list of all commands in this Redis server.",
      "INFO [<command-name> ...]",
      "    Return details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "DOCS [<command-name> ...]",
      "    Return documentation details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "HELP",
      "    Print this help.");

  private CommandCommand() {}

  /**
   * Redis 7's COMMAND DOCS: a map of command name to its documentation map (summary, since, group, complexity, and
   * the subcommands' documentation for a container); names that are no command are left out. RESP2 flattens maps.
   */
  private static void docs(ByteBuf out, RespRequest r, int proto) {
    List<String> names = new ArrayList<>();
    for (int i = 2; i < r.size(); i++) {
      String name = r.argString(i).toLowerCase(Locale.ROOT);
      if (CommandDocs.ALL.containsKey(name)
          && (name.indexOf('|') >= 0 || CommandSpec.TABLE.containsKey(name))) {
        names.add(name);
      }
    }
    if (r.size() == 2) {
      names.addAll(new TreeMap<>(CommandSpec.TABLE).keySet());
    }
    RespWriter.mapHeader(out, names.size(), proto);
    for (String name : names) {
      RespWriter.bulk(out, name);
      doc(out, name, proto);
    }
  }

  private static void doc(ByteBuf out, String name, int proto) {
    CommandDocs.Doc d = CommandDocs.ALL.get(name);
    CommandSpec spec = CommandSpec.TABLE.get(name);
    List<String> subs = spec == null ? List.of() : spec.subcommands;
    boolean complexity = !d.complexity.isEmpty();
    RespWriter.mapHeader(out, (subs.isEmpty() ? 3 : 4) + (complexity ? 1 : 0), proto);
    RespWriter.bulk(out, "summary");
    RespWriter.bulk(out, d.summary);
    RespWriter.bulk(out, "since");
    RespWriter.bulk(out, d.since);
    RespWriter.bulk(out, "group");
    RespWriter.bulk(out, d.group);
    if (complexity) {
      RespWriter.bulk(out, "complexity");
      RespWriter.bulk(out, d.complexity);
    }
    if (!subs.isEmpty()) {
      RespWriter.bulk(out, "subcommands");
      RespWriter.mapHeader(out, subs.size(), proto);
      for (String sub : subs) {
        RespWriter.bulk(out, name + "|" + sub);
        doc(out, name + "|" + sub, proto);
      }
    }
  }

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
        docs(out, r, proto);
        break;
      default:
        RespWriter.arrayHeader(out, HELP.size());
        for (String l : HELP) {
          RespWriter.simpleString(out, l);
        }
    }
    h.reply(out);
  }

  /** Redis 7's ten-element command description. */
  private static void info(ByteBuf out, CommandSpec spec, int proto) {
    describe(
        out,
        spec.name,
        spec.arity,
        spec.redisFlags,
        new int[] {spec.firstKey, spec.lastKey, spec.keyStep},
        proto);
    RespWriter.arrayHeader(out, spec.subcommands.size());
    for (String sub : spec.subcommands) {
      String full = spec.name + "|" + sub;
      describe(
          out,
          full,
          Dispatcher.SUBCOMMAND_ARITY.getOrDefault(full, -2),
          List.of(),
          new int[3],
          proto);
      RespWriter.arrayHeader(out, 0);
    }
  }

  private static void describe(
      ByteBuf out, String name, int arity, List<String> flags, int[] keys, int proto) {
    RespWriter.arrayHeader(out, 10);
    RespWriter.bulk(out, name);
    RespWriter.integer(out, arity);
    RespWriter.setHeader(out, flags.size(), proto);
    for (String f : flags) {
      RespWriter.simpleString(out, f);
    }
    RespWriter.integer(out, keys[0]);
    RespWriter.integer(out, keys[1]);
    RespWriter.integer(out, keys[2]);
    RespWriter.setHeader(out, 1, proto);
    RespWriter.simpleString(
        out,
        name.startsWith("config")
            ? "@admin"
            : name.startsWith("client") || name.startsWith("command") || name.startsWith("info")
                ? "@connection"
                : "@pubsub");
    RespWriter.setHeader(out, 0, proto);
    RespWriter.arrayHeader(out, 0);
  }
}
