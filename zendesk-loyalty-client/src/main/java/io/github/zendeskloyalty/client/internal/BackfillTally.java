package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.BackfillProgress;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.SyncSummary;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.core.LoyaltyMember;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Counts the outcomes of a {@code syncAll} backfill and tells each one to its progress listener;
 * whatever the listener throws, the other members and the summary go on. Not part of the API.
 */
final class BackfillTally {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  private final BackfillProgress progress;
  private final AtomicInteger outstanding = new AtomicInteger(1);
  private final AtomicInteger submitted = new AtomicInteger();
  private final AtomicInteger created = new AtomicInteger();
  private final AtomicInteger updated = new AtomicInteger();
  private final AtomicInteger stale = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();
  private final Map<String, RuntimeException> failures = new ConcurrentHashMap<>();
  private final CompletableFuture<SyncSummary> summary = new CompletableFuture<>();

  /** A tally telling {@code progress}. */
  public BackfillTally(BackfillProgress progress) {
    this.progress = progress;
  }

  private void tell(LoyaltyMember member, SyncResult result, RuntimeException failure) {
    try {
      progress.onOutcome(member, result, failure);
    } catch (Throwable thrown) {
      // whatever it throws, the backfill's other members and its summary go on
      LOG.log(System.Logger.Level.WARNING, "BackfillProgress.onOutcome threw", thrown);
    }
  }

  /** Submits a member and counts its outcome; a member refused at the call fails alone. */
  public void track(LoyaltyMember member,
      Function<LoyaltyMember, CompletableFuture<SyncResult>> submit) {
    submitted.incrementAndGet();
    CompletableFuture<SyncResult> future;
    try {
      future = submit.apply(member);
    } catch (RuntimeException refused) {
      // refused at the call (a value its field cannot hold, no email, closed) or anything else
      // the submit threw: this member fails alone, the backfill goes on
      failures.put(member.memberId(), refused);
      tell(member, null, refused);
      return;
    }
    outstanding.incrementAndGet();
    future.whenComplete((result, failure) -> {
      if (failure != null) {
        RuntimeException reason = failure instanceof RuntimeException runtime
            ? runtime : new ZendeskException(failure.toString());
        failures.put(member.memberId(), reason);
        tell(member, null, reason);
      } else {
        tell(member, result, null);
        switch (result.outcome()) {
          case CREATED -> created.incrementAndGet();
          case UPDATED -> updated.incrementAndGet();
          case IGNORED_STALE -> stale.incrementAndGet();
          case SKIPPED_NO_USER -> skipped.incrementAndGet();
        }
      }
      done();
    });
  }

  /** Counts a member that could not even be read as failed, under {@code key}. */
  public void reject(String key, RuntimeException failure) {
    submitted.incrementAndGet();
    failures.put(key, failure);
  }

  /** Every member was handed over: the summary completes when the last outcome is in. */
  public void finish() {
    done();
  }

  /** Completes with the counts once every member has an outcome. */
  public CompletableFuture<SyncSummary> summary() {
    return summary;
  }

  private void done() {
    if (outstanding.decrementAndGet() == 0) {
      summary.complete(new SyncSummary(submitted.get(), created.get(), updated.get(),
          stale.get(), skipped.get(), failures));
    }
  }
}
