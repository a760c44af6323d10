package io.spillway.bench.chaos;

import java.util.ArrayList;
import java.util.List;

/** The daemon threads of one run, started by name and ended together. Used by the run's thread only. */
final class ThreadGroupRunner {

  /** How long each thread is given to end once interrupted: 2 s. */
  static final long JOIN_MILLIS = 2_000;

  private final List<Thread> threads = new ArrayList<>();

  void start(String name, Runnable body) {
    Thread t = new Thread(body, "chaos-" + name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /** Interrupts every thread and waits for each, at most {@link #JOIN_MILLIS}. */
  void stopAll() throws InterruptedException {
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      t.join(JOIN_MILLIS);
    }
  }
}
