package io.spillway.client;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Stops calling a server that keeps failing. <b>Closed</b>: calls go through, and outcomes are counted over a sliding
 * {@link Settings#window()}; once at least {@link Settings#minimumCalls()} were counted and the failed share reaches
 * {@link Settings#failureRate()}, it opens. <b>Open</b>: every call fails fast without a request, for
 * {@link Settings#openFor()}. <b>Half-open</b>: up to {@link Settings#halfOpenProbes()} calls go through as probes;
 * that many successes close it (with a fresh window), one failure opens it again. Thread-safe.
 */
public final class CircuitBreaker {

  /** The breaker's states. */
  public enum State {
    CLOSED,
    OPEN,
    HALF_OPEN
  }

  /** Receives every change of state, on the thread that caused it, outside the breaker's lock. */
  @FunctionalInterface
  public interface TransitionListener {
    void onTransition(State from, State to);
  }

  /**
   * When the breaker opens and for how long.
   *
   * @param failureRate the failed share of calls in the window that opens it: (0, 1]
   * @param minimumCalls calls the window must hold before the rate counts: 1 or more
   * @param window the span over which calls are counted: 1 s to 1 h
   * @param openFor how long it stays open before probing: positive
   * @param halfOpenProbes calls let through while half-open; that many successes close it: 1 or more
   */
  public record Settings(
      double failureRate, int minimumCalls, Duration window, Duration openFor, int halfOpenProbes) {

    /**
     * Half the calls failing over 10 s, at least 20 of them, opens it for 5 s, then 3 probes. A shedding server
     * answers fast, so a rate rather than a count of consecutive failures: at 2× overload about half the calls are
     * shed, and that is when more calls only add load. 20 calls so that a quiet client does not open on one
     * unlucky pair; 5 s is a few of Spillway's Retry-After.
     */
    public static final Settings DEFAULT =
        new Settings(0.5, 20, Duration.ofSeconds(10), Duration.ofSeconds(5), 3);

    public Settings {
      if (!(failureRate > 0 && failureRate <= 1)) {
        throw new IllegalArgumentException(
            "breaker failureRate " + failureRate + " is out of range (0, 1]");
      }
      if (minimumCalls < 1) {
        throw new IllegalArgumentException(
            "breaker minimumCalls " + minimumCalls + " is out of range [1, ...)");
      }
      if (window.compareTo(Duration.ofSeconds(1)) < 0
          || window.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException(
            "breaker window " + window + " is out of range [PT1S, PT1H]");
      }
      if (openFor.isNegative() || openFor.isZero()) {
        throw new IllegalArgumentException("breaker openFor " + openFor + " must be positive");
      }
      if (halfOpenProbes < 1) {
        throw new IllegalArgumentException(
            "breaker halfOpenProbes " + halfOpenProbes + " is out of range [1, ...)");
      }
    }
  }

  private final Settings settings;
  private final LongSupplier nanoClock;
  private final TransitionListener listener;
  private final WindowedCounts window; // A: successes, B: failures
  private State state = State.CLOSED;
  private long openedAt;
  private int probesOut;
  private int probeSuccesses;

  public CircuitBreaker(Settings settings, LongSupplier nanoClock, TransitionListener listener) {
    this.settings = java.util.Objects.requireNonNull(settings, "settings");
    this.nanoClock = java.util.Objects.requireNonNull(nanoClock, "nanoClock");
    this.listener = java.util.Objects.requireNonNull(listener, "listener");
    this.window = new WindowedCounts(nanoClock, settings.window().toNanos(), 10);
  }

  /**
   * Asks to make a call: true if it may go out (the caller then reports exactly one of {@link #onSuccess},
   * {@link #onFailure} or {@link #onIgnored}), false if the breaker is open or out of probes.
   */
  public boolean tryAcquire() {
    State from;
    State to;
    boolean allowed;
    synchronized (this) {
      from = state;
      if (state == State.OPEN
          && nanoClock.getAsLong() - openedAt >= settings.openFor().toNanos()) {
        state = State.HALF_OPEN;
        probesOut = 0;
        probeSuccesses = 0;
      }
      switch (state) {
        case CLOSED:
          allowed = true;
          break;
        case HALF_OPEN:
          allowed = probesOut < settings.halfOpenProbes();
          if (allowed) {
            probesOut++;
          }
          break;
        default:
          allowed = false;
      }
      to = state;
    }
    notify(from, to);
    return allowed;
  }

  /** The call succeeded. */
  public void onSuccess() {
    State from;
    State to;
    synchronized (this) {
      from = state;
      if (state == State.HALF_OPEN) {
        probeSuccesses++;
        if (probeSuccesses >= settings.halfOpenProbes()) {
          state = State.CLOSED;
          window.clear();
        }
      } else if (state == State.CLOSED) {
        window.addA(1);
      }
      to = state;
    }
    notify(from, to);
  }

  /** The call failed in a way that says the server is in trouble (shed, refused, timed out, 5xx). */
  public void onFailure() {
    State from;
    State to;
    synchronized (this) {
      from = state;
      if (state == State.HALF_OPEN) {
        open();
      } else if (state == State.CLOSED) {
        window.addB(1);
        long failures = window.sumB();
        long calls = failures + window.sumA();
        if (calls >= settings.minimumCalls() && failures >= settings.failureRate() * calls) {
          open();
        }
      }
      to = state;
    }
    notify(from, to);
  }

  /** The call ended in a way that says nothing about the server (a 4xx, a local error): frees a probe. */
  public synchronized void onIgnored() {
    if (state == State.HALF_OPEN && probesOut > 0) {
      probesOut--;
    }
  }

  public synchronized State state() {
    return state;
  }

  private void open() {
    state = State.OPEN;
    openedAt = nanoClock.getAsLong();
  }

  private void notify(State from, State to) {
    if (from != to) {
      listener.onTransition(from, to);
    }
  }
}
