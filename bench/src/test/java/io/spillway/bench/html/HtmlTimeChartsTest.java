package io.spillway.bench.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.report.BenchReport;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.RunResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Latency over time (fanout and http-overload samples) and goodput against offered load (http-overload levels). */
class HtmlTimeChartsTest {

  @Test
  void chartsFanoutP50AndP99PerSampleWithPhaseMarkers() throws Exception {
    List<Map<String, Object>> samples = List.of(
        sample(1.0, "warm-up", 2.0, 9.0),
        sample(2.0, "measured", 1.0, 4.0),
        sample(3.0, "measured", 1.5, 5.0),
        sample(3.2, "drain", 0.5, 1.0));
    String html =
        HtmlReportWriter.toHtml(report("fanout", List.of(run(1, Map.of("samples", samples)))));

    Element svg = chart(parse(html), "Latency over time: A spillway r1");
    assertThat(polylines(svg))
        .extracting(p -> p.getAttribute("stroke-dasharray"))
        .as("p99 solid, p50 dashed")
        .containsExactly("", LatencyTimeline.P50_DASH);
    assertThat(polylines(svg))
        .allSatisfy(p -> assertThat(p.getAttribute("points").split(" ")).hasSize(4));
    assertThat(texts(svg))
        .contains(
            "A spillway r1 p99",
            "A spillway r1 p50",
            "measured",
            "drain",
            "time since the start of publishing (s)",
            "latency (ms)");
    assertThat(html).doesNotContain("no per-interval samples");
  }

  @Test
  void breaksTheLineWhereAnIntervalHadNoLatency() throws Exception {
    List<Map<String, Object>> samples = List.of(
        sample(1, "measured", 1, 2),
        sample(2, "measured", null, null),
        sample(3, "measured", 1, 3),
        sample(4, "measured", 1, 3));
    String html =
        HtmlReportWriter.toHtml(report("fanout", List.of(run(1, Map.of("samples", samples)))));

    Element svg = chart(parse(html), "Latency over time: A spillway r1");
    assertThat(polylines(svg))
        .as("two segments for each of p99 and p50")
        .hasSize(4)
        .extracting(p -> p.getAttribute("points").split(" ").length)
        .containsExactly(1, 2, 1, 2);
  }

  @Test
  void chartsHttpOverloadLatencyOverTimePerModeWithTheLevelsEndToEnd() throws Exception {
    String html =
        HtmlReportWriter.toHtml(report("http-overload", List.of(run(1, overloadDetails()))));
    Document doc = parse(html);

    Element off = chart(doc, "Admitted latency over time: A spillway r1, admission off");
    chart(doc, "Admitted latency over time: A spillway r1, admission on");
    assertThat(texts(off))
        .contains("0.5x", "2x", "admission off p99", "time, the mode's levels end to end (s)");
    String p99 = polylines(off).get(0).getAttribute("points");
    assertThat(p99.split(" ")).as("2 samples per level, 2 levels").hasSize(4);
    double lastX = Double.parseDouble(p99.substring(p99.lastIndexOf(' ') + 1).split(",", -1)[0]);
    assertThat(lastX)
        .as("the second level's last sample, at 2 + 2 s, is the axis' right end")
        .isEqualTo(SvgFrame.WIDTH - SvgFrame.RIGHT, org.assertj.core.data.Offset.offset(0.5));
  }

  @Test
  void chartsGoodputAndAdmittedP99AgainstOfferedLoadOneSeriesPerMode() throws Exception {
    String html =
        HtmlReportWriter.toHtml(report("http-overload", List.of(run(1, overloadDetails()))));
    Document doc = parse(html);

    Element goodput = chart(doc, "Goodput against offered load");
    assertThat(polylines(goodput))
        .extracting(p -> p.getElementsByTagName("title").item(0).getTextContent())
        .containsExactly("admission off", "admission on", "goodput = offered");
    assertThat(polylines(goodput).get(0).getAttribute("stroke"))
        .isEqualTo(OverloadCurves.colourOf("off"));
    assertThat(goodput.getElementsByTagName("circle").getLength())
        .as("one dot per level and mode")
        .isEqualTo(4);
    assertThat(texts(goodput))
        .contains("offered load (req/s)", "goodput (2xx in deadline/s)", "400");
    Element p99 = chart(doc, "Admitted p99 latency against offered load");
    assertThat(texts(p99)).contains("admitted p99 (ms)", "admission on");
    assertThat(p99.getElementsByTagName("circle").getLength()).isEqualTo(4);
  }

