package io.github.zendeskloyalty.core;

/**
 * Why a member is synced. The seed syncs a member only when points change or the tier changes.
 *
 * <pre>{@code
 * SyncTrigger.POINTS_REDEEMED.isPointsChange(); // true
 * SyncTrigger.TIER_UPGRADED.isTierChange();     // true
 * }</pre>
 */
public enum SyncTrigger {
  /** Points were awarded to the member. */
  POINTS_AWARDED,
  /** Points were deducted from the member. */
  POINTS_DEDUCTED,
  /** The member redeemed points for a reward. */
  POINTS_REDEEMED,
  /** Some of the member's points expired. */
  POINTS_EXPIRED,
  /** The member moved to a higher tier. */
  TIER_UPGRADED,
  /** The member moved to a lower tier. */
  TIER_DOWNGRADED;

  /** Whether this trigger is a change of the points balance. */
  public boolean isPointsChange() {
    return name().startsWith("POINTS_");
  }

  /** Whether this trigger is a change of the loyalty tier. */
  public boolean isTierChange() {
    return name().startsWith("TIER_");
  }
}
