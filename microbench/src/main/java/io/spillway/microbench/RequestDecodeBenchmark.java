package io.spillway.microbench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.server.config.ServerConfig;
import io.spillway.server.resp.RespRequestDecoder;
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

/** Decoding a publisher's pipeline: 64 PUBLISH commands in one read, as the fan-out benchmark sends them. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
public class RequestDecodeBenchmark {

  @Param({"128", "1024"})
  int payload;

  private EmbeddedChannel channel;
  private ByteBuf pipeline;

  @Setup(Level.Trial)
  public void setUp() {
    ServerConfig c = ServerConfig.defaults();
    channel = new EmbeddedChannel(new RespRequestDecoder(
        c.maxBulkLength().toIntBytes(),
        c.maxArguments(),
        c.maxInlineLength().toIntBytes(),
        c.maxRequestSize().toBytes()));
    String body = "x".repeat(payload);
    String one = "*3\r\n$7\r\nPUBLISH\r\n$4\r\nfeed\r\n$" + payload + "\r\n" + body + "\r\n";
    pipeline = Unpooled.unreleasableBuffer(
        Unpooled.directBuffer().writeBytes(one.repeat(64).getBytes(StandardCharsets.US_ASCII)));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    channel.finishAndReleaseAll();
  }

  /** Per operation: 64 commands. */
  @Benchmark
  public int decode64Publishes() {
    channel.writeInbound(pipeline.duplicate());
    int n = 0;
    while (channel.readInbound() != null) {
      n++;
    }
    return n;
  }
}
