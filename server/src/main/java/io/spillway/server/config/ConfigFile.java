package io.spillway.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes Spillway's config file: a flat YAML map from a {@link Settings} key to a single value, such as
 * <pre>{@code
 * port: 6380
 * subscriber-hard-limit: 64kb
 * subscriber-soft-window: 5s
 * }</pre>
 * Numbers and strings are both accepted wherever the value's syntax allows ({@code 65536} or {@code 64kb}).
 */
public final class ConfigFile {

  /*
   * Design note. The file is read into the same key -> text map that the command line produces, so both go through
   * Settings.toConfig and fail with the same messages; the file adds only the errors a file can have (unknown key,
   * nested value, duplicate key, bad YAML), each naming the file. toYaml writes every setting, each under its
   * description as a comment, so that --print-config gives a complete, documented file that read() accepts.
   */

  private static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build();

  private ConfigFile() {}

  /**
   * The settings resolved from the defaults, then {@code file}, then {@code flags}: a key given in both wins from
   * {@code flags}.
   *
   * @param file a config file, or {@code null} for none
   * @param flags key to value, keys without the leading {@code --}
   * @throws ConfigException when the file cannot be read, or a key or value in either is wrong
   */
  public static ServerConfig resolve(Path file, Map<String, String> flags) {
    Map<String, String> values = new LinkedHashMap<>();
    if (file != null) {
      values.putAll(read(file));
    }
    values.putAll(flags);
    return Settings.toConfig(values);
  }

  /**
   * The key to value map in {@code file}, values as text; keys are checked against {@link Settings}, values are not
   * parsed yet.
   *
   * @throws ConfigException naming the file, when it cannot be read, is not a flat YAML map, repeats a key, has a
   *     key that is not a setting or a value that is a list or a map
   */
  public static Map<String, String> read(Path file) {
    JsonNode root;
    try (InputStream in = Files.newInputStream(file)) {
      root = YAML.readTree(in);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such file", e);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw new ConfigException(
          file + (at == null ? "" : ":" + at.getLineNr()) + ": " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot be read: " + e, e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return Collections.emptyMap();
    }
    if (!root.isObject()) {
      throw new ConfigException(file + ": expected a map of setting: value, found " + kind(root));
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (Settings.find(key).isEmpty()) {
        throw new ConfigException(
            file + ": unknown setting '" + key + "'" + Settings.didYouMean(key));
      }
      if (value.isArray() && key.equals(LIST_KEY)) {
        // channel-policies may be a list of entries: the same as one value with the entries joined
        // by ';'.
        StringBuilder joined = new StringBuilder();
        for (JsonNode item : value) {
          if (item.isContainerNode()) {
            throw new ConfigException(
                file + ": " + key + ": expected entries PATTERN=STRATEGY, found " + kind(item));
          }
          joined.append(joined.length() == 0 ? "" : ";").append(item.asText());
        }
        values.put(key, joined.toString());
        continue;
      }
      if (value.isContainerNode()) {
        throw new ConfigException(
            file + ": " + key + ": expected a single value, found " + kind(value));
      }
      values.put(key, value.isNull() ? "" : value.asText());
    }
    return Collections.unmodifiableMap(values);
  }

  /** {@code config} as a config file that {@link #read} accepts: every setting, each under its description. */
  public static String toYaml(ServerConfig config) {
    StringBuilder yaml =
        new StringBuilder("# Spillway settings; 'spillway serve --config FILE' reads this file.\n");
    for (Setting<?> s : Settings.all()) {
      yaml.append("\n# ").append(s.description()).append('\n');
      try {
        yaml.append(YAML.writeValueAsString(Collections.singletonMap(s.key(), s.format(config))));
      } catch (JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }
    return yaml.toString();
  }

  /** The one setting that a config file may give as a list. */
  private static final String LIST_KEY = "channel-policies";

  private static String kind(JsonNode node) {
    return node.isArray() ? "a list" : node.isObject() ? "a map" : "a single value";
  }
}
