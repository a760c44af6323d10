package io.spillway.server.config;

import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * One row of {@link Settings}: a key that is both a config-file key and, prefixed with {@code --}, a flag of
 * {@code spillway serve}; what it means; the type of its value; and its default. Immutable.
 *
 * @param <T> the parsed value's type
 */
public final class Setting<T> {

  private final String key;
  private final SettingType<T> type;
  private final String description;
  private final Function<ServerConfig, T> getter;
  private final BiConsumer<Settings.Draft, T> setter;
  private final String defaultText;

  private Setting(
      String key,
      SettingType<T> type,
      String description,
      Function<ServerConfig, T> getter,
      BiConsumer<Settings.Draft, T> setter,
      String defaultText) {
    this.key = key;
    this.type = type;
    this.description = description;
    this.getter = getter;
    this.setter = setter;
    this.defaultText = defaultText;
  }

  /** A setting whose documented default is read from {@code defaults}. */
  static <T> Setting<T> of(
      String key,
      SettingType<T> type,
      String description,
      Function<ServerConfig, T> getter,
      BiConsumer<Settings.Draft, T> setter,
      ServerConfig defaults) {
    return new Setting<>(
        key, type, description, getter, setter, type.format(getter.apply(defaults)));
  }

  /** This setting with its default documented as {@code text}, for a default that is not a fixed value. */
  Setting<T> documentedDefault(String text) {
    return new Setting<>(key, type, description, getter, setter, Objects.requireNonNull(text));
  }

  /** The kebab-case key: {@code subscriber-hard-limit}. */
  public String key() {
    return key;
  }

  /** One sentence, for help texts and the README. */
  public String description() {
    return description;
  }

  /** A one-word name of the value's type: {@code int}, {@code size}, {@code duration}, {@code string}, {@code boolean}. */
  public String typeLabel() {
    return type.label();
  }

  /** Whether the value is a boolean, so that a bare {@code --key} can mean {@code true}. */
  public boolean isBoolean() {
    return type == SettingType.BOOLEAN;
  }

  /** The default as documented: a value in the syntax {@link #apply} reads, or words when it depends on the host. */
  public String defaultText() {
    return defaultText;
  }

  /**
   * Parses {@code text} and hands the value to {@code draft}.
   *
   * @throws ConfigException naming this key, the text and what was expected
   */
  void apply(Settings.Draft draft, String text) {
    T value;
    try {
      value = type.parse(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": " + e.getMessage());
    }
    setter.accept(draft, value);
  }

  /** This setting's value in {@code config}, written as {@link #apply} reads it. */
  String format(ServerConfig config) {
    return type.format(getter.apply(config));
  }

  @Override
  public String toString() {
    return key;
  }
}
