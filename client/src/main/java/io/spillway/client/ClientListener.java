package io.spillway.client;

/**
 * Receives what the client does, for metrics. Every method has an empty default; implement those you need. Called
 * on the thread that made the decision (the caller's, or the HttpClient's executor for asynchronous outcomes); must
 * be quick and must not throw.
 */
public interface ClientListener {

  /** A request is about to be sent: {@code attempt} is 1 for a call's first, 2 for its first retry... */
  default void onAttempt(String channel, int attempt) {}

  /** A call will be retried after {@code delayNanos}, because of {@code cause}. */
  default void onRetry(String channel, int attempt, long delayNanos, SpillwayException cause) {}

  /** A retry was wanted but the retry budget is spent: the call fails with {@link RetryBudgetExhaustedException}. */
  default void onBudgetExhausted(String channel) {}

  /** The circuit breaker changed state. */
  default void onBreakerTransition(CircuitBreaker.State from, CircuitBreaker.State to) {}

  /** A call or retry was refused without a request: breaker open, or adaptive throttling. */
  default void onLocalRejection(String channel, LocalRejectionException.Reason reason) {}

  /** A call ended: {@code failure} is null on success. */
  default void onCallEnded(String channel, int attempts, long nanos, SpillwayException failure) {}
}
