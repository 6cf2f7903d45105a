package io.github.zendeskloyalty.client.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the dispatcher does next, decided from a snapshot of the engine's state: send a batch,
 * poll jobs, poll jobs given up on, stop, or wait (for Zendesk, for more events, or for any
 * work). Pure: no clock, no lock, no thread; the engine takes the snapshot under its lock and
 * carries the decision out. Not part of the API.
 */
final class DispatchPlan {

  /**
   * How long a full batch waits after the last event for a member already waiting: a burst
   * that repeats members becomes one write per member, where a batch leaving mid-burst would
   * write its members again for their later events. Never past the max delay, and only while no
   * more than one batch of members waits.
   */
  static final Duration BURST_QUIET = Duration.ofMillis(10);

  /** The engine's state when the dispatcher looks, and its settings. */
  record State(Instant now, boolean closing, Instant closeDeadline, boolean roomForJobs,
      Batch candidates, int pendingCount, Instant oldestQueuedAt, Instant lastRepeatAt,
      boolean submittersWaiting, boolean bufferFull, long urgentThrough,
      boolean jobsDue, Instant jobsNextPoll, boolean lateJobsDue, Instant lateJobsNextPoll,
      boolean nothingWaiting, boolean noJobs, int maxBatchSize, Duration maxDelay) {}

  /** The batch the writer could send now: its size, and its oldest update's place and time. */
  record Batch(int size, long oldestSequence, Instant oldestQueuedAt) {}

  /** What to do. */
  sealed interface Decision {}

  /** Stop: abandoned, past the close deadline, or closing with nothing left. */
  record Stop() implements Decision {}

  /** Send the candidate batch. */
  record Send() implements Decision {}

  /** Poll the running jobs. */
  record PollJobs() implements Decision {}

  /** Poll the jobs given up on. */
  record PollLateJobs() implements Decision {}

  /** Wait for Zendesk (the next poll, the close deadline) through the sleeper. */
  record WaitForZendesk(Instant until) implements Decision {}

  /** Wait for more events until a batch is due, reading the clock without moving it. */
  record WaitForEvents(Instant until, int waiting) implements Decision {}

  /** Nothing to do until an event or a flush arrives. */
  record WaitForWork() implements Decision {}

  private DispatchPlan() {}

  /** The next step for {@code state}. */
  static Decision decide(State state) {
    Instant now = state.now();
    if (state.closing() && !now.isBefore(state.closeDeadline())) {
      return new Stop();
    }
    if (state.roomForJobs() && state.candidates() != null && isDue(state)) {
      return new Send();
    }
    if (state.jobsDue()) {
      return new PollJobs();
    }
    if (!state.closing() && state.lateJobsDue()) {
      return new PollLateJobs();
    }
    if (state.closing() && state.nothingWaiting() && state.noJobs()) {
      return new Stop();
    }
    Instant zendeskDue = earlier(state.jobsNextPoll(),
        state.closing() ? state.closeDeadline() : state.lateJobsNextPoll());
    Instant batchDue = state.oldestQueuedAt() != null && state.roomForJobs()
        ? state.oldestQueuedAt().plus(state.maxDelay()) : null;
    if (batchDue != null && state.pendingCount() >= state.maxBatchSize() && lingering(state)) {
      batchDue = earlier(batchDue, state.lastRepeatAt().plus(BURST_QUIET));
    }
    if (zendeskDue != null && (batchDue == null || !batchDue.isBefore(zendeskDue))) {
      return new WaitForZendesk(zendeskDue);
    }
    if (batchDue != null) {
      return new WaitForEvents(batchDue, state.pendingCount());
    }
    return new WaitForWork();
  }

  /**
   * Whether the candidate batch goes now: full (and no burst still repeats its members), the
   * SDK closing, callers waiting for room, the buffer full, flushed, or its oldest update past
   * the max delay.
   */
  private static boolean isDue(State state) {
    Batch batch = state.candidates();
    boolean burstGoesOn = lingering(state)
        && state.now().isBefore(state.lastRepeatAt().plus(BURST_QUIET));
    return (batch.size() == state.maxBatchSize() && !burstGoesOn) || state.closing()
        || state.submittersWaiting() || state.bufferFull()
        || batch.oldestSequence() <= state.urgentThrough()
        || !state.now().isBefore(batch.oldestQueuedAt().plus(state.maxDelay()));
  }

  /**
   * Whether a full batch may wait out a burst: members have been repeated, and no more than one
   * batch of them waits (a backlog goes at once: holding it would only grow the buffer).
   */
  private static boolean lingering(State state) {
    return state.lastRepeatAt() != null && state.pendingCount() < 2 * state.maxBatchSize();
  }

  /** The earlier of two instants, either of which may be null (none). */
  static Instant earlier(Instant a, Instant b) {
    return a == null || (b != null && b.isBefore(a)) ? b : a;
  }

  /** The batch summary of {@code candidates}, or null when there are none. */
  static Batch batchOf(List<PendingUpdate> candidates) {
    if (candidates.isEmpty()) {
      return null;
    }
    PendingUpdate oldest = candidates.get(0);
    for (PendingUpdate update : candidates) {
      if (update.sequence() < oldest.sequence()) {
        oldest = update;
      }
    }
    return new Batch(candidates.size(), oldest.sequence(), oldest.queuedAt());
  }
}
