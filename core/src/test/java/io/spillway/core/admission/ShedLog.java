package io.spillway.core.admission;

import java.util.ArrayList;
import java.util.List;

/** A {@link ShedListener} that records what it is given, for assertions. Thread-safe. */
final class ShedLog<T> implements ShedListener<T> {

  record Shed<T>(T job, ShedReason reason, long retryAfterSeconds) {}

  private final List<Shed<T>> sheds = new ArrayList<>();

  @Override
  public synchronized void shed(T job, ShedReason reason, long retryAfterSeconds) {
    sheds.add(new Shed<>(job, reason, retryAfterSeconds));
  }

  synchronized List<Shed<T>> all() {
    return List.copyOf(sheds);
  }

  synchronized List<T> jobs(ShedReason reason) {
    return sheds.stream().filter(s -> s.reason() == reason).map(Shed::job).toList();
  }
}
