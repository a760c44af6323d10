package io.spillway.bench.html;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.bench.report.BenchReport;
import io.spillway.bench.report.Metric;
import io.spillway.bench.report.RunResult;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class HtmlReportWriterTest {

  private static final String HOSTILE_LABEL = "<b>redis</b> & \"co\"";

  @Test
  void writesAWellFormedPageWithTableAndChartsForOneTarget() throws Exception {
    BenchReport report = report(
        List.of(target("A", HOSTILE_LABEL, 1)), List.of(run("A", HOSTILE_LABEL, 1, 100_000)));

    String html = HtmlReportWriter.toHtml(report);
    Document doc = parse(html);

    assertThat(doc.getElementsByTagName("svg").getLength())
        .as("latency and delivered charts")
        .isEqualTo(2);
    assertThat(doc.getElementsByTagName("table").getLength())
        .as("facts, targets, results")
        .isEqualTo(3);
    assertThat(html)
        .contains(
            "<h1>spillway bench fanout</h1>",
            "payload_bytes",
            "resp://127.0.0.1:1",
            "delivered_per_s",
            "100,000",
            "Latency by percentile",
            "99.99",
            "Delivered messages per second",
            "no per-interval samples");
    assertThat(html).doesNotContain("B/A");
  }

  @Test
  void escapesLabelsUrisAndWarningsEverywhere() throws Exception {
    BenchReport report =
        report(List.of(target("A", HOSTILE_LABEL, 1)), List.of(run("A", HOSTILE_LABEL, 1, 1)));

    String html = HtmlReportWriter.toHtml(report);

    assertThat(html).doesNotContain("<b>redis</b>", "<script>");
    assertThat(html)
        .contains(
            "&lt;b&gt;redis&lt;/b&gt; &amp; &quot;co&quot;",
            "&lt;script&gt;alert(1)&lt;/script&gt;");
    parse(html);
  }

  @Test
  void showsEachRunMediansAndColouredRatiosWhenComparing() throws Exception {
    List<RunResult> runs = List.of(
        run("A", "redis", 1, 100_000),
        run("B", "spillway", 1, 200_000),
        run("A", "redis", 2, 120_000),
        run("B", "spillway", 2, 220_000));
    BenchReport report = report(List.of(target("A", "redis", 1), target("B", "spillway", 2)), runs);

    String html = HtmlReportWriter.toHtml(report);
    Document doc = parse(html);

    assertThat(doc.getElementsByTagName("svg").getLength()).isEqualTo(2);
    assertThat(html)
        .contains(
            "A redis r1",
            "B spillway r2",
            "A median",
            "B median",
            "B/A",
            "1.91x",
            "resp://127.0.0.1:2",
            "#2563eb",
            "#ea580c");
    assertThat(html).containsPattern("<td class=\"num better\">1\\.91x</td>");
    assertThat(count(html, "<polyline")).as("one latency line per run").isEqualTo(4);
    assertThat(count(html, "<rect")).as("one bar per run").isEqualTo(4);
  }

  @Test
  void fetchesNothingFromTheNetwork() throws Exception {
    BenchReport report = report(
        List.of(target("A", "redis", 1), target("B", "spillway", 2)),
        List.of(run("A", "redis", 1, 10), run("B", "spillway", 1, 20)));

    String html = HtmlReportWriter.toHtml(report);

    Matcher urls = Pattern.compile("https?://[^\"'\\s<]*").matcher(html);
    List<String> found = new ArrayList<>();
    while (urls.find()) {
      found.add(urls.group());
    }
    assertThat(found)
        .as("only the SVG namespace name, which is never fetched")
        .allMatch(u -> u.equals("http://www.w3.org/2000/svg"));
    assertThat(html).doesNotContain("<script", "<link", "src=", "@import", "url(");
  }

  @Test
  void chartsTheListedPercentilesWhenTheHistogramIsAbsent() throws Exception {
    Map<String, Object> details =
        Map.of("latency_percentiles_ms", Map.of("50", 1.0, "99", 4.0, "100", 9.0));
    RunResult r = new RunResult(
        "A",
        "resp://127.0.0.1:1",
        "redis",
        1,
        "2025-01-01T00:00:00Z",
        List.of(Metric.higher("delivered_per_s", "msg/s", 5)),
        details,
        List.of());

    assertThat(LatencyDistribution.of(r))
        .containsExactly(
            new ChartSeries.Point(PercentileAxis.position(50), 1.0),
            new ChartSeries.Point(PercentileAxis.position(99), 4.0),
            new ChartSeries.Point(PercentileAxis.MAX_POSITION, 9.0));
  }

  @Test
  void writesTheFileCreatingItsDirectory(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("out/report.html");
    HtmlReportWriter.write(
        report(List.of(target("A", "redis", 1)), List.of(run("A", "redis", 1, 10))), file);

    assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>");
  }

  private static Document parse(String html) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  private static int count(String text, String part) {
    return text.split(Pattern.quote(part), -1).length - 1;
  }

  private static BenchReport.TargetEntry target(String name, String label, int port) {
    return new BenchReport.TargetEntry(name, label, "resp://127.0.0.1:" + port + "#" + label, null);
  }

  private static BenchReport report(List<BenchReport.TargetEntry> targets, List<RunResult> runs) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("payload_bytes", 128);
    params.put("subscribers", 10);
    return BenchReport.of(
        "test",
        "2025-01-01T00:00:00Z",
        "fanout",
        params,
        Map.of("threads", 1),
        targets,
        runs.stream().mapToInt(RunResult::round).max().orElse(1),
        runs);
  }

  private static RunResult run(String name, String label, int round, double delivered) {
    Histogram h = new Histogram(1, 60_000_000_000L, 3);
    for (int i = 1; i <= 10_000; i++) {
      h.recordValue(i * 100_000L / round);
    }
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buf);
    Map<String, Object> details = new LinkedHashMap<>();
    details.put(
        "latency_histogram_ns",
        Base64.getEncoder().encodeToString(Arrays.copyOf(buf.array(), length)));
    return new RunResult(
        name,
        "resp://127.0.0.1:1",
        label,
        round,
        "2025-01-01T00:00:00Z",
        List.of(
            Metric.higher("delivered_per_s", "msg/s", delivered),
            Metric.lower("latency_p99_ms", "ms", 1.5)),
        details,
        List.of("the load generator said <script>alert(1)</script>"));
  }
}
