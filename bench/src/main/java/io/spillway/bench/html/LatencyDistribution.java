package io.spillway.bench.html;

import io.spillway.bench.report.RunResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Reads a run's latency distribution, in milliseconds against {@link PercentileAxis} positions, from its details:
 * the whole histogram ({@value #HISTOGRAM_KEY}, HdrHistogram's compressed encoding in Base64, nanoseconds) when
 * present, else the few percentiles of {@value #PERCENTILES_KEY}. Stateless.
 */
final class LatencyDistribution {

  static final String HISTOGRAM_KEY = "latency_histogram_ns";
  static final String PERCENTILES_KEY = "latency_percentiles_ms";
  /** Distance between two points read from a histogram, in axis positions: 20 points per decade. */
  static final double STEP = 0.05;
  /** Last position read percentile by percentile before the maximum: 99.997. */
  static final double LAST_STEPPED_POSITION = 4.5;

  private LatencyDistribution() {}

  /** The run's distribution, or an empty list when it has no latency figures (or an unreadable histogram). */
  static List<ChartSeries.Point> of(RunResult run) {
    Object encoded = run.details().get(HISTOGRAM_KEY);
    if (encoded instanceof String s) {
      Histogram h = decode(s);
      if (h != null && h.getTotalCount() > 0) {
        return fromHistogram(h);
      }
    }
    if (run.details().get(PERCENTILES_KEY) instanceof Map<?, ?> percentiles
        && !percentiles.isEmpty()) {
      return fromPercentiles(percentiles);
    }
    return List.of();
  }

  static List<ChartSeries.Point> fromHistogram(Histogram h) {
    List<ChartSeries.Point> points = new ArrayList<>();
    for (int i = 0; i * STEP <= LAST_STEPPED_POSITION + STEP / 2; i++) {
      double position = i * STEP;
      points.add(new ChartSeries.Point(
          position, h.getValueAtPercentile(PercentileAxis.percentileAt(position)) / 1e6));
    }
    points.add(new ChartSeries.Point(PercentileAxis.MAX_POSITION, h.getMaxValue() / 1e6));
    return points;
  }

  private static List<ChartSeries.Point> fromPercentiles(Map<?, ?> percentiles) {
    List<ChartSeries.Point> points = new ArrayList<>();
    for (Map.Entry<?, ?> e : percentiles.entrySet()) {
      try {
        double p = Double.parseDouble(String.valueOf(e.getKey()));
        if (e.getValue() instanceof Number ms) {
          points.add(new ChartSeries.Point(PercentileAxis.position(p), ms.doubleValue()));
        }
      } catch (IllegalArgumentException ignored) {
        // A key that is not a percentile is not part of the distribution.
      }
    }
    points.sort((a, b) -> Double.compare(a.x(), b.x()));
    return points;
  }

  private static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (DataFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
      return null;
    }
  }
}
