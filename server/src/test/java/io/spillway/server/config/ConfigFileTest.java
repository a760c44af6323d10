package io.spillway.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

  @TempDir
  Path dir;

  private Path file(String yaml) throws IOException {
    return Files.writeString(dir.resolve("spillway.yaml"), yaml);
  }

  @Test
  void appliesFileValuesWrittenAsNumbersOrStrings() throws IOException {
    Path file = file("""
        bind: 0.0.0.0
        port: 7000
        subscriber-hard-limit: 128kb
        normal-hard-limit: 131072
        subscriber-soft-window: 2s
        tcp-keepalive: 30
        max-channel-length: "2kb"
        """);

    ServerConfig config = ConfigFile.resolve(file, Map.of());

    assertThat(config.bind()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(7000);
    assertThat(config.subscriberLimits().hardLimit().toBytes()).isEqualTo(128 * 1024);
    assertThat(config.normalLimits().hardLimit().toBytes()).isEqualTo(131_072);
    assertThat(config.subscriberLimits().softWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.tcpKeepalive()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.maxChannelLength().toBytes()).isEqualTo(2048);
    assertThat(config.maxClients()).isEqualTo(ServerConfig.DEFAULT_MAX_CLIENTS);
  }

  @Test
  void flagsOverrideTheFile() throws IOException {
    Path file = file("port: 7000\nmax-clients: 10\n");

    ServerConfig config = ConfigFile.resolve(file, Map.of("port", "7001"));

    assertThat(config.port()).isEqualTo(7001);
    assertThat(config.maxClients()).isEqualTo(10);
  }

  @Test
  void noFileMeansDefaultsAndFlags() {
    assertThat(ConfigFile.resolve(null, Map.of("port", "0")).port()).isZero();
  }

  @Test
  void emptyFileMeansDefaults() throws IOException {
    assertThat(ConfigFile.read(file(""))).isEmpty();
    assertThat(ConfigFile.read(file("# nothing set\n"))).isEmpty();
  }

  @Test
  void unknownKeyIsRejectedNamingFileAndKey() throws IOException {
    Path file = file("port: 7000\nmax-client: 10\n");

    assertThatThrownBy(() -> ConfigFile.resolve(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(file + ": unknown setting 'max-client' (did you mean 'max-clients'?)");
  }

  @Test
  void nestedValueIsRejected() throws IOException {
    Path list = file("port: [7000, 7001]\n");
    assertThatThrownBy(() -> ConfigFile.read(list))
        .hasMessage(list + ": port: expected a single value, found a list");

    Path map = file("bind:\n  host: localhost\n");
    assertThatThrownBy(() -> ConfigFile.read(map))
        .hasMessage(map + ": bind: expected a single value, found a map");
  }

  @Test
  void fileThatIsNotAMapIsRejected() throws IOException {
    Path file = file("- port\n- bind\n");
    assertThatThrownBy(() -> ConfigFile.read(file))
        .hasMessage(file + ": expected a map of setting: value, found a list");
  }

  @Test
  void repeatedKeyIsRejected() throws IOException {
    Path file = file("port: 7000\nport: 7001\n");
    assertThatThrownBy(() -> ConfigFile.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":")
        .hasMessageContaining("port");
  }

  @Test
  void badValueInFileNamesTheKey() throws IOException {
    Path file = file("port: abc\n");
    assertThatThrownBy(() -> ConfigFile.resolve(file, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("port: 'abc' is not an integer");
  }

  @Test
  void malformedYamlIsRejectedNamingTheFile() throws IOException {
    Path file = file("port: 7000\n  bind: [\n");
    assertThatThrownBy(() -> ConfigFile.read(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":");
  }

  @Test
  void missingFileIsAConfigError() {
    Path missing = dir.resolve("absent.yaml");
    assertThatThrownBy(() -> ConfigFile.resolve(missing, Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(missing + ": no such file");
  }

  @Test
  void emptyValueTurnsThePasswordOff() throws IOException {
    assertThat(ConfigFile.resolve(file("requirepass:\n"), Map.of()).requirePass())
        .isEmpty();
    assertThat(ConfigFile.resolve(file("requirepass: \"\"\n"), Map.of()).requirePass())
        .isEmpty();
  }

  @Test
  void printedConfigReadsBackToTheSameSettings() throws IOException {
    ServerConfig config = Settings.toConfig(Map.of(
        "bind", "::1",
        "requirepass", "p@ss: #word 'x\"",
        "port", "7002",
        "subscriber-soft-limit", "50000",
        "normal-write-timeout", "1500ms",
        "io-threads", "3"));

    String yaml = ConfigFile.toYaml(config);
    ServerConfig readBack = ConfigFile.resolve(file(yaml), Map.of());

    assertThat(ConfigFile.toYaml(readBack)).isEqualTo(yaml);
    assertThat(readBack.requirePass()).contains("p@ss: #word 'x\"");
    assertThat(readBack.normalLimits().writeTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(yaml)
        .contains("\nport: 7002\n")
        .contains("\n# TCP port for RESP clients; 0 picks a free one.\n");
  }

  @Test
  void printedDefaultsReadBackToTheDefaults() throws IOException {
    String yaml = ConfigFile.toYaml(ServerConfig.defaults());
    assertThat(ConfigFile.toYaml(ConfigFile.resolve(file(yaml), Map.of()))).isEqualTo(yaml);
  }
}
