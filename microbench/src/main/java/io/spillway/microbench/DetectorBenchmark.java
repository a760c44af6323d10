package io.spillway.microbench;

import io.spillway.core.outbox.OutboxLimits;
import io.spillway.core.outbox.SlowConsumerDetector;
import io.spillway.core.time.NanoClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The policy's per-write check, which runs once per message per subscriber: it must cost next to nothing. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DetectorBenchmark {

  private final SlowConsumerDetector detector =
      new SlowConsumerDetector(OutboxLimits.DEFAULT, NanoClock.SYSTEM);
  private long queued;

  @Benchmark
  public Object onWriteBelowSoftLimit() {
    queued = (queued + 160) & 0x7fff;
    return detector.onWrite(queued, 160);
  }
}
