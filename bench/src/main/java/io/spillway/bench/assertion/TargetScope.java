package io.spillway.bench.assertion;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which target a metric name in an {@code --assert} refers to. Immutable.
 *
 * <p>A name is {@code METRIC} or {@code QUALIFIER.METRIC}, split at the last dot (metric names have none). The
 * qualifier is a target's label ({@code spillway.lost}), a target's name ({@code A.lost}, {@code B.lost}), or
 * {@code ratio} for B's median over A's ({@code ratio.delivered_per_s}, with two targets only). Without a
 * qualifier the name refers to the only target; with two targets it is ambiguous.
 */
final class TargetScope {

  /** The qualifier of the ratios B/A. */
  static final String RATIO = "ratio";

  private static final Pattern WRITABLE =
      Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*(\\.[a-zA-Z0-9_]+)*");

  /** A target as {@code --assert} sees it: its name ({@code A}, {@code B}) and label. */
  record Member(String name, String label) {}

  /**
   * Where a name points.
   *
   * @param target the target's name ({@code A}, {@code B}), or null for the ratio B/A
   * @param metric the metric's name
   */
  record Resolved(String target, String metric) {
    boolean ratio() {
      return target == null;
    }
  }

  private final List<Member> members;

  TargetScope(List<Member> members) {
    this.members = List.copyOf(members);
  }

  /**
   * Resolves {@code written}.
   *
   * @throws IllegalArgumentException if the qualifier names no target or several, if it is {@code ratio} with one
   *     target, or if the name is unqualified with two targets; the message lists what may be written instead
   */
  Resolved resolve(String written) {
    int dot = written.lastIndexOf('.');
    if (dot < 0) {
      if (members.size() == 1) {
        return new Resolved(members.get(0).name(), written);
      }
      throw new IllegalArgumentException("'" + written + "' is ambiguous with two targets: write "
          + String.join(", ", candidates(written)));
    }
    String qualifier = written.substring(0, dot);
    String metric = written.substring(dot + 1);
    List<Member> byLabel =
        members.stream().filter(m -> m.label().equals(qualifier)).collect(Collectors.toList());
    if (byLabel.size() == 1) {
      return new Resolved(byLabel.get(0).name(), metric);
    }
    if (byLabel.size() > 1) {
      throw new IllegalArgumentException(
          "'" + qualifier + "' labels both targets: write A." + metric + " or B." + metric);
    }
    for (Member m : members) {
      if (m.name().equals(qualifier)) {
        return new Resolved(m.name(), metric);
      }
    }
    if (qualifier.equals(RATIO)) {
      if (members.size() == 2) {
        return new Resolved(null, metric);
      }
      throw new IllegalArgumentException("'" + written + "': ratios B/A need --compare");
    }
    throw new IllegalArgumentException("'" + written + "': no target is called '" + qualifier
        + "' (write " + String.join(", ", candidates(metric)) + ")");
  }

  /** Every way to write {@code metric} in this scope, qualified by name, by writable label, then the ratio. */
  List<String> candidates(String metric) {
    List<String> out = new ArrayList<>();
    if (members.size() == 1) {
      out.add(metric);
    }
    for (Member m : members) {
      out.add(m.name() + "." + metric);
    }
    for (Member m : members) {
      boolean unique = members.stream().filter(o -> o.label().equals(m.label())).count() == 1;
      if (unique
          && WRITABLE.matcher(m.label()).matches()
          && !out.contains(m.label() + "." + metric)) {
        out.add(m.label() + "." + metric);
      }
    }
    if (members.size() == 2) {
      out.add(RATIO + "." + metric);
    }
    return out;
  }
}
