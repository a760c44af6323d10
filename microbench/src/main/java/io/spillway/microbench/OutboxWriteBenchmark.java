package io.spillway.microbench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.core.outbox.OutboxLimits;
import io.spillway.core.time.NanoClock;
import io.spillway.server.metrics.ServerStats;
import io.spillway.server.outbox.OutboxHandler;
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
 * The per-subscriber cost of a fan-out: one shared frame handed to N subscribers' outboxes (policy check, retained
 * duplicate, Netty's outbound queue) and flushed once. The channels are embedded, so the socket's own cost is left
 * out: this isolates what Spillway and Netty spend per message per subscriber.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
    "-Dio.netty.transport.outboundBufferEntrySizeOverhead=0",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    "-Dio.netty.leakDetection.level=disabled"})
public class OutboxWriteBenchmark {

  @Param({"100"})
  int subscribers;

  @Param({"128", "1024"})
  int payload;

  private EmbeddedChannel[] channels;
  private OutboxHandler[] outboxes;
  private ByteBuf frame;

  @Setup(Level.Trial)
  public void setUp() {
    channels = new EmbeddedChannel[subscribers];
    outboxes = new OutboxHandler[subscribers];
    ServerStats stats = new ServerStats();
    for (int i = 0; i < subscribers; i++) {
      outboxes[i] = new OutboxHandler(OutboxLimits.DEFAULT, OutboxLimits.DEFAULT, stats, NanoClock.SYSTEM);
      channels[i] = new EmbeddedChannel(outboxes[i]);
    }
    frame = PooledByteBufAllocator.DEFAULT.directBuffer(payload + 40);
    frame.writeZero(payload + 40);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    for (EmbeddedChannel ch : channels) {
      ch.finishAndReleaseAll();
    }
    frame.release();
  }

  /** One message to every subscriber, then one flush each; per operation = per message. */
  @Benchmark
  public void deliverToAllAndFlush() {
    for (OutboxHandler o : outboxes) {
      o.deliver(frame.retainedDuplicate());
    }
    for (EmbeddedChannel ch : channels) {
      ch.flush();
      for (Object m; (m = ch.readOutbound()) != null; ) {
        ((ByteBuf) m).release();
      }
    }
  }
}
