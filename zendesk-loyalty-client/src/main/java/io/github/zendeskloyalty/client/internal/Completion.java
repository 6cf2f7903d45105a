package io.github.zendeskloyalty.client.internal;

import io.github.zendeskloyalty.client.SyncListener;
import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskException;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Completes updates, the only place futures complete: the callers' futures first, then the
 * listener (guarded by the caller), then what {@code flush()} waits for. Finished updates leave
 * the engine through {@code release} before anyone hears of them; deferred ones go back through
 * {@code requeue}. Not part of the API.
 */
final class Completion {

  private static final System.Logger LOG = System.getLogger("io.github.zendeskloyalty.client");

  private final SyncListener listener;
  private final Consumer<Collection<PendingUpdate>> release;
  private final Consumer<List<PendingUpdate>> requeue;

  /**
   * @param listener told after the futures, never throwing (a guarded listener)
   * @param release takes finished updates out of the engine
   * @param requeue puts deferred updates back among the pending ones
   */
  Completion(SyncListener listener, Consumer<Collection<PendingUpdate>> release,
      Consumer<List<PendingUpdate>> requeue) {
    this.listener = listener;
    this.release = release;
    this.requeue = requeue;
  }

  /**
   * Completes every recorded outcome. The members' updates leave the engine at once (callers
   * submitting at full speed would otherwise delay the dispatcher at every member); then, for
   * each, the callers' futures, the listener, and what {@code flush()} waits for. Failures
   * shared by many members are logged once.
   */
  void settle(Outcomes outcomes) {
    List<PendingUpdate> deferred = new ArrayList<>();
    Map<PendingUpdate, Outcomes.MemberOutcome> finished = new LinkedHashMap<>();
    outcomes.all().forEach((update, outcome) -> {
      if (outcome instanceof Outcomes.Deferred) {
        deferred.add(update);
      } else if (update.finish()) {
        finished.put(update, outcome);
      }
    });
    if (!finished.isEmpty()) {
      release.accept(finished.keySet());
    }
    Map<ZendeskException, List<String>> failed = new IdentityHashMap<>();
    finished.forEach((update, outcome) -> {
      if (outcome instanceof Outcomes.Written written) {
        succeed(update, written);
      } else if (outcome instanceof Outcomes.Failed failure) {
        failCallers(update, failure.failure());
        listener.onFailed(update.memberId(), failure.failure());
        update.settled().complete(null);
        failed.computeIfAbsent(failure.failure(), f -> new ArrayList<>()).add(update.memberId());
      }
    });
    failed.forEach((failure, members) -> {
      LOG.log(Level.WARNING, () -> (members.size() == 1 ? "member " + members.get(0)
          : members.size() + " members") + " not synced: " + failure.getMessage());
      if (members.size() > 1) {
        LOG.log(Level.DEBUG, () -> "not synced: " + members);
      }
    });
    if (!deferred.isEmpty()) {
      requeue.accept(deferred);
    }
  }

  /**
   * Fails the member's updates (an in-flight one and a newer pending one at close): the callers'
   * futures first, then one listener call, then what {@code flush()} waits for.
   *
   * @return whether any of them was still open
   */
  boolean failMember(List<PendingUpdate> updates, ZendeskException failure) {
    List<PendingUpdate> finished = updates.stream().filter(PendingUpdate::finish).toList();
    if (!finished.isEmpty()) {
      release.accept(finished);
    }
    finished.forEach(update -> failCallers(update, failure));
    if (!finished.isEmpty()) {
      listener.onFailed(updates.get(0).memberId(), failure);
    }
    updates.forEach(update -> update.settled().complete(null));
    return !finished.isEmpty();
  }

  /** An event older than the member's newest snapshot: complete at once, never sent. */
  void stale(String memberId, SyncTrigger trigger, CompletableFuture<SyncResult> future) {
    SyncResult stale = new SyncResult(memberId, SyncResult.Outcome.IGNORED_STALE, null, trigger);
    future.complete(stale);
    listener.onSynced(stale);
  }

  /** Completes a finished, released update that Zendesk confirmed. */
  private void succeed(PendingUpdate update, Outcomes.Written written) {
    update.forEachWaiter((future, trigger) -> future.complete(new SyncResult(update.memberId(),
        written.outcome(), written.zendeskUserId(), trigger)));
    listener.onSynced(new SyncResult(update.memberId(), written.outcome(),
        written.zendeskUserId(), update.trigger()));
    update.settled().complete(null);
  }

  private static void failCallers(PendingUpdate update, ZendeskException failure) {
    update.forEachWaiter((future, trigger) -> future.completeExceptionally(failure));
  }
}
