package io.spillway.microbench;

import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.core.flow.BacklogPolicy;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.core.time.NanoClock;
import io.spillway.server.SpillwayServer;
import io.spillway.server.broker.Broker;
import io.spillway.server.broker.ChannelHold;
import io.spillway.server.broker.GlobPattern;
import io.spillway.server.broker.IoLoop;
import io.spillway.server.broker.Publisher;
import io.spillway.server.broker.Subscriber;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.outbox.OutboxHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A publish to a channel that {@code patterns} patterns are held on and that none of them matches, through the whole
 * publish path ({@link Broker#publish}, the pattern index), beside the brute force it replaces (every pattern's
 * compiled glob tested against the channel, as {@code Broker.matchPatterns} did before the index).
 *
 * <p>Shapes: {@code ordinary} ({@code news.N.*}, {@code user.N.?.events}, {@code *.N.alerts} against
 * {@code news.sports.live}); {@code star-a1000-bN} (issue 11's hostile {@code "*" + "a" x 1000 + "bN"} against 1 KiB of
 * 'a'); {@code a1000-star-bN} (the same literal part as a prefix the channel shares, so that every pattern is a
 * candidate of the index and is matched beyond it). Run with {@code -prof gc}: the index's publish allocates nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g", "-Dio.netty.leakDetection.level=disabled"})
public class PatternPublishBenchmark {

  @Param({"1000", "10000"})
  int patterns;

  @Param({"ordinary", "star-a1000-bN", "a1000-star-bN"})
  String shape;

  private EmbeddedChannel loop0;
  private Broker broker;
  private Publisher publisher;
  private GlobPattern[] globs;
  private byte[] channel;
  private final byte[] message = new byte[16];

  @Setup(Level.Trial)
  public void setUp() {
    loop0 = new EmbeddedChannel();
    IoLoop[] loops = {new IoLoop(0, loop0.eventLoop(), BacklogPolicy.DEFAULT)};
    ServerStats stats = new ServerStats();
    int chunk = Broker.chunkBytesFor(OutboxLimits.DEFAULT);
    broker = new Broker(
        loops, SpillwayServer.frameEncoders(), stats, 1 << 20, 1024, chunk, java.util.List.of());
    OutboxHandler outbox = new OutboxHandler(
        OutboxLimits.DEFAULT, OutboxLimits.DEFAULT, chunk, stats, NanoClock.SYSTEM);
    Subscriber sink = new PublishBenchmark.Sink(loops[0], outbox);
    globs = new GlobPattern[patterns];
    for (int i = 0; i < patterns; i++) {
      String p = switch (shape) {
        case "ordinary" ->
          switch (i % 3) {
            case 0 -> "news." + i + ".*";
            case 1 -> "user." + i + ".?.events";
            default -> "*." + i + ".alerts";
          };
        case "star-a1000-bN" -> "*" + "a".repeat(1000) + "b" + i;
        case "a1000-star-bN" -> "a".repeat(1000) + "*b" + i;
        default -> throw new IllegalArgumentException(shape);
      };
      broker.psubscribe(sink, p);
      globs[i] = GlobPattern.compile(p.getBytes(StandardCharsets.ISO_8859_1));
    }
    String c = shape.equals("ordinary") ? "news.sports.live" : "a".repeat(1024);
    channel = c.getBytes(StandardCharsets.ISO_8859_1);
    publisher = new Publisher() {
      @Override
      public IoLoop loop() {
        return loops[0];
      }

      @Override
      public Subscriber self() {
        return null;
      }

      @Override
      public void pushedBack(IoLoop congested) {}

      @Override
      public void held(ChannelHold hold) {}
    };
    if (broker.publish(channel, message, publisher) != 0) {
      throw new IllegalStateException("the channel was meant to match no pattern");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    loop0.finishAndReleaseAll();
  }

  /** One publish through the index: the receiver count (0). */
  @Benchmark
  public int publishThroughIndex() {
    return broker.publish(channel, message, publisher);
  }

  /** What matching cost before the index: every pattern's compiled glob tested against the channel. */
  @Benchmark
  public int bruteForceEveryPattern() {
    int hits = 0;
    for (GlobPattern g : globs) {
      if (g.matches(channel)) {
        hits++;
      }
    }
    return hits;
  }
}