  @Test
  void drawsNoTimeOrLoadChartFromDetailsOfAnotherShape() throws Exception {
    Map<String, Object> details =
        Map.of("samples", "not a list", "levels", List.of("not a map", 3));
    String html = HtmlReportWriter.toHtml(report("fanout", List.of(run(1, details))));

    assertThat(html)
        .contains("no per-interval samples")
        .doesNotContain("over time:", "against offered load");
    parse(html);
  }

  @Test
  void lineChartDrawsMarkersDotsAndSkipsEmptySeries() {
    ChartAxis x = ChartAxis.linear("x", 10);
    ChartAxis y = ChartAxis.linear("y", 10);
    String svg = SvgLineChart.render(
        "t",
        x,
        y,
        List.of(
            new ChartSeries(
                "dots",
                "#000",
                "",
                List.of(new ChartSeries.Point(0, 0), new ChartSeries.Point(10, 10)),
                true),
            new ChartSeries("empty", "#111", "", List.of())),
        List.of(new ChartMarker(5, "half")));

    assertThat(count(svg, "<polyline")).isEqualTo(1);
    assertThat(count(svg, "<circle")).isEqualTo(2);
    assertThat(svg).contains("class=\"marker\"", ">half</text>");
  }

  private static Map<String, Object> overloadDetails() {
    List<Map<String, Object>> levels = new ArrayList<>();
    for (String mode : List.of("off", "on")) {
      for (double level : new double[] {0.5, 2}) {
        Map<String, Object> l = new LinkedHashMap<>();
        l.put("mode", mode);
        l.put("level", level);
        l.put("offered_per_s", level * 200);
        l.put("goodput_per_s", mode.equals("on") ? Math.min(level, 1) * 200 : level * 50);
        l.put(
            "admitted_percentiles_ms",
            Map.of("50", 1.0, "99", mode.equals("on") ? 5.0 : 500.0 * level));
        l.put("samples", List.of(overloadSample(1, 1, 2), overloadSample(2, 2, 4 * level)));
        levels.add(l);
      }
    }
    return Map.of("levels", levels);
  }

  private static Map<String, Object> overloadSample(double t, double p50, double p99) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("t_s", t);
    s.put("measured", true);
    s.put("admitted_p50_ms", p50);
    s.put("admitted_p99_ms", p99);
    return s;
  }

  private static Map<String, Object> sample(double t, String phase, Number p50, Number p99) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("t_s", t);
    s.put("phase", phase);
    s.put("published", 100L);
    s.put("latency_p50_ms", p50);
    s.put("latency_p99_ms", p99);
    return s;
  }

  private static RunResult run(int round, Map<String, Object> details) {
    return new RunResult(
        "A",
        "resp://127.0.0.1:1",
        "spillway",
        round,
        "2025-01-01T00:00:00Z",
        List.of(Metric.lower("latency_p99_ms", "ms", 1.5)),
        details,
        List.of());
  }

  private static BenchReport report(String scenario, List<RunResult> runs) {
    return BenchReport.of(
        "test",
        "2025-01-01T00:00:00Z",
        scenario,
        Map.of(),
        Map.of("threads", 1),
        List.of(new BenchReport.TargetEntry("A", "spillway", "resp://127.0.0.1:1#spillway", null)),
        1,
        runs);
  }

  private static Document parse(String html) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  /** The {@code <svg>} whose own {@code <title>} is {@code title}. */
  private static Element chart(Document doc, String title) {
    NodeList svgs = doc.getElementsByTagName("svg");
    for (int i = 0; i < svgs.getLength(); i++) {
      Element svg = (Element) svgs.item(i);
      if (svg.getElementsByTagName("title").item(0).getTextContent().equals(title)) {
        return svg;
      }
    }
    throw new AssertionError("no chart titled '" + title + "'");
  }

  private static List<Element> polylines(Element svg) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = svg.getElementsByTagName("polyline");
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add((Element) nodes.item(i));
    }
    return out;
  }

  private static List<String> texts(Element svg) {
    List<String> out = new ArrayList<>();
    NodeList nodes = svg.getElementsByTagName("text");
    for (int i = 0; i < nodes.getLength(); i++) {
      out.add(nodes.item(i).getTextContent());
    }
    return out;
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }
}
