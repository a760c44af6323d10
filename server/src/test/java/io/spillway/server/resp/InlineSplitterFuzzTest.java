package io.spillway.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.server.fuzz.ScaledTries;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Fuzzes {@link InlineSplitter}: any line splits without throwing into arguments no longer in total than the line,
 * and arguments written back the way redis-cli would quote them split into exactly themselves.
 */
@AddLifecycleHook(ScaledTries.class)
class InlineSplitterFuzzTest {

  @Provide
  Arbitrary<byte[]> quotey() {
    return Arbitraries.strings()
        .withChars(
            'a', ' ', '\t', '"', '\'', '\\', 'x', '4', 'f', 'n', '\0', '\r', '\u000b', '\u00ff')
        .ofMaxLength(40)
        .map(s -> s.getBytes(ISO_8859_1));
  }

  @Property(tries = 5000)
  void anyBytesSplitWithoutThrowing(@ForAll @Size(max = 200) byte[] line) {
    checkSplit(line);
  }

  @Property(tries = 5000)
  void quoteHeavyLinesSplitWithoutThrowing(@ForAll("quotey") byte[] line) {
    checkSplit(line);
  }

  @Property(tries = 3000)
  void quotedArgumentsSplitIntoThemselves(
      @ForAll @Size(max = 6) List<@Size(max = 12) byte[]> args) {
    StringBuilder line = new StringBuilder("  ");
    for (byte[] a : args) {
      line.append(quote(a)).append(args.size() % 2 == 0 ? " " : "\t ");
    }
    byte[] bytes = line.toString().getBytes(ISO_8859_1);
    byte[][] split = InlineSplitter.split(bytes, bytes.length);
    assertThat(split).isNotNull();
    List<String> got = new ArrayList<>();
    for (byte[] s : split) {
      got.add(new String(s, ISO_8859_1));
    }
    List<String> expected = new ArrayList<>();
    for (byte[] a : args) {
      expected.add(new String(a, ISO_8859_1));
    }
    assertThat(got).isEqualTo(expected);
  }

  private static void checkSplit(byte[] line) {
    byte[][] args = InlineSplitter.split(line, line.length);
    if (args != null) {
      long total = 0;
      for (byte[] a : args) {
        assertThat(a).isNotNull();
        total += a.length;
      }
      assertThat(total).isLessThanOrEqualTo(line.length);
    }
  }

  /** Like redis-cli's sdscatrepr: double quotes, \\xHH for anything not printable. */
  private static String quote(byte[] arg) {
    StringBuilder sb = new StringBuilder("\"");
    for (byte b : arg) {
      int c = b & 0xff;
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            sb.append((char) c);
          } else {
            sb.append(String.format("\\x%02x", c));
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
