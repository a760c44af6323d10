package io.spillway.server.metrics;

import java.util.HashMap;
import java.util.Map;

/** An admission view whose figures the test sets. */
final class FakeAdmissionView implements AdmissionView {

  volatile int queueDepth;
  volatile int queueCapacity;
  volatile int inFlight;
  volatile int limit;
  volatile double drainRatePerSecond;
  final Map<String, Long> shed = new HashMap<>();

  @Override
  public int queueDepth() {
    return queueDepth;
  }

  @Override
  public int queueCapacity() {
    return queueCapacity;
  }

  @Override
  public int inFlight() {
    return inFlight;
  }

  @Override
  public int limit() {
    return limit;
  }

  @Override
  public double drainRatePerSecond() {
    return drainRatePerSecond;
  }

  @Override
  public synchronized long shed(String reasonLabel) {
    return shed.getOrDefault(reasonLabel, 0L);
  }

  synchronized void shed(String reasonLabel, long count) {
    shed.put(reasonLabel, count);
  }
}
