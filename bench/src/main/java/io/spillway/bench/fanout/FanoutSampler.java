package io.spillway.bench.fanout;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The live view of a fan-out run: ends a progress interval about once a second, turning the loops' running totals
 * and the interval's latencies into one sample for the JSON report ({@value #SAMPLES_KEY} in the details) and one
 * progress line. Used by the run's thread only; the loops write the {@linkplain #intervalHistogram() interval
 * histogram} only inside a task that thread waits for.
 *
 * <p>Each sample is a map: {@code t_s} (the interval's end, seconds from the start of publishing), {@code
 * interval_s}, {@code phase} ({@code warm-up}, {@code measured} or {@code drain}, the phase the interval lies in),
 * {@code published} (PUBLISHes sent), {@code delivered} (messages received by all subscribers), {@code lost}
 * (sequence numbers skipped, as the subscribers saw gaps), {@code latency_count} and {@code latency_p50_ms},
 * {@code latency_p99_ms}, {@code latency_max_ms} (null without a delivery) of the messages received in the
 * interval.
 */
final class FanoutSampler {

  /** Longest progress interval: 1 s. */
  static final long INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Where the samples sit in the run's details. */
  static final String SAMPLES_KEY = "samples";

  /*
   * Design: intervals end at whole seconds from the start of publishing and also exactly at the end of the warm-up
   * and of the measured window, so that no interval straddles two phases; an interval is then as long as the time
   * between two ticks (interval_s), which a sleeping thread keeps to within a few milliseconds. The loops keep
   * running totals (plain longs, read on the loop) and a latency histogram per loop that the tick adds here and
   * resets, on the loop: nothing is shared per message, so recording costs one more recordValue per delivery.
   *
   * Loss in a sample is what gaps in sequence numbers showed: messages missing after a subscriber's last one are
   * only known at the end, so the run's lost figure can exceed the samples' sum. The "p99 so far" of the progress
   * line covers the warm-up alone while warming up, then the measured window and the drain (by receive time, so it
   * can differ a little from the final p99, which counts messages by send time).
   */

  /** The phase of a run an interval lies in. */
  enum Phase {
    WARM_UP("warm-up"),
    MEASURED("measured"),
    DRAIN("drain");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  /** Running totals of the whole run so far, over all loops. Immutable. */
  record Totals(long published, long delivered, long gaps) {

    static final Totals ZERO = new Totals(0, 0, 0);

    Totals plus(Totals o) {
      return new Totals(published + o.published, delivered + o.delivered, gaps + o.gaps);
    }

    Totals minus(Totals o) {
      return new Totals(published - o.published, delivered - o.delivered, gaps - o.gaps);
    }
  }

  private final RunWindow window;
  private final PrintStream progress;
  private final boolean overwrite;
  private final Histogram interval = newHistogram();
  private final Histogram warmupSoFar = newHistogram();
  private final Histogram measuredSoFar = newHistogram();
  private final List<Map<String, Object>> samples = new ArrayList<>();
  private long lastTick;
  private Totals last = Totals.ZERO;
  private int lastLineLength;
  private Phase lastPhase;

  /**
   * @param progress where the lines go
   * @param overwrite true to rewrite one line with {@code \r} (a terminal; a new line per phase), false to print one
   *     line per interval
   */
  FanoutSampler(RunWindow window, PrintStream progress, boolean overwrite) {
    this.window = window;
    this.progress = progress;
    this.overwrite = overwrite;
    this.lastTick = window.start();
  }

  /** The histogram the loops add the interval's latencies into; emptied by {@link #take}. */
  Histogram intervalHistogram() {
    return interval;
  }

  /** When the current interval ends: a second after the last tick, or sooner at the warm-up's or window's end. */
  long due() {
    long next = lastTick + INTERVAL_NANOS;
    for (long boundary : new long[] {window.measureStart(), window.end()}) {
      if (boundary - lastTick > 0 && boundary - next < 0) {
        next = boundary;
      }
    }
    return next;
  }

  /** The phase of the interval that starts at {@code t}. */
  Phase phaseAt(long t) {
    return t - window.measureStart() < 0
        ? Phase.WARM_UP
        : t - window.end() < 0 ? Phase.MEASURED : Phase.DRAIN;
  }

  /**
   * Ends the current interval at {@code now}: records a sample from the difference between {@code totals} and the
   * previous ones and from the interval histogram (then empties it), and prints the progress line. Does nothing if
   * no time passed since the last tick.
   */
  void take(long now, Totals totals) {
    if (now - lastTick <= 0) {
      return;
    }
    Phase phase = phaseAt(lastTick);
    Totals d = totals.minus(last);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("t_s", roundMillis((now - window.start()) / 1e9));
    s.put("interval_s", roundMillis((now - lastTick) / 1e9));
    s.put("phase", phase.label());
    s.put("published", d.published());
    s.put("delivered", d.delivered());
    s.put("lost", d.gaps());
    long n = interval.getTotalCount();
    s.put("latency_count", n);
    s.put("latency_p50_ms", n == 0 ? null : interval.getValueAtPercentile(50) / 1e6);
    s.put("latency_p99_ms", n == 0 ? null : interval.getValueAtPercentile(99) / 1e6);
    s.put("latency_max_ms", n == 0 ? null : interval.getMaxValue() / 1e6);
    samples.add(s);
    Histogram soFar = phase == Phase.WARM_UP ? warmupSoFar : measuredSoFar;
    soFar.add(interval);
    interval.reset();
    last = totals;
    lastTick = now;
    if (lastPhase != null && lastPhase != phase) {
      finish();
    }
    lastPhase = phase;
    print(format(phase, (now - window.start()) / 1e9, totals, soFar));
  }

  /** Ends the live line (a terminal's overwritten line gets its newline). */
  void finish() {
    if (overwrite && lastLineLength > 0) {
      progress.println();
      lastLineLength = 0;
    }
  }

  /** The samples so far, oldest first; the list is a copy. */
  List<Map<String, Object>> samples() {
    return List.copyOf(samples);
  }

  /**
   * The progress line: {@code [measured]   4.0s published 8,000 delivered 800,000 lost 0 p99 3.2ms}; counts
   * are the run's so far, p99 that of {@code soFar}.
   */
  static String format(Phase phase, double elapsedSeconds, Totals totals, Histogram soFar) {
    String p99 = soFar.getTotalCount() == 0
        ? "-"
        : String.format(Locale.ROOT, "%.2fms", soFar.getValueAtPercentile(99) / 1e6);
    return String.format(
        Locale.ROOT,
        "  [%s] %5.1fs published %,d delivered %,d lost %,d p99 %s",
        phase.label(),
        elapsedSeconds,
        totals.published(),
        totals.delivered(),
        totals.gaps(),
        p99);
  }

  private void print(String line) {
    if (overwrite) {
      int pad = Math.max(0, lastLineLength - line.length());
      progress.print("\r" + line + " ".repeat(pad));
      progress.flush();
      lastLineLength = line.length();
    } else {
      progress.println(line);
    }
  }

  private static double roundMillis(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }

  private static Histogram newHistogram() {
    return new Histogram(1, SubscriberHandler.HIGHEST_LATENCY_NANOS, 3);
  }
}
