package io.github.zendeskloyalty.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One change in the loyalty platform: what happened, the member's state after it, and when.
 *
 * <pre>{@code
 * LoyaltyEvent event = new LoyaltyEvent(SyncTrigger.POINTS_AWARDED, member, Instant.now());
 * }</pre>
 *
 * @param trigger why the member changed
 * @param member the member's full state after the change
 * @param occurredAt when the change happened; orders snapshots of a member that carry no
 *     {@link LoyaltyMember#lastModifiedDate()}
 */
public record LoyaltyEvent(SyncTrigger trigger, LoyaltyMember member, Instant occurredAt) {

  /** Checks that no component is null. */
  public LoyaltyEvent {
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(occurredAt, "occurredAt");
  }
}
