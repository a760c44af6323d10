package io.spillway.server.config;

import io.spillway.core.config.ByteSize;
import io.spillway.core.config.DurationParser;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a setting's value is written in a config file or on the command line, and how it is read back. Parsing
 * throws {@link IllegalArgumentException} whose message quotes the text and says what was expected; {@link Setting}
 * prefixes the key. {@link #format} writes what {@link #parse} reads.
 */
final class SettingType<T> {

  static final SettingType<String> STRING = new SettingType<>("string", text -> text, text -> text);
  static final SettingType<Integer> INTEGER =
      new SettingType<>("int", SettingType::parseInteger, String::valueOf);
  static final SettingType<ByteSize> BYTE_SIZE =
      new SettingType<>("size", ByteSize::parse, ByteSize::toString);
  static final SettingType<Duration> DURATION =
      new SettingType<>("duration", DurationParser::parse, DurationParser::format);
  static final SettingType<Boolean> BOOLEAN =
      new SettingType<>("boolean", SettingType::parseBoolean, String::valueOf);

  static final SettingType<Double> FRACTION =
      new SettingType<>("fraction", SettingType::parseFraction, String::valueOf);
  static final SettingType<io.spillway.core.admission.LimitAlgorithm> LIMIT_ALGORITHM =
      new SettingType<>(
          "algorithm",
          io.spillway.core.admission.LimitAlgorithm::parse,
          a -> a.name().toLowerCase(Locale.ROOT));

  /**
   * Channel policies, {@code PATTERN=STRATEGY[,option=value...]} entries separated by {@code ;} (a config file may
   * give them as a list); empty for none.
   */
  static final SettingType<java.util.List<io.spillway.core.outbox.ChannelPolicy>> CHANNEL_POLICIES =
      new SettingType<>(
          "policies",
          SettingType::parsePolicies,
          l -> l.stream().map(Object::toString).collect(java.util.stream.Collectors.joining(";")));

  private final String label;
  private final Function<String, T> parser;
  private final Function<T, String> formatter;

  private SettingType(String label, Function<String, T> parser, Function<T, String> formatter) {
    this.label = label;
    this.parser = parser;
    this.formatter = formatter;
  }

  /** A one-word name for help texts: {@code int}, {@code size}, {@code duration}, {@code string}, {@code boolean}. */
  String label() {
    return label;
  }

  T parse(String text) {
    return parser.apply(text);
  }

  String format(T value) {
    return formatter.apply(value);
  }

  private static java.util.List<io.spillway.core.outbox.ChannelPolicy> parsePolicies(String text) {
    java.util.List<io.spillway.core.outbox.ChannelPolicy> out = new java.util.ArrayList<>();
    for (String entry : text.split(";", -1)) {
      if (!entry.isBlank()) {
        out.add(io.spillway.core.outbox.ChannelPolicy.parse(entry.trim()));
      }
    }
    return java.util.List.copyOf(out);
  }

  private static Integer parseInteger(String text) {
    try {
      return Integer.valueOf(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an integer", e);
    }
  }

  private static Double parseFraction(String text) {
    try {
      return Double.valueOf(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a number (a fraction such as 0.5)", e);
    }
  }

  private static Boolean parseBoolean(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "on":
        return Boolean.TRUE;
      case "false":
      case "no":
      case "off":
        return Boolean.FALSE;
      default:
        throw new IllegalArgumentException(
            "'" + text + "' is not a boolean (true/false, on/off, yes/no)");
    }
  }
}
