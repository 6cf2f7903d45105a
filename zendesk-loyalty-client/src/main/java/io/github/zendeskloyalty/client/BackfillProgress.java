package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.LoyaltyMember;

/**
 * Hears the outcome of each member of a backfill as soon as it is known, for example to record
 * confirmed members in a checkpoint so that a restarted backfill sends only what is left.
 *
 * <pre>{@code
 * sync.syncAll(members, (member, result, failure) -> {
 *   if (failure == null) {
 *     checkpoint.confirmed(member);
 *   }
 * }).join();
 * }</pre>
 *
 * <p>Called once per member handed to {@link ZendeskLoyaltySync#syncAll(Iterable, BackfillProgress)},
 * on the SDK's threads; it must return quickly. What it throws is logged and ignored.
 */
@FunctionalInterface
public interface BackfillProgress {

  /**
   * One member's outcome.
   *
   * @param member the member as it was handed over
   * @param result what became of it when it was confirmed, ignored as stale or skipped; null when
   *     it failed
   * @param failure why it failed (a {@link ZendeskException}, or an
   *     {@link IllegalArgumentException} when it was refused at the call); null when it did not
   */
  void onOutcome(LoyaltyMember member, SyncResult result, RuntimeException failure);
}
