package io.spillway.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README documents exactly the settings that exist, with their real defaults. */
class SettingsTableInReadmeTest {

  private static final String START = "<!-- settings:start -->";
  private static final String END = "<!-- settings:end -->";
  private static final String HOW_TO_FIX =
      "README.md's settings table is out of date: run './spillway settings-table'"
          + " and put its output between the lines " + START + " and " + END;

  @Test
  void readmeHoldsTheGeneratedSettingsTable() throws IOException {
    Path readme =
        Path.of(System.getProperty("basedir", ".")).resolve("../README.md").normalize();
    if (!Files.exists(readme)) {
      fail(readme + " does not exist. " + HOW_TO_FIX);
    }
    String text = Files.readString(readme, StandardCharsets.UTF_8).replace("\r\n", "\n");
    int start = text.indexOf(START);
    int end = text.indexOf(END);
    if (start < 0 || end < start) {
      fail(HOW_TO_FIX);
    }
    String section = text.substring(start + START.length(), end).strip();
    assertThat(section).as(HOW_TO_FIX).isEqualTo(Settings.markdownTable().strip());
  }
}
