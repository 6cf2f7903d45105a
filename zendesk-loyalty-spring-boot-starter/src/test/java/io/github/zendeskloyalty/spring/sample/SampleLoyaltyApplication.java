package io.github.zendeskloyalty.spring.sample;

import io.github.zendeskloyalty.client.SyncResult;
import io.github.zendeskloyalty.client.ZendeskLoyaltySync;
import io.github.zendeskloyalty.core.LoyaltyMember;
import io.github.zendeskloyalty.core.SyncTrigger;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;

/** A loyalty backend as a Spring team writes it: the SDK injected, nothing configured by hand. */
@SpringBootApplication
public class SampleLoyaltyApplication {

  /** Awards points and tells Zendesk. */
  @Service
  public static class PointsService {
    private final ZendeskLoyaltySync zendesk;

    public PointsService(ZendeskLoyaltySync zendesk) {
      this.zendesk = zendesk;
    }

    public CompletableFuture<SyncResult> award(String memberId, String email, long balance,
        Instant at) {
      LoyaltyMember member = LoyaltyMember.builder().memberId(memberId).email(email)
          .availablePoints(BigDecimal.valueOf(balance)).loyaltyTierName("Gold")
          .lastModifiedDate(at).build();
      return zendesk.onPointsChanged(member, SyncTrigger.POINTS_AWARDED);
    }
  }
}
