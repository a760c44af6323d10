package io.spillway.server.resp;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.server.fuzz.LeakGate;
import io.spillway.server.fuzz.ScaledTries;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Fuzzes {@link RespRequestDecoder} on EmbeddedChannel with arbitrary bytes, with valid pipelines, and with valid
 * pipelines mutated (bytes flipped, inserted, deleted, lengths changed). Whatever comes in: the only failure is the
 * protocol error path ({@link RespProtocolException}, at most once), every decoded request is within the limits,
 * the outcome does not depend on how the bytes were split into reads, every input buffer is released, and Netty's
 * paranoid leak detector reports nothing.
 */
@AddLifecycleHook(ScaledTries.class)
class RespRequestDecoderFuzzTest {

  static {
    LeakGate.install();
  }

  private static final int MAX_BULK = 64;
  private static final int MAX_ARGS = 6;
  private static final int MAX_INLINE = 48;
  private static final long MAX_REQUEST = 200;

  /** Limits that let a bulk reach the streamed big-argument path (32 KiB and more). */
  private static final int BIG_MAX_BULK = 48 * 1024;

  private static final long BIG_MAX_REQUEST = 64 * 1024;

  @AfterContainer
  static void nettyReportsNoLeak() throws InterruptedException {
    LeakGate.check(RespRequestDecoderFuzzTest.class.getSimpleName());
  }

  /** What a decoder made of some bytes: the requests (arguments as ISO-8859-1, with an inline mark) and errors. */
  record Outcome(List<String> requests, List<String> errors) {}

  @Provide
  Arbitrary<byte[]> respishBytes() {
    Arbitrary<String> tokens = Arbitraries.of(
        "*",
        "$",
        "\r\n",
        "\r",
        "\n",
        "1",
        "2",
        "3",
        "0",
        "-1",
        "-",
        "99999999999999999999",
        "PING",
        "PUBLISH",
        " ",
        "\"",
        "'",
        "\\x4",
        "\\",
        "a",
        "\0",
        "\u00ff",
        "*2\r\n",
        "$4\r\n",
        "*1\r\n$4\r\nPING\r\n",
        "x".repeat(40),
        "9223372036854775808",
        "+",
        "00");
    return tokens.list().ofMaxSize(40).map(l -> String.join("", l).getBytes(ISO_8859_1));
  }

  @Provide
  Arbitrary<List<List<String>>> validCommands() {
    Arbitrary<String> arg = Arbitraries.strings()
        .withChars('a', 'b', ' ', '"', '\r', '\n', '\0', '\u00ff', '*', '$')
        .ofMaxLength(20);
    return arg.list().ofMinSize(1).ofMaxSize(5).list().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 3000)
  void arbitraryBytesFailOnlyThroughTheProtocolErrorPath(
      @ForAll @Size(max = 300) byte[] bytes,
      @ForAll @IntRange(min = 1, max = 64) int chunk,
      @ForAll boolean authenticate) {
    checkEverything(bytes, chunk, authenticate, MAX_BULK, MAX_REQUEST);
  }

  @Property(tries = 1000)
  void respLikeBytesFailOnlyThroughTheProtocolErrorPath(
      @ForAll("respishBytes") byte[] bytes,
      @ForAll @IntRange(min = 1, max = 64) int chunk,
      @ForAll boolean authenticate) {
    checkEverything(bytes, chunk, authenticate, MAX_BULK, MAX_REQUEST);
  }

  @Property(tries = 500)
  void validPipelinesDecodeToWhatWasSent(
      @ForAll("validCommands") List<List<String>> commands,
      @ForAll @IntRange(min = 1, max = 64) int chunk) {
    byte[] wire = multibulk(commands);
    Outcome outcome = checkEverything(wire, chunk, false, MAX_BULK * 100, MAX_REQUEST * 100);
    List<String> expected = new ArrayList<>();
    for (List<String> c : commands) {
      expected.add("M" + c);
    }
    assertThat(outcome.errors()).isEmpty();
    assertThat(outcome.requests()).isEqualTo(expected);
  }

  @Property(tries = 800)
  void mutatedValidPipelinesFailOnlyThroughTheProtocolErrorPath(
      @ForAll("validCommands") List<List<String>> commands,
      @ForAll("mutations") List<Mutation> mutations,
      @ForAll @IntRange(min = 1, max = 64) int chunk,
      @ForAll boolean authenticate) {
    byte[] wire = multibulk(commands);
    for (Mutation m : mutations) {
      wire = m.apply(wire);
    }
    checkEverything(wire, chunk, authenticate, MAX_BULK, MAX_REQUEST);
  }

  @Property(tries = 25)
  void bigArgumentsStreamedInAnyChunkingDecodeOrFailCleanly(
      @ForAll @IntRange(min = 32 * 1024 - 2, max = 50 * 1024) int size,
      @ForAll @IntRange(min = 1024, max = 9000) int chunk,
      @ForAll("mutations") List<Mutation> mutations) {
    byte[] wire = ("*2\r\n$7\r\nPUBLISH\r\n$" + size + "\r\n" + "p".repeat(size)
            + "\r\n*1\r\n$4\r\nPING\r\n")
        .getBytes(ISO_8859_1);
    Outcome clean = checkEverything(wire, chunk, false, BIG_MAX_BULK, BIG_MAX_REQUEST);
    if (size <= BIG_MAX_BULK) {
      assertThat(clean.errors()).isEmpty();
      assertThat(clean.requests()).hasSize(2);
    } else {
      assertThat(clean.errors()).containsExactly("Protocol error: invalid bulk length");
    }
    for (Mutation m : mutations) {
      wire = m.apply(wire);
    }
    checkEverything(wire, chunk, false, BIG_MAX_BULK, BIG_MAX_REQUEST);
  }

