package io.spillway.server.command;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Per-command call counts, time and latency percentiles, and error counts by error prefix: what {@code INFO
 * commandstats}, {@code errorstats} and {@code latencystats} show, in Redis 7.0's terms. Recorded by every event
 * loop without locks; read by INFO; cleared by {@code CONFIG RESETSTAT}. Thread-safe.
 */
final class CommandStats {

  /*
   * Design note. Keys are the full command names the dispatcher has already checked against the command table
   * ("client|list"), and error prefixes are the first word of an error Spillway itself wrote, so both maps are bounded
   * by the code, never by what a client sends. Latency is kept in nanoseconds in an auto-resizing HdrHistogram
   * (3 significant digits) per command, recorded wait-free; Redis prints microseconds with 3 decimals, and so does
   * INFO here.
   */

  /** The percentiles latencystats prints: Redis 7.0's latency-tracking-info-percentiles default. */
  static final double[] PERCENTILES = {50, 99, 99.9};

  static final class Entry {
    final LongAdder calls = new LongAdder();
    final LongAdder nanos = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder failed = new LongAdder();
    final ConcurrentHistogram latency = new ConcurrentHistogram(3);
  }

  private final ConcurrentHashMap<String, Entry> commands = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();

  private Entry entry(String command) {
    return commands.computeIfAbsent(command, k -> new Entry());
  }

  /** A command that ran for {@code nanos}; {@code failed} when it answered with an error. */
  void called(String command, long nanos, boolean failed) {
    Entry e = entry(command);
    e.calls.increment();
    e.nanos.add(nanos);
    e.latency.recordValue(Math.max(1, nanos));
    if (failed) {
      e.failed.increment();
    }
  }

  /** A known command refused before it ran (arity, authentication, context). */
  void rejected(String command) {
    entry(command).rejected.increment();
  }

  /** An error reply: counted by its first word ({@code ERR}, {@code NOAUTH}...). */
  void error(String text) {
    int space = text.indexOf(' ');
    String prefix = space < 0 ? text : text.substring(0, space);
    if (prefix.isEmpty() || prefix.length() > 32) {
      prefix = "ERR";
    }
    errors.computeIfAbsent(prefix, k -> new LongAdder()).increment();
  }

  /** Commands that were called or rejected at least once, by name. */
  Map<String, Entry> commands() {
    return new TreeMap<>(commands);
  }

  /** Error counts by prefix. */
  Map<String, Long> errors() {
    Map<String, Long> m = new TreeMap<>();
    errors.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Forgets everything (CONFIG RESETSTAT). */
  void reset() {
    commands.clear();
    errors.clear();
  }
}
