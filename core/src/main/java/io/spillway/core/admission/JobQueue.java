package io.spillway.core.admission;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

/**
 * The controller's queue: one deque per priority, each in arrival order. Not thread-safe: guarded by the
 * controller's lock.
 */
@SuppressWarnings(
    "EnumOrdinal") // Priority's ordinal is its rank (declared highest first) and indexes byPriority
final class JobQueue<T> {

  /** One queued job. {@code deadlineNanos} is {@link AdmissionController#NO_DEADLINE} when there is none. */
  record Entry<T>(T job, Priority priority, long deadlineNanos, long enqueuedNanos) {

    boolean expired(long nowNanos) {
      return deadlineNanos != AdmissionController.NO_DEADLINE && deadlineNanos - nowNanos <= 0;
    }
  }

  /*
   * Design: every deque is ordered by arrival, because jobs are only appended at the tail, evicted from the tail,
   * served from either end and swept in place. So the oldest job of a class is its head, and CoDel's overdue jobs
   * are a prefix of each deque, removed in time proportional to their number. Deadlines are in no order; rather
   * than scan on every call, the queue keeps the earliest deadline it may hold (exact after a sweep, possibly
   * too early after a job leaves) and scans only once the clock has reached it, which is exactly when a job may have
   * expired.
   */

  private final List<ArrayDeque<Entry<T>>> byPriority = new ArrayList<>();
  private int size;
  private boolean anyDeadline;
  private long earliestDeadline;

  JobQueue() {
    for (int i = 0; i < Priority.values().length; i++) {
      byPriority.add(new ArrayDeque<>());
    }
  }

  int size() {
    return size;
  }

  int size(Priority priority) {
    return byPriority.get(priority.ordinal()).size();
  }

  /** Jobs that would be served before, or with, a new job of {@code priority}: its class and the ones above. */
  int countAtOrAbove(Priority priority) {
    int n = 0;
    for (int i = 0; i <= priority.ordinal(); i++) {
      n += byPriority.get(i).size();
    }
    return n;
  }

  void add(Entry<T> entry) {
    byPriority.get(entry.priority().ordinal()).addLast(entry);
    size++;
    long d = entry.deadlineNanos();
    if (d != AdmissionController.NO_DEADLINE && (!anyDeadline || d - earliestDeadline < 0)) {
      anyDeadline = true;
      earliestDeadline = d;
    }
  }

  /** Removes the most recently queued job of the lowest class below {@code priority}; null if there is none. */
  Entry<T> removeNewestBelow(Priority priority) {
    for (int i = byPriority.size() - 1; i > priority.ordinal(); i--) {
      Entry<T> victim = byPriority.get(i).pollLast();
      if (victim != null) {
        size--;
        return victim;
      }
    }
    return null;
  }

  /** Removes the next job to run: from the highest non-empty class, its newest if {@code lifo}, else its oldest. */
  Entry<T> pollNext(boolean lifo) {
    for (ArrayDeque<Entry<T>> deque : byPriority) {
      Entry<T> next = lifo ? deque.pollLast() : deque.pollFirst();
      if (next != null) {
        size--;
        return next;
      }
    }
    return null;
  }

  /** Removes every job that has waited longer than {@code maxSojournNanos}, oldest first within each class. */
  void removeOverdue(long nowNanos, long maxSojournNanos, Consumer<Entry<T>> sink) {
    for (ArrayDeque<Entry<T>> deque : byPriority) {
      Entry<T> head;
      while ((head = deque.peekFirst()) != null
          && nowNanos - head.enqueuedNanos() > maxSojournNanos) {
        deque.pollFirst();
        size--;
        sink.accept(head);
      }
    }
  }

  /** Removes every job whose deadline has passed; scans only when one may have. */
  void removeExpired(long nowNanos, Consumer<Entry<T>> sink) {
    if (!anyDeadline || earliestDeadline - nowNanos > 0) {
      return;
    }
    anyDeadline = false;
    for (ArrayDeque<Entry<T>> deque : byPriority) {
      for (Iterator<Entry<T>> it = deque.iterator(); it.hasNext(); ) {
        Entry<T> e = it.next();
        if (e.expired(nowNanos)) {
          it.remove();
          size--;
          sink.accept(e);
        } else if (e.deadlineNanos() != AdmissionController.NO_DEADLINE
            && (!anyDeadline || e.deadlineNanos() - earliestDeadline < 0)) {
          anyDeadline = true;
          earliestDeadline = e.deadlineNanos();
        }
      }
    }
  }
}
