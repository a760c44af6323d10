package io.spillway.server.command;

import io.netty.buffer.ByteBuf;
import io.spillway.server.config.ConfigParameters;
import io.spillway.server.resp.RespRequest;
import io.spillway.server.resp.RespWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CONFIG GET | SET | RESETSTAT | REWRITE | HELP, with Redis 7.0's replies: GET is a flat array of names and values
 * in RESP2 and a map in RESP3; SET changes the outbox limits and max-clients (under Spillway's names or Redis's
 * {@code client-output-buffer-limit} and {@code maxclients}), all or nothing. See {@link ConfigParameters}.
 */
final class ConfigCommand {

  private static final List<String> HELP = List.of(
      "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Spillway does not rewrite its config file: put changes in the file given to --config.",
      "HELP",
      "    Print this help.");

  private ConfigCommand() {}

  static void config(CommandHandler h, RespRequest r) {
    switch (r.argString(1).toLowerCase(Locale.ROOT)) {
      case "get":
        get(h, r);
        break;
      case "set":
        set(h, r);
        break;
      case "resetstat":
        h.server.commandStats.reset();
        h.ok();
        break;
      case "rewrite":
        h.error(
            "ERR CONFIG REWRITE is unsupported: Spillway never rewrites its config file; put the settings changed"
                + " with CONFIG SET in the file given to --config");
        break;
      default: {
        ByteBuf out = h.buffer();
        RespWriter.arrayHeader(out, HELP.size());
        for (String l : HELP) {
          RespWriter.simpleString(out, l);
        }
        h.reply(out);
      }
    }
  }

  private static void get(CommandHandler h, RespRequest r) {
    List<String> patterns = new ArrayList<>();
    for (int i = 2; i < r.size(); i++) {
      patterns.add(r.argString(i));
    }
    Map<String, String> values = h.server.parameters.get(patterns);
    ByteBuf out = h.buffer();
    RespWriter.mapHeader(out, values.size(), h.session.protocol());
    for (Map.Entry<String, String> e : values.entrySet()) {
      RespWriter.bulk(out, e.getKey());
      RespWriter.bulk(out, e.getValue());
    }
    h.reply(out);
  }

  private static void set(CommandHandler h, RespRequest r) {
    if (r.size() % 2 != 0) {
      h.error("ERR wrong number of arguments for 'config|set' command");
      return;
    }
    Map<String, String> pairs = new LinkedHashMap<>();
    for (int i = 2; i < r.size(); i += 2) {
      String name = r.argString(i).toLowerCase(Locale.ROOT);
      if (pairs.put(name, r.argString(i + 1)) != null) {
        h.error("ERR CONFIG SET failed (possibly related to argument '" + name
            + "') - duplicate parameter");
        return;
      }
    }
    try {
      h.server.parameters.set(pairs);
    } catch (ConfigParameters.Refused refused) {
      if (refused.unknown) {
        h.error("ERR Unknown option or number of arguments for CONFIG SET - '" + refused.parameter
            + "'");
      } else {
        h.error("ERR CONFIG SET failed (possibly related to argument '" + refused.parameter
            + "') - " + refused.getMessage());
      }
      return;
    }
    h.server.clients.maxClients(h.server.live.maxClients());
    h.ok();
  }
}
