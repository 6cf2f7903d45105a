package io.github.zendeskloyalty.client;

import java.util.Objects;

/**
 * What became of one member's update once Zendesk confirmed it.
 *
 * <pre>{@code
 * SyncResult result = sync.onTierChanged(member, SyncTrigger.TIER_UPGRADED).join();
 * if (result.outcome() == SyncResult.Outcome.CREATED) { ... }
 * }</pre>
 *
 * @param memberId the member's loyalty id
 * @param outcome what happened
 * @param zendeskUserId the Zendesk user id, or {@code null} when no user was written
 */
public record SyncResult(String memberId, Outcome outcome, Long zendeskUserId) {

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
     * {@code lastModifiedDate}) was already pending or sent, and an older one never overwrites it.
     */
    IGNORED_STALE,
    /** The member has no Zendesk user and {@link MissingUserPolicy#SKIP} is in force. */
    SKIPPED_NO_USER
  }
}
