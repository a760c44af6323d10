package io.spillway.server.metrics;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A scrape in the Prometheus text format, parsed into samples for assertions. */
final class ScrapedText {

  /** One sample line: name, labels in order, value. */
  record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Sample> samples = new ArrayList<>();

  ScrapedText(byte[] scrape) {
    this.text = new String(scrape, UTF_8);
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        samples.add(parse(line));
      }
    }
  }

  private static Sample parse(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    int rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf("=\"", i);
        String key = line.substring(i, eq);
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            c = line.charAt(++j);
            value.append(c == 'n' ? '\n' : c);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
      }
      rest = i + 1;
    } else {
      name = line.substring(0, space);
      rest = space;
    }
    String number = line.substring(rest).trim();
    double value = number.equals("+Inf")
        ? Double.POSITIVE_INFINITY
        : number.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(number);
    return new Sample(name, labels, value);
  }

  /** The value of the sample {@code name} with exactly the labels {@code keyValues} (k1, v1, k2, v2...). */
  double value(String name, String... keyValues) {
    Map<String, String> wanted = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      wanted.put(keyValues[i], keyValues[i + 1]);
    }
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().equals(wanted)) {
        return s.value();
      }
    }
    throw new AssertionError("no sample " + name + wanted + " in the scrape:\n" + text);
  }

  /** The values of label {@code label} over every sample named {@code name}. */
  List<String> labelValues(String name, String label) {
    List<String> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.name().equals(name) && s.labels().containsKey(label)) {
        out.add(s.labels().get(label));
      }
    }
    return out;
  }

  /** Whether any sample's name starts with {@code prefix}. */
  boolean hasSampleStartingWith(String prefix) {
    return samples.stream().anyMatch(s -> s.name().startsWith(prefix));
  }

  String text() {
    return text;
  }
}
