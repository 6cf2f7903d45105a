package io.github.zendeskloyalty.client;

import io.github.zendeskloyalty.core.SyncTrigger;
import java.util.Objects;

/**
 * What became of one member's update once Zendesk confirmed it.
 *
 * <pre>{@code
 * SyncResult result = sync.onTierChanged(member, SyncTrigger.TIER_UPGRADED).join();
 * if (result.outcome() == SyncResult.Outcome.CREATED) { ... }
 * metrics.count("synced", result.trigger());   // by trigger: POINTS_AWARDED, TIER_UPGRADED, ...
 * }</pre>
 *
 * @param memberId the member's loyalty id
 * @param outcome what happened
 * @param zendeskUserId the Zendesk user id, or {@code null} when no user was written
 * @param trigger the trigger of the event this result answers: for a returned future, the
 *     caller's own event; for {@link SyncListener#onSynced}, the event whose snapshot was written;
 *     {@code null} for members of {@link ZendeskLoyaltySync#syncAll(Iterable)}, which have none
 */
public record SyncResult(String memberId, Outcome outcome, Long zendeskUserId,
    SyncTrigger trigger) {

  /** Checks the required components. */
  public SyncResult {
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(outcome, "outcome");
  }

  /** What happened to a member's update. */
  public enum Outcome {
    /** Zendesk created the user with the member's fields. */
    CREATED,
    /** Zendesk updated the user's fields. */
    UPDATED,
    /**
     * Nothing was sent for this snapshot: a newer snapshot of the member (by
     * {@code lastModifiedDate}) was already pending, confirmed, or sent in a write whose outcome
     * is unknown (it failed or timed out, and Zendesk may have applied it). An older snapshot
     * never overwrites one Zendesk may hold.
     */
    IGNORED_STALE,
    /** The member has no Zendesk user and {@link MissingUserPolicy#SKIP} is in force. */
    SKIPPED_NO_USER
  }
}
