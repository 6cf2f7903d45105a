package io.github.zendeskloyalty.compat.modular;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** Tells Zendesk of a member's new balance, as a loyalty backend's handler would. */
public final class PointsAwarded {

  private final ZendeskLoyaltySync zendesk;

  /** Writes through {@code zendesk}. */
  public PointsAwarded(ZendeskLoyaltySync zendesk) {
    this.zendesk = zendesk;
  }

  /** The member's balance is now {@code points}. */
  public CompletableFuture<SyncResult> award(String memberId, String email, long points,
      Instant at) {
    return zendesk.onPointsChanged(LoyaltyMember.builder().memberId(memberId).email(email)
        .availablePoints(BigDecimal.valueOf(points)).lastModifiedDate(at).build(),
        SyncTrigger.POINTS_AWARDED);
  }
}
