package io.spillway.server.ops;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.server.wire.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator files in ops/: the Prometheus alert rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}); every Grafana query is valid PromQL; and every metric either names is one a real
 * server's /metrics serves. promtool is Debian's {@code prometheus} package ({@code ./spillway test} installs it).
 */
class OpsFilesTest {

  private static final Path OPS = Path.of("..", "ops").toAbsolutePath().normalize();
  private static final Path ALERTS = OPS.resolve("prometheus/spillway-alerts.yml");
  private static final Path GRAFANA = OPS.resolve("grafana/spillway.json");
  private static final Pattern METRIC = Pattern.compile("\\b((?:spillway|process|jvm)_[a-z_]+)\\b");

  @Test
  void promtoolAcceptsTheAlertRules() throws Exception {
    assertThat(promtool(OPS, "check", "rules", ALERTS.toString()))
        .contains("SUCCESS: 4 rules found");
  }

  @Test
  void alertRulesPassTheirPromtoolUnitTests() throws Exception {
    assertThat(promtool(ALERTS.getParent(), "test", "rules", "spillway-alerts.test.yml"))
        .contains("SUCCESS");
  }

  @Test
  void everyGrafanaQueryIsValidPromql(@TempDir Path dir) throws Exception {
    StringBuilder rules = new StringBuilder("groups:\n  - name: grafana\n    rules:\n");
    int n = 0;
    for (String expr : grafanaQueries()) {
      String concrete = expr.replace("$__rate_interval", "1m").replace("$instance", ".*");
      rules
          .append("      - record: grafana:query")
          .append(n++)
          .append("\n        expr: '")
          .append(concrete.replace("'", "''"))
          .append("'\n");
    }
    Path file = dir.resolve("grafana-queries.yml");
    Files.writeString(file, rules);
    assertThat(n).isGreaterThan(20);
    assertThat(promtool(dir, "check", "rules", file.toString()))
        .contains("SUCCESS: " + n + " rules found");
  }

  @Test
  void everyMetricTheOpsFilesNameIsServed() throws Exception {
    Set<String> named = new TreeSet<>();
    for (String expr : grafanaQueries()) {
      named.addAll(metrics(expr));
    }
    named.addAll(metrics(Files.readString(ALERTS)));
    String scrape;
    try (TestServer server = TestServer.start()) {
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + server.server().http().port();
      // One admitted request, so that the latency histogram has its series.
      http.send(
          HttpRequest.newBuilder(URI.create(base + "/v1/stats")).build(),
          HttpResponse.BodyHandlers.ofString());
      scrape = http.send(
              HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
    for (String metric : named) {
      assertThat(scrape)
          .as("a metric the ops files use: %s", metric)
          .containsPattern("(?m)^(# TYPE )?" + metric + "[{ ]");
    }
  }

  private static Set<String> metrics(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static List<String> grafanaQueries() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(GRAFANA.toFile());
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.get("expr").asText());
      }
    }
    return exprs;
  }

  private static String promtool(Path dir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command)
          .directory(dir.toFile())
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      return fail(
          "promtool is not installed (Debian package 'prometheus': apt-get install prometheus, or run"
              + " ./spillway test, which installs it): " + e.getMessage());
    }
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("promtool %s said:\n%s", String.join(" ", args), out)
        .isZero();
    return out;
  }
}
