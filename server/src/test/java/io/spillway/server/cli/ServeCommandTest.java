package io.spillway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.server.config.ConfigFile;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.config.Setting;
import io.spillway.server.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private ServerConfig served;

  private int run(String... args) {
    return run(
        config -> {
          served = config;
          return 0;
        },
        args);
  }

  private int run(ServeAction action, String... args) {
    CommandLine commandLine = SpillwayCommand.create(action);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void flagsBecomeTheServedConfig() {
    int status = run(
        "serve", "--port", "7000", "--subscriber-soft-window", "2s", "--normal-hard-limit=128kb");

    assertThat(status).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(served.port()).isEqualTo(7000);
    assertThat(served.subscriberLimits().softWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(served.normalLimits().hardLimit().toBytes()).isEqualTo(128 * 1024);
    assertThat(served.bind()).isEqualTo(ServerConfig.DEFAULT_BIND);
  }

  @Test
  void flagWinsOverConfigFile() throws IOException {
    Path file = Files.writeString(dir.resolve("s.yaml"), "port: 7000\nmax-clients: 10\n");

    assertThat(run("serve", "--config", file.toString(), "--port", "7001")).isZero();

    assertThat(served.port()).isEqualTo(7001);
    assertThat(served.maxClients()).isEqualTo(10);
  }

  @Test
  void badValueExitsWithTwoAndOneLine() {
    int status = run("serve", "--port", "abc");

    assertThat(status).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("spillway: port: 'abc' is not an integer" + System.lineSeparator());
    assertThat(served).isNull();
  }

  @Test
  void valueOutOfRangeExitsWithTwo() {
    assertThat(run("serve", "--subscriber-soft-limit", "1mb")).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("spillway: subscriber-soft-limit 1048576 bytes is out of range")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void badConfigFileExitsWithTwo() throws IOException {
    Path file = Files.writeString(dir.resolve("s.yaml"), "prot: 7000\n");

    assertThat(run("serve", "--config", file.toString())).isEqualTo(2);
    assertThat(err.toString())
        .startsWith("spillway: " + file + ": unknown setting 'prot' (did you mean 'port'?)");
  }

  @Test
  void unknownFlagExitsWithTwoAndSuggests() {
    assertThat(run("serve", "--prot", "7000")).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo(
            "spillway: unknown option '--prot' (did you mean --port?)" + System.lineSeparator()
                + "Run 'spillway serve --help' for usage." + System.lineSeparator());
  }

  @Test
  void unknownPositionalArgumentExitsWithTwo() {
    assertThat(run("serve", "extra")).isEqualTo(2);
    assertThat(err.toString()).startsWith("spillway: Unmatched argument").contains("'extra'");
  }

  @Test
  void missingFlagValueExitsWithTwo() {
    assertThat(run("serve", "--port")).isEqualTo(2);
    assertThat(err.toString()).startsWith("spillway: ").contains("--port");
  }

  @Test
  void noCommandExitsWithTwo() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).startsWith("spillway: a command is required: serve");
  }

  @Test
  void printConfigPrintsReadableYamlAndDoesNotServe() throws IOException {
    assertThat(run("serve", "--port", "7003", "--policy-tick", "20ms", "--print-config"))
        .isZero();

    assertThat(served).isNull();
    Path printed = Files.writeString(dir.resolve("printed.yaml"), out.toString());
    ServerConfig readBack = ConfigFile.resolve(printed, Map.of());
    assertThat(readBack.port()).isEqualTo(7003);
    assertThat(readBack.policyTick()).isEqualTo(Duration.ofMillis(20));
    assertThat(ConfigFile.toYaml(readBack)).isEqualTo(out.toString());
  }

  @Test
  void channelPolicyIsRepeatableAndFollowsChannelPoliciesInOrder() throws IOException {
    assertThat(run(
            "serve",
            "--channel-policies",
            "prices.*=conflate",
            "--channel-policy",
            "orders=block,max-block=2s",
            "--channel-policy",
            "logs.*=drop-newest",
            "--print-config"))
        .isZero();
    Path printed = Files.writeString(dir.resolve("policies.yaml"), out.toString());
    assertThat(ConfigFile.resolve(printed, Map.of()).channelPolicies())
        .extracting(Object::toString)
        .containsExactly("prices.*=conflate", "orders=block,max-block=2s", "logs.*=drop-newest");
  }

  @Test
  void anInvalidChannelPolicyStopsTheStartNamingTheEntry() {
    assertThat(run("serve", "--channel-policy", "orders=sometimes")).isEqualTo(2);
    assertThat(err.toString()).contains("orders=sometimes");
    assertThat(served).isNull();
  }

  @Test
  void helpListsEverySettingWithItsDefault() {
    assertThat(run("serve", "--help")).isZero();

    String help = out.toString().replaceAll("\\s+", " ");
    assertThat(help).contains("--config=FILE").contains("--print-config");
    for (Setting<?> s : Settings.all()) {
      String flag = s.isBoolean()
          ? "--" + s.key() + "[=<boolean>]"
          : "--" + s.key() + "=<" + s.typeLabel() + ">";
      assertThat(help).contains(flag).contains("Default: " + s.defaultText() + ".");
    }
  }

  @Test
  void topLevelHelpListsServeButNotTheHiddenCommand() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("serve").doesNotContain("settings-table");
  }

  @Test
  void helpCommandDescribesACommand() {
    assertThat(run("help", "serve")).isZero();
    assertThat(out.toString())
        .startsWith("Usage: spillway serve")
        .contains("--subscriber-hard-limit");
  }

  @Test
  void helpCommandRejectsAnUnknownCommand() {
    assertThat(run("help", "srve")).isEqualTo(2);
    assertThat(err.toString()).startsWith("spillway: no such command: srve");
  }

  @Test
  void settingsTablePrintsTheMarkdownTable() {
    assertThat(run("settings-table")).isZero();
    assertThat(out.toString()).isEqualTo(Settings.markdownTable());
  }

  @Test
  void serverThatCannotStartExitsWithOne() {
    int status = run(
        config -> {
          throw new BindException("Address already in use");
        },
        "serve");

    assertThat(status).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("spillway: cannot start: Address already in use" + System.lineSeparator());
  }

  @Test
  void serveReturnsTheActionsStatus() {
    assertThat(run(config -> 0, "serve")).isZero();
    assertThat(run(config -> 3, "serve")).isEqualTo(3);
  }
}