  /** One edit of a byte string. */
  record Mutation(int kind, int position, byte value) {
    byte[] apply(byte[] in) {
      if (in.length == 0) {
        return new byte[] {value};
      }
      int at = Math.floorMod(position, in.length);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      switch (kind) {
        case 0 -> { // replace
          byte[] copy = in.clone();
          copy[at] = value;
          return copy;
        }
        case 1 -> { // insert
          out.write(in, 0, at);
          out.write(value);
          out.write(in, at, in.length - at);
        }
        case 2 -> { // delete
          out.write(in, 0, at);
          out.write(in, at + 1, in.length - at - 1);
        }
        default -> { // a digit sequence made huge, negative or empty
          out.write(in, 0, at);
          byte[] digits = switch (value & 3) {
            case 0 -> "99999999999".getBytes(ISO_8859_1);
            case 1 -> "-".getBytes(ISO_8859_1);
            case 2 -> "2147483648".getBytes(ISO_8859_1);
            default -> new byte[0];
          };
          out.write(digits, 0, digits.length);
          out.write(in, at, in.length - at);
        }
      }
      return out.toByteArray();
    }
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    Arbitrary<Byte> interesting = Arbitraries.oneOf(
        Arbitraries.bytes(),
        Arbitraries.of(
            (byte) '\r', (byte) '\n', (byte) '*', (byte) '$', (byte) '0', (byte) '9', (byte) '-'));
    return Combinators.combine(
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().greaterOrEqual(0),
            interesting)
        .as(Mutation::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(4);
  }

  /**
   * Decodes {@code bytes} in one read and in reads of {@code chunk} bytes; checks the invariants and that both give
   * the same outcome, which it returns.
   */
  private static Outcome checkEverything(
      byte[] bytes, int chunk, boolean authenticate, int maxBulk, long maxRequest) {
    Outcome whole = decode(bytes, bytes.length, authenticate, maxBulk, maxRequest);
    Outcome pieces = decode(bytes, chunk, authenticate, maxBulk, maxRequest);
    assertThat(pieces).as("reads of %d bytes against one read", chunk).isEqualTo(whole);
    return whole;
  }

  private static Outcome decode(
      byte[] bytes, int chunk, boolean authenticate, int maxBulk, long maxRequest) {
    RecordingHandler recorder = new RecordingHandler();
    RespRequestDecoder decoder = new RespRequestDecoder(maxBulk, MAX_ARGS, MAX_INLINE, maxRequest);
    decoder.requireAuthentication(authenticate);
    EmbeddedChannel channel = recorder.channel(decoder);
    try {
      for (int from = 0; from < bytes.length; from += Math.max(1, chunk)) {
        byte[] piece = java.util.Arrays.copyOfRange(
            bytes, from, Math.min(bytes.length, from + Math.max(1, chunk)));
        channel.writeInbound(recorder.input(piece));
      }
    } finally {
      channel.finishAndReleaseAll();
    }
    assertThat(recorder.allInputsReleased()).as("every input buffer released").isTrue();
    assertThat(recorder.exceptions)
        .hasSizeLessThanOrEqualTo(1)
        .allSatisfy(e -> assertThat(e).isInstanceOf(RespProtocolException.class));
    List<String> requests = new ArrayList<>();
    for (RespRequest r : recorder.requests) {
      long total = 0;
      List<String> args = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        total += r.arg(i).length;
        args.add(r.argString(i));
        if (!r.inline()) {
          assertThat(r.arg(i).length)
              .isLessThanOrEqualTo(
                  authenticate ? RespRequestDecoder.UNAUTHENTICATED_MAX_BULK_LENGTH : maxBulk);
        }
      }
      assertThat(r.size()).isPositive();
      if (r.inline()) {
        assertThat(total).isLessThanOrEqualTo(MAX_INLINE);
      } else {
        assertThat(r.size())
            .isLessThanOrEqualTo(
                authenticate ? RespRequestDecoder.UNAUTHENTICATED_MAX_ARGUMENTS : MAX_ARGS);
      }
      assertThat(total).isLessThanOrEqualTo(maxRequest);
      requests.add((r.inline() ? "I" : "M") + args);
    }
    List<String> errors = new ArrayList<>();
    for (Throwable e : recorder.exceptions) {
      errors.add(((RespProtocolException) e).redisMessage());
    }
    return new Outcome(requests, errors);
  }

  private static byte[] multibulk(List<List<String>> commands) {
    StringBuilder sb = new StringBuilder();
    for (List<String> c : commands) {
      sb.append('*').append(c.size()).append("\r\n");
      for (String a : c) {
        sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
      }
    }
    return sb.toString().getBytes(ISO_8859_1);
  }
}
