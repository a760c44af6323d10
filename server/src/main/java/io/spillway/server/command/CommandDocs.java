package io.spillway.server.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What {@code COMMAND DOCS} says of each command and subcommand: summary, since, group and complexity, read once
 * from {@code command-docs.tsv} beside this class (Redis 7.0's own texts, so tools show what they know). Immutable.
 */
final class CommandDocs {

  /** One command's documentation. */
  static final class Doc {
    final String summary;
    final String since;
    final String group;
    final String complexity;

    Doc(String summary, String since, String group, String complexity) {
      this.summary = summary;
      this.since = since;
      this.group = group;
      this.complexity = complexity;
    }
  }

  /** By full lower-case name ({@code client|list}). */
  static final Map<String, Doc> ALL = load();

  private CommandDocs() {}

  private static Map<String, Doc> load() {
    Map<String, Doc> docs = new LinkedHashMap<>();
    try (InputStream in = CommandDocs.class.getResourceAsStream("command-docs.tsv")) {
      if (in == null) {
        throw new IllegalStateException("command-docs.tsv is missing from the jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        docs.put(f[0], new Doc(f[1], f[2], f[3], f[4]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(docs);
  }
}
