package io.github.zendeskloyalty.client.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bulk jobs submitted and not yet ended, and when to poll them next: after half the age of
 * the oldest, the likeliest to be done, so young jobs are seen done soon and a steady stream of
 * jobs is not polled in vain, between {@link #MIN_POLL_DELAY} and the configured interval.
 * Guarded by the engine's lock. Not part of the API.
 */
final class RunningJobs {

  /** The shortest wait before polling jobs, in milliseconds. */
  static final long MIN_POLL_MILLIS = 100;

  /** The shortest wait before polling jobs. */
  static final Duration MIN_POLL_DELAY = Duration.ofMillis(MIN_POLL_MILLIS);

  private final Duration pollInterval;
  private final List<SubmittedJob> jobs = new ArrayList<>();
  private Instant nextPollAt;

  /** @param pollInterval the longest wait between polls */
  RunningJobs(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  int size() {
    return jobs.size();
  }

  boolean isEmpty() {
    return jobs.isEmpty();
  }

  /** Jobs Zendesk accepted at {@code now}: the next poll comes no later than their first. */
  void started(List<SubmittedJob> submitted, Instant now) {
    boolean none = jobs.isEmpty();
    jobs.addAll(submitted);
    Instant pollAt = nextPoll(now);
    if (none || pollAt.isBefore(nextPollAt)) {
      nextPollAt = pollAt;
    }
  }

  /** Jobs that ended, seen at {@code now}. */
  void ended(List<SubmittedJob> ended, Instant now) {
    jobs.removeAll(ended);
    nextPollAt = nextPoll(now);
  }

  /** Forgets every job: the engine stopped. */
  void clear() {
    jobs.clear();
  }

  /** Whether a poll is due at {@code now}. */
  boolean isDue(Instant now) {
    return !jobs.isEmpty() && !now.isBefore(nextPollAt);
  }

  /** The jobs to poll, when a poll is due at {@code now}; else null. */
  List<SubmittedJob> due(Instant now) {
    return !jobs.isEmpty() && !now.isBefore(nextPollAt) ? List.copyOf(jobs) : null;
  }

  /** When the next poll is due, or null when no job runs. */
  Instant nextPollAt() {
    return jobs.isEmpty() ? null : nextPollAt;
  }

  private Instant nextPoll(Instant now) {
    Instant oldest = jobs.stream().map(SubmittedJob::submittedAt).min(Instant::compareTo)
        .orElse(now);
    Duration delay = Duration.between(oldest, now).dividedBy(2);
    if (delay.compareTo(pollInterval) > 0) {
      delay = pollInterval;
    }
    if (delay.compareTo(MIN_POLL_DELAY) < 0) {
      delay = MIN_POLL_DELAY.compareTo(pollInterval) < 0 ? MIN_POLL_DELAY : pollInterval;
    }
    return now.plus(delay);
  }
}
