package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bulk jobs the SDK gave up on at {@code jobTimeout} that may still run: Zendesk promises
 * neither that jobs run promptly nor in order, so a late job can write a member's older snapshot
 * over a newer one written since. Their members' futures have failed (outcome unknown); the jobs
 * stay watched, polled every {@link #POLL_INTERVAL}, until Zendesk reports them ended, forgets
 * them, or {@link #WATCH} has passed since they were submitted. Then every member of such a job
 * whose newer snapshot was sent meanwhile is written again with the newest sent. Guarded by the
 * engine's lock. Not part of the API.
 */
final class LateJobs {

  /** How long after submission a late job is watched: Zendesk keeps a status about a day. */
  static final Duration WATCH = Duration.ofHours(24);
  /** How often late jobs are polled. */
  static final Duration POLL_INTERVAL = Duration.ofMinutes(1);

  /** A snapshot sent, to write again: what a submission needs, not its callers. */
  record Sent(LoyaltyMember member, Instant version, SyncTrigger trigger, String profileKey) {}

  private final List<SubmittedJob> jobs = new ArrayList<>();
  /** How many watched jobs carry each member. */
  private final Map<String, Integer> watched = new HashMap<>();
  /** Per watched member, the newest of its updates sent after the job that carries it. */
  private final Map<String, Sent> newerSent = new HashMap<>();
  private Instant nextPollAt;

  /** Jobs given up on at {@code now}: watched from now on. */
  void add(List<SubmittedJob> givenUp, Instant now) {
    for (SubmittedJob job : givenUp) {
      jobs.add(job);
      job.items().forEach(item -> watched.merge(item.memberId(), 1, Integer::sum));
    }
    if (nextPollAt == null && !jobs.isEmpty()) {
      nextPollAt = now.plus(POLL_INTERVAL);
    }
  }

  boolean isEmpty() {
    return jobs.isEmpty();
  }

  /** An update goes out: remembered when a watched job carries its member. */
  void sent(PendingUpdate update) {
    if (watched.containsKey(update.memberId())) {
      newerSent.merge(update.memberId(), new Sent(update.member(), update.version(),
          update.trigger(), update.profileKey()),
          (before, now) -> now.version().isBefore(before.version()) ? before : now);
    }
  }

  /** Whether a poll is due at {@code now}. */
  boolean isDue(Instant now) {
    return nextPollAt != null && !now.isBefore(nextPollAt);
  }

  /** The jobs to poll, when a poll is due at {@code now}; else null. */
  List<SubmittedJob> due(Instant now) {
    return nextPollAt != null && !now.isBefore(nextPollAt) ? List.copyOf(jobs) : null;
  }

  /** When the next poll is due, or null when none is watched. */
  Instant nextPollAt() {
    return nextPollAt;
  }

  /** The watched jobs submitted more than {@link #WATCH} before {@code now}. */
  List<SubmittedJob> expired(Instant now) {
    return jobs.stream().filter(job -> !now.isBefore(job.submittedAt().plus(WATCH))).toList();
  }

  /**
   * A poll at {@code now} found the fate of {@code settled} known (ended, forgotten or watched
   * long enough; none when it learnt nothing): they are no longer watched, and the next poll of
   * the others is in {@link #POLL_INTERVAL}.
   *
   * @return the updates to write again: for each of their members, the newest update sent since
   *     the job, when it is newer than the job's own
   */
  List<Sent> settled(List<SubmittedJob> settled, Instant now) {
    List<Sent> again = new ArrayList<>();
    for (SubmittedJob job : settled) {
      if (!jobs.remove(job)) {
        continue;
      }
      for (PendingUpdate item : job.items()) {
        Sent newer = newerSent.get(item.memberId());
        if (newer != null && newer.version().isAfter(item.version()) && !again.contains(newer)) {
          again.add(newer);
        }
        if (watched.merge(item.memberId(), -1, Integer::sum) <= 0) {
          watched.remove(item.memberId());
          newerSent.remove(item.memberId());
        }
      }
    }
    nextPollAt = jobs.isEmpty() ? null : now.plus(POLL_INTERVAL);
    return again;
  }

  /** Forgets every job: the engine stopped. */
  void clear() {
    jobs.clear();
    watched.clear();
    newerSent.clear();
    nextPollAt = null;
  }
}
