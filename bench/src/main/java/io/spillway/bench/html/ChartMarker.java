package io.spillway.bench.html;

import java.util.Objects;

/**
 * A vertical mark across a chart's plot at one x position, labelled at its top: where a phase or a load level
 * starts. Immutable.
 *
 * @param x the position on the x axis, in its units
 * @param label a short text (escaped when drawn)
 */
record ChartMarker(double x, String label) {

  ChartMarker {
    Objects.requireNonNull(label, "label");
  }
}
