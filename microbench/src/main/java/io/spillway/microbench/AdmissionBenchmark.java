package io.spillway.microbench;

import io.spillway.core.admission.Admission;
import io.spillway.core.admission.AdmissionController;
import io.spillway.core.admission.AdmissionSettings;
import io.spillway.core.admission.LimitAlgorithm;
import io.spillway.core.admission.Permit;
import io.spillway.core.admission.Priority;
import io.spillway.core.time.NanoClock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The admission controller's cost per request, uncontended: one offer, one poll and one success (the path every
 * admitted HTTP request takes), and one offer refused by a full queue (the path every shed takes under overload).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AdmissionBenchmark {

  private static final Object JOB = new Object();

  @Param({"NONE", "GRADIENT2"})
  public LimitAlgorithm algorithm;

  private AdmissionController<Object> admitting;
  private AdmissionController<Object> full;
  private long shed;

  @Setup
  public void setUp() {
    AdmissionSettings settings = AdmissionSettings.builder()
        .queueCapacity(256)
        .workers(8)
        .limitAlgorithm(algorithm)
        .build();
    admitting =
        new AdmissionController<>(settings, NanoClock.SYSTEM, (job, reason, retryAfter) -> shed++);
    full = new AdmissionController<>(
        settings.toBuilder().queueCapacity(1).build(),
        NanoClock.SYSTEM,
        (job, reason, retryAfter) -> shed++);
    full.offer(JOB, Priority.CRITICAL, AdmissionController.NO_DEADLINE);
  }

  @Benchmark
  public Permit<Object> offerPollSuccess() {
    admitting.offer(JOB, Priority.NORMAL, AdmissionController.NO_DEADLINE);
    Permit<Object> permit = admitting.poll();
    permit.success();
    return permit;
  }

  @Benchmark
  public Admission<Object> offerRefusedByAFullQueue() {
    return full.offer(JOB, Priority.CRITICAL, AdmissionController.NO_DEADLINE);
  }
}
