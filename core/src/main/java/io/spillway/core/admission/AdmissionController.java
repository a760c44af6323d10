package io.spillway.core.admission;

import io.spillway.core.time.NanoClock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Decides which jobs enter a bounded queue in front of a pool of workers, which of them run, in what order, and
 * which are shed and why. It only decides: the caller answers the sheds (503/504 with Retry-After) and runs the
 * admitted jobs.
 *
 * <p>Threads: {@link #offer} and {@link #sweep} are called by the producers (HTTP event loops), {@link #take} and
 * {@link #poll} by the workers, the {@link Permit} methods by whichever thread finishes the job, and the accessors
 * by anyone (the metrics layer). All of it is thread-safe; every method takes one lock briefly, and only
 * {@link #take} waits. Time is read from the injected {@link NanoClock}; deadlines are readings of that clock.
 *
 * <p>Shedding at {@link #offer}, in this order:
 * <ol>
 *   <li>{@link ShedReason#DEADLINE}: the deadline has passed, or the job could not finish before it by Little's
 *       law: (jobs queued at or above its priority + 1) x the measured service time / the concurrency (the lower of
 *       the workers and the concurrency limit) is longer than the time left. The service time is an average of
 *       measured costs; idle time does not enter it, so a burst after idle is judged by what the workers can do, not
 *       by recent demand. The estimate refuses only once 32 jobs have been measured: a fresh server's assumed value
 *       and first (cold) samples do not judge anyone; until then the queue's capacity, and the deadline checked
 *       while the job waits, bound its wait;
 *   <li>no room, as {@link ShedReason#QUEUE_FULL} (the queue is full: {@link AdmissionSettings#burstQueueCapacity()}
 *       while it meets its deadlines, {@link AdmissionSettings#queueCapacity()} while congested, below),
 *       {@link ShedReason#PRIORITY} (the queue holds
 *       at least the class's share: {@link AdmissionSettings#sheddableQueueShare()},
 *       {@link AdmissionSettings#normalQueueShare()}, all of it for critical) or, with an adaptive algorithm only,
 *       {@link ShedReason#CONCURRENCY_LIMIT} (as many jobs running as the limit and at least as many queued). When
 *       there is no room, a critical or normal arrival takes the place of the most recently queued job of the
 *       lowest class below its own, which goes to the {@link ShedListener} as {@link ShedReason#PRIORITY}; only
 *       with no such job is the arrival refused.
 * </ol>
 *
 * <p>Queued jobs leave through a worker or through the {@link ShedListener}, exactly once. Before each decision
 * (offer, take, poll, sweep) jobs whose deadline has passed are shed as {@link ShedReason#DEADLINE}, then
 * overdue ones as {@link ShedReason#CODEL}.
 *
 * <p>CoDel as "Fail at Scale" (Maurer, ACM Queue 2015) describes it; Facebook's Wangle implements a variant: the
 * queue is <em>congested</em> when it has held at least one job at every instant of its <em>standing time</em> and
 * has, within the last {@code codelInterval}, missed a deadline (a {@link ShedReason#DEADLINE} shed, at offer or
 * while queued) or completed no job at all (the workers are stuck): a standing queue whose jobs still finish in time
 * is a server catching up (a burst, a cold JIT), not an overloaded one. The standing time is {@code codelInterval};
 * or, for a <em>burst</em> (a stretch of non-empty queue that began within {@link AdmissionSettings#burstAllowance()},
 * default 1 s, of a moment when the server was idle: nothing queued, nothing running), the interval plus the time
 * the estimate gives for draining the most jobs the queue has held in that stretch, at least the burst allowance.
 * So a burst after idle that drains as fast as the workers can serve it is never congested, while under sustained
 * overload (the server never idle, deadlines missed) CoDel works as "Fail at Scale" says after at most the first
 * second.
 * While congested, a job that has waited longer than {@code codelTarget} is shed, and workers take the newest job of
 * the highest class (LIFO), so that the jobs served are those whose clients are still waiting. Otherwise the limit
 * on waiting is the job's deadline and service is FIFO within a class. The queue leaves congestion when it empties.
 *
 * @param <T> the job type; any object, compared by identity only
 */
public final class AdmissionController<T> {

  /** The deadline of a job that has none. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;
  /** {@link #shedding()} holds for this long after the last shed: 1 s. */
  public static final long SHEDDING_HOLD_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** The most a queue's peak adds to its standing time, however slow the estimate says it drains: 10 s. */
  static final long MAX_STANDING_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

  /*
   * Design. One ReentrantLock guards the queue, the in-flight count, the drain-rate window and the CoDel state;
   * cumulative counters are atomics so that recordShed never waits. A decision is a few array operations, so one lock
   * held for microseconds costs less than a lock-free design would in clarity, and it makes "exactly once" easy:
   * a queued job is removed under the lock by exactly one of a worker, an eviction or a sweep.
   *
   * Listener calls happen after the lock is released: sheds are collected in `pending` (guarded by the lock, so one
   * batch serves every caller) and drained just before unlocking. An exception from the listener goes to the
   * calling thread's uncaught-exception handler, so that one failing answer cannot lose the other jobs or a permit.
   *
   * CoDel's "has not been empty in the last interval" needs one timestamp: when the current non-empty stretch began
   * (set when a job enters an empty queue). Shedding from the oldest end of each class, rather than waiting for the
   * job to reach the head, is the same rule applied early: while congested the queue cannot empty without removing
   * that job, so it stays congested, and under LIFO an old job only reaches the head once everything newer has gone,
   * by which time its wait has only grown. When not congested nothing is shed for its wait alone: the job's deadline
   * bounds it (a standing queue that meets its deadlines is not shed, see below).
   *
   * Limit vs workers: at most min(workers, limit) jobs run. The CONCURRENCY_LIMIT shed applies only to an adaptive
   * algorithm; with NONE the limit is the worker count, and shedding whenever `workers` jobs wait would make the
   * queue capacity meaningless. The permit carries the in-flight count when it started, itself included, which is
   * what the Netflix algorithms expect in their samples (they ignore samples taken while far below the limit).
   *
   * Retry-After: the same estimate for the whole queue, ceil((queued + 1) x service time / concurrency) seconds,
   * within [1, retryAfterMax]: when a job arriving now at the back would have finished, the queue has room again.
   *
   * Why not the drain rate (completions over the last second), as before: after an idle second it is near zero, so
   * the first jobs of a burst were judged to wait seconds and refused at arrival with the 30 s maximum Retry-After,
   * though the workers served a 400-request burst in under 300 ms with admission off. Demand is not capacity. The
   * drain rate is still measured, for the metrics.
   *
   * The service-time samples: while the queue has held jobs since the previous completion and every slot was busy,
   * the time between two completions times the concurrency, which is what one job costs the queue (the worker's
   * waits for a CPU, and its hand-offs, included: on a 2-core machine where event loops parse a burst, a publish's
   * run time is tens of microseconds but the queue drains at a fraction of c / run time); otherwise, the job's run
   * time, the only figure there is.
   *
   * Why a burst gets a longer standing time: "Fail at Scale"'s fixed 100 ms interval took any burst that needs
   * longer than 100 ms to drain for a standing queue, and then shed it (LIFO plus a 5 ms target) even though every
   * job would have met its deadline (issue 10: a 400-burst after idle, 306 x 503 codel). What tells a burst from
   * overload is what came before: a burst arrives at an idle server; under sustained overload the server is never
   * idle. A burst is given its estimated drain time (plus the interval, for the estimate's error, and at least the
   * burst allowance, because the estimate learns the service time from the burst itself and lags its first moments).
   * Two tries that failed on the way: judging overload by refusals (a refusal more than an interval into the stretch)
   * had one refusal of a 1000-burst's tail, 150 ms in on a loaded machine, shed 923 of it; and with refusals counted
   * only after a second, a sustained 2x overload through 512 client connections never refused (the queue held what
   * the connections carried) and ran FIFO up to the deadline, which starved the client's connections: admitted p99
   * 1 s instead of tens of milliseconds.
   *
   * Why congestion also needs a missed deadline, and the small capacity only while congested (issue 10, measured on
   * a freshly started server at half its warm capacity, 5 000 requests/s from the first second): a cold JVM serves
   * below that rate for its first 2-3 s, so its queue stood for seconds; CoDel took it for a standing queue after the
   * burst allowance, the 256-job sustained capacity (then applied a second after idle) filled, and the server shed
   * 5 649 requests (codel, priority, queue_full, and 437 deadline by the assumed service time), while with admission
   * off the same cold server answered every request within 700 ms. Seen from the server, a queue catching up after
   * a cold start and one held full by a bounded pool of client connections under overload look the same; what differs
   * is whether the jobs meet their deadlines (clients propagate theirs in X-Request-Timeout-Ms, so under overload
   * requests arrive with less time left and are refused by the estimate). So the deadline decides: a standing queue
   * becomes congested only once it has missed a deadline in the last interval (then LIFO and the 5 ms target keep
   * the admitted latency low), or has finished nothing in it (every worker stuck: waiting longer helps no one), and
   * the capacity drops to queueCapacity only while congested.
   */

  private final NanoClock clock;
  private final ShedListener<T> listener;
  private final AdmissionSettings settings;
  private final AdaptiveLimit limit;
  private final long codelTargetNanos;
  private final long codelIntervalNanos;
  private final long burstAllowanceNanos;
  private final long retryAfterMaxSeconds;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition runnable = lock.newCondition();
  private final JobQueue<T> queue = new JobQueue<>();
  private final DrainRate drainRate = new DrainRate();
  private final ServiceTime serviceTime;
  private final ShedBatch<T> pending = new ShedBatch<>();
  private long nonEmptySinceNanos;
  private int peakDepth;
  private boolean burstStretch;
  private long lastIdleNanos;
  private long lastCompletionNanos;
  private boolean anyCompletion;
  private int inFlight;
  private boolean congestion;
  private boolean anyDeadlineMiss;
  private long lastDeadlineMissNanos;

  private final AdmissionCounters counters = new AdmissionCounters();

  /**
   * @param settings the limits
   * @param clock the time source for every wait, window and deadline
   * @param listener receives the jobs shed after they were queued
   */
  public AdmissionController(
      AdmissionSettings settings, NanoClock clock, ShedListener<T> listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.limit = new AdaptiveLimit(settings);
    this.serviceTime = new ServiceTime(settings.assumedServiceTime());
    this.codelTargetNanos = settings.codelTarget().toNanos();
    this.codelIntervalNanos = settings.codelInterval().toNanos();
    this.burstAllowanceNanos = settings.burstAllowance().toNanos();
    this.lastIdleNanos = clock.nanoTime();
    this.retryAfterMaxSeconds = ceilSeconds(settings.retryAfterMax().toNanos());
  }

  /**
   * Queues {@code job} or sheds it at once; see the class comment for the rules. A job that evicts a lower one
   * causes one {@link ShedListener} call, made before this returns. Producers (any thread).
   *
   * @param deadlineNanos a reading of the controller's clock after which the job is useless, or
   *     {@link #NO_DEADLINE}
   * @return admitted, or shed with its reason and a Retry-After of at least 1 s
   */
  public Admission<T> offer(T job, Priority priority, long deadlineNanos) {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(priority, "priority");
    Admission<T> result;
    ShedBatch<T> dropped;
    lock.lock();
    try {
      long now = clock.nanoTime();
      shedOverdue(now);
      result = admit(job, priority, deadlineNanos, now);
      dropped = pending.drain();
    } finally {
      lock.unlock();
    }
    dropped.deliverTo(listener);
    return result;
  }

  private Admission<T> admit(T job, Priority priority, long deadlineNanos, long now) {
    if (deadlineNanos != NO_DEADLINE) {
      long left = deadlineNanos - now;
      int ahead = queue.countAtOrAbove(priority);
      if (left <= 0) {
        return refuse(job, ShedReason.DEADLINE, now);
      }
      if (serviceTime.trusted() && serviceTime.expectedWaitNanos(ahead, concurrency()) > left) {
        return refuse(job, ShedReason.DEADLINE, now);
      }
    }
    ShedReason noRoom = noRoomFor(priority, capacityLocked(now));
    if (noRoom != null) {
      JobQueue.Entry<T> victim = queue.removeNewestBelow(priority);
      if (victim == null) {
        return refuse(job, noRoom, now);
      }
      drop(victim, ShedReason.PRIORITY, now);
    }
    if (queue.size() == 0) {
      if (inFlight == 0) {
        lastIdleNanos = now;
      }
      nonEmptySinceNanos = now;
      peakDepth = 0;
      congestion = false;
      burstStretch = now - lastIdleNanos <= burstAllowanceNanos;
    }
    queue.add(new JobQueue.Entry<>(job, priority, deadlineNanos, now));
    peakDepth = Math.max(peakDepth, queue.size());
    counters.admitted();
    runnable.signalAll();
    return Admission.admitted(job);
  }

  private ShedReason noRoomFor(Priority priority, int capacity) {
    int queued = queue.size();
    if (queued >= capacity) {
      return ShedReason.QUEUE_FULL;
    }
    if (queued >= settings.admitBelow(priority, capacity)) {
      return ShedReason.PRIORITY;
    }
    if (limit.adaptive()) {
      int current = limit.current();
      if (inFlight >= current && queued >= current) {
        return ShedReason.CONCURRENCY_LIMIT;
      }
    }
    return null;
  }

  private Admission<T> refuse(T job, ShedReason reason, long now) {
    noteDeadlineMiss(reason, now);
    counters.shed(reason, now);
    return Admission.shed(job, reason, retryAfterLocked());
  }

  /**
   * Returns the next job to run, waiting up to {@code timeout} for one (and for a free in-flight slot); null on
   * timeout. Sheds overdue queued jobs first. Workers only. The timeout is a bound on blocking, measured by the
   * JVM's clock; every decision still uses the injected one.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public Permit<T> take(long timeout, TimeUnit unit) throws InterruptedException {
    long remaining = unit.toNanos(timeout);
    Permit<T> permit;
    ShedBatch<T> dropped;
    lock.lockInterruptibly();
    try {
      while ((permit = next(clock.nanoTime())) == null && remaining > 0) {
        if (pending.isEmpty()) {
          remaining = runnable.awaitNanos(remaining);
        } else {
          deliverUnlocked(); // then look again: an offer may have come while the lock was free
        }
      }
    } finally {
      dropped = pending.drain();
      lock.unlock();
      dropped.deliverTo(listener);
    }
    return permit;
  }

  /** Returns the next job to run, or null if none is queued or no in-flight slot is free. Workers only. */
  public Permit<T> poll() {
    Permit<T> permit;
    ShedBatch<T> dropped;
    lock.lock();
    try {
      permit = next(clock.nanoTime());
      dropped = pending.drain();
    } finally {
      lock.unlock();
    }
    dropped.deliverTo(listener);
    return permit;
  }

  private Permit<T> next(long now) {
    shedOverdue(now);
    if (inFlight >= concurrency()) {
      return null;
    }
    JobQueue.Entry<T> e = queue.pollNext(congestedLocked(now));
    if (e == null) {
      return null;
    }
    inFlight++;
    return new Permit<>(
        this, e.job(), e.priority(), e.deadlineNanos(), now - e.enqueuedNanos(), now, inFlight);
  }

  /**
   * Sheds the queued jobs whose deadline has passed or that CoDel finds overdue, as {@code take} would, and hands
   * them to the listener; returns how many. For a periodic timer (any thread), so that waiting jobs are answered
   * even while every worker is stuck.
   */
  public int sweep() {
    ShedBatch<T> dropped;
    lock.lock();
    try {
      shedOverdue(clock.nanoTime());
      dropped = pending.drain();
    } finally {
      lock.unlock();
    }
    dropped.deliverTo(listener);
    return dropped.size();
  }

  void release(Permit<T> permit, Permit.Outcome outcome) {
    lock.lock();
    try {
      long now = clock.nanoTime();
      inFlight--;
      if (inFlight == 0 && queue.size() == 0) {
        lastIdleNanos = now;
      }
      long sincePrevious = now - lastCompletionNanos;
      boolean backlogged = anyCompletion
          && queue.size() > 0
          && nonEmptySinceNanos - lastCompletionNanos <= 0
          && inFlight + 1 >= concurrency();
      lastCompletionNanos = now;
      anyCompletion = true;
      drainRate.record(now);
      counters.completed();
      if (outcome != Permit.Outcome.IGNORE) {
        serviceTime.record(backlogged ? sincePrevious * concurrency() : now - permit.startNanos());
        limit.onSample(
            permit.startNanos(),
            now - permit.startNanos(),
            permit.inFlightAtStart(),
            outcome == Permit.Outcome.DROPPED);
      }
      runnable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Jobs queued now, all classes. Any thread. */
  public int queueDepth() {
    return locked(() -> queue.size());
  }

  /** Jobs of {@code priority} queued now. Any thread. */
  public int queueDepth(Priority priority) {
    return locked(() -> queue.size(priority));
  }

  /**
   * The most jobs the queue may hold now: {@link AdmissionSettings#burstQueueCapacity()} while it meets its deadlines,
   * {@link AdmissionSettings#queueCapacity()} while congested. Any thread.
   */
  public int queueCapacity() {
    return locked(() -> capacityLocked(clock.nanoTime()));
  }

  /** The queue's capacity now: the smaller one while congested, the burst capacity otherwise. */
  private int capacityLocked(long now) {
    return congestedLocked(now) ? settings.queueCapacity() : settings.burstQueueCapacity();
  }

  /** Jobs handed to workers and not yet reported. Any thread. */
  public int inFlight() {
    return locked(() -> inFlight);
  }

  /** The current concurrency limit: the number of workers with {@link LimitAlgorithm#NONE}. Any thread. */
  public int limit() {
    return limit.current();
  }

  /**
   * The expected run time of one job: an average of measured run times, or
   * {@link AdmissionSettings#assumedServiceTime()} until a job has finished. Any thread.
   */
  public long serviceTimeNanos() {
    return locked(() -> (long) serviceTime.nanos());
  }

  /**
   * Little's law: how long a job of {@code priority} offered now would take to finish, by the measured service time
   * and the concurrency; what {@link #offer} compares with the time left. Any thread.
   */
  public long expectedWaitNanos(Priority priority) {
    return locked(
        () -> serviceTime.expectedWaitNanos(queue.countAtOrAbove(priority), concurrency()));
  }

  /** Jobs finished per second over the last second (demand, not capacity: for the metrics). Any thread. */
  public double drainRatePerSecond() {
    return locked(() -> drainRate.ratePerSecond(clock.nanoTime()));
  }

  /** The Retry-After, in whole seconds, that a shed would carry now. Any thread. */
  public long retryAfterSeconds() {
    return locked(() -> retryAfterLocked());
  }

  /** True while the queue is congested in CoDel's sense (see the class comment). Any thread. */
  public boolean congested() {
    return locked(() -> congestedLocked(clock.nanoTime()));
  }

  /**
   * True while the server should say it is not ready: a shed of any reason, {@link #recordShed} included, in the
   * last {@link #SHEDDING_HOLD_NANOS}, or the queue congested. Any thread.
   */
  public boolean shedding() {
    return counters.shedWithin(clock.nanoTime(), SHEDDING_HOLD_NANOS) || congested();
  }

  /** Jobs queued since start, including those later shed. Any thread. */
  public long admitted() {
    return counters.admittedCount();
  }

  /** Jobs whose permit was reported (success, ignore or dropped) since start. Any thread. */
  public long completed() {
    return counters.completedCount();
  }

  /** Jobs shed for {@code reason} since start, at offer or from the queue, and those given to recordShed. */
  public long shed(ShedReason reason) {
    return counters.shedCount(reason);
  }

  /**
   * Counts a shed decided outside the controller (e.g. {@link ShedReason#RATE_LIMITED}), so that every shed is
   * counted in one place and {@link #shedding()} sees it. Any thread; never waits.
   */
  public void recordShed(ShedReason reason) {
    counters.shed(reason, clock.nanoTime());
  }

  /** The settings this controller was built with. */
  public AdmissionSettings settings() {
    return settings;
  }

  private <R> R locked(Supplier<R> read) {
    lock.lock();
    try {
      return read.get();
    } finally {
      lock.unlock();
    }
  }

  private void shedOverdue(long now) {
    queue.removeExpired(now, e -> drop(e, ShedReason.DEADLINE, now));
    if (congestedLocked(now)) {
      queue.removeOverdue(now, codelTargetNanos, e -> drop(e, ShedReason.CODEL, now));
    }
  }

  private void drop(JobQueue.Entry<T> entry, ShedReason reason, long now) {
    noteDeadlineMiss(reason, now);
    counters.shed(reason, now);
    pending.add(entry.job(), reason, retryAfterLocked());
  }

  /** Within take(): hands over what was shed so far instead of holding it until the wait ends. */
  private void deliverUnlocked() {
    ShedBatch<T> out = pending.drain();
    lock.unlock();
    try {
      out.deliverTo(listener);
    } finally {
      lock.lock();
    }
  }

  private void noteDeadlineMiss(ShedReason reason, long now) {
    if (reason == ShedReason.DEADLINE) {
      lastDeadlineMissNanos = now;
      anyDeadlineMiss = true;
    }
  }

  private boolean missedDeadlineWithin(long now, long window) {
    return anyDeadlineMiss && now - lastDeadlineMissNanos <= window;
  }

  /**
   * Congested: the queue has stood (not been empty) for its standing time and, within the last interval, has missed
   * a deadline or completed nothing (the workers are stuck); once congested it stays so until it empties.
   */
  private boolean congestedLocked(long now) {
    if (queue.size() == 0) {
      return false;
    }
    if (!congestion
        && now - nonEmptySinceNanos > standingNanos()
        && (missedDeadlineWithin(now, codelIntervalNanos)
            || !anyCompletion
            || now - lastCompletionNanos > codelIntervalNanos)) {
      congestion = true;
    }
    return congestion;
  }

  /**
   * How long the queue may stay non-empty before it is a standing queue: the interval, plus, for a stretch that began
   * within the burst allowance of an idle server, the peak's drain time (at least the burst allowance).
   */
  private long standingNanos() {
    if (!burstStretch) {
      return codelIntervalNanos;
    }
    long drain = serviceTime.expectedWaitNanos(Math.max(0, peakDepth - 1), concurrency());
    return codelIntervalNanos
        + Math.max(burstAllowanceNanos, Math.min(drain, MAX_STANDING_DRAIN_NANOS));
  }

  /** Jobs that may run at once: the lower of the workers and the concurrency limit. */
  private int concurrency() {
    return Math.min(settings.workers(), limit.current());
  }

  private long retryAfterLocked() {
    double seconds = Math.ceil(serviceTime.expectedWaitNanos(queue.size(), concurrency()) / 1e9);
    return (long) Math.max(1, Math.min(retryAfterMaxSeconds, seconds));
  }

  private static long ceilSeconds(long nanos) {
    return (nanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1);
  }
}
